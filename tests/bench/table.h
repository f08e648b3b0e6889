#pragma once

#include <QtCore/QList>
#include <QtCore/QString>

//! One row of the benchmark table: a figure, its baseline measured in the
//! same run, and the goal the ratio is held to.
struct Figure
{
    enum class Goal { None, RatioAtMost, RatioAtLeast, ValueAtMost };

    Figure(QString name, QString unit, double value, QString baselineName, double baseline, Goal goal, double target,
           QString note = {})
        : name(std::move(name)), unit(std::move(unit)), value(value), baselineName(std::move(baselineName)),
          baseline(baseline), goal(goal), target(target), note(std::move(note))
    {
    }

    QString name;
    QString unit;
    double value = 0;
    QString baselineName;
    double baseline = 0;      // 0: no baseline
    Goal goal = Goal::None;
    double target = 0;
    QString note;             // "n/a: ..." rows and remarks

    double ratio() const { return baseline > 0 ? value / baseline : 0; }
    QString goalText() const;
    bool met() const;
};

void printTable(const QList<Figure> &figures, bool json);
