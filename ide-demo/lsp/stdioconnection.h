#pragma once

#include "jsonrpc.h"
#include "lspframereader.h"

#include <QtCore/QObject>

class QSocketNotifier;

namespace DroverLsp {

//! The server's end of the protocol: frames read from one file descriptor
//! (stdin), messages written to another (the real stdout, kept apart by
//! main() so that nothing else can write on it). Single-threaded: reads
//! when the event loop says the input is readable.
class StdioConnection : public QObject
{
    Q_OBJECT
public:
    StdioConnection(int inputFd, int outputFd, qint64 maxMessageBytes, QObject *parent = nullptr);
    ~StdioConnection() override;

    //! Writes the whole message before returning (the client reads as we write).
    void send(const QJsonObject &message);

Q_SIGNALS:
    void messageReceived(const DroverLsp::IncomingMessage &message);
    //! A frame or body the server cannot read; id is the message's when it
    //! could be read, Null otherwise.
    void badMessage(const QJsonValue &id, DroverLsp::ErrorCode code, const QString &error);
    //! The input ended (or broke): emitted once.
    void inputEnded();

private:
    void readInput();

    int m_inputFd;
    int m_outputFd;
    LspFrameReader m_reader;
    QSocketNotifier *m_notifier;
    bool m_ended = false;
};

} // namespace DroverLsp
