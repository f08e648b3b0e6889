#include "coqcending.h"

#include <drover/processfate.h>

#include <csignal>
#include <cstring>
#include <sys/resource.h>
#include <sys/wait.h>

using namespace CoqLib;

namespace CoqcEnding {

namespace {
//! The address-space ceiling coqc inherited from its worker, in words.
QString addressSpaceLimit()
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_AS, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
        return {};
    return QStringLiteral(" (the worker's address-space limit is %1 MiB)").arg(qulonglong(limit.rlim_cur >> 20));
}

//! OCaml's words when an allocation fails: an exception coqc reports as
//! an error, or a fatal error that aborts it.
bool ranOutOfMemory(const QString &output)
{
    return output.contains(QLatin1String("Out of memory")) || output.contains(QLatin1String("not enough memory"));
}
} // namespace

void describe(CoqResult &result, int waitStatus, bool cancelled, qint64 oomBefore, qint64 oomAfter)
{
    if (WIFEXITED(waitStatus)) {
        result.exitCode = WEXITSTATUS(waitStatus);
        result.status = result.exitCode == 0 ? QStringLiteral("ok") : QStringLiteral("error");
        if (result.exitCode == 0)
            return;
        for (const CoqDiagnostic &d : std::as_const(result.diagnostics)) {
            if (d.severity == CoqDiagnostic::Severity::Error) {
                result.message = d.message; // an unplaced one too: "System error: "./a.glob: Permission denied""
                break;
            }
        }
        if (ranOutOfMemory(result.output))
            result.message = QStringLiteral("coqc ran out of memory") + addressSpaceLimit();
        else if (result.message.isEmpty())
            result.message = QStringLiteral("coqc exited with code %1").arg(result.exitCode);
        return;
    }
    result.signal = WTERMSIG(waitStatus);
    result.status = cancelled ? QStringLiteral("cancelled") : QStringLiteral("crashed");
    result.message = QStringLiteral("coqc was killed by %1").arg(Drover::signalName(result.signal));
    if (cancelled)
        return;
    if (ranOutOfMemory(result.output)) {
        result.message = QStringLiteral("coqc ran out of memory and was killed by %1").arg(Drover::signalName(result.signal))
                         + addressSpaceLimit();
    } else if (result.signal == SIGKILL && oomBefore >= 0 && oomAfter > oomBefore) {
        result.message += QStringLiteral(", most likely by the kernel's OOM killer: memory ran out (oom_kill in "
                                         "/proc/vmstat rose from %1 to %2 while it ran)").arg(oomBefore).arg(oomAfter);
    } else if (result.signal == SIGKILL) {
        result.message += QStringLiteral(" from outside (a user, or a supervisor; the kernel's OOM killer counted no kill)");
    }
}

std::optional<CoqDiagnostic> notUtf8(const QByteArray &source)
{
    const auto *bytes = reinterpret_cast<const uchar *>(source.constData());
    const qsizetype size = source.size();
    qsizetype lineStart = 0;
    int line = 1;
    for (qsizetype i = 0; i < size;) {
        const uchar lead = bytes[i];
        if (lead < 0x80) {
            if (lead == '\n') {
                ++line;
                lineStart = i + 1;
            }
            ++i;
            continue;
        }
        // The length a lead byte announces, and the least code point that
        // length may carry (shorter forms are overlong, hence not UTF-8).
        const int length = lead >= 0xc2 && lead < 0xe0 ? 2 : lead >= 0xe0 && lead < 0xf0 ? 3 : lead >= 0xf0 && lead < 0xf5 ? 4 : 0;
        char32_t code = length == 2 ? lead & 0x1f : length == 3 ? lead & 0x0f : lead & 0x07;
        bool valid = length > 0 && i + length <= size;
        for (int k = 1; valid && k < length; ++k) {
            valid = (bytes[i + k] & 0xc0) == 0x80;
            code = (code << 6) | (bytes[i + k] & 0x3f);
        }
        valid = valid && !(length == 3 && (code < 0x800 || (code >= 0xd800 && code < 0xe000)))
                && !(length == 4 && (code < 0x10000 || code > 0x10ffff));
        if (valid) {
            i += length;
            continue;
        }
        CoqDiagnostic d;
        d.severity = CoqDiagnostic::Severity::Warning;
        d.line = d.endLine = line;
        d.byteStart = int(i - lineStart);
        d.byteEnd = d.byteStart + 1;
        d.column = int(QString::fromUtf8(source.constData() + lineStart, i - lineStart).size());
        d.endColumn = d.column + 1;
        d.name = QStringLiteral("not-utf8,drover");
        d.message = QStringLiteral("the file is not UTF-8 (byte 0x%1 at line %2, byte %3 of the line); Coq reads "
                                   "its sources as UTF-8, and columns after it count each bad byte as one character")
                        .arg(uint(lead), 2, 16, QLatin1Char('0'))
                        .arg(line)
                        .arg(d.byteStart);
        return d;
    }
    return std::nullopt;
}

} // namespace CoqcEnding
