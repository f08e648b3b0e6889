#pragma once

#include "drover/manager.h"
#include "handshakegate.h"
#include "pluginregistry.h"
#include "wire.h"
#include "workerlistener.h"

#include <QtCore/QHash>
#include <QtCore/QPointer>

#include <map>
#include <memory>

namespace Drover::Internal {

class WorkerProcess;

//! The manager's side of the handshake and the registries that outlive one
//! queue: plugins, the listening socket, worker and task ids.
class ManagerPrivate : public QObject
{
    Q_OBJECT
public:
    explicit ManagerPrivate(Manager *q);
    ~ManagerPrivate() override;

    static ManagerPrivate *get(Manager *m) { return m->d.get(); }

    bool listen();
    //! What a worker passes to Wire::connectToManager().
    QString serverName() const { return m_serverName; }
    QByteArray secret() const { return m_secret; }

    //! A worker that the manager will accept a hello from.
    void expectHello(WorkerProcess *worker, const QString &kind);
    void forget(WorkerProcess *worker);

    int nextWorkerId() { return m_nextWorkerId++; }
    TaskId nextTaskId() { return m_nextTaskId++; }

    Manager *q;
    PluginRegistry registry;
    QStringList addedPaths;
    QStringList defaultPaths;  // $DROVER_PLUGIN_PATH and the installed directory, read once
    QString error;
    QString workerProgram;
    qint64 maxFrameSize = Wire::DefaultMaxFrameSize;
    std::map<QString, std::unique_ptr<TaskQueue>> queues;

private:
    struct Expected
    {
        QPointer<WorkerProcess> worker;
        QString kind;
    };
    void checkHello(int fd, const Peer &peer, const QCborMap &hello);
    void refuse(int fd, const QString &reason, WorkerProcess *ours);
    bool isExpectedPid(qint64 pid) const;

    WorkerListener m_listener;
    HandshakeGate m_gate;
    QString m_serverName;
    QByteArray m_secret;
    QHash<int, Expected> m_expected;
    int m_nextWorkerId = 1;
    TaskId m_nextTaskId = 1;
};

} // namespace Drover::Internal
