// Finding and checking task-kind plugins. Each fixture directory holds one
// case (tests/fixtures/plugins): every unusable file is reported with its path
// and a reason that names what is wrong, only good kinds load, and an unknown
// kind is refused with the directories that were searched.

#include "plugins/pluginregistry.h"
#include "support/processes.h"

#include "drover/manager.h"
#include "drover/taskkind.h"
#include "drover/taskqueue.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QScopeGuard>
#include <QtTest/QTest>

using namespace Drover;
using Drover::Internal::PluginRegistry;

namespace {

QString inDir(const char *dir, const char *file)
{
    return QDir(QString::fromUtf8(dir)).absoluteFilePath(QString::fromUtf8(file));
}

//! The errors reported for files in one directory.
QList<PluginError> errorsIn(const QList<PluginError> &errors, const QString &dir)
{
    QList<PluginError> found;
    for (const PluginError &e : errors) {
        if (QFileInfo(e.file).absolutePath() == QDir(dir).absolutePath())
            found << e;
    }
    return found;
}

QString describe(const QList<PluginError> &errors)
{
    QStringList lines;
    for (const PluginError &e : errors)
        lines << e.file + QStringLiteral(": ") + e.reason;
    return lines.join(QLatin1Char('\n'));
}

const QString GoodKind = QStringLiteral("fixture-good");

} // namespace

class tst_PluginRegistry : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // Only what a test sets itself: a developer's own plugin path must
        // not leak in.
        qunsetenv("DROVER_PLUGIN_PATH");
        for (const char *dir : {FIXTURE_GOOD_DIR, FIXTURE_GOOD_COPY_DIR, FIXTURE_WRONGAPI_DIR, FIXTURE_NOKIND_DIR,
                                FIXTURE_OTHERIID_DIR, FIXTURE_BADJSON_DIR, FIXTURE_DUPLICATE_DIR, FIXTURE_JUNK_DIR}) {
            QVERIFY2(QDir(QString::fromUtf8(dir)).exists(),
                     qPrintable(QStringLiteral("%1 is missing: build the fixture_plugins target").arg(dir)));
        }
    }

    void cleanup() { qunsetenv("DROVER_PLUGIN_PATH"); }

    void cleanupTestCase()
    {
        // Finding and loading plugins never starts a worker.
        QCOMPARE(TestSupport::childProcesses(), QList<qint64>());
    }

    // ---- one file at a time: PluginRegistry::inspect() ----------------------

    void inspect_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("kind");         // empty: the file is refused
        QTest::addColumn<QStringList>("mentions"); // what the reason must say

        QTest::newRow("good") << inDir(FIXTURE_GOOD_DIR, "libfixture_good.so") << GoodKind << QStringList();
        QTest::newRow("wrong API version")
            << inDir(FIXTURE_WRONGAPI_DIR, "libfixture_wrongapi.so") << QString()
            << QStringList{QStringLiteral("API version 99"), QStringLiteral("version %1").arg(PluginApiVersion)};
        QTest::newRow("no kind") << inDir(FIXTURE_NOKIND_DIR, "libfixture_nokind.so") << QString()
                                 << QStringList{QStringLiteral("no \"kind\"")};
        QTest::newRow("another interface")
            << inDir(FIXTURE_OTHERIID_DIR, "libfixture_otheriid.so") << QString()
            << QStringList{QStringLiteral("\"org.example.Other/1\""), QStringLiteral("\"" DROVER_TASKKIND_IID "\"")};
        // moc dropped the metadata with a warning: the reason says what to fix.
        QTest::newRow("metadata not valid JSON")
            << inDir(FIXTURE_BADJSON_DIR, "libfixture_badjson.so") << QString()
            << QStringList{QStringLiteral("a Drover task kind built without plugin metadata"),
                           QStringLiteral("not valid JSON")};
        QTest::newRow("not a library") << inDir(FIXTURE_JUNK_DIR, "libjunk.so") << QString()
                                       << QStringList{QStringLiteral("not a Qt plugin")};
    }
    void inspect()
    {
        QFETCH(QString, file);
        QFETCH(QString, kind);
        QFETCH(QStringList, mentions);

        PluginRegistry::Entry entry;
        QString reason;
        const bool ok = PluginRegistry::inspect(file, &entry, &reason);
        QVERIFY2(ok == !kind.isEmpty(), qPrintable(reason));
        for (const QString &m : std::as_const(mentions))
            QVERIFY2(reason.contains(m), qPrintable(QStringLiteral("\"%1\" lacks \"%2\"").arg(reason, m)));
        if (ok) {
            QCOMPARE(entry.kind, kind);
            QCOMPARE(entry.file, file);
            QCOMPARE(entry.description, QStringLiteral("a good fixture"));
        } else {
            QCOMPARE(entry.kind, QString()); // untouched
        }
    }

    // ---- a directory through the Manager ------------------------------------

    void badPluginIsReported_data()
    {
        QTest::addColumn<QString>("dir");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QStringList>("mentions");
        QTest::addColumn<QString>("claimedKind"); // the kind it claims, if any

        QTest::newRow("wrong API version")
            << QStringLiteral(FIXTURE_WRONGAPI_DIR) << inDir(FIXTURE_WRONGAPI_DIR, "libfixture_wrongapi.so")
            << QStringList{QStringLiteral("API version 99")} << QStringLiteral("fixture-wrongapi");
        QTest::newRow("no kind") << QStringLiteral(FIXTURE_NOKIND_DIR)
                                 << inDir(FIXTURE_NOKIND_DIR, "libfixture_nokind.so")
                                 << QStringList{QStringLiteral("no \"kind\"")} << QString();
        QTest::newRow("another interface")
            << QStringLiteral(FIXTURE_OTHERIID_DIR) << inDir(FIXTURE_OTHERIID_DIR, "libfixture_otheriid.so")
            << QStringList{QStringLiteral("org.example.Other/1")} << QStringLiteral("fixture-other");
        QTest::newRow("metadata not valid JSON")
            << QStringLiteral(FIXTURE_BADJSON_DIR) << inDir(FIXTURE_BADJSON_DIR, "libfixture_badjson.so")
            << QStringList{QStringLiteral("a Drover task kind built without plugin metadata")} << QString();
        QTest::newRow("not a library") << QStringLiteral(FIXTURE_JUNK_DIR) << inDir(FIXTURE_JUNK_DIR, "libjunk.so")
                                       << QStringList{QStringLiteral("not a Qt plugin")} << QString();
        // The second by name is refused, and its reason names the first.
        QTest::newRow("kind claimed twice")
            << QStringLiteral(FIXTURE_DUPLICATE_DIR) << inDir(FIXTURE_DUPLICATE_DIR, "libfixture_dup_b.so")
            << QStringList{QStringLiteral("\"fixture-dup\" is already provided by"),
                           inDir(FIXTURE_DUPLICATE_DIR, "libfixture_dup_a.so")}
            << QString();
    }
    void badPluginIsReported()
    {
        QFETCH(QString, dir);
        QFETCH(QString, file);
        QFETCH(QStringList, mentions);
        QFETCH(QString, claimedKind);

        Manager manager;
        manager.addPluginPath(dir);
        const QList<PluginError> errors = errorsIn(manager.pluginErrors(), dir);
        QVERIFY2(errors.size() == 1, qPrintable(describe(errors)));
        QCOMPARE(errors.first().file, file);
        for (const QString &m : std::as_const(mentions))
            QVERIFY2(errors.first().reason.contains(m), qPrintable(describe(errors)));

        if (!claimedKind.isEmpty()) {
            QVERIFY(!manager.availableKinds().contains(claimedKind));
            QCOMPARE(manager.queue(claimedKind), nullptr);
            // The refusal says which file might have provided it, and why not.
            const QString error = manager.errorString();
            QVERIFY2(error.contains(QStringLiteral("\"%1\"").arg(claimedKind)), qPrintable(error));
            QVERIFY2(error.contains(file + QStringLiteral(": ") + errors.first().reason), qPrintable(error));
        }
    }

    void duplicateKindFirstFileWins()
    {
        Manager manager;
        manager.addPluginPath(QStringLiteral(FIXTURE_DUPLICATE_DIR));
        QCOMPARE(manager.availableKinds().count(QStringLiteral("fixture-dup")), 1);
        TaskQueue *queue = manager.queue(QStringLiteral("fixture-dup"));
        QVERIFY2(queue, qPrintable(manager.errorString()));

        PluginRegistry registry;
        registry.scan({QStringLiteral(FIXTURE_DUPLICATE_DIR)});
        const PluginRegistry::Entry *entry = registry.find(QStringLiteral("fixture-dup"));
        QVERIFY(entry);
        QCOMPARE(entry->file, inDir(FIXTURE_DUPLICATE_DIR, "libfixture_dup_a.so"));
    }

    void goodKindLoads()
    {
        Manager manager;
        manager.addPluginPath(QStringLiteral(FIXTURE_GOOD_DIR));
        QVERIFY(manager.availableKinds().contains(GoodKind));
        QVERIFY2(errorsIn(manager.pluginErrors(), QStringLiteral(FIXTURE_GOOD_DIR)).isEmpty(),
                 qPrintable(describe(manager.pluginErrors())));

        // A refused kind leaves the manager usable for the next one.
        QCOMPARE(manager.queue(QStringLiteral("nope")), nullptr);

        TaskQueue *queue = manager.queue(GoodKind);
        QVERIFY2(queue, qPrintable(manager.errorString()));
        QCOMPARE(queue->kind(), GoodKind);
        QVERIFY(queue->taskKind());
        QCOMPARE(manager.queue(GoodKind), queue); // one queue per kind
    }

    void unknownKindIsRefused_data()
    {
        QTest::addColumn<QStringList>("added");
        QTest::addColumn<QStringList>("mentions");

        QTest::newRow("no directory added") << QStringList() << QStringList();
        QTest::newRow("one directory") << QStringList{QStringLiteral(FIXTURE_GOOD_DIR)} << QStringList();
        // The message lists the kinds that are there, and says which
        // directory is missing and which is a file.
        QTest::newRow("several, one missing, one a file, one with junk")
            << QStringList{QStringLiteral(FIXTURE_GOOD_DIR), QStringLiteral("/nonexistent/drover-plugins"),
                           inDir(FIXTURE_GOOD_DIR, "libfixture_good.so"), QStringLiteral(FIXTURE_JUNK_DIR)}
            << QStringList{inDir(FIXTURE_JUNK_DIR, "libjunk.so") + QStringLiteral(": not a Qt plugin"),
                           QStringLiteral("/nonexistent/drover-plugins (no such directory)"),
                           inDir(FIXTURE_GOOD_DIR, "libfixture_good.so") + QStringLiteral(" (a file, not a directory)"),
                           QStringLiteral("kinds there: \"fixture-good\"")};
    }
    void unknownKindIsRefused()
    {
        QFETCH(QStringList, added);
        QFETCH(QStringList, mentions);

        Manager manager;
        for (const QString &dir : std::as_const(added))
            manager.addPluginPath(dir);
        for (int attempt = 0; attempt < 2; ++attempt) { // a refusal is not remembered as anything else
            QCOMPARE(manager.queue(QStringLiteral("nope")), nullptr);
            const QString error = manager.errorString();
            QVERIFY2(error.startsWith(QLatin1String("no plugin provides task kind \"nope\" (searched: ")),
                     qPrintable(error));
            const QStringList searched = manager.pluginPaths();
            QCOMPARE(searched.mid(0, added.size()), added);
            for (const QString &dir : searched)
                QVERIFY2(error.contains(dir), qPrintable(QStringLiteral("%1 lacks %2").arg(error, dir)));
            for (const QString &m : std::as_const(mentions))
                QVERIFY2(error.contains(m), qPrintable(QStringLiteral("%1 lacks %2").arg(error, m)));
        }
        QVERIFY(!manager.availableKinds().contains(QStringLiteral("nope")));
    }

    void pathAddedLaterIsScanned()
    {
        // The junk file is warned about once, though the path is scanned
        // again when the good directory is added.
        static int junkWarnings = 0;
        junkWarnings = 0;
        static QtMessageHandler previous = nullptr;
        previous = qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &context, const QString &text) {
            if (type == QtWarningMsg && text.contains(QLatin1String("libjunk.so")))
                ++junkWarnings;
            previous(type, context, text);
        });
        const auto restore = qScopeGuard([] { qInstallMessageHandler(previous); });
        Manager manager;
        manager.addPluginPath(QStringLiteral(FIXTURE_JUNK_DIR));
        QVERIFY(!manager.availableKinds().contains(GoodKind));
        QCOMPARE(errorsIn(manager.pluginErrors(), QStringLiteral(FIXTURE_JUNK_DIR)).size(), 1);
        manager.addPluginPath(QStringLiteral(FIXTURE_GOOD_DIR));
        QVERIFY(manager.availableKinds().contains(GoodKind));
        QCOMPARE(junkWarnings, 1);
        QVERIFY2(manager.queue(GoodKind), qPrintable(manager.errorString()));
        // Scanning again reports each bad file once, not once per scan.
        QCOMPARE(errorsIn(manager.pluginErrors(), QStringLiteral(FIXTURE_JUNK_DIR)).size(), 1);
    }

    void relativeDirectory()
    {
        const QString here = QDir::currentPath();
        const QDir good(QStringLiteral(FIXTURE_GOOD_DIR));
        QVERIFY(QDir::setCurrent(QFileInfo(good.absolutePath()).absolutePath()));
        Manager manager;
        manager.addPluginPath(good.dirName());
        const bool found = manager.availableKinds().contains(GoodKind);
        TaskQueue *queue = manager.queue(GoodKind);
        const QString error = manager.errorString();
        QVERIFY(QDir::setCurrent(here));
        QVERIFY(found);
        QVERIFY2(queue, qPrintable(error));
    }

    // ---- DROVER_PLUGIN_PATH ---------------------------------------------------

    void environment_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QStringList>("paths"); // expected before the built-in directory

        QTest::newRow("one directory") << QByteArray(FIXTURE_GOOD_DIR) << QStringList{QStringLiteral(FIXTURE_GOOD_DIR)};
        QTest::newRow("empty and missing entries")
            << QByteArray("::/nonexistent/drover-plugins:" FIXTURE_GOOD_DIR ":")
            << QStringList{QStringLiteral("/nonexistent/drover-plugins"), QStringLiteral(FIXTURE_GOOD_DIR)};
        QTest::newRow("two directories")
            << QByteArray(FIXTURE_JUNK_DIR ":" FIXTURE_GOOD_DIR)
            << QStringList{QStringLiteral(FIXTURE_JUNK_DIR), QStringLiteral(FIXTURE_GOOD_DIR)};
    }
    void environment()
    {
        QFETCH(QByteArray, value);
        QFETCH(QStringList, paths);

        qputenv("DROVER_PLUGIN_PATH", value);
        Manager manager;
        const QStringList searched = manager.pluginPaths();
        QCOMPARE(searched.size(), paths.size() + 1);
        QCOMPARE(searched.mid(0, paths.size()), paths);
        QVERIFY2(searched.last().endsWith(QLatin1String("/" DROVER_PLUGIN_SUBDIR)), qPrintable(searched.last()));
        QVERIFY(manager.availableKinds().contains(GoodKind));
        QVERIFY2(manager.queue(GoodKind), qPrintable(manager.errorString()));
    }

    void environmentIsReadAtCreation()
    {
        Manager before;
        qputenv("DROVER_PLUGIN_PATH", FIXTURE_GOOD_DIR);
        QVERIFY(!before.pluginPaths().contains(QStringLiteral(FIXTURE_GOOD_DIR)));
        QVERIFY(!before.availableKinds().contains(GoodKind));
        Manager after;
        QVERIFY(after.availableKinds().contains(GoodKind));
    }

    void addedPathComesBeforeEnvironment()
    {
        // Both directories provide fixture-good; the one added in code wins.
        qputenv("DROVER_PLUGIN_PATH", FIXTURE_GOOD_COPY_DIR);
        Manager manager;
        manager.addPluginPath(QStringLiteral(FIXTURE_GOOD_DIR));
        QCOMPARE(manager.pluginPaths().mid(0, 2),
                 (QStringList{QStringLiteral(FIXTURE_GOOD_DIR), QStringLiteral(FIXTURE_GOOD_COPY_DIR)}));
        QCOMPARE(manager.availableKinds().count(GoodKind), 1);
        const QList<PluginError> shadowed = errorsIn(manager.pluginErrors(), QStringLiteral(FIXTURE_GOOD_COPY_DIR));
        QVERIFY2(shadowed.size() == 1, qPrintable(describe(manager.pluginErrors())));
        QCOMPARE(shadowed.first().file, inDir(FIXTURE_GOOD_COPY_DIR, "libfixture_good_copy.so"));
        QVERIFY2(shadowed.first().reason.contains(QStringLiteral("already provided by ")
                                                  + inDir(FIXTURE_GOOD_DIR, "libfixture_good.so")),
                 qPrintable(shadowed.first().reason));
    }
};

QTEST_GUILESS_MAIN(tst_PluginRegistry)
#include "tst_pluginregistry.moc"
