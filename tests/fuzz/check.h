#pragma once

// The fuzz target's assertion: a property of the wire code that does not
// hold is a bug, so it aborts (libFuzzer then saves the input as a crash).

#include <cstdio>
#include <cstdlib>

[[noreturn]] inline void fuzzFailure(const char *what, const char *file, int line)
{
    std::fprintf(stderr, "\nfuzz check failed: %s (%s:%d)\n", what, file, line);
    std::fflush(stderr);
    std::abort();
}

#define FUZZ_REQUIRE(condition, what)                                                                                  \
    do {                                                                                                               \
        if (!(condition))                                                                                              \
            fuzzFailure(what, __FILE__, __LINE__);                                                                     \
    } while (false)
