#pragma once

#include "performer.h"
#include "wire.h"
#include "workerstate.h"

#include <QtCore/QObject>
#include <QtCore/QThread>
#include <QtNetwork/QLocalSocket>

namespace Drover {
class TaskKind;
}

//! The worker's side of the wire, on the main thread: connects back to the
//! manager, says hello, and serves requests on a compute thread while it
//! keeps answering pings and taking cancels and broadcasts.
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
    };

    WorkerClient(Drover::TaskKind *kind, Config config);
    ~WorkerClient() override;

    void start();

private:
    WorkerState::Outbox outbox();
    void onReadyRead();
    void handle(const QCborMap &message);
    void send(const QCborMap &message);
    void sendFrame(const QByteArray &frame);
    [[noreturn]] void die(int code, const QString &why);

    Drover::TaskKind *m_kind;
    Config m_config;
    QLocalSocket m_socket;
    Drover::Internal::Wire::FrameReader m_reader;
    WorkerState m_state;
    QThread m_computeThread;
    Performer *m_performer = nullptr;
    Drover::TaskId m_running = 0;
    bool m_welcomed = false;
};
