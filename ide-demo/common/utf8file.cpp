#include "utf8file.h"

#include <QtCore/QFile>

namespace DroverDemo {

std::optional<QString> readUtf8File(const QString &path, QString *error)
{
    const auto fail = [&](const QString &why) -> std::optional<QString> {
        *error = QStringLiteral("cannot read %1: %2").arg(path, why);
        return std::nullopt;
    };
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(file.errorString());
    const QByteArray bytes = file.readAll();
    // A file that opens may still fail to read (an I/O error).
    if (file.error() != QFileDevice::NoError)
        return fail(file.errorString());
    QString text = QString::fromUtf8(bytes);
    // fromUtf8() replaces what is not UTF-8, so the round trip tells.
    if (text.toUtf8() != bytes)
        return fail(QStringLiteral("it is not UTF-8 text"));
    return text;
}

} // namespace DroverDemo
