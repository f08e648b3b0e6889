#include "coqhistory.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QSaveFile>

namespace CoqLib {

namespace {
// stdpp on this kind of machine: ~155 s of coqc for ~1 MB of source.
constexpr double GuessMsPerByte = 0.15;
} // namespace

CoqHistory::CoqHistory(const QString &root)
    : m_path(QDir(root).filePath(QStringLiteral(".drover-times.json")))
{
}

void CoqHistory::load()
{
    m_ms.clear();
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly))
        return;
    const QJsonObject times = QJsonDocument::fromJson(file.readAll()).object().value(QLatin1String("ms")).toObject();
    for (auto it = times.begin(); it != times.end(); ++it) {
        if (it.value().isDouble() && it.value().toDouble() >= 0)
            m_ms.insert(QDir(QFileInfo(m_path).absolutePath()).absoluteFilePath(it.key()), qint64(it.value().toDouble()));
    }
}

bool CoqHistory::save() const
{
    QJsonObject times;
    const QDir root = QFileInfo(m_path).absoluteDir();
    for (auto it = m_ms.begin(); it != m_ms.end(); ++it)
        times.insert(root.relativeFilePath(it.key()), it.value());
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    file.write(QJsonDocument(QJsonObject{{QStringLiteral("ms"), times}}).toJson());
    return file.commit();
}

QHash<QString, qint64> CoqHistory::weights(const QStringList &files) const
{
    qint64 knownMs = 0, knownBytes = 0;
    for (const QString &file : files) {
        if (const qint64 ms = msOf(file); ms >= 0) {
            knownMs += ms;
            knownBytes += QFileInfo(file).size();
        }
    }
    const double perByte = knownBytes > 0 && knownMs > 0 ? double(knownMs) / double(knownBytes) : GuessMsPerByte;
    QHash<QString, qint64> weights;
    for (const QString &file : files) {
        const qint64 ms = msOf(file);
        weights.insert(file, std::max<qint64>(1, ms >= 0 ? ms : qint64(double(QFileInfo(file).size()) * perByte)));
    }
    return weights;
}

} // namespace CoqLib
