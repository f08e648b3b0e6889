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
    //! Where the tokens come from, for messages ("make's jobserver (fifo:/tmp/x)").
    virtual QString name() const = 0;

Q_SIGNALS:
    void tokenMayBeThere();
    //! The source is gone for good (make's pipe closed, the token server
    //! died); the tokens it gave are dropped, not given back.
    void lost(const QString &why);
};

} // namespace Drover::Internal
