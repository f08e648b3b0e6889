// What a worker writes on stdout and stderr: lines for workerOutput(), the
// last ones of stderr kept for the status of a worker that dies young.

#include "pool/workerprocess.h"

#include "logging.h"

namespace Drover::Internal {

namespace {
constexpr int RecentErrorLines = 5;
// A line of the last words longer than this is cut (a dump on one line).
constexpr qsizetype RecentErrorLineLength = 300;
} // namespace

void WorkerProcess::readOutput(QProcess::ProcessChannel channel, bool atEnd)
{
    m_process.setReadChannel(channel);
    QByteArray &partial = m_partialOutput[channel];
    partial += m_process.readAll();
    qsizetype start = 0;
    for (qsizetype nl = partial.indexOf('\n'); nl >= 0; nl = partial.indexOf('\n', start)) {
        emitOutputLine(channel, partial.constData() + start, nl - start);
        start = nl + 1;
    }
    // A crash message often has no newline: it is the last line all the same.
    if (atEnd && start < partial.size()) {
        emitOutputLine(channel, partial.constData() + start, partial.size() - start);
        start = partial.size();
    }
    partial.remove(0, start);
}

void WorkerProcess::emitOutputLine(QProcess::ProcessChannel channel, const char *data, qsizetype size)
{
    if (size > 0 && data[size - 1] == '\r')
        --size; // ssh ends its own lines with "\r\n"
    const QString line = QString::fromLocal8Bit(data, size);
    if (channel == QProcess::StandardError) {
        m_recentErrors.append(line.size() > RecentErrorLineLength
                                  ? line.left(RecentErrorLineLength) + QStringLiteral("...")
                                  : line);
        if (m_recentErrors.size() > RecentErrorLines)
            m_recentErrors.removeFirst();
    }
    qCDebug(lcWorker).noquote() << "worker" << id() << (channel == QProcess::StandardError ? "says on stderr:" : "says:")
                                << line;
    emit outputLine(line, channel);
}

} // namespace Drover::Internal
