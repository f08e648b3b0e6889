#include "coqdocument.h"

namespace CoqLib {

namespace {
QLatin1StringView key(const char *name)
{
    return QLatin1StringView(name);
}

const char *const StatusNames[] = {"checked", "error", "not reached", "admitted"};
} // namespace

QCborMap CoqDocRequest::toCbor() const
{
    QCborMap m;
    m.insert(key("document"), document);
    m.insert(key("root"), root);
    m.insert(key("flags"), QCborArray::fromStringList(flags));
    m.insert(key("coqidetop"), coqidetop);
    m.insert(key("text"), text);
    QCborArray admitted;
    for (int proof : admit)
        admitted.append(proof);
    m.insert(key("admit"), admitted);
    m.insert(key("proofUsing"), QCborArray::fromStringList(proofUsingLibraries));
    m.insert(key("role"), role);
    m.insert(key("known"), known);
    return m;
}

CoqDocRequest CoqDocRequest::fromCbor(const QCborMap &m)
{
    CoqDocRequest r;
    r.document = m.value(key("document")).toString();
    r.root = m.value(key("root")).toString();
    for (const QCborValue &flag : m.value(key("flags")).toArray())
        r.flags << flag.toString();
    r.coqidetop = m.value(key("coqidetop")).toString();
    r.text = m.value(key("text")).toByteArray();
    for (const QCborValue &proof : m.value(key("admit")).toArray())
        r.admit << int(proof.toInteger(-1));
    for (const QCborValue &library : m.value(key("proofUsing")).toArray())
        r.proofUsingLibraries << library.toString();
    r.role = int(m.value(key("role")).toInteger());
    r.known = int(m.value(key("known")).toInteger());
    return r;
}

QString CoqSentenceOutcome::statusName(Status status)
{
    return QString::fromLatin1(StatusNames[int(status)]);
}

QCborArray CoqSentenceOutcome::toCbor() const
{
    QCborArray a{sentence, int(status)};
    if (!message.isEmpty() || byteStart >= 0)
        a.append(message);
    if (byteStart >= 0)
        a << byteStart << byteEnd;
    return a;
}

CoqSentenceOutcome CoqSentenceOutcome::fromCbor(const QCborArray &a)
{
    CoqSentenceOutcome o;
    o.sentence = int(a.at(0).toInteger(-1));
    const qint64 status = a.at(1).toInteger();
    o.status = status >= 0 && status <= int(Status::Admitted) ? Status(status) : Status::NotReached;
    o.message = a.at(2).toString();
    o.byteStart = a.size() > 3 ? a.at(3).toInteger(-1) : -1;
    o.byteEnd = a.size() > 4 ? a.at(4).toInteger(-1) : -1;
    return o;
}

QCborValue outcomesFeedback(const QList<CoqSentenceOutcome> &outcomes)
{
    QCborArray list;
    for (const CoqSentenceOutcome &o : outcomes)
        list.append(o.toCbor());
    return QCborMap{{key("outcomes"), list}};
}

QList<CoqSentenceOutcome> outcomesOfFeedback(const QCborValue &feedback)
{
    QList<CoqSentenceOutcome> outcomes;
    for (const QCborValue &o : feedback[key("outcomes")].toArray())
        outcomes << CoqSentenceOutcome::fromCbor(o.toArray());
    return outcomes;
}

QCborMap CoqDocResult::toCbor() const
{
    QCborMap m;
    m.insert(key("status"), status);
    m.insert(key("message"), message);
    m.insert(key("resumedAt"), resumedAt);
    m.insert(key("added"), added);
    QCborArray list;
    for (const CoqSentenceOutcome &o : outcomes)
        list.append(o.toCbor());
    m.insert(key("outcomes"), list);
    m.insert(key("ms"), ms);
    m.insert(key("rss"), coqidetopRssBytes);
    m.insert(key("pid"), coqidetopPid);
    return m;
}

CoqDocResult CoqDocResult::fromCbor(const QCborMap &m)
{
    CoqDocResult r;
    r.status = m.value(key("status")).toString();
    r.message = m.value(key("message")).toString();
    r.resumedAt = int(m.value(key("resumedAt")).toInteger());
    r.added = int(m.value(key("added")).toInteger());
    for (const QCborValue &o : m.value(key("outcomes")).toArray())
        r.outcomes << CoqSentenceOutcome::fromCbor(o.toArray());
    r.ms = m.value(key("ms")).toInteger();
    r.coqidetopRssBytes = m.value(key("rss")).toInteger();
    r.coqidetopPid = m.value(key("pid")).toInteger();
    return r;
}

} // namespace CoqLib
