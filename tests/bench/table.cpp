#include "table.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTextStream>

#include <cmath>

double Figure::ratio() const
{
    if (!hasBaseline() || value <= 0 || !na.isEmpty())
        return 0;
    return inverse() ? baseline / value : value / baseline;
}

QString Figure::goalText() const
{
    switch (goal) {
    case Goal::None: return QStringLiteral("-");
    case Goal::RatioAtMost: return QStringLiteral("<= %1x").arg(target);
    case Goal::RatioAtLeast: return QStringLiteral(">= %1x").arg(target);
    case Goal::SlowerAtMost: return QStringLiteral("<= %1x slower").arg(target);
    case Goal::FasterAtLeast: return QStringLiteral(">= %1x faster").arg(target);
    case Goal::ValueAtMost: return QStringLiteral("<= %1 %2").arg(target).arg(unit);
    }
    return {};
}

std::optional<bool> Figure::met() const
{
    if (goal == Goal::None || !na.isEmpty() || !failure.isEmpty() || value <= 0)
        return std::nullopt;
    if (goal == Goal::ValueAtMost)
        return value <= target;
    if (!hasBaseline())
        return std::nullopt;
    switch (goal) {
    case Goal::RatioAtMost:
    case Goal::SlowerAtMost: return ratio() <= target;
    case Goal::RatioAtLeast:
    case Goal::FasterAtLeast: return ratio() >= target;
    default: return std::nullopt;
    }
}

bool Figure::failed() const
{
    if (!failure.isEmpty())
        return true;
    if (!na.isEmpty())
        return false;
    if (!(value > 0) || !std::isfinite(value))
        return true;
    return !baselineName.isEmpty() && baselineNa.isEmpty() && !(baseline > 0);
}

namespace {
QString number(double v)
{
    return v >= 100 ? QString::number(v, 'f', 0) : QString::number(v, 'g', 3);
}

QString valueCell(const Figure &f)
{
    if (!f.failure.isEmpty())
        return QStringLiteral("FAILED: ") + f.failure;
    if (!f.na.isEmpty())
        return f.na;
    return number(f.value) + QLatin1Char(' ') + f.unit;
}

QString baselineCell(const Figure &f)
{
    if (f.baselineName.isEmpty())
        return QStringLiteral("-");
    if (!f.baselineNa.isEmpty())
        return QStringLiteral("%1 (%2)").arg(f.baselineNa, f.baselineName);
    return QStringLiteral("%1 %2 (%3)").arg(number(f.baseline), f.unit, f.baselineName);
}

QString ratioCell(const Figure &f)
{
    const double r = f.ratio();
    if (r <= 0)
        return QStringLiteral("-");
    const QString text = QString::number(r, 'f', 2) + QLatin1Char('x');
    if (f.goal == Figure::Goal::SlowerAtMost)
        return text + QLatin1String(" slower");
    if (f.goal == Figure::Goal::FasterAtLeast)
        return text + QLatin1String(" faster");
    return text;
}

QString metCell(const Figure &f)
{
    const std::optional<bool> met = f.met();
    return !met ? QStringLiteral("-") : *met ? QStringLiteral("yes") : QStringLiteral("**no**");
}


QJsonObject toJson(const Figure &f)
{
    const std::optional<bool> met = f.met();
    return {
        {QStringLiteral("key"), f.key},
        {QStringLiteral("figure"), f.name},
        {QStringLiteral("unit"), f.unit},
        {QStringLiteral("value"), f.na.isEmpty() && f.failure.isEmpty() ? QJsonValue(f.value) : QJsonValue()},
        {QStringLiteral("baseline"), f.baselineName.isEmpty() ? QJsonValue() : QJsonValue(f.baselineName)},
        {QStringLiteral("baseline_value"), f.hasBaseline() ? QJsonValue(f.baseline) : QJsonValue()},
        {QStringLiteral("ratio"), f.ratio() > 0 ? QJsonValue(f.ratio()) : QJsonValue()},
        {QStringLiteral("ratio_of"), f.inverse() ? QStringLiteral("baseline/value") : QStringLiteral("value/baseline")},
        {QStringLiteral("goal"), f.goalText()},
        {QStringLiteral("met"), met ? QJsonValue(*met) : QJsonValue()},
        {QStringLiteral("na"), f.na.isEmpty() ? QJsonValue() : QJsonValue(f.na)},
        {QStringLiteral("baseline_na"), f.baselineNa.isEmpty() ? QJsonValue() : QJsonValue(f.baselineNa)},
        {QStringLiteral("note"), f.note.isEmpty() ? QJsonValue() : QJsonValue(f.note)},
        {QStringLiteral("failure"), f.failure.isEmpty() ? QJsonValue() : QJsonValue(f.failure)},
    };
}
} // namespace

TablePrinter::TablePrinter(bool json) : m_json(json)
{
    if (!m_json)
        QTextStream(stdout) << "| figure | value | baseline | ratio | goal | met? |\n"
                               "| --- | --- | --- | --- | --- | --- |\n";
}

void TablePrinter::print(const Figure &f)
{
    QTextStream out(stdout);
    if (m_json) {
        out << QJsonDocument(toJson(f)).toJson(QJsonDocument::Compact) << '\n';
        return;
    }
    QString name = f.name;
    if (!f.note.isEmpty()) {
        m_notes << QStringLiteral("[%1] %2").arg(m_notes.size() + 1).arg(f.note);
        name += QStringLiteral(" [%1]").arg(m_notes.size());
    }
    out << "| " << name << " | " << valueCell(f) << " | " << baselineCell(f) << " | " << ratioCell(f) << " | "
        << f.goalText() << " | " << metCell(f) << " |\n";
}

void TablePrinter::finish()
{
    if (!m_json && !m_notes.isEmpty())
        QTextStream(stdout) << '\n' << m_notes.join(QLatin1Char('\n')) << '\n';
}
