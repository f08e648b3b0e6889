// drover-rogue: a worker that breaks the protocol on purpose, for the tests
// of bad input on the wire (and, in mode "reveal", one that tells its secret). The manager starts it as its worker program; it
// misbehaves as worker $ROGUE_VICTIM (mode $ROGUE_MODE) and execs the real
// drover-worker ($ROGUE_REAL_WORKER) for every other worker id, so one pool
// mixes a rogue with honest workers.

#include "wire/wire.h"

#include <QtCore/QCborMap>
#include <QtCore/QtEndian>
#include <QtCore/QCoreApplication>
#include <QtCore/QThread>
#include <QtNetwork/QLocalSocket>

#include <csignal>
#include <cstdio>
#include <sys/wait.h>
#include <unistd.h>

namespace Wire = Drover::Internal::Wire;

namespace {

QCborMap hello(qint64 version, const QByteArray &secret)
{
    QCborMap m = Wire::message(Wire::Type::Hello);
    m.insert(Wire::Key::Version, version);
    m.insert(Wire::Key::Kind, qEnvironmentVariable(Wire::EnvKind));
    m.insert(Wire::Key::WorkerId, qEnvironmentVariableIntValue(Wire::EnvWorkerId));
    m.insert(Wire::Key::Secret, secret);
    return m;
}

bool readMessage(QLocalSocket &socket, Wire::FrameReader &reader, QCborMap *message)
{
    for (;;) {
        switch (reader.next(message)) {
        case Wire::FrameReader::Status::Message:
            return true;
        case Wire::FrameReader::Status::Error:
            return false;
        case Wire::FrameReader::Status::NeedMore:
            if (!socket.waitForReadyRead(30000))
                return false;
            reader.addData(socket.readAll());
        }
    }
}

// Reads until the first request, so the rogue holds a task; its id in *task.
bool waitForRequest(QLocalSocket &socket, Wire::FrameReader &reader, qint64 *task)
{
    QCborMap m;
    while (readMessage(socket, reader, &m)) {
        if (Wire::typeOf(m) == Wire::Type::Request) {
            *task = Wire::integerOf(m.value(Wire::Key::Task));
            return true;
        }
    }
    return false;
}

// A whole response frame for the task whose body is not CBOR ("cut": a
// text string cut short) or has a byte after it ("trailing").
QByteArray undecodableResponse(qint64 task, bool trailing)
{
    Wire::FrameWriter writer;
    QByteArray frame = writer.encode(Wire::Type::Response, task, QCborValue(true), Wire::DefaultMaxFrameSize)
                           .toByteArray();
    if (trailing) {
        frame.append('\x01');
        qToBigEndian<quint32>(quint32(frame.size() - Wire::LengthPrefixSize), frame.data());
    } else {
        frame.back() = '\x62'; // a text string of 2 bytes, and none follow
    }
    return frame;
}

void sendRaw(QLocalSocket &socket, const QByteArray &bytes)
{
    socket.write(bytes);
    socket.waitForBytesWritten(5000);
}

} // namespace

// Mode "reveal": prints the secret as any worker reads it, then hands it on
// to the real worker on a pipe of its own, as the manager would.
[[noreturn]] void revealAndRun(char *argv[])
{
    QString error;
    const QByteArray secret = Wire::takeSecret(&error);
    std::fprintf(stderr, "secret %s\n", secret.constData());
    std::fflush(stderr);
    int fds[2];
    if (::pipe(fds) != 0 || ::write(fds[1], secret.constData(), size_t(secret.size())) != secret.size())
        ::_exit(126);
    ::close(fds[1]);
    qputenv(Wire::EnvSecretFd, QByteArray::number(fds[0]));
    const QByteArray real = qgetenv("ROGUE_REAL_WORKER");
    ::execv(real.constData(), argv);
    ::_exit(127);
}

int main(int argc, char *argv[])
{
    if (qEnvironmentVariable("ROGUE_MODE") == QLatin1String("reveal"))
        revealAndRun(argv);
    const int id = qEnvironmentVariableIntValue(Wire::EnvWorkerId);
    if (id != qEnvironmentVariableIntValue("ROGUE_VICTIM")) {
        const QByteArray real = qgetenv("ROGUE_REAL_WORKER");
        ::execv(real.constData(), argv);
        std::perror("drover-rogue: exec of the real worker failed");
        return 127;
    }

    QCoreApplication app(argc, argv);
    const QString mode = qEnvironmentVariable("ROGUE_MODE");
    QString secretError;
    const QByteArray secret = Wire::takeSecret(&secretError);

    if (mode == QLatin1String("impostor")) {
        // Another process, with the right secret and id, says hello for us.
        const pid_t child = ::fork();
        if (child != 0) {
            ::waitpid(child, nullptr, 0);
            QThread::sleep(600);
            return 0;
        }
    }

    if (mode == QLatin1String("ignore-term")) // holds its task as "silent", deaf to SIGTERM
        ::signal(SIGTERM, SIG_IGN);

    QLocalSocket socket;
    Wire::connectToManager(&socket, qEnvironmentVariable(Wire::EnvServer));
    if (!socket.waitForConnected(10000))
        return 5;
    Wire::FrameReader reader;

    if (mode == QLatin1String("wrong-secret")) {
        sendRaw(socket, Wire::encodeFrame(hello(Wire::ProtocolVersion, "not-the-secret")));
    } else if (mode == QLatin1String("wrong-version")) {
        sendRaw(socket, Wire::encodeFrame(hello(Wire::ProtocolVersion + 98, secret)));
    } else if (mode == QLatin1String("not-hello")) {
        sendRaw(socket, Wire::encodeFrame(Wire::message(Wire::Type::Pong)));
    } else {
        sendRaw(socket, Wire::encodeFrame(hello(Wire::ProtocolVersion, secret)));
        if (mode == QLatin1String("impostor"))
            return 0;
        qint64 task = 0;
        if (!waitForRequest(socket, reader, &task))
            return 6;
        if (mode == QLatin1String("oversize")) {
            sendRaw(socket, QByteArray::fromHex("7fffffff"));
        } else if (mode == QLatin1String("garbage")) {
            sendRaw(socket, QByteArray::fromHex("00000008ffffffffffffffff"));
        } else if (mode == QLatin1String("unknown-type")) {
            QCborMap bogus;
            bogus.insert(Wire::Key::Type, QStringLiteral("bogus"));
            sendRaw(socket, Wire::encodeFrame(bogus));
        } else if (mode == QLatin1String("wrong-task")) {
            QCborMap response = Wire::message(Wire::Type::Response);
            response.insert(Wire::Key::Task, 987654);
            sendRaw(socket, Wire::encodeFrame(response));
        } else if (mode == QLatin1String("undecodable-response")) {
            sendRaw(socket, undecodableResponse(task, false));
        } else if (mode == QLatin1String("response-with-trailing-byte")) {
            sendRaw(socket, undecodableResponse(task, true));
        }
        // "silent" and "ignore-term" fall through: hold the task, answer nothing, not even pings.
    }
    QThread::sleep(600);
    return 0;
}
