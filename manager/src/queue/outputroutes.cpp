#include "queue/outputroutes.h"

#include "logging.h"

namespace Drover::Internal {

namespace {
QString channelName(TaskQueue::OutputChannel channel)
{
    return channel == TaskQueue::OutputChannel::StandardError ? QStringLiteral("stderr") : QStringLiteral("stdout");
}
} // namespace

bool OutputRoutes::set(Channel channel, Target target, const QString &path, QString *error)
{
    const bool toFile = target == Target::AppendToFile || target == Target::TruncateFile;
    QString why;
    Route route;
    route.target = target;
    if (toFile && path.isEmpty()) {
        why = QStringLiteral("the workers' %1 cannot go to a file without a path").arg(channelName(channel));
    } else if (!toFile && !path.isEmpty()) {
        why = QStringLiteral("a path (%1) is only for a file target, not for the workers' %2 to %3")
                  .arg(path, channelName(channel),
                       target == Target::Discard ? QStringLiteral("nowhere") : QStringLiteral("the signal"));
    } else if (toFile) {
        // Append: every worker's line goes to the end, even when both
        // channels share the file; emptied once, here, for TruncateFile.
        route.file = std::make_unique<QFile>(path);
        if (!route.file->open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered)) {
            why = QStringLiteral("cannot open %1 for the workers' %2: %3")
                      .arg(path, channelName(channel), route.file->errorString());
        } else if (target == Target::TruncateFile && !route.file->resize(0)) {
            why = QStringLiteral("cannot empty %1 for the workers' %2: %3")
                      .arg(path, channelName(channel), route.file->errorString());
        }
    }
    if (!why.isEmpty()) {
        qCWarning(lcQueue).noquote() << why;
        if (error)
            *error = why;
        return false;
    }
    m_routes[index(channel)] = std::move(route);
    return true;
}

bool OutputRoutes::deliver(Channel channel, const QString &line, QString *failure)
{
    Route &route = m_routes[index(channel)];
    switch (route.target) {
    case Target::Signal:
        return true;
    case Target::Discard:
        return false;
    case Target::AppendToFile:
    case Target::TruncateFile:
        break;
    }
    // One write per line: unbuffered and appending, lines of different
    // workers and channels never mix within a line.
    const QByteArray bytes = line.toLocal8Bit() + '\n';
    if (route.file->write(bytes) != bytes.size() && !route.failureReported) {
        route.failureReported = true;
        *failure = QStringLiteral("cannot write the workers' %1 to %2: %3")
                       .arg(channelName(channel), route.file->fileName(), route.file->errorString());
        qCWarning(lcQueue).noquote() << *failure;
    }
    return false;
}

} // namespace Drover::Internal
