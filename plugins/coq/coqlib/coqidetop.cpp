#include "coqidetop.h"

#include <QtCore/QDeadlineTimer>
#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QStandardPaths>

#include <cerrno>
#include <csignal>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace CoqLib {

namespace {
using namespace std::chrono_literals;

constexpr qsizetype KeptStderr = 64 * 1024;
constexpr auto CancelGrace = 2s;   //!< from SIGINT to giving up on the answer
constexpr auto QuitWait = 2s;      //!< for Quit's answer and coqidetop's exit
constexpr auto EndGrace = 1s;      //!< from SIGTERM to SIGKILL
constexpr auto DeathDrain = 2s;    //!< for a dying coqidetop's last stderr and exit
constexpr std::chrono::milliseconds PollStep = 50ms;

const QString ProgramName = QStringLiteral("coqidetop.opt");

//! The last lines of what coqidetop wrote on stderr, for an error message.
QString stderrTail(const QByteArray &err)
{
    const QString text = QString::fromUtf8(err).trimmed();
    return text.size() > 2000 ? text.right(2000) : text;
}
} // namespace

CoqIdeTop::CoqIdeTop(Options options)
    : m_options(std::move(options))
{
}

CoqIdeTop::~CoqIdeTop()
{
    stop();
}

QString CoqIdeTop::defaultProgram()
{
    const QString coqbin = qEnvironmentVariable("COQBIN");
    if (!coqbin.isEmpty()) {
        const QFileInfo inBin(QDir(coqbin).filePath(ProgramName));
        if (inBin.isExecutable())
            return inBin.absoluteFilePath();
    }
    return QStandardPaths::findExecutable(ProgramName);
}

bool CoqIdeTop::start(QString *error)
{
    if (m_child.isRunning() || m_lost) {
        *error = QStringLiteral("coqidetop was already started");
        return false;
    }
    const QString program = m_options.program.isEmpty() ? defaultProgram() : m_options.program;
    if (program.isEmpty()) {
        *error = QStringLiteral("%1 is neither in $COQBIN nor on PATH").arg(ProgramName);
        return false;
    }
    // coqidetop only warns about a load path that is not there, and the
    // development then fails later with a less helpful "cannot find library".
    const QDir base(m_options.workingDirectory.isEmpty() ? QDir::currentPath() : m_options.workingDirectory);
    const QStringList &flags = m_options.flags;
    for (qsizetype i = 0; i < flags.size(); ++i) {
        const QString &flag = flags.at(i);
        if (flag != QLatin1String("-Q") && flag != QLatin1String("-R") && flag != QLatin1String("-I"))
            continue;
        const int operands = flag == QLatin1String("-I") ? 1 : 2;
        if (i + operands >= flags.size()) {
            *error = QStringLiteral("%1 needs %2 after it").arg(flag, operands == 1 ? QStringLiteral("a directory")
                                                                                      : QStringLiteral("a directory and a name"));
            return false;
        }
        const QString directory = base.absoluteFilePath(flags.at(i + 1));
        if (!QFileInfo(directory).isDir()) {
            *error = QStringLiteral("%1: %2 is not a directory")
                         .arg(flags.mid(i, operands + 1).join(QLatin1Char(' ')), directory);
            return false;
        }
        i += operands;
    }
    const QStringList arguments = QStringList{QStringLiteral("-main-channel"), QStringLiteral("stdfds")} + flags;
    if (!m_child.start(program, arguments, m_options.workingDirectory, error))
        return false;
    const std::lock_guard lock(m_signalMutex);
    m_signalPid = m_child.pid();
    return true;
}

CoqIdeTop::InitReply CoqIdeTop::init()
{
    InitReply reply;
    const auto v = exchange("Init", CoqXml::initCall(), &reply.failure);
    if (v && v->good) {
        reply.ok = true;
        reply.stateId = CoqXml::stateId(v->payload);
    } else if (v) {
        reply.failure = v->failure;
    }
    return reply;
}

CoqIdeTop::AddReply CoqIdeTop::add(const QByteArray &sentenceUtf8, int editId, int stateId, qint64 byteOffset,
                                   int line, int bolPos)
{
    AddReply reply;
    const auto v = exchange("Add", CoqXml::addCall(sentenceUtf8, editId, stateId, byteOffset, line, bolPos),
                            &reply.failure);
    if (v && v->good) {
        // (state_id, (unit, state_id) union)
        reply.ok = true;
        reply.newStateId = CoqXml::stateId(v->payload.child(0));
        const CoqXmlElement &next = v->payload.child(1);
        if (next.attribute(QStringLiteral("val")) == QLatin1String("in_r"))
            reply.nextTip = CoqXml::stateId(next.child(0));
    } else if (v) {
        reply.failure = v->failure;
        attributeFailure(&reply.failure);
    }
    return reply;
}

CoqIdeTop::StatusReply CoqIdeTop::status(bool force)
{
    StatusReply reply;
    const auto v = exchange("Status", CoqXml::statusCall(force), &reply.failure);
    if (v && v->good) {
        // status: (path list, proof name option, all proofs list, proof number)
        reply.ok = true;
        for (const CoqXmlElement &s : v->payload.child(0).children)
            reply.path << s.flat;
        reply.proofName = v->payload.child(1).child(0).flat;
        for (const CoqXmlElement &s : v->payload.child(2).children)
            reply.allProofs << s.flat;
    } else if (v) {
        reply.failure = v->failure;
        attributeFailure(&reply.failure);
    }
    return reply;
}

CoqIdeTop::EditAtReply CoqIdeTop::editAt(int stateId)
{
    EditAtReply reply;
    const auto v = exchange("Edit_at", CoqXml::editAtCall(stateId), &reply.failure);
    if (v && v->good) {
        reply.ok = true;
        m_lastError.reset();
        // (unit, (state_id, (state_id, state_id))) union
        if (v->payload.attribute(QStringLiteral("val")) == QLatin1String("in_r")) {
            const CoqXmlElement &focus = v->payload.child(0);
            reply.focused = true;
            reply.focusStart = CoqXml::stateId(focus.child(0));
            reply.focusQed = CoqXml::stateId(focus.child(1).child(0));
            reply.oldTip = CoqXml::stateId(focus.child(1).child(1));
        }
    } else if (v) {
        reply.failure = v->failure;
    }
    return reply;
}

CoqIdeTop::GoalReply CoqIdeTop::goal()
{
    GoalReply reply;
    const auto v = exchange("Goal", CoqXml::goalCall(), &reply.failure);
    if (v && v->good) {
        reply.ok = true;
        reply.inProof = v->payload.attribute(QStringLiteral("val")) == QLatin1String("some");
        reply.goals = CoqXml::goalTexts(v->payload);
    } else if (v) {
        reply.failure = v->failure;
        attributeFailure(&reply.failure);
    }
    return reply;
}

void CoqIdeTop::interrupt()
{
    const std::lock_guard lock(m_signalMutex);
    if (m_signalPid > 0) {
        m_interrupted = true;
        ::kill(m_signalPid, SIGINT);
    }
}

void CoqIdeTop::stop()
{
    if (m_child.isRunning() && !m_lost) {
        Options &o = m_options;
        const auto timeout = o.callTimeout;
        o.callTimeout = std::min<std::chrono::milliseconds>(timeout, QuitWait);
        CoqFailure ignored;
        exchange("Quit", CoqXml::quitCall(), &ignored);
        o.callTimeout = timeout;
        m_child.closeStdin();
        m_child.waitForEnd(QuitWait);
    }
    {
        const std::lock_guard lock(m_signalMutex);
        m_signalPid = -1;
    }
    m_child.end(EndGrace);
    if (!m_lost) {
        m_lost = true;
        m_lostMessage = QStringLiteral("coqidetop was stopped");
    }
}

std::optional<CoqXml::Value> CoqIdeTop::exchange(const char *name, const QByteArray &call, CoqFailure *failure)
{
    if (m_lost || !m_child.isRunning()) {
        failure->processLost = true;
        failure->message = m_lost ? m_lostMessage : QStringLiteral("coqidetop is not started");
        return std::nullopt;
    }
    m_interrupted = false;
    const QDeadlineTimer deadline(m_options.callTimeout);
    std::optional<QDeadlineTimer> cancelDeadline;
    qsizetype written = 0;
    for (;;) {
        CoqXmlElement message;
        while (m_reader.next(&message)) {
            if (message.name == QLatin1String("value")) {
                CoqXml::Value v = CoqXml::value(message);
                v.failure.interrupted = m_interrupted;
                return v;
            }
            if (const auto f = CoqXml::feedback(message)) {
                note(*f);
                if (m_options.onFeedback)
                    m_options.onFeedback(*f);
            }
        }
        if (m_reader.hasError())
            return lose(failure, QStringLiteral("coqidetop wrote something that is not its XML protocol: %1")
                                     .arg(m_reader.errorString()));
        if (deadline.hasExpired())
            return lose(failure, QStringLiteral("coqidetop did not answer %1 within %2 ms")
                                     .arg(QLatin1String(name))
                                     .arg(m_options.callTimeout.count()));
        if (m_options.cancelled && m_options.cancelled()) {
            if (!cancelDeadline) {
                interrupt();
                cancelDeadline = QDeadlineTimer(CancelGrace);
            } else if (cancelDeadline->hasExpired()) {
                return lose(failure, QStringLiteral("cancelled: coqidetop did not stop %1 within %2 ms of SIGINT")
                                         .arg(QLatin1String(name))
                                         .arg(std::chrono::milliseconds(CancelGrace).count()));
            }
        }
        pollfd fds[3] = {{m_child.stdoutFd(), POLLIN, 0}, {m_child.stderrFd(), POLLIN, 0},
                         {m_child.stdinFd(), POLLOUT, 0}};
        const nfds_t count = written < call.size() ? 3 : 2;
        const auto step = std::min(PollStep, std::chrono::ceil<std::chrono::milliseconds>(deadline.remainingTimeAsDuration()));
        if (::poll(fds, count, int(step.count())) < 0 && errno != EINTR)
            return lose(failure, QStringLiteral("poll: %1").arg(QString::fromLocal8Bit(::strerror(errno))));
        if (count == 3 && fds[2].revents) {
            const ssize_t n = ::send(m_child.stdinFd(), call.constData() + written, size_t(call.size() - written),
                                     MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n > 0)
                written += n;
            else if (n < 0 && errno != EAGAIN && errno != EINTR)
                return loseToDeath(failure, name); // EPIPE: nobody reads any more
        }
        if (fds[1].revents && !readStderr())
            fds[1].fd = -1;
        if (fds[0].revents) {
            char buffer[65536];
            const ssize_t n = ::read(m_child.stdoutFd(), buffer, sizeof buffer);
            if (n > 0)
                m_reader.addData(QByteArray(buffer, n));
            else if (n == 0 || (errno != EAGAIN && errno != EINTR))
                return loseToDeath(failure, name);
        }
    }
}

bool CoqIdeTop::readStderr()
{
    if (m_child.stderrFd() < 0)
        return false;
    char buffer[8192];
    const ssize_t n = ::read(m_child.stderrFd(), buffer, sizeof buffer);
    if (n > 0) {
        m_stderr.append(buffer, n);
        if (m_stderr.size() > 2 * KeptStderr)
            m_stderr.remove(0, m_stderr.size() - KeptStderr);
        return true;
    }
    return n < 0 && (errno == EAGAIN || errno == EINTR);
}

std::nullopt_t CoqIdeTop::lose(CoqFailure *failure, const QString &why)
{
    {
        const std::lock_guard lock(m_signalMutex);
        m_signalPid = -1;
    }
    m_child.end(EndGrace);
    m_lost = true;
    m_lostMessage = why;
    failure->processLost = true;
    failure->interrupted = m_interrupted;
    failure->message = why;
    return std::nullopt;
}

std::nullopt_t CoqIdeTop::loseToDeath(CoqFailure *failure, const char *name)
{
    // Its last words on stderr, then its end (it closed stdout: it is dying).
    const QDeadlineTimer deadline(DeathDrain);
    while (!deadline.hasExpired() && m_child.stderrFd() >= 0) {
        pollfd p{m_child.stderrFd(), POLLIN, 0};
        if (::poll(&p, 1, int(PollStep.count())) > 0 && !readStderr())
            break;
        if (m_child.hasEnded() && ::poll(&p, 1, 0) <= 0)
            break;
    }
    m_child.waitForEnd(std::chrono::ceil<std::chrono::milliseconds>(deadline.remainingTimeAsDuration()));
    {
        const std::lock_guard lock(m_signalMutex);
        m_signalPid = -1;
    }
    m_child.end(EndGrace);
    QString why = QStringLiteral("coqidetop %1 while waiting for the answer to %2")
                      .arg(m_child.exitDescription(), QLatin1String(name));
    if (m_child.killedBySignal(SIGKILL))
        why += QStringLiteral(" (by someone else: the kernel's OOM killer, a user)");
    const QString err = stderrTail(m_stderr);
    if (!err.isEmpty())
        why += QStringLiteral(": ") + err;
    return lose(failure, why);
}

void CoqIdeTop::note(const CoqFeedback &feedback)
{
    if (feedback.kind == QLatin1String("message") && feedback.level == QLatin1String("error"))
        m_lastError = feedback;
}

void CoqIdeTop::attributeFailure(CoqFailure *failure) const
{
    // The error feedback comes once; later Status/Goal repeat only the value.
    if (m_lastError && m_lastError->text == failure->message && m_lastError->locStart == failure->locStart
        && m_lastError->locStop == failure->locStop)
        failure->failedStateId = m_lastError->stateId;
}

} // namespace CoqLib
