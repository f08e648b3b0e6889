#pragma once

// The real launchers' engines, started by a test in a temporary directory
// and stopped by their pids: a single-node SLURM (munged, slurmctld,
// slurmd) and an OpenSSH server on 127.0.0.1 with its own host key and a
// client key made here. Each says why it cannot start (not root, a program
// missing), for a QSKIP.

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QTcpServer>
#include <QtTest/QTest>

#include <csignal>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace TestSupport {

//! A port free on 127.0.0.1 now.
inline quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

//! Daemons in their own sessions, each ended by its pid (SIGTERM, then
//! SIGKILL after 5 s) and reaped; SIGTERMed by the kernel if the test dies
//! first (PR_SET_PDEATHSIG).
class Daemons
{
public:
    ~Daemons() { stopAll(); }

    //! Its output goes to `log`.
    bool start(const QString &program, const QStringList &arguments, const QString &log, QString *why)
    {
        auto *process = new QProcess;
        process->setProgram(program);
        process->setArguments(arguments);
        process->setProcessChannelMode(QProcess::MergedChannels);
        process->setStandardOutputFile(log);
        // In a session of its own, and ended with the test even if the
        // test crashes before its destructors run.
        const pid_t test = ::getpid();
        process->setChildProcessModifier([test] {
            ::setsid();
            ::prctl(PR_SET_PDEATHSIG, SIGTERM);
            if (::getppid() != test)
                ::_exit(127); // the test died before prctl() took effect
        });
        process->start();
        if (!process->waitForStarted(10000)) {
            *why = QStringLiteral("cannot start %1: %2").arg(program, process->errorString());
            delete process;
            return false;
        }
        m_processes.append(process);
        return true;
    }

    void stopAll()
    {
        for (auto it = m_processes.rbegin(); it != m_processes.rend(); ++it) {
            QProcess *p = *it;
            if (p->state() != QProcess::NotRunning) {
                ::kill(pid_t(p->processId()), SIGTERM);
                if (!p->waitForFinished(5000)) {
                    ::kill(pid_t(p->processId()), SIGKILL);
                    p->waitForFinished(5000);
                }
            }
            delete p;
        }
        m_processes.clear();
    }

    QList<qint64> pids() const
    {
        QList<qint64> out;
        for (const QProcess *p : m_processes)
            out << p->processId();
        return out;
    }

private:
    QList<QProcess *> m_processes;
};

inline QString missingProgram(const QStringList &programs)
{
    for (const QString &program : programs) {
        if (QStandardPaths::findExecutable(program).isEmpty()
            && QStandardPaths::findExecutable(program, {QStringLiteral("/usr/sbin"), QStringLiteral("/sbin")}).isEmpty())
            return program;
    }
    return {};
}

inline QString programPath(const QString &program)
{
    const QString found = QStandardPaths::findExecutable(program);
    return found.isEmpty() ? QStandardPaths::findExecutable(program, {QStringLiteral("/usr/sbin"), QStringLiteral("/sbin")}) : found;
}

inline bool writeFile(const QString &path, const QByteArray &text, QFile::Permissions permissions = {})
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(text) != text.size())
        return false;
    f.close();
    return permissions == QFile::Permissions() || f.setPermissions(permissions);
}

//! A single-node SLURM on 127.0.0.1 as root, its state in a temporary
//! directory; SLURM_CONF points the test's srun, sinfo and squeue at it.
class SlurmCluster
{
public:
    bool start(QString *why)
    {
        if (::geteuid() != 0) {
            *why = QStringLiteral("a SLURM of its own needs root (slurmd runs jobs as their users)");
            return false;
        }
        if (const QString missing = missingProgram({QStringLiteral("munged"), QStringLiteral("mungekey"), QStringLiteral("slurmctld"),
                                                    QStringLiteral("slurmd"), QStringLiteral("srun"), QStringLiteral("sinfo")});
            !missing.isEmpty()) {
            *why = QStringLiteral("%1 is not installed (the packages munge, slurmctld, slurmd, slurm-client)").arg(missing);
            return false;
        }
        const QString d = m_dir.path();
        for (const char *sub : {"state", "spool", "log"})
            QDir(d).mkpath(QLatin1String(sub));
        if (QProcess::execute(programPath(QStringLiteral("mungekey")), {QStringLiteral("-c"), QStringLiteral("-k"), d + QStringLiteral("/munge.key")}) != 0) {
            *why = QStringLiteral("mungekey failed");
            return false;
        }
        if (!m_daemons.start(programPath(QStringLiteral("munged")),
                             {QStringLiteral("-f"), QStringLiteral("--foreground"), QStringLiteral("--key-file=%1/munge.key").arg(d),
                              QStringLiteral("--socket=%1/munge.sock").arg(d), QStringLiteral("--pid-file=%1/munged.pid").arg(d),
                              QStringLiteral("--log-file=%1/log/munged.log").arg(d), QStringLiteral("--seed-file=%1/munge.seed").arg(d)},
                             d + QStringLiteral("/log/munged.out"), why))
            return false;
        const quint16 ctld = freePort(), slurmd = freePort();
        const QString conf = d + QStringLiteral("/slurm.conf");
        writeFile(conf, QStringLiteral("ClusterName=drovertest\nSlurmctldHost=localhost(127.0.0.1)\nSlurmctldPort=%2\nSlurmdPort=%3\n"
                                       "SlurmUser=root\nAuthType=auth/munge\nAuthInfo=socket=%1/munge.sock\n"
                                       "StateSaveLocation=%1/state\nSlurmdSpoolDir=%1/spool\nSlurmctldPidFile=%1/slurmctld.pid\n"
                                       "SlurmdPidFile=%1/slurmd.pid\nSlurmctldLogFile=%1/log/slurmctld.log\nSlurmdLogFile=%1/log/slurmd.log\n"
                                       "ProctrackType=proctrack/pgid\nTaskPlugin=task/none\nJobAcctGatherType=jobacct_gather/none\n"
                                       "AccountingStorageType=accounting_storage/none\nSelectType=select/cons_tres\n"
                                       "SelectTypeParameters=CR_CPU\nSlurmdParameters=config_overrides\nMpiDefault=none\n"
                                       "NodeName=localhost NodeAddr=127.0.0.1 CPUs=2 RealMemory=1000\n"
                                       "PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE\n")
                               .arg(d).arg(ctld).arg(slurmd).toUtf8());
        qputenv("SLURM_CONF", conf.toUtf8());
        // munged makes its socket; the controller needs it.
        if (!QTest::qWaitFor([&] { return QFile::exists(d + QStringLiteral("/munge.sock")); }, 10000)) {
            *why = QStringLiteral("munged did not make its socket");
            return false;
        }
        if (!m_daemons.start(programPath(QStringLiteral("slurmctld")), {QStringLiteral("-D"), QStringLiteral("-f"), conf},
                             d + QStringLiteral("/log/slurmctld.out"), why)
            || !m_daemons.start(programPath(QStringLiteral("slurmd")),
                                {QStringLiteral("-D"), QStringLiteral("-N"), QStringLiteral("localhost"), QStringLiteral("-f"), conf},
                                d + QStringLiteral("/log/slurmd.out"), why))
            return false;
        if (!QTest::qWaitFor([] { return run(QStringLiteral("sinfo"), {QStringLiteral("-h"), QStringLiteral("-o"), QStringLiteral("%T")}).trimmed() == "idle"; },
                             30000)) {
            *why = QStringLiteral("the SLURM node did not become idle within 30 s");
            return false;
        }
        return true;
    }

    //! The jobs squeue lists, one line each: id and state.
    static QByteArray jobs() { return run(QStringLiteral("squeue"), {QStringLiteral("-h"), QStringLiteral("-o"), QStringLiteral("%i %T")}).trimmed(); }

    static QByteArray run(const QString &program, const QStringList &arguments)
    {
        QProcess p;
        p.start(program, arguments);
        p.waitForFinished(10000);
        return p.readAllStandardOutput();
    }

    QList<qint64> daemonPids() const { return m_daemons.pids(); }

    ~SlurmCluster()
    {
        m_daemons.stopAll();
        qunsetenv("SLURM_CONF");
    }

private:
    QTemporaryDir m_dir;
    Daemons m_daemons;
};

//! An OpenSSH server on 127.0.0.1 and a port of its own, with a host key
//! and an authorized client key made here; launcher() is the ssh template
//! that reaches it (BatchMode, known host pinned, no user config).
class SshServer
{
public:
    bool start(QString *why)
    {
        if (const QString missing = missingProgram({QStringLiteral("sshd"), QStringLiteral("ssh"), QStringLiteral("ssh-keygen")});
            !missing.isEmpty()) {
            *why = QStringLiteral("%1 is not installed (the packages openssh-server, openssh-client)").arg(missing);
            return false;
        }
        if (::geteuid() != 0) {
            *why = QStringLiteral("sshd needs root to log a user in");
            return false;
        }
        const QString d = m_dir.path();
        for (const char *key : {"host", "client"}) {
            if (QProcess::execute(QStringLiteral("ssh-keygen"), {QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"),
                                                                 QStringLiteral("-N"), QString(), QStringLiteral("-f"),
                                                                 d + QLatin1Char('/') + QLatin1String(key)})
                != 0) {
                *why = QStringLiteral("ssh-keygen failed");
                return false;
            }
        }
        QFile::copy(d + QStringLiteral("/client.pub"), d + QStringLiteral("/authorized_keys"));
        m_port = freePort();
        QFile hostPub(d + QStringLiteral("/host.pub"));
        hostPub.open(QIODevice::ReadOnly);
        const QByteArray hostKey = hostPub.readAll().split(' ').mid(0, 2).join(' ');
        writeFile(d + QStringLiteral("/known_hosts"), QStringLiteral("[127.0.0.1]:%1 ").arg(m_port).toUtf8() + hostKey + '\n');
        // sshd wants its privilege separation directory.
        QDir().mkpath(QStringLiteral("/run/sshd"));
        writeFile(d + QStringLiteral("/sshd_config"),
                  QStringLiteral("Port %2\nListenAddress 127.0.0.1\nHostKey %1/host\nAuthorizedKeysFile %1/authorized_keys\n"
                                 "PidFile %1/sshd.pid\nStrictModes no\nUsePAM no\nPermitRootLogin prohibit-password\n"
                                 "PasswordAuthentication no\nKbdInteractiveAuthentication no\nPubkeyAuthentication yes\n"
                                 "AcceptEnv none\nPrintMotd no\nLogLevel ERROR\n")
                      .arg(d).arg(m_port).toUtf8());
        if (!m_daemons.start(programPath(QStringLiteral("sshd")), {QStringLiteral("-D"), QStringLiteral("-e"), QStringLiteral("-f"),
                                                                   d + QStringLiteral("/sshd_config")},
                             d + QStringLiteral("/sshd.log"), why))
            return false;
        if (!QTest::qWaitFor([&] { return run({QStringLiteral("true")}) == 0; }, 20000)) {
            *why = QStringLiteral("ssh to the test's sshd did not work within 20 s");
            return false;
        }
        return true;
    }

    int port() const { return m_port; }

    //! ssh's options that reach this server (no user or system config).
    QStringList options(bool master = false) const
    {
        const QString d = m_dir.path();
        QStringList o{QStringLiteral("-F"), QStringLiteral("/dev/null"), QStringLiteral("-i"), d + QStringLiteral("/client"),
                      QStringLiteral("-o"), QStringLiteral("UserKnownHostsFile=%1/known_hosts").arg(d),
                      QStringLiteral("-o"), QStringLiteral("StrictHostKeyChecking=yes"), QStringLiteral("-o"),
                      QStringLiteral("BatchMode=yes"), QStringLiteral("-p"), QString::number(m_port)};
        if (master)
            o << QStringLiteral("-o") << QStringLiteral("ControlPath=%1/control").arg(d);
        return o;
    }
    QString launcher(bool master = false) const
    {
        return QStringLiteral("ssh %1 root@127.0.0.1 {worker} {args}").arg(options(master).join(QLatin1Char(' ')));
    }
    int run(const QStringList &command, bool master = false) const
    {
        QProcess ssh;
        ssh.setProcessChannelMode(QProcess::MergedChannels);
        ssh.start(QStringLiteral("ssh"), options(master) << QStringLiteral("root@127.0.0.1") << command);
        return ssh.waitForFinished(20000) && ssh.exitStatus() == QProcess::NormalExit ? ssh.exitCode() : -1;
    }
    QString dir() const { return m_dir.path(); }
    QList<qint64> daemonPids() const { return m_daemons.pids(); }

private:
    QTemporaryDir m_dir;
    Daemons m_daemons;
    quint16 m_port = 0;
};

} // namespace TestSupport
