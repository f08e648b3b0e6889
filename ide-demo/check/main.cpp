// drover-check: the headless batch checker of the demo proof language.
// See docs/drover-check.md.

#include "checkoptions.h"
#include "checkrun.h"
#include "coqbuild.h"
#include "sigintwatcher.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QLoggingCategory>
#include <QtCore/QTextStream>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("drover-check"));
    QCoreApplication::setApplicationVersion(QStringLiteral(DROVER_VERSION));

    // drover-check reports every worker death itself; the library's routine
    // notes would only repeat them (QT_LOGGING_RULES still overrides this).
    QLoggingCategory::setFilterRules(QStringLiteral("drover.*.info=false"));

    int exitCode = 0;
    const std::optional<CheckOptions> options = parseCheckOptions(app.arguments(), &exitCode);
    if (!options)
        return exitCode;

    int result = 0;
    if (CoqLib::CoqProject::looksLikeCoq(options->files)) {
        // A Coq development (a directory, a _CoqProject, .v files): docs/coq.md.
        CoqBuild build(*options);
        SigintWatcher sigint;
        QObject::connect(&sigint, &SigintWatcher::interrupted, &build, &CoqBuild::interrupt);
        QObject::connect(&build, &CoqBuild::finished, &app, [&](int code) {
            result = code;
            app.quit();
        });
        if (!build.start(&exitCode))
            return exitCode;
        app.exec();
        return result;
    }
    if (options->quick) {
        QTextStream(stderr) << "drover-check: --quick is for Coq developments (see drover-check --help)\n";
        return 2;
    }
    {
        CheckRun run(*options);
        SigintWatcher sigint;
        QObject::connect(&sigint, &SigintWatcher::interrupted, &run, &CheckRun::interrupt);
        QObject::connect(&run, &CheckRun::finished, &app, [&](int code) {
            result = code;
            app.quit();
        });
        if (!run.start(&exitCode))
            return exitCode;
        app.exec();
    } // the run's Manager is gone here: every worker is reaped
    return result;
}
