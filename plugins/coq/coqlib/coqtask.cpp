#include "coqtask.h"

#include <QtCore/QCborArray>

namespace CoqLib {

namespace {
QLatin1StringView modeName(CoqRequest::Mode mode)
{
    switch (mode) {
    case CoqRequest::Mode::Quick:
        return QLatin1StringView("vos");
    case CoqRequest::Mode::ProofCheck:
        return QLatin1StringView("vok");
    case CoqRequest::Mode::Full:
        break;
    }
    return QLatin1StringView("vo");
}
} // namespace

QCborMap CoqRequest::toCbor() const
{
    QCborMap m;
    m.insert(QLatin1String("file"), file);
    m.insert(QLatin1String("root"), root);
    m.insert(QLatin1String("flags"), QCborArray::fromStringList(flags));
    m.insert(QLatin1String("coqc"), coqc);
    m.insert(QLatin1String("mode"), modeName(mode));
    return m;
}

CoqRequest CoqRequest::fromCbor(const QCborMap &m)
{
    CoqRequest r;
    r.file = m.value(QLatin1String("file")).toString();
    r.root = m.value(QLatin1String("root")).toString();
    for (const QCborValue &flag : m.value(QLatin1String("flags")).toArray())
        r.flags << flag.toString();
    r.coqc = m.value(QLatin1String("coqc")).toString(QStringLiteral("coqc"));
    const QString mode = m.value(QLatin1String("mode")).toString();
    r.mode = mode == QLatin1String("vos") ? Mode::Quick : mode == QLatin1String("vok") ? Mode::ProofCheck : Mode::Full;
    return r;
}

QStringList CoqRequest::arguments() const
{
    QStringList args = flags;
    if (mode == Mode::Quick)
        args << QStringLiteral("-vos");
    else if (mode == Mode::ProofCheck)
        args << QStringLiteral("-vok");
    args << file;
    return args;
}

QCborMap CoqResult::toCbor() const
{
    QCborMap m;
    m.insert(QLatin1String("status"), status);
    m.insert(QLatin1String("exit"), exitCode);
    m.insert(QLatin1String("signal"), signal);
    QCborArray list;
    for (const CoqDiagnostic &d : diagnostics)
        list.append(d.toCbor());
    m.insert(QLatin1String("diagnostics"), list);
    m.insert(QLatin1String("output"), output);
    m.insert(QLatin1String("ms"), ms);
    m.insert(QLatin1String("cpu_ms"), cpuMs);
    m.insert(QLatin1String("peak_rss"), peakRssBytes);
    m.insert(QLatin1String("message"), message);
    return m;
}

CoqResult CoqResult::fromCbor(const QCborMap &m)
{
    CoqResult r;
    r.status = m.value(QLatin1String("status")).toString();
    r.exitCode = int(m.value(QLatin1String("exit")).toInteger());
    r.signal = int(m.value(QLatin1String("signal")).toInteger());
    for (const QCborValue &d : m.value(QLatin1String("diagnostics")).toArray())
        r.diagnostics << CoqDiagnostic::fromCbor(d.toMap());
    r.output = m.value(QLatin1String("output")).toString();
    r.ms = m.value(QLatin1String("ms")).toInteger();
    r.cpuMs = m.value(QLatin1String("cpu_ms")).toInteger();
    r.peakRssBytes = m.value(QLatin1String("peak_rss")).toInteger();
    r.message = m.value(QLatin1String("message")).toString();
    return r;
}

} // namespace CoqLib
