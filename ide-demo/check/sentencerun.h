#pragma once

#include "checkoptions.h"
#include "coqdocumentcheck.h"
#include "coqtextpositions.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QObject>

#include <memory>
#include <optional>

namespace Drover {
class Manager;
class TaskQueue;
}

//! drover-check --sentences FILE.v (docs/coq.md, "Interactive documents"):
//! the document checked sentence by sentence on `coqdoc` workers, as an
//! editor would have it checked, with a `sentence` event per sentence as
//! its outcome comes in and a `summary`. Ends as CheckRun does: start()
//! returns false (nothing was checked), or finished() fires once.
class SentenceRun : public QObject
{
    Q_OBJECT
public:
    explicit SentenceRun(CheckOptions options, QObject *parent = nullptr);
    ~SentenceRun() override;

    bool start(int *exitCode);
    void interrupt();

Q_SIGNALS:
    void finished(int exitCode);

private:
    void report(const QList<int> &sentences);
    void end();

    CheckOptions m_options;
    QString m_file;
    std::optional<CoqLib::CoqTextPositions> m_positions;
    std::unique_ptr<Drover::Manager> m_manager;
    Drover::TaskQueue *m_queue = nullptr;
    DroverDemo::CoqDocumentCheck *m_check = nullptr;
    QElapsedTimer m_clock;
    bool m_splitError = false;
};
