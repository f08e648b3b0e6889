// Three drover-check processes share two job slots through the token server
// (drover-slots); one is killed with SIGKILL mid-run, and the others take
// its slots. Checked from the lemma events' started_at and ended_at, and by
// a client of the test's own that holds the server open to count the slots
// at the end. The server ends with its last client.

#include "support/processes.h"

#include <QtCore/QDateTime>
#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <algorithm>
#include <cstring>

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace {
struct Lemma
{
    qint64 start = 0;
    qint64 end = 0;
    QString status;
};

QList<Lemma> lemmasIn(const QByteArray &output)
{
    QList<Lemma> lemmas;
    for (const QByteArray &line : output.split('\n')) {
        const QJsonObject event = QJsonDocument::fromJson(line).object();
        if (event.value(QLatin1String("event")).toString() == QLatin1String("lemma"))
            lemmas.append({qint64(event.value(QLatin1String("started_at")).toDouble()),
                           qint64(event.value(QLatin1String("ended_at")).toDouble()),
                           event.value(QLatin1String("status")).toString()});
    }
    return lemmas;
}

int mostAtOnce(const QList<Lemma> &lemmas)
{
    QList<std::pair<qint64, int>> edges;
    for (const Lemma &l : lemmas)
        edges << std::pair{l.start, 1} << std::pair{l.end, -1};
    std::sort(edges.begin(), edges.end());
    int now = 0, most = 0;
    for (const auto &edge : edges)
        most = std::max(most, now += edge.second);
    return most;
}

// A client of the server's protocol, as the library speaks it: 'T' asks,
// '+' grants.
int connectToServer(const QString &path)
{
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const QByteArray bytes = QFile::encodeName(path);
    std::memcpy(address.sun_path, bytes.constData(), size_t(bytes.size()) + 1);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// What the server sent within `ms`, without waiting past the first bytes.
QByteArray receive(int fd, int ms)
{
    pollfd p{fd, POLLIN, 0};
    char buffer[128];
    if (::poll(&p, 1, ms) != 1)
        return {};
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    return n > 0 ? QByteArray(buffer, int(n)) : QByteArray();
}

// The drover-slots processes serving `dir`, whoever their parent is (a
// server is started detached).
QList<qint64> slotServers(const QString &dir)
{
    QList<qint64> found;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(entry));
        if (cmdline.open(QIODevice::ReadOnly)) {
            const QByteArray text = cmdline.readAll();
            if (text.contains("drover-slots") && text.contains(QFile::encodeName(dir)))
                found << entry.toLongLong();
        }
    }
    return found;
}
} // namespace

class TstTokenServer : public QObject
{
    Q_OBJECT

private slots:
    void cleanup()
    {
        QCOMPARE(TestSupport::childProcesses(), QList<qint64>{});
    }

    void sigkilledClientGivesItsSlotsBack()
    {
        QTemporaryDir runtime(QStringLiteral("/tmp/drover-ts-XXXXXX")); // short: a socket path has 108 bytes
        QVERIFY(runtime.isValid());
        QByteArray document;
        for (int i = 0; i < 6; ++i)
            document += "Lemma l" + QByteArray::number(i) + ": it sleeps.\nProof.\n  sleep 400.\nQed.\n";
        QFile file(runtime.filePath(QStringLiteral("doc.proof")));
        QVERIFY(file.open(QIODevice::WriteOnly) && file.write(document) == document.size());
        file.close();

        QList<QProcess *> checks;
        const auto startCheck = [&](int i) {
            auto *check = new QProcess(this);
            QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
            environment.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtime.path());
            environment.remove(QStringLiteral("MAKEFLAGS"));
            QStringList arguments{QStringLiteral("-j"), QStringLiteral("2"), QStringLiteral("--json")};
            if (i == 1) // the variable says the same as the option
                environment.insert(QStringLiteral("DROVER_JOBS"), QStringLiteral("2"));
            else
                arguments << QStringLiteral("--jobs-cap") << QStringLiteral("2");
            check->setProcessEnvironment(environment);
            check->start(QStringLiteral(DROVER_CHECK_BIN), arguments << file.fileName());
            checks << check;
        };
        startCheck(0);
        // A client of the test's own keeps the server until the end.
        const QString socket = runtime.filePath(QStringLiteral("drover/slots"));
        int observer = -1;
        QElapsedTimer waited;
        waited.start();
        while (observer < 0 && waited.elapsed() < 30000) {
            if ((observer = connectToServer(socket)) < 0)
                QTest::qWait(10);
        }
        QVERIFY(observer >= 0);
        QCOMPARE(receive(observer, 10000), QByteArray("drover-slots 2\n"));

        // The first process, alone, takes both slots; once its first lemmas
        // are done the two others start and wait, and it is killed in the
        // middle of its next two lemmas, holding both slots.
        QProcess *victim = checks.first();
        QByteArray victimOutput;
        QTRY_VERIFY_WITH_TIMEOUT((victimOutput += victim->readAllStandardOutput()).contains("\"event\":\"lemma\""), 60000);
        startCheck(1);
        startCheck(2);
        QTest::qWait(250);
        const qint64 killedAt = QDateTime::currentMSecsSinceEpoch();
        QCOMPARE(::kill(pid_t(victim->processId()), SIGKILL), 0);
        QVERIFY(victim->state() == QProcess::NotRunning || victim->waitForFinished(30000));
        QCOMPARE(victim->exitStatus(), QProcess::CrashExit);
        victimOutput += victim->readAllStandardOutput();

        QList<Lemma> all = lemmasIn(victimOutput);
        QList<Lemma> others;
        qint64 firstStartAfterKill = 0;
        for (QProcess *check : checks.mid(1)) {
            QVERIFY(check->state() == QProcess::NotRunning || check->waitForFinished(90000));
            const QString errors = QString::fromUtf8(check->readAllStandardError());
            QVERIFY2(check->exitStatus() == QProcess::NormalExit && check->exitCode() == 0, qPrintable(errors));
            QVERIFY2(!errors.contains(QLatin1String("warning")), qPrintable(errors));
            const QList<Lemma> lemmas = lemmasIn(check->readAllStandardOutput());
            QCOMPARE(lemmas.size(), 6);
            for (const Lemma &l : lemmas) {
                QCOMPARE(l.status, QStringLiteral("ok"));
                if (l.start >= killedAt && (!firstStartAfterKill || l.start < firstStartAfterKill))
                    firstStartAfterKill = l.start;
            }
            others += lemmas;
        }
        all += others;
        qDeleteAll(checks);
        const int most = mostAtOnce(all);
        QVERIFY2(most <= 2, qPrintable(QStringLiteral("%1 lemmas ran at once with 2 slots").arg(most)));
        QVERIFY(firstStartAfterKill > 0);
        QCOMPARE(mostAtOnce(others), 2); // both slots of the killed one were used
        qInfo("SIGKILL -> the next lemma started elsewhere: %lld ms", firstStartAfterKill - killedAt);

        // No slot was lost: both are the observer's for the asking.
        QCOMPARE(::send(observer, "TT", 2, MSG_NOSIGNAL), ssize_t(2));
        QByteArray grants;
        QTRY_VERIFY_WITH_TIMEOUT((grants += receive(observer, 100)) == "++", 10000);
        ::close(observer);
        // The last client left: the server is gone, and its socket too.
        QTRY_VERIFY_WITH_TIMEOUT(slotServers(runtime.path()).isEmpty(), 10000); // not == {}: UBSan flags memcmp of an empty list with a null one
        QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(socket), 10000);
    }

    // A cap of 1 and two workers: drover-check --json says that the second
    // lemma waits for a slot while the first runs, and then checks it.
    void waitingLemmaIsReported()
    {
        QTemporaryDir runtime(QStringLiteral("/tmp/slotwait-XXXXXX"));
        QVERIFY(runtime.isValid());
        // The first sleeps long enough for the second worker to start and
        // ask for a slot meanwhile, even on a loaded machine.
        const QByteArray document = "Lemma first: it sleeps.\nProof.\n  sleep 5000.\nQed.\n"
                                    "Lemma second: it does not.\nProof.\n  sleep 10.\nQed.\n";
        QFile file(runtime.filePath(QStringLiteral("doc.proof")));
        QVERIFY(file.open(QIODevice::WriteOnly) && file.write(document) == document.size());
        file.close();
        QProcess check;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtime.path());
        environment.remove(QStringLiteral("MAKEFLAGS"));
        environment.remove(QStringLiteral("DROVER_JOBS"));
        check.setProcessEnvironment(environment);
        check.start(QStringLiteral(DROVER_CHECK_BIN), {QStringLiteral("-j"), QStringLiteral("2"), QStringLiteral("--json"),
                                                       QStringLiteral("--jobs-cap"), QStringLiteral("1"), file.fileName()});
        QVERIFY(check.waitForFinished(90000));
        const QByteArray errors = check.readAllStandardError();
        QVERIFY2(check.exitStatus() == QProcess::NormalExit && check.exitCode() == 0, errors.constData());
        QHash<QString, QJsonObject> lemmas;
        QList<QJsonObject> waits;
        for (const QByteArray &line : check.readAllStandardOutput().split('\n')) {
            const QJsonObject event = QJsonDocument::fromJson(line).object();
            if (event.value(QLatin1String("event")).toString() == QLatin1String("lemma"))
                lemmas.insert(event.value(QLatin1String("name")).toString(), event);
            else if (event.value(QLatin1String("event")).toString() == QLatin1String("waiting"))
                waits << event;
        }
        QCOMPARE(lemmas.size(), 2);
        QCOMPARE(waits.size(), 1);
        const QJsonObject wait = waits.first();
        QCOMPARE(wait.value(QLatin1String("name")).toString(), QStringLiteral("second"));
        QCOMPARE(wait.value(QLatin1String("file")).toString(), file.fileName());
        QCOMPARE(wait.value(QLatin1String("line")).toInt(), 5);
        const auto at = [](const QJsonObject &o, const char *key) { return qint64(o.value(QLatin1String(key)).toDouble()); };
        const QJsonObject first = lemmas.value(QStringLiteral("first")), second = lemmas.value(QStringLiteral("second"));
        QCOMPARE(first.value(QLatin1String("status")).toString(), QStringLiteral("ok"));
        QCOMPARE(second.value(QLatin1String("status")).toString(), QStringLiteral("ok"));
        // Waiting while the first ran, and run only after it ended.
        QVERIFY2(at(wait, "since") >= at(first, "started_at") && at(wait, "since") <= at(first, "ended_at"),
                 qPrintable(QStringLiteral("waiting since %1, the first ran %2-%3")
                                .arg(at(wait, "since")).arg(at(first, "started_at")).arg(at(first, "ended_at"))));
        QVERIFY(at(second, "started_at") >= at(first, "ended_at"));
    }
};

QTEST_MAIN(TstTokenServer)
#include "tst_tokenserver.moc"
