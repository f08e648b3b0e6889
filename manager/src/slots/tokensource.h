#pragma once

#include <QtCore/QObject>
#include <QtCore/QString>

#include <optional>

namespace Drover::Internal {

//! Where job tokens come from beyond the one slot every process owns: GNU
//! make's jobserver (MakeJobserver) or Drover's token server
//! (TokenServerClient). Used from the manager's thread only; nothing here
//! ever blocks it.
class TokenSource : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    //! A token if one is there now, else nullopt at once.
    virtual std::optional<char> tryTake() = 0;
    //! Gives back a token taken from this source (the same byte).
    virtual void give(char token) = 0;
    //! While on, tokenMayBeThere() fires when tryTake() may succeed.
    virtual void watch(bool on) = 0;
    //! Whether the process owns one slot without a token (make's clients
    //! do; the token server's do not: its N slots are all there is).
    virtual bool hasImplicitSlot() const { return true; }
    //! Whether a tryTake() that fails may only mean "asked, the answer is
    //! on its way" (the token server), rather than "none is free" (make's
    //! pipe). Such a source says noneFree() once it knows.
    virtual bool answersLater() const { return false; }
    //! Where the tokens come from, for messages ("make's jobserver (fifo:/tmp/x)").
    virtual QString name() const = 0;
    //! A make-style jobserver fifo drawing on the same tokens, which the
    //! workers offer to the processes their tasks start, with how many
    //! slots it shares; empty for none.
    struct ChildJobserver
    {
        QString fifo;
        int jobs = 0; // its number of slots
    };
    virtual ChildJobserver childJobserver() const { return {}; }

Q_SIGNALS:
    void tokenMayBeThere();
    //! A token asked for is not free: it comes when another is given back.
    void noneFree();
    //! The source is gone for good (make's pipe closed, the token server
    //! died); the tokens it gave are dropped, not given back.
    void lost(const QString &why);
};

} // namespace Drover::Internal
