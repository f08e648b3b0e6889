#include "steps.h"

#include <QtCore/QDeadlineTimer>
#include <QtCore/QElapsedTimer>
#include <QtCore/QRegularExpression>
#include <QtCore/QThread>

#include <cstdlib>

namespace ProofLang {

namespace {

// A number of the language: unsigned 64-bit, or the error of its step.
std::optional<quint64> number(const QString &digits, QString *error)
{
    bool ok = false;
    const quint64 value = digits.toULongLong(&ok);
    if (!ok)
        *error = QStringLiteral("number %1 does not fit in 64 bits").arg(digits);
    return ok ? std::optional(value) : std::nullopt;
}

QStringList arguments(const QString &text)
{
    static const QRegularExpression numbers(QStringLiteral("\\d+"));
    QStringList found;
    for (auto it = numbers.globalMatch(text); it.hasNext();)
        found << it.next().captured();
    return found;
}

QString restAfterKeyword(const QString &text)
{
    const qsizetype space = text.indexOf(QLatin1Char(' '));
    return space < 0 ? QString() : text.mid(space + 1).trimmed();
}

void burn(std::chrono::milliseconds duration, const std::function<bool()> &cancelled)
{
    QElapsedTimer clock;
    clock.start();
    volatile quint64 sink = 0;
    while (clock.elapsed() < duration.count() && !cancelled()) {
        for (int i = 0; i < 10000; ++i)
            sink = sink * 6364136223846793005ULL + 1442695040888963407ULL;
    }
}

void doze(std::chrono::milliseconds duration, const std::function<bool()> &cancelled)
{
    QDeadlineTimer deadline(duration);
    while (!deadline.hasExpired() && !cancelled())
        QThread::msleep(std::min<qint64>(2, std::max<qint64>(1, deadline.remainingTime())));
}

} // namespace

quint64 fibonacci(quint64 k)
{
    // Fast doubling: F(2n) = F(n)(2F(n+1) - F(n)), F(2n+1) = F(n)^2 + F(n+1)^2,
    // all mod 2^64 by unsigned wrap-around.
    quint64 a = 0, b = 1; // F(0), F(1)
    for (int bit = 63; bit >= 0; --bit) {
        const quint64 c = a * (2 * b - a);
        const quint64 d = a * a + b * b;
        a = c;
        b = d;
        if ((k >> bit) & 1) {
            const quint64 next = a + b;
            a = b;
            b = next;
        }
    }
    return a;
}

quint64 smallestDivisor(quint64 n, const std::function<bool()> &cancelled)
{
    if (n % 2 == 0)
        return n == 2 ? 0 : 2;
    for (quint64 d = 3; d <= n / d; d += 2) {
        if ((d & 0xffff) == 1 && cancelled())
            return 0;
        if (n % d == 0)
            return d;
    }
    return 0;
}

std::optional<QString> runStep(const QString &text, const StepEnvironment &env)
{
    const QString keyword = text.section(QLatin1Char(' '), 0, 0);
    const QStringList args = arguments(text);
    QString error;

    if (keyword == QLatin1String("prime")) {
        const std::optional<quint64> n = number(args.value(0), &error);
        if (!n)
            return error;
        if (*n < 2)
            return QStringLiteral("%1 is not prime: primes are at least 2").arg(*n);
        if (const quint64 d = smallestDivisor(*n, env.cancelled))
            return QStringLiteral("%1 is not prime: it is divisible by %2").arg(*n).arg(d);
        return std::nullopt;
    }
    if (keyword == QLatin1String("fib")) {
        const std::optional<quint64> k = number(args.value(0), &error);
        const std::optional<quint64> v = k ? number(args.value(1), &error) : std::nullopt;
        if (!k || !v)
            return error;
        const quint64 actual = fibonacci(*k);
        if (actual != *v)
            return QStringLiteral("Fib(%1) mod 2^64 is %2, not %3").arg(*k).arg(actual).arg(*v);
        return std::nullopt;
    }
    if (keyword == QLatin1String("spin") || keyword == QLatin1String("sleep")) {
        const std::optional<quint64> ms = number(args.value(0), &error);
        if (!ms)
            return error;
        const std::chrono::milliseconds duration(qint64(std::min<quint64>(*ms, quint64(1) << 40)));
        keyword == QLatin1String("spin") ? burn(duration, env.cancelled) : doze(duration, env.cancelled);
        return std::nullopt;
    }
    if (keyword == QLatin1String("alloc")) {
        const std::optional<quint64> mb = number(args.value(0), &error);
        if (!mb)
            return error;
        try {
            env.hold(qint64(std::min<quint64>(*mb, quint64(1) << 40)));
        } catch (const std::bad_alloc &) {
            return QStringLiteral("cannot allocate %1 MB: out of memory").arg(*mb);
        } catch (const std::length_error &) {
            return QStringLiteral("cannot allocate %1 MB: out of memory").arg(*mb);
        }
        return std::nullopt;
    }
    if (keyword == QLatin1String("say")) {
        env.say(restAfterKeyword(text));
        return std::nullopt;
    }
    if (keyword == QLatin1String("fail")) {
        const QString why = restAfterKeyword(text);
        return why.isEmpty() ? QStringLiteral("failed") : why;
    }
    if (keyword == QLatin1String("crash"))
        std::abort();
    if (keyword == QLatin1String("hang")) {
        volatile bool looping = true;
        while (looping) {
        }
    }
    return QStringLiteral("unknown step `%1`").arg(keyword);
}

} // namespace ProofLang
