// The worker's half of how the secret travels (docs/wire.md, "Starting a
// worker"): on a pipe it inherits, never in its environment.

#include "wire/wire.h"

#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace Drover::Internal::Wire {

QByteArray takeSecret(QString *error)
{
    error->clear();
    bool ok = false;
    const int fd = qEnvironmentVariableIntValue(EnvSecretFd, &ok);
    qunsetenv(EnvSecretFd);
    struct stat info{};
    if (!ok || fd < 0 || ::fstat(fd, &info) != 0 || !S_ISFIFO(info.st_mode)) {
        *error = QStringLiteral("%1 does not name an open pipe").arg(QLatin1String(EnvSecretFd));
        return {};
    }
    QByteArray secret;
    char buffer[256];
    for (;;) {
        const ssize_t got = ::read(fd, buffer, sizeof buffer);
        if (got > 0 && secret.size() + got <= 4096) {
            secret.append(buffer, qsizetype(got));
            continue;
        }
        if (got < 0 && errno == EINTR)
            continue;
        if (got != 0)
            *error = got < 0 ? QStringLiteral("cannot read the secret: %1").arg(QString::fromLocal8Bit(::strerror(errno)))
                             : QStringLiteral("the secret is too long");
        break;
    }
    ::close(fd);
    if (error->isEmpty() && secret.isEmpty())
        *error = QStringLiteral("the secret pipe was empty");
    return error->isEmpty() ? secret : QByteArray();
}

} // namespace Drover::Internal::Wire
