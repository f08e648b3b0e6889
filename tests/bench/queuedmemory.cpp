// Figure 7: the master's heap per queued task, with 100,000 queued behind
// one busy worker so that nothing drains. malloc's own count (mallinfo2:
// arena bytes in use plus mmapped blocks), so pages the allocator keeps
// from earlier figures do not hide or inflate the growth.

#include "figures.h"
#include "harness.h"

#include <QtCore/QFile>

#include <malloc.h>
#include <unistd.h>

using namespace Drover;

#if !defined(__SANITIZE_ADDRESS__) // AddressSanitizer has its own allocator, which mallinfo2 does not see
namespace {
qint64 heapInUse()
{
    const struct mallinfo2 info = ::mallinfo2();
    return qint64(info.uordblks + info.hblkhd);
}

qint64 residentBytes()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    return statm.readAll().split(' ').value(1).toLongLong() * ::sysconf(_SC_PAGESIZE);
}

struct Growth { double heapPerTask = 0, rssPerTask = 0; };

//! Queues n tasks behind a blocked worker; distinct: each with its own
//! payload, built while measuring (so its size counts).
Growth queueBehindBlockedWorker(int n, bool distinct)
{
    Harness h;
    h.queue->setMaxWorkers(1);
    int starts = 0;
    h.on(&TaskQueue::taskStarted, [&](TaskId, int) { ++starts; });
    h.queue->enqueue(Harness::task(QStringLiteral("sleep"), 600000, true));
    Harness::until("the blocking task to start", [&] { return starts == 1; });

    const Task shared = Harness::task(QStringLiteral("echo"), {}, true);
    const qint64 heapBefore = heapInUse();
    const qint64 rssBefore = residentBytes();
    for (int i = 0; i < n; ++i)
        h.queue->enqueue(distinct ? Harness::task(QStringLiteral("echo"), i, true) : shared);
    // Let the queue's dispatch pass run: it must find the worker busy.
    for (int i = 0; i < 3; ++i)
        QCoreApplication::processEvents();
    if (h.queue->queuedCount() != n || starts != 1)
        throw BenchError("queued tasks drained while the worker was blocked");
    Growth growth;
    growth.heapPerTask = double(heapInUse() - heapBefore) / double(n);
    growth.rssPerTask = double(residentBytes() - rssBefore) / double(n);
    const qint64 target = h.finished + n + 1;
    h.queue->cancelAll();
    h.awaitFinished(target);
    return growth;
}
} // namespace
#endif

void queuedMemoryFigures(Context &context, QList<Figure> *figures)
{
#if defined(__SANITIZE_ADDRESS__)
    figures->append({.name = QStringLiteral("master memory per queued task"),
                     .unit = QStringLiteral("bytes"),
                     .na = QStringLiteral("n/a: mallinfo2 does not see AddressSanitizer's allocator")});
    Q_UNUSED(context);
#else
    const int n = context.scale(100000, 5000);
    const Growth shared = queueBehindBlockedWorker(n, false);
    const Growth distinct = queueBehindBlockedWorker(n, true);
    figures->append({.name = QStringLiteral("master memory per queued task (%1 queued, heap growth / n)").arg(n),
                     .unit = QStringLiteral("bytes"),
                     .value = shared.heapPerTask,
                     .goal = Figure::Goal::ValueAtMost,
                     .target = 512,
                     .note = QStringLiteral("all tasks share one payload; RSS growth / n: %1 B. With a distinct "
                                            "3-key payload each, the payload included: heap %2 B, "
                                            "RSS %3 B per task")
                                 .arg(shared.rssPerTask, 0, 'f', 0)
                                 .arg(distinct.heapPerTask, 0, 'f', 0)
                                 .arg(distinct.rssPerTask, 0, 'f', 0)});
#endif
}
