#include "stdinsetup.h"

#include "descendants.h"
#include "wire/wire.h"

#include <QtCore/QSocketNotifier>

#include <cerrno>
#include <unistd.h>

namespace Wire = Drover::Internal::Wire;

namespace StdinSetup {

namespace {
constexpr qsizetype MaxSetup = 64 * 1024;

// One line, byte by byte: what follows the setup is not ours to take.
bool readLine(QByteArray *line)
{
    line->clear();
    for (;;) {
        char c = 0;
        const ssize_t got = ::read(STDIN_FILENO, &c, 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0 || line->size() > MaxSetup)
            return false;
        if (c == '\n')
            return true;
        line->append(c);
    }
}
} // namespace

QByteArray read(QString *error)
{
    QByteArray secret;
    QByteArray line;
    for (;;) {
        if (!readLine(&line)) {
            *error = QStringLiteral("the setup on stdin ended before its empty line");
            return {};
        }
        if (line.isEmpty())
            break;
        const qsizetype eq = line.indexOf('=');
        if (eq <= 0) {
            *error = QStringLiteral("a setup line on stdin is not KEY=VALUE");
            return {};
        }
        const QByteArray key = line.left(eq);
        if (key == Wire::EnvSecret)
            secret = line.mid(eq + 1);
        else
            qputenv(key.constData(), line.mid(eq + 1));
    }
    if (secret.isEmpty())
        *error = QStringLiteral("the setup on stdin has no %1").arg(QLatin1String(Wire::EnvSecret));
    return secret;
}

void watchForEnd(QObject *parent)
{
    auto *notifier = new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, parent);
    QObject::connect(notifier, &QSocketNotifier::activated, notifier, [notifier] {
        char buffer[512];
        const ssize_t got = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN)) {
            notifier->setEnabled(false);
            Descendants::exitAfterEndingAll(0);
        }
    });
}

} // namespace StdinSetup
