#pragma once

#include <QtCore/QStringList>

#include <chrono>
#include <optional>

//! drover-check's command line, validated.
struct CheckOptions
{
    int jobs = 2;
    bool json = false;
    std::optional<std::chrono::milliseconds> timeout;   // --timeout S
    std::chrono::milliseconds killAfter{2000};          // --kill-after S
    int retries = 0;
    bool persistent = false;
    QStringList files;
};

//! Parses the arguments. Returns nullopt after printing --help or --version
//! (*exitCode 0) or a one-line error on stderr (*exitCode 2).
std::optional<CheckOptions> parseCheckOptions(const QStringList &arguments, int *exitCode);
