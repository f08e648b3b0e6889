#pragma once

#include "coqdevelopmentbuild.h" // ide-demo/common

#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <chrono>

namespace Drover {
class Manager;
class TaskQueue;
}

namespace DroverIde {

class CoqFilesDock;
class CoqFileView;

//! Drives drover-ide's Coq development: builds it on the manager's `coq`
//! queue (CoqDevelopmentBuild, as drover-check does), lists its files in
//! the files dock, and shows the file chosen there in the view with its
//! messages, which follow the file's outcome when it comes. Opening another
//! development cancels what is left of the first.
class CoqController : public QObject
{
    Q_OBJECT
public:
    CoqController(Drover::Manager *manager, CoqFilesDock *dock, CoqFileView *view, QObject *parent = nullptr);
    ~CoqController() override;

    //! Whether drover-ide takes `path` for a Coq development: a directory
    //! with a _CoqProject, or a _CoqProject (a .v alone is edited instead).
    static bool isDevelopment(const QString &path);

    //! Opens and starts building the development at `path`. False, with a
    //! one-line reason in *error, when the development cannot be read, Coq
    //! is missing or the `coq` plugin does not load.
    bool open(const QString &path, std::chrono::milliseconds timeLimit, QString *error);
    //! Shows a file of the development (relative to its root) in the view.
    bool showFile(const QString &file, QString *error = nullptr);

    //! The `coq` queue, once a development was opened (nullptr before).
    Drover::TaskQueue *queue() const { return m_queue; }
    DroverDemo::CoqDevelopmentBuild *build() const { return m_build; }
    //! The root of the open development (empty: none).
    QString root() const;
    //! A development is open and every file of it has an outcome.
    bool isSettled() const;

Q_SIGNALS:
    //! The queue was made (the first time a development opens).
    void queueCreated(Drover::TaskQueue *queue);
    //! Every file of the open development has its outcome.
    void settled();

private:
    Drover::Manager *m_manager;
    CoqFilesDock *m_dock;
    CoqFileView *m_view;
    Drover::TaskQueue *m_queue = nullptr;
    QPointer<DroverDemo::CoqDevelopmentBuild> m_build;
};

} // namespace DroverIde
