#pragma once

#include "drover/manager.h"
#include "plugins/pluginregistry.h"
#include "slots/jobslots.h"
#include "transport/launcher.h"
#include "transport/workeradmission.h"
#include "wire/wire.h"

#include <map>
#include <memory>

namespace Drover::Internal {

//! What outlives one queue: plugins, the way in for workers (admission),
//! worker and task ids. Queues reach it through ManagerPrivate::get().
class ManagerPrivate : public QObject
{
    Q_OBJECT
public:
    explicit ManagerPrivate(Manager *q);
    ~ManagerPrivate() override;

    static ManagerPrivate *get(Manager *m) { return m->d.get(); }

    //! Opens the workers' socket once; false with `error` set if it cannot.
    bool listen();

    //! What remote workers connect to: tls:HOST:PORT.
    QString remoteServer() const;
    //! The build id of workerProgram, read once per program.
    QString workerBuild();

    int nextWorkerId() { return m_nextWorkerId++; }
    TaskId nextTaskId() { return m_nextTaskId++; }

    Manager *q;
    PluginRegistry registry;
    WorkerAdmission admission;
    QStringList addedPaths;
    QStringList defaultPaths;  // $DROVER_PLUGIN_PATH and the installed directory, read once
    QString error;
    QString workerProgram;
    //! Set: every worker starts through it, over TCP (docs/remote.md).
    Launcher launcher;
    QString remoteHost;        // what workers are told to connect to: HOST or HOST:PORT
    bool tlsOnLoopback = false;
    QString workerBuildOf[2];  // program, its build id
    qint64 maxFrameSize = Wire::DefaultMaxFrameSize;
    JobSlots jobSlots;         // shared by every queue (docs/jobserver.md)
    std::map<QString, std::unique_ptr<TaskQueue>> queues;
    bool destroying = false;   // queues end their tasks with "the manager was destroyed"

private:
    int m_nextWorkerId = 1;
    TaskId m_nextTaskId = 1;
};

} // namespace Drover::Internal
