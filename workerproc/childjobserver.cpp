#include "childjobserver.h"

#include "wire/wire.h"

#include <QtCore/QByteArray>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace Wire = Drover::Internal::Wire;

namespace ChildJobserver {

QString offer()
{
    const QByteArray fifo = qgetenv(Wire::EnvJobserverFifo);
    const QByteArray jobs = qgetenv(Wire::EnvJobserverSlots);
    // Not for what the tasks start: they get MAKEFLAGS.
    ::unsetenv(Wire::EnvJobserverFifo);
    ::unsetenv(Wire::EnvJobserverSlots);
    if (fifo.isEmpty())
        return {};
    bool ok = false;
    const int count = jobs.toInt(&ok);
    if (!ok || count < 1)
        return QStringLiteral("%1 is not a number of slots: \"%2\"").arg(QLatin1String(Wire::EnvJobserverSlots),
                                                                          QString::fromLocal8Bit(jobs));
    // Read and write, so that opening never waits for a writer; blocking,
    // as make wants its jobserver; inherited (no O_CLOEXEC).
    const int read = ::open(fifo.constData(), O_RDWR);
    const int write = read < 0 ? -1 : ::open(fifo.constData(), O_RDWR);
    struct stat st {};
    if (read < 0 || write < 0 || ::fstat(read, &st) != 0 || !S_ISFIFO(st.st_mode)) {
        const QString why = read < 0 || write < 0 ? QString::fromLocal8Bit(std::strerror(errno))
                                                  : QStringLiteral("not a fifo");
        if (read >= 0)
            ::close(read);
        if (write >= 0)
            ::close(write);
        return QStringLiteral("cannot offer the jobserver %1 to the tasks' children: %2")
            .arg(QString::fromLocal8Bit(fifo), why);
    }
    const QByteArray flags = " -j" + QByteArray::number(count) + " --jobserver-auth=" + QByteArray::number(read) + ','
                             + QByteArray::number(write);
    ::setenv("MAKEFLAGS", flags.constData(), 1);
    return {};
}

} // namespace ChildJobserver
