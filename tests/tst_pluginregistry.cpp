// Finding and validating task-kind plugins: every unusable file is reported
// with its path and what is wrong with it, and only good kinds load.

#include "drover/manager.h"
#include "drover/taskqueue.h"

#include <QtCore/QFileInfo>
#include <QtTest/QTest>

using namespace Drover;

class tst_PluginRegistry : public QObject
{
    Q_OBJECT

private slots:
    void badPluginsAreExplained_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("reason");
        QTest::newRow("wrong API version") << "libfixture_wrongapi.so"
                                           << "built for plugin API version 99; this Drover speaks version 1";
        QTest::newRow("no kind") << "libfixture_nokind.so" << "its metadata has no \"kind\" name";
        QTest::newRow("another interface") << "libfixture_otheriid.so"
                                           << "implements \"org.example.Other/1\", not \"org.drover.TaskKind/1\"";
        QTest::newRow("not a library") << "libjunk.so" << "not a Qt plugin";
        QTest::newRow("kind claimed twice") << "libfixture_dup_b.so" << "kind \"fixture-dup\" is already provided by";
    }
    void badPluginsAreExplained()
    {
        QFETCH(QString, file);
        QFETCH(QString, reason);
        Manager manager;
        manager.addPluginPath(QStringLiteral(FIXTURES_BAD_DIR));
        const QString path = QStringLiteral(FIXTURES_BAD_DIR "/") + file;
        QString found;
        for (const PluginError &e : manager.pluginErrors()) {
            if (e.file == path)
                found = e.reason;
        }
        QVERIFY2(found.startsWith(reason), qPrintable(QStringLiteral("%1: \"%2\"").arg(path, found)));
        QVERIFY(!manager.availableKinds().contains(QStringLiteral("fixture-wrongapi")));
        QVERIFY(!manager.availableKinds().contains(QStringLiteral("fixture-other")));
    }

    void duplicateKindFirstWins()
    {
        Manager manager;
        manager.addPluginPath(QStringLiteral(FIXTURES_BAD_DIR));
        QCOMPARE(manager.availableKinds().count(QStringLiteral("fixture-dup")), 1);
        QVERIFY(manager.queue(QStringLiteral("fixture-dup")));
    }

    void goodKindLoads()
    {
        Manager manager;
        manager.addPluginPath(QStringLiteral(FIXTURES_GOOD_DIR));
        QVERIFY(manager.availableKinds().contains(QStringLiteral("fixture-good")));
        TaskQueue *queue = manager.queue(QStringLiteral("fixture-good"));
        QVERIFY2(queue, qPrintable(manager.errorString()));
        QCOMPARE(queue->kind(), QStringLiteral("fixture-good"));
        QVERIFY(queue->taskKind());
        QCOMPARE(manager.queue(QStringLiteral("fixture-good")), queue); // one queue per kind
    }

    void unknownKindNamesWhereItLooked()
    {
        Manager manager;
        manager.addPluginPath(QStringLiteral(FIXTURES_BAD_DIR));
        QCOMPARE(manager.queue(QStringLiteral("no-such-kind")), nullptr);
        const QString error = manager.errorString();
        QVERIFY2(error.startsWith(QLatin1String("no plugin provides task kind \"no-such-kind\" (searched: ")), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral(FIXTURES_BAD_DIR)), qPrintable(error));
        // And what was wrong with the files it found there.
        QVERIFY2(error.contains(QLatin1String("API version 99")), qPrintable(error));
    }

    void pluginPathFromEnvironment()
    {
        qputenv("DROVER_PLUGIN_PATH", QByteArray("/nonexistent:") + FIXTURES_GOOD_DIR);
        Manager manager;
        qunsetenv("DROVER_PLUGIN_PATH");
        QVERIFY(manager.pluginPaths().contains(QStringLiteral(FIXTURES_GOOD_DIR)));
        QVERIFY(manager.availableKinds().contains(QStringLiteral("fixture-good")));
        // The installed (here: built) directory comes last, with the proof kind.
        QVERIFY(manager.pluginPaths().last().endsWith(QLatin1String("lib/drover/plugins")));
    }
};

QTEST_GUILESS_MAIN(tst_PluginRegistry)
#include "tst_pluginregistry.moc"
