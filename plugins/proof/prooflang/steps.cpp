// What each step does when the `proof` worker runs it. See docs/language.md.

#include "steps.h"

#include "arithmetic.h"
#include "primeblocks.h"

#include <QtCore/QDeadlineTimer>
#include <QtCore/QElapsedTimer>
#include <QtCore/QList>
#include <QtCore/QRegularExpression>
#include <QtCore/QThread>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iterator>
#include <new>
#include <vector>

#include <sys/resource.h>

namespace ProofLang {

namespace {

using std::chrono::milliseconds;

// Longer waits than this are as good as forever, and fit every clock.
constexpr quint64 LongestWaitMs = quint64(1) << 40;

bool isCancelled(const StepEnvironment &env)
{
    return env.cancelled && env.cancelled();
}

// The numbers of a step whose shape is known to be right, or the error of
// the first one that does not fit in 64 bits.
std::optional<QString> readNumbers(const QString &rest, QList<quint64> *numbers)
{
    static const QRegularExpression digits(QStringLiteral("[0-9]+"));
    for (auto it = digits.globalMatch(rest); it.hasNext();) {
        const QString text = it.next().captured();
        bool ok = false;
        numbers->append(text.toULongLong(&ok));
        if (!ok)
            return QStringLiteral("number %1 does not fit in 64 bits").arg(text);
    }
    return std::nullopt;
}

void spin(milliseconds duration, const StepEnvironment &env)
{
    QElapsedTimer clock;
    clock.start();
    volatile quint64 sink = 0; // volatile: the work cannot be optimised away
    while (clock.elapsed() < duration.count() && !isCancelled(env)) {
        for (int i = 0; i < 10000; ++i) // some tens of microseconds
            sink = sink * 6364136223846793005ULL + 1442695040888963407ULL;
    }
}

void sleepFor(milliseconds duration, const StepEnvironment &env)
{
    // The context offers a flag, not a wait: look at it every millisecond or two.
    const QDeadlineTimer deadline(duration);
    while (!deadline.hasExpired() && !isCancelled(env))
        QThread::msleep(ulong(std::clamp<qint64>(deadline.remainingTime(), 1, 2)));
}

std::optional<QString> allocate(quint64 megabytes, const StepEnvironment &env)
{
    if (megabytes > MaxAllocMegabytes)
        return QStringLiteral("cannot allocate %1 MB: alloc is limited to %2 MB").arg(megabytes).arg(MaxAllocMegabytes);
    // Blocks of at most 64 MB, so that a cancel is seen between allocations
    // too: one huge block can take seconds to map under a sanitizer.
    constexpr quint64 chunkMegabytes = 64;
    constexpr std::size_t page = 4096;
    constexpr std::size_t megabyte = std::size_t(1) << 20;
    std::vector<std::unique_ptr<char[]>> blocks;
    for (quint64 done = 0; done < megabytes && !isCancelled(env); done += chunkMegabytes) {
        const std::size_t bytes = std::size_t(std::min(chunkMegabytes, megabytes - done)) * megabyte;
        std::unique_ptr<char[]> block(new (std::nothrow) char[bytes]);
        if (!block) {
            rlimit limit{};
            const bool limited = ::getrlimit(RLIMIT_AS, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY;
            return QStringLiteral("cannot allocate %1 MB: out of memory%2").arg(megabytes)
                .arg(limited ? QStringLiteral(" (the worker's address-space limit is %1 MiB)").arg(limit.rlim_cur >> 20)
                             : QString());
        }
        // One write per page makes the memory resident, not just reserved.
        volatile char *pages = block.get();
        for (std::size_t at = 0; at < bytes; at += page) {
            if (at % megabyte == 0 && isCancelled(env))
                break;
            pages[at] = char(1);
        }
        blocks.push_back(std::move(block));
    }
    if (env.memory)
        std::move(blocks.begin(), blocks.end(), std::back_inserter(*env.memory));
    return std::nullopt;
}

// `par prime A..B [= N]`: the master fans the range out to `par` workers and
// answers with the merged count.
std::optional<QString> countPrimesInParallel(const QList<quint64> &n, const StepEnvironment &env)
{
    const quint64 from = n[0];
    const quint64 to = n[1];
    if (const std::optional<QString> problem = Par::rangeProblem(from, to))
        return problem;
    if (!env.ask)
        return QStringLiteral("par steps need a master that fans them out to par workers");
    QString error;
    const std::optional<QCborValue> answer = env.ask(Par::question(from, to), &error);
    if (!answer)
        return isCancelled(env) ? std::nullopt
                                : std::optional(QStringLiteral("par prime %1..%2 could not be checked: %3")
                                                    .arg(from)
                                                    .arg(to)
                                                    .arg(error));
    const qint64 count = (*answer)[QLatin1String("count")].toInteger();
    if (env.say)
        env.say(QStringLiteral("%1..%2 holds %3 primes: %4 blocks on %5 par workers, %6 from their caches")
                    .arg(from)
                    .arg(to)
                    .arg(count)
                    .arg((*answer)[QLatin1String("blocks")].toInteger())
                    .arg((*answer)[QLatin1String("workers")].toInteger())
                    .arg((*answer)[QLatin1String("hits")].toInteger()));
    if (n.size() > 2 && quint64(count) != n[2])
        return QStringLiteral("%1..%2 holds %3 primes, not %4").arg(from).arg(to).arg(count).arg(n[2]);
    return std::nullopt;
}

[[noreturn]] void hang()
{
    // A volatile read is observable behaviour: the compiler must keep the loop.
    volatile bool looping = true;
    while (looping) {
    }
    std::abort();
}

} // namespace

std::optional<QString> runStep(const QString &text, const StepEnvironment &env)
{
    int offset = 0;
    QString problem;
    if (!checkStepSyntax(text, &offset, &problem))
        return problem;
    const StepWords words = splitStep(text);
    const QString &keyword = words.keyword;

    if (keyword == QLatin1String("say")) {
        if (env.say)
            env.say(words.rest);
        return std::nullopt;
    }
    if (keyword == QLatin1String("fail"))
        return words.rest.isEmpty() ? QStringLiteral("the step fails") : words.rest;
    if (keyword == QLatin1String("crash"))
        std::abort();
    if (keyword == QLatin1String("hang"))
        hang();

    // The other steps take numbers.
    QList<quint64> n;
    if (const std::optional<QString> tooLarge = readNumbers(words.rest, &n))
        return tooLarge;
    if (keyword == QLatin1String("prime")) {
        if (n[0] < 2)
            return QStringLiteral("%1 is not prime: primes are at least 2").arg(n[0]);
        if (const quint64 divisor = smallestDivisor(n[0], env.cancelled))
            return QStringLiteral("%1 is not prime: it is divisible by %2").arg(n[0]).arg(divisor);
        return std::nullopt;
    }
    if (keyword == QLatin1String("fib")) {
        const quint64 actual = fibonacci(n[0]);
        if (actual != n[1])
            return QStringLiteral("Fib(%1) mod 2^64 is %2, not %3").arg(n[0]).arg(actual).arg(n[1]);
        return std::nullopt;
    }
    if (keyword == QLatin1String("spin") || keyword == QLatin1String("sleep")) {
        const milliseconds duration(qint64(std::min(n[0], LongestWaitMs)));
        keyword == QLatin1String("spin") ? spin(duration, env) : sleepFor(duration, env);
        return std::nullopt;
    }
    if (keyword == QLatin1String("alloc"))
        return allocate(n[0], env);
    if (keyword == QLatin1String("par"))
        return countPrimesInParallel(n, env);
    return QStringLiteral("unknown step `%1`").arg(keyword); // a shape without a meaning: a bug here
}

} // namespace ProofLang
