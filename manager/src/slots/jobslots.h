#pragma once

#include "slots/tokensource.h"

#include <QtCore/QObject>
#include <QtCore/QTimer>

#include <memory>
#include <vector>

namespace Drover::Internal {

//! The job slots of one Manager, shared by all its queues: the one slot
//! every process owns (make's "implicit" token) and, beyond it, a token
//! from a TokenSource per running task. Without a source there is no cap
//! here (each queue's maxWorkers still holds).
//!
//! A queue calls take() before it sends a task and release() once that
//! task has ended, on every path. A token of an ended task is kept until
//! the event loop's next pass, so the next task of a busy queue reuses it
//! without a trip through the pipe; whatever is not taken by then goes back.
class JobSlots : public QObject
{
    Q_OBJECT
public:
    explicit JobSlots(QObject *parent = nullptr);
    //! Gives back every token it still holds.
    ~JobSlots() override;

    //! The tokens' source; nullptr for none. Tokens of the old one go back.
    void setSource(std::unique_ptr<TokenSource> source);
    TokenSource *source() const { return m_source.get(); }

    //! A slot for one task, or false at once (slotFreed() follows when one
    //! may be free).
    bool take();
    //! The slot of a task that ended.
    void release();
    //! Slots taken and not released.
    int inUse() const { return m_running; }
    //! Tokens held now, in use or about to go back.
    int tokensHeld() const { return int(m_held.size() + m_spare.size()); }
    //! Some take() failed since the last slotFreed().
    bool isWaiting() const { return m_waiting; }
    //! A take() failed because every slot is taken, not only because the
    //! answer of the token server is on its way; until slotFreed().
    bool isFull() const { return m_full; }

Q_SIGNALS:
    //! isFull() became true after a take() had failed: from the event loop.
    void becameFull();
    //! A take() failed before and a slot may be free now: try again. From
    //! the event loop, never from inside take() or release().
    void slotFreed();

private:
    void onTokenMayBeThere();
    void onLost(const QString &why);
    void giveBackSpares();
    void wake();

    std::unique_ptr<TokenSource> m_source;
    int m_running = 0;
    std::vector<char> m_held;  // the tokens of running tasks (the implicit slot is not one)
    std::vector<char> m_spare; // of tasks that ended, going back on the next pass
    QTimer m_giveBack;
    bool m_waiting = false;
    bool m_full = false;
};

} // namespace Drover::Internal
