#pragma once

#include "slots/tokensource.h"

#include <memory>

class QSocketNotifier;

namespace Drover::Internal {

//! A client of drover-slots, the token server that shares N job slots
//! among the Drover processes of one user (manager/slotserver/main.cpp has
//! the protocol). It asks for one token at a time and keeps the grants it
//! did not use only while a queue waits; the server takes back whatever it
//! holds when its socket closes, also when this process is killed.
class TokenServerClient : public TokenSource
{
    Q_OBJECT
public:
    //! Connects to the user's server, starting `program` with `cap` slots
    //! if none runs (waiting for it at most a few seconds). nullptr with
    //! `error` set if it cannot. `serverCap` gets the cap of the server
    //! found, which a server started by another process may have set.
    static std::unique_ptr<TokenServerClient> connectOrStart(int cap, const QString &program, int *serverCap,
                                                             QString *error);
    //! The owner-only directory of the server's socket:
    //! $XDG_RUNTIME_DIR/drover, else /tmp/drover-UID. Empty with `error`
    //! set when it is not this user's alone.
    static QString directory(QString *error);
    ~TokenServerClient() override;

    std::optional<char> tryTake() override;
    void give(char token) override;
    void watch(bool on) override;
    bool hasImplicitSlot() const override { return false; }
    bool answersLater() const override { return true; }
    QString name() const override;
    //! The server's fifo (`jobserver` beside its socket), if it has one.
    ChildJobserver childJobserver() const override;

private:
    TokenServerClient(int fd, int cap, const QString &path);
    void onReadable();
    bool send(char byte);

    int m_fd;
    int m_cap;
    QString m_path;
    QSocketNotifier *m_notifier;
    int m_asked = 0;   // 'T' sent, no '+' yet
    int m_granted = 0; // '+' received, not taken
    bool m_watching = false;
    bool m_lost = false;
};

} // namespace Drover::Internal
