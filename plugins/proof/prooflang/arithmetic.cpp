#include "arithmetic.h"

namespace ProofLang {

quint64 fibonacci(quint64 k)
{
    // With a = F(m) and b = F(m+1): F(2m) = a(2b - a) and F(2m+1) = a^2 + b^2.
    // Unsigned arithmetic wraps around, which is exactly "mod 2^64".
    quint64 a = 0;
    quint64 b = 1;
    for (int bit = 63; bit >= 0; --bit) {
        const quint64 even = a * (2 * b - a);
        const quint64 odd = a * a + b * b;
        a = even;
        b = odd;
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
    // d <= n / d rather than d * d <= n: d * d would overflow near 2^64.
    for (quint64 d = 3; d <= n / d; d += 2) {
        if ((d & 0x7fff) == 1 && cancelled && cancelled()) // every 16384 divisions
            return 0;
        if (n % d == 0)
            return d;
    }
    return 0;
}

} // namespace ProofLang
