#pragma once

#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QTimer>

class QSocketNotifier;

namespace Drover::Internal {

//! The socket that workers connect back to: a Linux abstract AF_UNIX
//! stream socket (no file, so nothing is left behind when the master is
//! SIGKILLed), accepted on the event loop.
//!
//! Unlike QLocalServer, it does not stop listening when accept() fails.
//! Out of file descriptors (EMFILE, ENFILE), it first asks its owner to free
//! one (outOfDescriptors(), where the manager drops its oldest unauthenticated
//! connection), else sheds the waiting connection with a descriptor kept in
//! reserve for that, and pauses briefly; any other failure of the socket
//! closes it and listens again under the same name. Each such event is told
//! through trouble().
class WorkerListener : public QObject
{
    Q_OBJECT
public:
    explicit WorkerListener(QObject *parent = nullptr);
    ~WorkerListener() override;

    //! Listens on the abstract name (without the leading NUL or '@').
    bool listen(const QString &name, QString *error);
    bool isListening() const { return m_fd >= 0; }
    void close();

Q_SIGNALS:
    //! A connection was accepted: a non-blocking, close-on-exec descriptor
    //! that the receiver owns and must close.
    void accepted(int fd);
    //! Out of file descriptors: a receiver that frees one sets *freed.
    void outOfDescriptors(bool *freed);
    //! Something went wrong and was handled; the text says what and what
    //! was done about it.
    void trouble(const QString &message);

private:
    bool open(QString *error);
    void acceptAll();
    void shedOne();
    void reopen(const QString &why);

    QString m_name;
    int m_fd = -1;
    int m_reserveFd = -1;
    QSocketNotifier *m_notifier = nullptr;
    QTimer m_resume;
    QTimer m_retryOpen;
};

} // namespace Drover::Internal
