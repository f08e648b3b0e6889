#include "queue/maprun.h"

#include "logging.h"
#include "queue/mapfailure.h"

#include <QtCore/QCborArray>
#include <QtCore/QFutureWatcher>

namespace Drover::Internal {

MapRun::MapRun(TaskQueue *queue, const MapOptions &options, Enqueue enqueue)
    : m_queue(queue)
    , m_options(options)
    , m_enqueue(std::move(enqueue))
{
    m_options.granularity = std::max(1, m_options.granularity);
    m_options.maxChunksInFlight = std::max(0, m_options.maxChunksInFlight);
    m_promise.reportStarted();
}

void MapRun::pullFrom(std::function<std::optional<QCborValue>()> next, int knownChunks)
{
    m_next = std::move(next);
    m_knownChunks = knownChunks;
}

void MapRun::pullFrom(const QFuture<QCborValue> &inputs)
{
    m_inputs = inputs;
    auto *watcher = new QFutureWatcher<QCborValue>(m_queue);
    m_watcher = watcher;
    // Results in index order, as far as they are contiguous.
    const auto read = [this] {
        while (m_inputs.isResultReadyAt(m_taken))
            m_buffered << m_inputs.resultAt(m_taken++);
    };
    const std::weak_ptr<MapRun> weak = weak_from_this();
    QObject::connect(watcher, &QFutureWatcherBase::resultsReadyAt, m_queue, [weak, read] {
        if (const std::shared_ptr<MapRun> run = weak.lock(); run && !run->m_over) {
            read();
            run->pump();
        }
    });
    QObject::connect(watcher, &QFutureWatcherBase::finished, m_queue, [weak, read] {
        if (const std::shared_ptr<MapRun> run = weak.lock(); run && !run->m_over) {
            if (!run->m_inputs.isCanceled())
                read();
            run->m_sourceEnded = true;
            run->pump();
        }
    });
    // The watcher holds the run while the source may still speak.
    QObject::connect(watcher, &QObject::destroyed, m_queue, [keep = shared_from_this()] {});
    watcher->setFuture(inputs);
}

QList<QCborValue> MapRun::take()
{
    QList<QCborValue> items;
    if (m_next) {
        while (items.size() < m_options.granularity && !m_sourceEnded) {
            std::optional<QCborValue> input = m_next();
            if (input)
                items << std::move(*input);
            else
                m_sourceEnded = true;
        }
        return items;
    }
    // A future's results: a short chunk only once the stream has ended.
    if (m_buffered.size() < m_options.granularity && !m_sourceEnded)
        return {};
    items = m_buffered.mid(0, m_options.granularity);
    m_buffered.remove(0, items.size());
    return items;
}

void MapRun::pump()
{
    if (m_pumping)
        return;
    m_pumping = true;
    while (!m_over && (m_options.maxChunksInFlight == 0 || m_running.size() < m_options.maxChunksInFlight)) {
        QList<QCborValue> items = take();
        if (items.isEmpty())
            break;
        startChunk(std::move(items));
    }
    m_pumping = false;
    if (!m_over && m_sourceEnded && m_running.isEmpty() && m_buffered.isEmpty())
        end();
}

void MapRun::startChunk(QList<QCborValue> inputs)
{
    const int chunk = m_chunksMade++;
    const qsizetype begin = m_nextInput;
    const qsizetype count = inputs.size();
    m_nextInput += count;
    Task task;
    QCborArray items;
    for (QCborValue &input : inputs)
        items.append(std::move(input));
    task.payload = items;
    task.priority = m_options.priority;
    task.options = m_options.options;
    task.name = m_knownChunks > 0 ? QStringLiteral("map chunk %1/%2").arg(chunk + 1).arg(m_knownChunks)
                                  : QStringLiteral("map chunk %1").arg(chunk + 1);
    TaskHooks hooks;
    hooks.onFinish = [run = shared_from_this(), chunk, begin, count](const TaskResult &result) {
        run->chunkEnded(chunk, begin, count, result);
    };
    m_running.insert(chunk, m_enqueue(std::move(task), std::move(hooks)));
}

void MapRun::chunkEnded(int chunk, qsizetype begin, qsizetype count, const TaskResult &result)
{
    m_running.remove(chunk);
    if (m_over)
        return;
    const QCborArray outputs = result.response.toArray();
    if (result.outcome != Outcome::Done || outputs.size() != count) {
        const QString why = result.outcome == Outcome::Done
            ? QStringLiteral("map chunk %1 answered %2 results for %3 inputs").arg(chunk + 1).arg(outputs.size()).arg(count)
            : QStringLiteral("map chunk %1 ended %2: %3").arg(chunk + 1).arg(outcomeName(result.outcome), result.message);
        if (m_options.onFailure == MapOptions::OnFailure::CancelAll) {
            m_over = true;
            m_promise.reportException(std::make_exception_ptr(MapFailure(m_queue, why)));
            m_promise.reportFinished();
            m_queue->cancel(m_running.values());
            m_running.clear();
            if (m_watcher)
                m_watcher->deleteLater();
            return;
        }
        qCInfo(lcQueue) << why << "; its inputs get undefined results";
        deliver(chunk, begin, QList<QCborValue>(count, QCborValue(QCborValue::Undefined)));
    } else {
        QList<QCborValue> values;
        values.reserve(outputs.size());
        for (const QCborValue &v : outputs)
            values.append(v);
        deliver(chunk, begin, std::move(values));
    }
    pump();
}

void MapRun::deliver(int chunk, qsizetype begin, QList<QCborValue> values)
{
    if (!m_options.ordered) {
        m_promise.reportResults(values, int(begin));
        return;
    }
    m_held.emplace(chunk, Held{begin, std::move(values)});
    for (auto it = m_held.begin(); it != m_held.end() && it->first == m_nextDelivery; it = m_held.erase(it)) {
        m_promise.reportResults(it->second.values, int(it->second.begin));
        ++m_nextDelivery;
    }
}

void MapRun::cancel()
{
    if (!m_over) {
        m_over = true;
        m_promise.reportFinished();
    }
    m_queue->cancel(m_running.values());
    m_running.clear();
    if (m_watcher)
        m_watcher->deleteLater();
}

void MapRun::end()
{
    m_over = true;
    m_promise.reportFinished();
    if (m_watcher)
        m_watcher->deleteLater();
}

} // namespace Drover::Internal
