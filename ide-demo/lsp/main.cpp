// drover-lsp: Drover behind the Language Server Protocol, over stdio.

#include "lspserver.h"
#include "sharedoptions.h"
#include "stdioconnection.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>

#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

namespace {

// LSP allows big documents; a message above this is a client's mistake.
constexpr qint64 defaultMaxMessageBytes = 64 * 1024 * 1024;

//! Takes fd over as a private descriptor, closed in every child, and puts
//! `replacement` where it was: stdout then leads to stderr, so that nothing
//! (a stray printf, a library, a worker) can write on the protocol's stream.
int keepPrivately(int fd, int replacement)
{
    const int kept = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
    if (kept < 0 || ::dup2(replacement, fd) < 0)
        return -1;
    return kept;
}

void messageToStderr(QtMsgType, const QMessageLogContext &, const QString &message)
{
    std::fprintf(stderr, "%s\n", qPrintable(message));
}

} // namespace

int main(int argc, char *argv[])
{
    qInstallMessageHandler(messageToStderr);
    std::signal(SIGPIPE, SIG_IGN); // a client that went away is the input's end, not a death
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("drover-lsp"));
    QCoreApplication::setApplicationVersion(QStringLiteral(DROVER_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Serves the demo proof language (.proof) and Coq (.v) over the Language Server Protocol on stdin and stdout."));
    parser.addHelpOption();
    parser.addVersionOption();
    DroverDemo::SharedOptionParser shared(&parser, {QStringLiteral("How many workers check each open document (default 2)."),
                                                    QStringLiteral("Stop a lemma's check after S seconds (default: no limit)."),
                                                    false});
    const QCommandLineOption pause(QStringLiteral("edit-pause"),
                                   QStringLiteral("Check changed text once changes pause for MS milliseconds (default 250)."),
                                   QStringLiteral("MS"), QStringLiteral("250"));
    parser.addOption(pause);
    const QCommandLineOption maxMessage(QStringLiteral("max-message-size"),
                                        QStringLiteral("Refuse messages over BYTES bytes (default 64 MiB)."),
                                        QStringLiteral("BYTES"), QString::number(defaultMaxMessageBytes));
    parser.addOption(maxMessage);
    parser.process(app);
    QString error;
    const std::optional<DroverDemo::SharedOptions> options = shared.read(&error);
    bool pauseOk = false;
    const int pauseMs = parser.value(pause).toInt(&pauseOk);
    bool maxOk = false;
    const qint64 maxMessageBytes = parser.value(maxMessage).toLongLong(&maxOk);
    if (options && (!pauseOk || pauseMs < 0))
        error = QStringLiteral("--edit-pause wants milliseconds, not \"%1\"").arg(parser.value(pause));
    else if (options && (!maxOk || maxMessageBytes < 1024))
        error = QStringLiteral("--max-message-size wants at least 1024 bytes, not \"%1\"").arg(parser.value(maxMessage));
    if (!options || !error.isEmpty()) {
        std::fprintf(stderr, "drover-lsp: %s\n", qPrintable(error));
        return 2;
    }

    const int devNull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    const int input = keepPrivately(STDIN_FILENO, devNull);
    const int output = keepPrivately(STDOUT_FILENO, STDERR_FILENO);
    if (devNull < 0 || input < 0 || output < 0) {
        std::perror("drover-lsp: cannot set up stdin and stdout");
        return 3;
    }
    ::close(devNull);

    DroverLsp::SessionSettings settings;
    settings.workers = options->jobs;
    settings.editPause = std::chrono::milliseconds(pauseMs);
    settings.timeLimit = options->timeout.value_or(std::chrono::milliseconds(0));
    DroverLsp::StdioConnection connection(input, output, maxMessageBytes);
    DroverLsp::LspServer server(&connection, settings);
    QObject::connect(&server, &DroverLsp::LspServer::finished, &app, &QCoreApplication::exit, Qt::QueuedConnection);
    return app.exec();
}
