#pragma once

// One row of the benchmark table and the printer for all of them.

#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <optional>

struct Figure
{
    //! What the goal compares. "Ratio" goals test value/baseline; "Inverse"
    //! goals test baseline/value (how much slower a rate is than its
    //! floor, or how much faster a time is than its baseline).
    enum class Goal { None, RatioAtMost, RatioAtLeast, SlowerAtMost, FasterAtLeast, ValueAtMost };

    QString key {};             //!< the --only name that produced it
    QString name {};
    QString unit {};
    double value = 0;
    QString baselineName {};    //!< empty: the figure has no baseline
    double baseline = 0;
    Goal goal = Goal::None;
    double target = 0;
    QString na {};              //!< "n/a: why": the value is not measured on purpose
    QString baselineNa {};      //!< "n/a: why": the baseline cannot be measured here
    QString note {};            //!< a remark printed under the table
    QString failure {};         //!< the measurement failed: why

    bool hasBaseline() const { return !baselineName.isEmpty() && baselineNa.isEmpty() && baseline > 0; }
    bool inverse() const { return goal == Goal::SlowerAtMost || goal == Goal::FasterAtLeast; }
    //! The number the goal tests (0 when there is none).
    double ratio() const;
    QString goalText() const;
    //! nullopt when the goal cannot be judged (n/a, failed, no baseline).
    std::optional<bool> met() const;
    //! A measurement that should have produced a number did not.
    bool failed() const;
};

//! Prints rows as they are measured: a Markdown table (its notes last) or
//! one JSON object per line.
class TablePrinter
{
public:
    explicit TablePrinter(bool json);
    void print(const Figure &figure);
    void finish();

private:
    bool m_json;
    QStringList m_notes;
};
