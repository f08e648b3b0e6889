#include "table.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTextStream>

QString Figure::goalText() const
{
    switch (goal) {
    case Goal::None: return QStringLiteral("-");
    case Goal::RatioAtMost: return QStringLiteral("<= %1x").arg(target);
    case Goal::RatioAtLeast: return QStringLiteral(">= %1x").arg(target);
    case Goal::ValueAtMost: return QStringLiteral("<= %1 %2").arg(target).arg(unit);
    }
    return {};
}

bool Figure::met() const
{
    switch (goal) {
    case Goal::None: return true;
    case Goal::RatioAtMost: return baseline > 0 && ratio() <= target;
    case Goal::RatioAtLeast: return baseline > 0 && ratio() >= target;
    case Goal::ValueAtMost: return value <= target;
    }
    return false;
}

static QString number(double v)
{
    if (v == 0)
        return QStringLiteral("-");
    return v >= 100 ? QString::number(v, 'f', 0) : QString::number(v, 'g', 3);
}

void printTable(const QList<Figure> &figures, bool json)
{
    QTextStream out(stdout);
    if (json) {
        for (const Figure &f : figures) {
            QJsonObject o{{QStringLiteral("figure"), f.name}, {QStringLiteral("unit"), f.unit},
                          {QStringLiteral("value"), f.value}, {QStringLiteral("baseline"), f.baselineName},
                          {QStringLiteral("baseline_value"), f.baseline}, {QStringLiteral("ratio"), f.ratio()},
                          {QStringLiteral("goal"), f.goalText()}, {QStringLiteral("met"), f.note.startsWith(QLatin1String("n/a")) ? QJsonValue() : QJsonValue(f.met())},
                          {QStringLiteral("note"), f.note}};
            out << QJsonDocument(o).toJson(QJsonDocument::Compact) << '\n';
        }
        return;
    }
    out << QStringLiteral("| figure | value | baseline | ratio | goal | met |\n| --- | --- | --- | --- | --- | --- |\n");
    for (const Figure &f : figures) {
        const bool na = f.note.startsWith(QLatin1String("n/a"));
        out << "| " << f.name << " | " << (na ? f.note : number(f.value) + QLatin1Char(' ') + f.unit) << " | "
            << (f.baseline > 0 ? QStringLiteral("%1 %2 (%3)").arg(number(f.baseline), f.unit, f.baselineName) : f.baselineName)
            << " | " << (f.baseline > 0 ? QString::number(f.ratio(), 'f', 2) + QLatin1Char('x') : QStringLiteral("-")) << " | "
            << f.goalText() << " | " << (na ? QStringLiteral("-") : f.met() ? QStringLiteral("yes") : QStringLiteral("**no**"))
            << (f.note.isEmpty() || na ? QString() : QStringLiteral(" (%1)").arg(f.note)) << " |\n";
    }
}
