#include "coqxml.h"

namespace CoqLib::CoqXml {

namespace {
QByteArray number(qint64 n)
{
    return QByteArray::number(n);
}

QByteArray intXml(qint64 n)
{
    return "<int>" + number(n) + "</int>";
}

QByteArray pair(const QByteArray &a, const QByteArray &b)
{
    return "<pair>" + a + b + "</pair>";
}

QByteArray stateXml(int id)
{
    return "<state_id val=\"" + number(id) + "\"/>";
}

QByteArray boolXml(bool b)
{
    return b ? QByteArrayLiteral("<bool val=\"true\"/>") : QByteArrayLiteral("<bool val=\"false\"/>");
}

QByteArray call(const char *name, const QByteArray &argument)
{
    return QByteArray("<call val=\"") + name + "\">" + argument + "</call>";
}

std::optional<qint64> attributeNumber(const CoqXmlElement &element, const QString &name)
{
    bool ok = false;
    const qint64 n = element.attribute(name).toLongLong(&ok);
    return ok ? std::optional<qint64>(n) : std::nullopt;
}

//! A message's text: its richpp (8.16) or string (older) child, flattened.
QString messageText(const CoqXmlElement &parent)
{
    for (const CoqXmlElement &c : parent.children) {
        if (c.name == QLatin1String("richpp") || c.name == QLatin1String("string"))
            return c.flat;
    }
    return QString();
}
} // namespace

QByteArray escaped(const QByteArray &text)
{
    QByteArray out;
    out.reserve(text.size() + text.size() / 8);
    for (const char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        default: out += c;
        }
    }
    return out;
}

QByteArray initCall()
{
    return call("Init", QByteArrayLiteral("<option val=\"none\"/>"));
}

QByteArray addCall(const QByteArray &sentenceUtf8, int editId, int stateId, qint64 byteOffset, int line, int bolPos)
{
    const QByteArray sentence = "<string>" + escaped(sentenceUtf8) + "</string>";
    return call("Add", pair(pair(pair(pair(sentence, intXml(editId)), pair(stateXml(stateId), boolXml(false))),
                                 intXml(byteOffset)),
                            pair(intXml(line), intXml(bolPos))));
}

QByteArray statusCall(bool force)
{
    return call("Status", boolXml(force));
}

QByteArray editAtCall(int stateId)
{
    return call("Edit_at", stateXml(stateId));
}

QByteArray goalCall()
{
    return call("Goal", QByteArrayLiteral("<unit/>"));
}

QByteArray quitCall()
{
    return call("Quit", QByteArrayLiteral("<unit/>"));
}

int stateId(const CoqXmlElement &element)
{
    return element.name == QLatin1String("state_id") ? element.attribute(QStringLiteral("val")).toInt() : 0;
}

std::optional<CoqFeedback> feedback(const CoqXmlElement &element)
{
    if (element.name != QLatin1String("feedback"))
        return std::nullopt;
    CoqFeedback f;
    for (const CoqXmlElement &c : element.children) {
        if (c.name == QLatin1String("state_id")) {
            f.stateId = stateId(c);
        } else if (c.name == QLatin1String("feedback_content")) {
            f.kind = c.attribute(QStringLiteral("val"));
            const CoqXmlElement &message = c.child(0);
            if (f.kind == QLatin1String("message") && message.name == QLatin1String("message")) {
                for (const CoqXmlElement &part : message.children) {
                    if (part.name == QLatin1String("message_level"))
                        f.level = part.attribute(QStringLiteral("val"));
                    else if (part.name == QLatin1String("option") && part.child(0).name == QLatin1String("loc")) {
                        f.locStart = attributeNumber(part.child(0), QStringLiteral("start"));
                        f.locStop = attributeNumber(part.child(0), QStringLiteral("stop"));
                    }
                }
                f.text = messageText(message);
            } else {
                f.text = c.flat; // processingin's worker, workerstatus's pair, fileloaded's names
            }
        }
    }
    return f;
}

Value value(const CoqXmlElement &element)
{
    Value v;
    v.good = element.attribute(QStringLiteral("val")) == QLatin1String("good");
    if (v.good) {
        v.payload = element.child(0);
        return v;
    }
    v.failure.safeStateId = stateId(element.child(0));
    v.failure.locStart = attributeNumber(element, QStringLiteral("loc_s"));
    v.failure.locStop = attributeNumber(element, QStringLiteral("loc_e"));
    v.failure.message = messageText(element);
    return v;
}

QStringList goalTexts(const CoqXmlElement &option)
{
    QStringList texts;
    const CoqXmlElement &goals = option.child(0);
    if (option.attribute(QStringLiteral("val")) != QLatin1String("some") || goals.name != QLatin1String("goals"))
        return texts;
    // goals: (foreground list, background, shelved, given up); goal: (id, hyps, conclusion, …).
    for (const CoqXmlElement &goal : goals.child(0).children) {
        QStringList lines;
        for (const CoqXmlElement &hypothesis : goal.child(1).children)
            lines << hypothesis.flat;
        lines << QStringLiteral("============================") << goal.child(2).flat;
        texts << lines.join(QLatin1Char('\n'));
    }
    return texts;
}

} // namespace CoqLib::CoqXml
