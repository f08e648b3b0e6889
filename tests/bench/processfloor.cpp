// Process baselines: starting a bare QCoreApplication program, and the
// memory of one holding a connected QLocalSocket.

#include "floor.h"
#include "harness.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtNetwork/QLocalServer>
#include <QtNetwork/QLocalSocket>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace Floor {

QList<double> spawnAndWait(const QString &program, int samples)
{
    const QByteArray path = QFile::encodeName(program);
    char *argv[] = {const_cast<char *>(path.constData()), nullptr};
    QList<double> times;
    QElapsedTimer clock;
    for (int i = 0; i < samples; ++i) {
        clock.start();
        pid_t pid = 0;
        if (::posix_spawn(&pid, path.constData(), nullptr, nullptr, argv, environ) != 0)
            throw BenchError("cannot spawn " + path.toStdString());
        int status = 0;
        if (::waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
            throw BenchError(path.toStdString() + " did not exit with 0");
        times << double(clock.nsecsElapsed()) / 1e6;
    }
    return times;
}

qint64 connectedProcessRss(const QString &program)
{
    QLocalServer server;
    server.setSocketOptions(QLocalServer::AbstractNamespaceOption);
    const QString name = QStringLiteral("drover-bench-%1").arg(QCoreApplication::applicationPid());
    if (!server.listen(name))
        throw BenchError("cannot listen: " + server.errorString().toStdString());
    // Answer the hello, as the manager answers a worker's.
    QObject::connect(&server, &QLocalServer::newConnection, &server, [&server] {
        QLocalSocket *peer = server.nextPendingConnection();
        QObject::connect(peer, &QLocalSocket::readyRead, peer, [peer] {
            peer->readAll();
            peer->write("welcome\n");
        });
    });
    QProcess process;
    process.start(program, {name});
    bool ready = false;
    QObject::connect(&process, &QProcess::readyReadStandardOutput, &process, [&] { ready = true; });
    try {
        Harness::until("the bare Qt program to connect",
                       [&] { return ready || process.state() == QProcess::NotRunning; }, 30000);
    } catch (...) {
        process.kill();
        process.waitForFinished(10000);
        throw;
    }
    qint64 rss = 0;
    QFile statm(QStringLiteral("/proc/%1/statm").arg(process.processId()));
    if (ready && statm.open(QIODevice::ReadOnly))
        rss = statm.readAll().split(' ').value(1).toLongLong() * ::sysconf(_SC_PAGESIZE);
    process.kill();
    process.waitForFinished(10000);
    if (rss <= 0)
        throw BenchError(program.toStdString() + " never became ready");
    return rss;
}

} // namespace Floor
