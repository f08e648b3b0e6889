#pragma once

#include "slots/jobserverauth.h"
#include "slots/tokensource.h"

#include <memory>

class QSocketNotifier;

namespace Drover::Internal {

//! A client of GNU make's jobserver (docs/jobserver.md).
//!
//! make's read end is shared with every other client and must stay
//! blocking, so this never reads from it: it opens a description of its own
//! on the same pipe or fifo (the pipe through /proc/self/fd), non-blocking
//! and close-on-exec, watched by a QSocketNotifier. When another client
//! takes the byte between the notice and the read, the read says EAGAIN and
//! the watch goes on; the event loop never waits for a token.
class MakeJobserver : public TokenSource
{
    Q_OBJECT
public:
    //! nullptr with `error` set when the jobserver cannot be used: the
    //! descriptors of a recipe without `+` (closed, or reused for something
    //! else), a fifo that cannot be opened.
    static std::unique_ptr<MakeJobserver> open(const JobserverAuth &auth, QString *error);
    ~MakeJobserver() override;

    std::optional<char> tryTake() override;
    void give(char token) override;
    void watch(bool on) override;
    QString name() const override;

private:
    MakeJobserver(int readFd, int writeFd, const QString &word);

    int m_readFd;  // ours, non-blocking
    int m_writeFd; // make's descriptor for a pipe, ours for a fifo
    bool m_ownsWriteFd = false;
    QString m_word;
    QSocketNotifier *m_notifier = nullptr;
    bool m_lost = false;
};

} // namespace Drover::Internal
