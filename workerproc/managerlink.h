#pragma once

#include "tlsconnection.h"
#include "wire/messages.h"

#include <QtCore/QObject>
#include <QtCore/QSocketNotifier>

#include <memory>
#include <mutex>

//! The worker's connection to its manager: a plain AF_UNIX stream socket,
//! or a remote worker's TLS connection (TlsConnection); no QtNetwork, so
//! the worker starts with fewer libraries to load.
//!
//! Any thread may send: a frame is written whole, under a lock, before
//! send() returns, so frames never interleave and the last words of a task
//! that then crashes are on the socket. Reading is the main thread's: it
//! emits readable() and the main thread takes the bytes with readInto().
class ManagerLink : public QObject
{
    Q_OBJECT
public:
    ManagerLink();
    ~ManagerLink() override;

    //! Connects to what DROVER_SERVER names ("@name": a Linux abstract
    //! socket; otherwise a path, relative to the temporary directory as
    //! QLocalServer places it). False with *error set if it cannot.
    //! "tls:HOST:PORT": a remote worker's TLS connection, to a manager
    //! whose certificate has the SHA-256 `fingerprint` (TlsConnection).
    bool connectTo(const QString &server, const QString &fingerprint, QString *error);

    //! Frames larger than this are not sent (the welcome sets it).
    void setMaxFrameSize(qint64 bytes);
    qint64 maxFrameSize() const;

    // any thread
    //! Sends a message (wire/messages.h); false when it exceeds the frame
    //! limit (nothing sent).
    template<typename Message>
    bool send(const Message &message)
    {
        std::lock_guard lock(m_mutex);
        const QByteArrayView frame = Drover::Internal::Wire::frameOf(m_writer, message, m_maxFrameSize);
        if (frame.isEmpty())
            return false;
        write(frame);
        return true;
    }

    // main thread
    //! Appends what arrived to the reader; false once the manager has gone
    //! (end of stream or a broken socket).
    bool readInto(Drover::Internal::Wire::FrameReader *reader);

Q_SIGNALS:
    void readable();

private:
    //! Writes a whole frame; the lock is held. Exits the process if the
    //! manager is gone: a worker without its master has nothing to do.
    void write(QByteArrayView frame);

    int m_fd = -1; //!< the local socket (the TLS connection owns its own)
    std::unique_ptr<TlsConnection> m_tls;
    QSocketNotifier *m_notifier = nullptr;
    mutable std::mutex m_mutex;
    Drover::Internal::Wire::FrameWriter m_writer;
    qint64 m_maxFrameSize = Drover::Internal::Wire::DefaultMaxFrameSize;
};
