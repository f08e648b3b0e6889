// drover-check: the headless batch checker of the demo proof language.
// See docs/drover-check.md.

#include "checkoptions.h"
#include "checkrun.h"
#include "coqbuild.h"
#include "sentencerun.h"
#include "sigintwatcher.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QLoggingCategory>
#include <QtCore/QTextStream>

namespace {
//! Runs a CheckRun or a CoqBuild to its end: Ctrl-C interrupts it, and its
//! exit code is the program's. The run (and with it its Manager, so every
//! worker) is gone before this returns.
template<typename Run>
int runToEnd(QCoreApplication &app, const CheckOptions &options)
{
    int result = 0;
    Run run(options);
    SigintWatcher sigint;
    QObject::connect(&sigint, &SigintWatcher::interrupted, &run, [&run] {
        // At once: stopping can take the cancel grace of a stuck task.
        qInfo("drover-check: stopping... press Ctrl-C again to quit now");
        run.interrupt();
    });
    QObject::connect(&run, &Run::finished, &app, [&](int code) {
        result = code;
        app.quit();
    });
    if (!run.start(&result))
        return result;
    app.exec();
    return result;
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("drover-check"));
    QCoreApplication::setApplicationVersion(QStringLiteral(DROVER_VERSION));

    int exitCode = 0;
    const std::optional<CheckOptions> options = parseCheckOptions(app.arguments(), &exitCode);
    if (!options)
        return exitCode;
    // drover-check reports every worker death and refusal itself; the
    // library's notes and warnings would only repeat them, after Ctrl-C by
    // the dozen (-v shows the warnings; QT_LOGGING_RULES overrides both).
    // Those of job slots (make's jobserver out of reach) it cannot say itself.
    QLoggingCategory::setFilterRules(options->verbose
                                         ? QStringLiteral("drover.*.info=false")
                                         : QStringLiteral("drover.*.info=false\ndrover.*.warning=false\n"
                                                          "drover.slots.warning=true"));
    // One Coq document, sentence by sentence: docs/coq.md.
    if (options->sentences)
        return runToEnd<SentenceRun>(app, *options);
    // A Coq development (a directory, a _CoqProject, .v files): docs/coq.md.
    if (CoqLib::CoqProject::looksLikeCoq(options->files))
        return runToEnd<CoqBuild>(app, *options);
    if (options->quick) {
        QTextStream(stderr) << "drover-check: --quick is for Coq developments (see drover-check --help)\n";
        return 2;
    }
    return runToEnd<CheckRun>(app, *options);
}
