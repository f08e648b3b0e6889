#pragma once

#include <QtCore/QObject>

class QSocketNotifier;

//! Turns SIGINT into a Qt signal on the main thread: the handler only writes
//! a byte to a socket pair, which a QSocketNotifier reads. A second SIGINT
//! ends the process at once, after a newline when stderr is a terminal (its
//! workers die with it: they watch their master). One watcher per process; destroying it restores the previous
//! SIGINT action.
class SigintWatcher : public QObject
{
    Q_OBJECT
public:
    explicit SigintWatcher(QObject *parent = nullptr);
    ~SigintWatcher() override;

Q_SIGNALS:
    void interrupted();

private:
    QSocketNotifier *m_notifier = nullptr;
};
