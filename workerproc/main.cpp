// drover-worker: started by a Drover manager, one process per worker. It
// loads one task kind's plugin, connects back to the manager and serves
// requests until it is told to quit or loses its master.

#include "childjobserver.h"
#include "descendants.h"
#include "stdinsetup.h"
#include "drover/taskkind.h"
#include "wire/wire.h"
#include "workerclient.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QPluginLoader>

#include <cstdio>
#include <exception>
#include <new>
#include <unistd.h>

namespace Wire = Drover::Internal::Wire;

// An allocation failed and nothing caught the std::bad_alloc (perform()'s
// are caught and fail the task): say so and exit with the code the manager
// names, not as an anonymous SIGABRT. No allocation here: write(2) of a
// fixed text. Any other uncaught exception aborts as usual.
[[noreturn]] static void onTerminate()
{
    if (const std::exception_ptr exception = std::current_exception()) {
        try {
            std::rethrow_exception(exception);
        } catch (const std::bad_alloc &) {
            static const char message[] = "drover-worker: out of memory (an allocation failed; see the worker's "
                                          "memory limit)\n";
            const ssize_t written = ::write(STDERR_FILENO, message, sizeof message - 1);
            (void)written;
            Descendants::exitAfterEndingAll(Wire::OutOfMemoryExitCode);
        } catch (...) {
        }
    }
    std::abort();
}

static int fail(int code, const QString &message)
{
    std::fprintf(stderr, "drover-worker: %s\n", qPrintable(message));
    return code;
}

int main(int argc, char *argv[])
{
    // Before any thread: it changes the environment.
    if (const QString why = ChildJobserver::offer(); !why.isEmpty())
        std::fprintf(stderr, "drover-worker: warning: %s\n", qPrintable(why));
    // Qt's own event dispatcher, not GLib's: the worker's loop only watches
    // one socket, and GLib's costs more per wake-up. Not passed on to what
    // a task starts.
    const bool glibWanted = qEnvironmentVariableIsSet("QT_NO_GLIB");
    if (!glibWanted)
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    if (!glibWanted)
        qunsetenv("QT_NO_GLIB");

    // A remote worker's setup comes on stdin (its launcher carries it);
    // a local one's in its environment and on a pipe.
    const bool remote = app.arguments().contains(QLatin1String(Wire::SetupOnStdinOption));
    QString secretError;
    WorkerClient::Config config;
    config.secret = remote ? StdinSetup::read(&secretError) : Wire::takeSecret(&secretError);
    config.server = qEnvironmentVariable(Wire::EnvServer);
    config.fingerprint = qEnvironmentVariable(Wire::EnvTrust);
    config.kind = qEnvironmentVariable(Wire::EnvKind);
    bool idOk = false;
    config.workerId = qEnvironmentVariableIntValue(Wire::EnvWorkerId, &idOk);
    const QString pluginFile = qEnvironmentVariable(Wire::EnvPlugin);
    config.pluginFile = pluginFile;
    if (config.server.isEmpty() || !idOk || pluginFile.isEmpty())
        return fail(2, QStringLiteral("this program is started by a Drover manager, not by hand "
                                      "(%1, %2, %3 and %4 must be set)")
                           .arg(QLatin1String(Wire::EnvServer), QLatin1String(Wire::EnvSecretFd),
                                QLatin1String(Wire::EnvWorkerId), QLatin1String(Wire::EnvPlugin)));
    if (config.secret.isEmpty())
        return fail(2, QStringLiteral("no secret from the manager: %1").arg(secretError));
    // What the tasks start dies with this worker.
    Descendants::install();
    if (remote)
        StdinSetup::watchForEnd(&app);
    std::set_terminate(onTerminate);

    QPluginLoader loader(pluginFile);
    // Bind the plugin's symbols now rather than at their first call: a
    // worker is started ahead of need, and its first task should not pay
    // for the dynamic linker.
    loader.setLoadHints(QLibrary::ResolveAllSymbolsHint);
    QObject *instance = loader.instance();
    if (!instance)
        return fail(3, QStringLiteral("cannot load plugin %1: %2").arg(pluginFile, loader.errorString()));
    auto *kind = qobject_cast<Drover::TaskKind *>(instance);
    if (!kind)
        return fail(3, QStringLiteral("plugin %1 does not implement Drover::TaskKind").arg(pluginFile));

    WorkerClient client(kind, config);
    client.start();
    const int code = app.exec();
    Descendants::endAll();
    return code;
}
