// drover-check under the real GNU make: three recipes share make's -j3 with
// the tasks of the three drover-check processes (checked from the lemma
// events' started_at and ended_at), in a recipe marked '+' or not, and
// through a fifo jobserver made here as make 4.4 makes one.

#include "support/processes.h"

#include <QtCore/QFile>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <algorithm>

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {
struct Interval
{
    qint64 start = 0;
    qint64 end = 0;
};

// The most intervals that overlap at one moment at or after `from`; an
// interval ends before another starting the same millisecond.
int mostAtOnce(const QList<Interval> &intervals, qint64 from = 0)
{
    QList<std::pair<qint64, int>> edges;
    for (const Interval &i : intervals) {
        edges.append({i.start, +1});
        edges.append({i.end, -1});
    }
    std::sort(edges.begin(), edges.end());
    int now = 0, most = 0;
    for (const auto &[at, step] : edges) {
        now += step;
        if (at >= from)
            most = std::max(most, now);
    }
    return most;
}

// The lemmas of one --json output; every lemma ok, the summary last.
QList<Interval> lemmasOf(const QString &file, QString *problem)
{
    QFile json(file);
    if (!json.open(QIODevice::ReadOnly)) {
        *problem = file + QLatin1String(" is missing");
        return {};
    }
    QList<Interval> lemmas;
    bool summary = false;
    for (const QByteArray &line : json.readAll().split('\n')) {
        if (line.isEmpty())
            continue;
        const QJsonObject event = QJsonDocument::fromJson(line).object();
        const QString kind = event.value(QLatin1String("event")).toString();
        if (kind == QLatin1String("lemma")) {
            if (event.value(QLatin1String("status")).toString() != QLatin1String("ok"))
                *problem = QString::fromUtf8(line);
            lemmas.append({qint64(event.value(QLatin1String("started_at")).toDouble()),
                           qint64(event.value(QLatin1String("ended_at")).toDouble())});
        }
        summary = kind == QLatin1String("summary");
    }
    if (!summary)
        *problem = file + QLatin1String(" has no summary last");
    return lemmas;
}

// A document of n lemmas that each sleep for `ms` (little CPU: the machine
// may have two cores).
QByteArray document(int n, int ms)
{
    QByteArray text;
    for (int i = 0; i < n; ++i)
        text += "Lemma l" + QByteArray::number(i) + ": it sleeps.\nProof.\n  sleep " + QByteArray::number(ms)
                + ".\nQed.\n";
    return text;
}

bool write(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

QString readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}
} // namespace

class TstMakeJobs : public QObject
{
    Q_OBJECT

    QString m_make;

private slots:
    void initTestCase()
    {
        m_make = QStandardPaths::findExecutable(QStringLiteral("make"));
        if (m_make.isEmpty())
            QSKIP("GNU make is not installed");
    }

    void cleanup()
    {
        QCOMPARE(TestSupport::childProcesses(), QList<qint64>{});
    }

    void underMake_data()
    {
        QTest::addColumn<bool>("plus");
        QTest::newRow("recipes marked +") << true;
        QTest::newRow("recipes without +") << false;
    }

    // make -j3 runs a (2 lemmas), b and c (8 each), each drover-check -j 3.
    void underMake()
    {
        QFETCH(bool, plus);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString makefile = QStringLiteral("all: a.json b.json c.json\n"
                                                "%.json: %.proof\n"
                                                "\t%1%2 -j 3 --json $< > $@ 2> $*.err\n")
                                     .arg(plus ? QStringLiteral("+") : QString(), QStringLiteral(DROVER_CHECK_BIN));
        QVERIFY(write(dir.filePath(QStringLiteral("Makefile")), makefile.toUtf8()));
        QVERIFY(write(dir.filePath(QStringLiteral("a.proof")), document(2, 200)));
        QVERIFY(write(dir.filePath(QStringLiteral("b.proof")), document(8, 200)));
        QVERIFY(write(dir.filePath(QStringLiteral("c.proof")), document(8, 200)));

        QProcess make;
        make.setWorkingDirectory(dir.path());
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.remove(QStringLiteral("MAKEFLAGS"));
        environment.remove(QStringLiteral("MFLAGS"));
        environment.remove(QStringLiteral("DROVER_JOBS"));
        make.setProcessEnvironment(environment);
        make.start(m_make, {QStringLiteral("-j3"), QStringLiteral("--no-print-directory")});
        QVERIFY(make.waitForFinished(90000));
        const QString makeErrors = QString::fromUtf8(make.readAllStandardError());
        QCOMPARE(make.exitStatus(), QProcess::NormalExit);
        QVERIFY2(make.exitCode() == 0, qPrintable(makeErrors));
        QVERIFY2(!makeErrors.contains(QLatin1String("INTERNAL")), qPrintable(makeErrors));

        QList<Interval> all;
        qint64 aEnded = 0;
        for (const QString &name : {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}) {
            QString problem;
            const QList<Interval> lemmas = lemmasOf(dir.filePath(name + QLatin1String(".json")), &problem);
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
            QCOMPARE(lemmas.size(), name == QLatin1String("a") ? 2 : 8);
            all += lemmas;
            if (name == QLatin1String("a"))
                aEnded = std::max(lemmas[0].end, lemmas[1].end);
            const QString errors = readAll(dir.filePath(name + QLatin1String(".err")));
            if (plus)
                QVERIFY2(!errors.contains(QLatin1String("jobserver")), qPrintable(errors));
            else // said once, and the run goes on with -j 3 of its own
                QVERIFY2(errors.count(QLatin1String("cannot use make's jobserver")) == 1, qPrintable(errors));
        }
        if (plus) {
            const int most = mostAtOnce(all);
            QVERIFY2(most <= 3, qPrintable(QStringLiteral("%1 lemmas ran at once under make -j3").arg(most)));
            // a's slot, freed, was taken by b or c: they ran three together.
            QCOMPARE(mostAtOnce(all, aEnded), 3);
        }
    }

    // make 4.4's way: a fifo whose path is in MAKEFLAGS. Two tokens for
    // three processes that each have their own implicit slot: five at
    // most, and both tokens are back in the fifo at the end.
    void fifo()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString fifoPath = dir.filePath(QStringLiteral("GMfifo"));
        QVERIFY(::mkfifo(QFile::encodeName(fifoPath).constData(), 0600) == 0);
        // make keeps the fifo open as the clients come and go.
        const int fd = ::open(QFile::encodeName(fifoPath).constData(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
        QVERIFY(fd >= 0);
        QCOMPARE(::write(fd, "++", 2), ssize_t(2));

        QList<QProcess *> checks;
        for (const QString &name : {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}) {
            QVERIFY(write(dir.filePath(name + QLatin1String(".proof")), document(6, 150)));
            auto *check = new QProcess(this);
            QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
            environment.insert(QStringLiteral("MAKEFLAGS"),
                               QStringLiteral(" -j3 --jobserver-auth=fifo:%1").arg(fifoPath));
            check->setProcessEnvironment(environment);
            check->setWorkingDirectory(dir.path());
            check->setStandardOutputFile(dir.filePath(name + QLatin1String(".json")));
            check->start(QStringLiteral(DROVER_CHECK_BIN),
                         {QStringLiteral("-j"), QStringLiteral("3"), QStringLiteral("--json"), name + QLatin1String(".proof")});
            checks << check;
        }
        QList<Interval> all;
        for (QProcess *check : std::as_const(checks)) {
            QVERIFY(check->state() == QProcess::NotRunning || check->waitForFinished(90000));
            const QString errors = QString::fromUtf8(check->readAllStandardError());
            QVERIFY2(check->exitStatus() == QProcess::NormalExit && check->exitCode() == 0, qPrintable(errors));
            QVERIFY2(!errors.contains(QLatin1String("jobserver")), qPrintable(errors));
            delete check;
        }
        for (const QString &name : {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}) {
            QString problem;
            all += lemmasOf(dir.filePath(name + QLatin1String(".json")), &problem);
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
        }
        QCOMPARE(all.size(), 18);
        const int most = mostAtOnce(all);
        QVERIFY2(most <= 5, qPrintable(QStringLiteral("%1 lemmas ran at once with 5 slots").arg(most)));
        int waiting = 0;
        QVERIFY(::ioctl(fd, FIONREAD, &waiting) == 0);
        QCOMPARE(waiting, 2);
        ::close(fd);
    }
};

QTEST_MAIN(TstMakeJobs)
#include "tst_makejobs.moc"
