#pragma once

#include "managerlink.h"
#include "performer.h"
#include "wire/messages.h"
#include "workerstate.h"

#include <QtCore/QObject>

#include <memory>

namespace Drover {
class TaskKind;
}

//! The worker's side of the wire, on the main thread: connects back to the
//! manager, says hello, hands requests to the compute thread (which answers
//! them itself) and keeps answering pings and taking cancels and broadcasts
//! while a task runs.
class WorkerClient : public QObject
{
    Q_OBJECT
public:
    struct Config
    {
        QString server;
        QByteArray secret;
        QString kind;
        int workerId = 0;
        //! Remote (server "tls:HOST:PORT"): the manager's certificate
        //! fingerprint, and the plugin file whose build id the hello carries.
        QString fingerprint;
        QString pluginFile;
    };

    WorkerClient(Drover::TaskKind *kind, Config config);
    ~WorkerClient() override;

    //! Connects and says hello; exits the process if it cannot connect.
    void start();

private:
    WorkerState::Outbox outbox();
    void onReadable();
    void handle(const Drover::Internal::Wire::Received &message);
    void welcome(const Drover::Internal::Wire::Welcome &welcome);
    Drover::Internal::Wire::Hello hello() const;
    //! Remote: the challenge and the manager's proof, before the welcome.
    void authenticate(const Drover::Internal::Wire::Received &message);
    [[noreturn]] void die(int code, const QString &why);

    Drover::TaskKind *m_kind;
    Config m_config;
    ManagerLink m_link;
    Drover::Internal::Wire::FrameReader m_reader;
    WorkerState m_state;
    std::unique_ptr<Performer> m_performer;
    bool m_welcomed = false;
    bool m_remote = false;
    QByteArray m_managerNonce; // remote: the challenge, until its proof came
    QByteArray m_nonce;        // remote: ours
};
