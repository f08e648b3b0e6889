// drover-ide: the demo editor of Drover's proof language (docs/ide.md).

#include "coqcontroller.h"
#include "mainwindow.h"
#include "missingdocument.h"
#include "sharedoptions.h"
#include "whenchecked.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QTextStream>
#include <QtGui/QScreen>
#include <QtWidgets/QApplication>

#include <cstring>

namespace {
// The headless modes draw offscreen unless told otherwise; the platform must
// be chosen before QApplication exists, so argv is looked at by hand here.
void chooseOffscreenWhenHeadless(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--screenshot") || !std::strcmp(argv[i], "--quit-when-checked")
            || !std::strcmp(argv[i], "--screenshot-after")) {
            if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
                qputenv("QT_QPA_PLATFORM", "offscreen");
            return;
        }
    }
}

int usageError(const QString &message)
{
    QTextStream(stderr) << "drover-ide: " << message << "\nTry drover-ide --help.\n";
    return 2;
}
} // namespace

int main(int argc, char **argv)
{
    chooseOffscreenWhenHeadless(argc, argv);
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("drover-ide"));
    QApplication::setApplicationDisplayName(QStringLiteral("Drover IDE"));
    QApplication::setApplicationVersion(QStringLiteral(DROVER_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Edits documents of Drover's demo proof language and checks "
                                                    "their lemmas in worker processes while you type, edits "
                                                    "a Coq file checking its sentences on coqidetop workers, "
                                                    "or builds a Coq development and shows its files."));
    parser.addHelpOption();
    parser.addVersionOption();
    // 0 is the toolbar's "none", so --timeout 0 is too.
    const DroverDemo::SharedOptionParser shared(
        &parser, {.jobsHelp = QStringLiteral("Run at most N workers at once (default 2)."),
                  .timeoutHelp = QStringLiteral("Stop a lemma after S seconds (0.5 is fine; 0: none); it ends as a timeout."),
                  .zeroTimeoutMeansNone = true});
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("Once every lemma is checked, save a PNG of the window to FILE "
                                                       "(implies --quit-when-checked)."),
                                        QStringLiteral("FILE"));
    const QCommandLineOption quitWhenChecked(QStringLiteral("quit-when-checked"),
                                             QStringLiteral("Exit 0 once every lemma of DOC (or file of the "
                                                            "development) has an outcome."));
    const QCommandLineOption screenshotAfter(QStringLiteral("screenshot-after"),
                                             QStringLiteral("Take the --screenshot as soon as N lemmas (of a .v file: "
                                                            "sentences) have an outcome, in the middle of the check."),
                                             QStringLiteral("N"));
    const QCommandLineOption openInDevelopment(QStringLiteral("open"),
                                               QStringLiteral("Show FILE of the Coq development (relative to its root)."),
                                               QStringLiteral("FILE"));
    const QCommandLineOption line(QStringLiteral("line"),
                                  QStringLiteral("Put the cursor on line N of DOC, in the middle of the view."),
                                  QStringLiteral("N"));
    const QCommandLineOption size(QStringLiteral("size"),
                                  QStringLiteral("Window size (default: 1400x1150 headless, else most of the screen)."),
                                  QStringLiteral("WxH"));
    const QCommandLineOption jobsCap(QStringLiteral("jobs-cap"),
                                     QStringLiteral("Share N job slots with every other Drover process of this user "
                                                    "(as DROVER_JOBS=N does; 0: no cap, not even make's jobserver)."),
                                     QStringLiteral("N"));
    parser.addOptions({screenshot, quitWhenChecked, screenshotAfter, openInDevelopment, line, size, jobsCap});
    parser.addPositionalArgument(QStringLiteral("DOC"), QStringLiteral("The document to open: a .proof document or a .v file to edit, "
                                                                            "or a Coq development to build: a directory with a "
                                                                            "_CoqProject, or a _CoqProject."),
                                 QStringLiteral("[DOC]"));
    parser.process(app);

    const QStringList documents = parser.positionalArguments();
    if (documents.size() > 1)
        return usageError(QStringLiteral("one document at a time"));
    const bool headless = parser.isSet(screenshot) || parser.isSet(quitWhenChecked) || parser.isSet(screenshotAfter);
    if (headless && documents.isEmpty())
        return usageError(QStringLiteral("--screenshot and --quit-when-checked need a document"));
    QString error;
    const std::optional<DroverDemo::SharedOptions> options = shared.read(&error);
    if (!options)
        return usageError(error);
    int sentencesDecided = 0;
    if (parser.isSet(screenshotAfter)) {
        bool ok = false;
        sentencesDecided = parser.value(screenshotAfter).toInt(&ok);
        if (!ok || sentencesDecided < 1)
            return usageError(QStringLiteral("--screenshot-after wants a number of lemmas or sentences (1 or more), not %1")
                                  .arg(parser.value(screenshotAfter)));
        if (!parser.isSet(screenshot) || DroverIde::CoqController::isDevelopment(documents.first()))
            return usageError(QStringLiteral("--screenshot-after needs --screenshot and a .proof or .v document"));
    }
    std::optional<int> cap;
    if (parser.isSet(jobsCap)) {
        bool ok = false;
        cap = parser.value(jobsCap).toInt(&ok);
        if (!ok || *cap < 0 || *cap > 4096)
            return usageError(QStringLiteral("--jobs-cap wants a number from 0 to 4096, not \"%1\"").arg(parser.value(jobsCap)));
    }
    QSize windowSize = headless ? QSize(1400, 1150) : QSize(1400, 900).boundedTo(app.primaryScreen()->availableSize() * 0.9);
    if (parser.isSet(size)) {
        const QStringList parts = parser.value(size).split(QLatin1Char('x'));
        const int w = parts.value(0).toInt(), h = parts.size() == 2 ? parts.value(1).toInt() : 0;
        if (w < 200 || h < 200)
            return usageError(QStringLiteral("--size wants WxH, e.g. 1400x860"));
        windowSize = QSize(w, h);
    }

    std::unique_ptr<DroverIde::MainWindow> window(DroverIde::MainWindow::create(&error, nullptr, *options));
    if (!window) {
        QTextStream(stderr) << "drover-ide: " << error << '\n';
        return 3;
    }
    window->setWorkerCount(options->jobs);
    // As drover-check: a token server out of reach is a warning, and the
    // window goes on with its own number of workers.
    if (cap && !window->setJobsCap(*cap, &error))
        QTextStream(stderr) << "drover-ide: warning: --jobs-cap " << *cap << ": " << error << '\n';
    window->setTimeLimit(options->timeout.value_or(std::chrono::milliseconds(0)));
    window->resize(windowSize);
    const bool development = !documents.isEmpty() && DroverIde::CoqController::isDevelopment(documents.first());
    if (parser.isSet(openInDevelopment) && !development)
        return usageError(QStringLiteral("--open needs a Coq development (a directory with a _CoqProject, or a _CoqProject)"));
    // A document that cannot be opened is said on stderr in every mode. A
    // missing one is offered to be created, unless headless: a run that
    // saves a picture or quits by itself asks no questions, and ends 2.
    const bool missing = !documents.isEmpty() && DroverIde::isCreatableDocument(documents.first());
    bool offerToCreate = false;
    if (!documents.isEmpty() && !window->openPath(documents.first(), headless || missing, &error)) {
        QTextStream(stderr) << "drover-ide: " << error << '\n';
        if (headless) {
            if (missing)
                QTextStream(stderr) << "drover-ide: not offering to create it: --screenshot and "
                                       "--quit-when-checked ask no questions\n";
            return 2;
        }
        offerToCreate = missing;
    }
    if (parser.isSet(openInDevelopment) && window->coq()->build()
        && !window->coq()->showFile(parser.value(openInDevelopment), &error)) {
        QTextStream(stderr) << "drover-ide: --open: " << error << '\n';
        return 2;
    }
    window->show();
    if (offerToCreate)
        DroverIde::offerToCreateDocument(window.get(), documents.first());
    if (parser.isSet(line)) {
        // Once shown: the view's height says what the middle is.
        bool ok = false;
        const int number = parser.value(line).toInt(&ok);
        if (!ok || number < 1 || development)
            return usageError(QStringLiteral("--line wants a line number (1 or more) of a document"));
        window->goToLine(number);
    }

    std::unique_ptr<DroverIde::WhenChecked> whenChecked;
    if (headless) {
        whenChecked = std::make_unique<DroverIde::WhenChecked>(window.get(), parser.value(screenshot), sentencesDecided);
        QObject::connect(whenChecked.get(), &DroverIde::WhenChecked::finished, &app, &QCoreApplication::exit);
    }
    return app.exec();
}
