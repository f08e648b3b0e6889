// The options drover-check and drover-ide share (ide-demo/common/
// sharedoptions.h): -j and --timeout as both programs read them, with every
// spelling they accepted before, and the exact one-line error for each bad
// value. drover-check's suite runs the same errors through the program.

#include "sharedoptions.h"

#include <QtCore/QCommandLineParser>
#include <QtTest/QTest>

using namespace DroverDemo;

namespace {
constexpr qint64 noTimeout = -1;
}

class tst_SharedOptions : public QObject
{
    Q_OBJECT

private slots:
    void read_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<bool>("zeroTimeoutMeansNone"); // drover-ide's rule
        QTest::addColumn<int>("jobs");
        QTest::addColumn<qint64>("timeoutMs");
        QTest::addColumn<QString>("error");
        const QString none;

        // Good values: every spelling either program took.
        QTest::newRow("defaults") << QStringList{} << false << 2 << noTimeout << none;
        QTest::newRow("-j 4") << QStringList{"-j", "4"} << false << 4 << noTimeout << none;
        QTest::newRow("-j4") << QStringList{"-j4"} << false << 4 << noTimeout << none;
        QTest::newRow("--jobs 8 (drover-check)") << QStringList{"--jobs", "8"} << false << 8 << noTimeout << none;
        QTest::newRow("--workers 3 (drover-ide)") << QStringList{"--workers", "3"} << true << 3 << noTimeout << none;
        QTest::newRow("--workers=5") << QStringList{"--workers=5"} << true << 5 << noTimeout << none;
        QTest::newRow("-j 1") << QStringList{"-j", "1"} << false << 1 << noTimeout << none;
        QTest::newRow("-j 1024") << QStringList{"-j", "1024"} << false << 1024 << noTimeout << none;
        QTest::newRow("timeout 2") << QStringList{"--timeout", "2"} << false << 2 << qint64(2000) << none;
        QTest::newRow("timeout 0.5") << QStringList{"--timeout", "0.5"} << false << 2 << qint64(500) << none;
        QTest::newRow("timeout 0.0001 rounds up") << QStringList{"--timeout", "0.0001"} << false << 2 << qint64(1) << none;
        QTest::newRow("timeout 1e3") << QStringList{"--timeout=1e3"} << false << 2 << qint64(1000000) << none;
        QTest::newRow("ide: timeout 0 is none") << QStringList{"--timeout", "0"} << true << 2 << noTimeout << none;
        QTest::newRow("ide: timeout 3600") << QStringList{"--timeout", "3600"} << true << 2 << qint64(3600000) << none;
        QTest::newRow("ide: timeout 1.5") << QStringList{"--timeout", "1.5"} << true << 2 << qint64(1500) << none;
        QTest::newRow("both") << QStringList{"-j", "3", "--timeout", "10"} << false << 3 << qint64(10000) << none;

        // Bad values, and what is said about each.
        QTest::newRow("-j 0") << QStringList{"-j", "0"} << false << 0 << noTimeout
                              << "-j wants a number of workers from 1 to 1024, not \"0\"";
        QTest::newRow("-j 1025") << QStringList{"-j", "1025"} << false << 0 << noTimeout
                                 << "-j wants a number of workers from 1 to 1024, not \"1025\"";
        QTest::newRow("-j abc") << QStringList{"-j", "abc"} << false << 0 << noTimeout
                                << "-j wants a number of workers from 1 to 1024, not \"abc\"";
        QTest::newRow("-j 2.5") << QStringList{"-j", "2.5"} << true << 0 << noTimeout
                                << "-j wants a number of workers from 1 to 1024, not \"2.5\"";
        QTest::newRow("--workers=-3") << QStringList{"--workers=-3"} << true << 0 << noTimeout
                                      << "-j wants a number of workers from 1 to 1024, not \"-3\"";
        QTest::newRow("-j empty") << QStringList{"--jobs="} << false << 0 << noTimeout
                                  << "-j wants a number of workers from 1 to 1024, not \"\"";
        QTest::newRow("timeout soon") << QStringList{"--timeout", "soon"} << false << 0 << noTimeout
                                      << "--timeout wants a positive number of seconds, not \"soon\"";
        QTest::newRow("timeout 0") << QStringList{"--timeout", "0"} << false << 0 << noTimeout
                                   << "--timeout wants a positive number of seconds, not \"0\"";
        QTest::newRow("timeout -1") << QStringList{"--timeout=-1"} << false << 0 << noTimeout
                                    << "--timeout wants a positive number of seconds, not \"-1\"";
        QTest::newRow("timeout nan") << QStringList{"--timeout", "nan"} << false << 0 << noTimeout
                                     << "--timeout wants a positive number of seconds, not \"nan\"";
        QTest::newRow("timeout inf") << QStringList{"--timeout", "inf"} << false << 0 << noTimeout
                                     << "--timeout wants a positive number of seconds, not \"inf\"";
        QTest::newRow("timeout 1e8") << QStringList{"--timeout", "1e8"} << false << 0 << noTimeout
                                     << "--timeout wants a positive number of seconds, not \"1e8\"";
        QTest::newRow("ide: timeout soon") << QStringList{"--timeout", "soon"} << true << 0 << noTimeout
                                           << "--timeout wants a number of seconds (0: none), not \"soon\"";
        QTest::newRow("ide: timeout -1") << QStringList{"--timeout=-1"} << true << 0 << noTimeout
                                         << "--timeout wants a number of seconds (0: none), not \"-1\"";
        QTest::newRow("-j is read first") << QStringList{"-j", "0", "--timeout", "soon"} << false << 0 << noTimeout
                                          << "-j wants a number of workers from 1 to 1024, not \"0\"";
    }
    void read()
    {
        QFETCH(QStringList, arguments);
        QFETCH(bool, zeroTimeoutMeansNone);
        QFETCH(int, jobs);
        QFETCH(qint64, timeoutMs);
        QFETCH(QString, error);

        QCommandLineParser parser;
        const SharedOptionParser shared(&parser, {QStringLiteral("workers"), QStringLiteral("seconds"),
                                                  zeroTimeoutMeansNone});
        QVERIFY2(parser.parse(QStringList{QStringLiteral("prog")} + arguments), qPrintable(parser.errorText()));
        QString said;
        const std::optional<SharedOptions> options = shared.read(&said);
        QCOMPARE(said, error);
        QCOMPARE(options.has_value(), error.isEmpty());
        if (!options)
            return;
        QCOMPARE(options->jobs, jobs);
        QCOMPARE(options->timeout ? options->timeout->count() : noTimeout, timeoutMs);
    }

    // Both programs' --help name every spelling of -j.
    void helpNamesEverySpelling()
    {
        QCommandLineParser parser;
        const SharedOptionParser shared(&parser, {QStringLiteral("Run N workers."), QStringLiteral("Stop after S."), false});
        const QString help = parser.helpText();
        QVERIFY2(help.contains(QLatin1String("-j, --jobs, --workers <N>")), qPrintable(help));
        QVERIFY2(help.contains(QLatin1String("--timeout <S>")), qPrintable(help));
    }
};

QTEST_GUILESS_MAIN(tst_SharedOptions)
#include "tst_sharedoptions.moc"
