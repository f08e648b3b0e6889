#include "stdioconnection.h"

#include <QtCore/QSocketNotifier>
#include <QtCore/QtDebug>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace DroverLsp {

StdioConnection::StdioConnection(int inputFd, int outputFd, qint64 maxMessageBytes, QObject *parent)
    : QObject(parent)
    , m_inputFd(inputFd)
    , m_outputFd(outputFd)
    , m_reader(maxMessageBytes)
    , m_notifier(new QSocketNotifier(inputFd, QSocketNotifier::Read, this))
{
    ::fcntl(inputFd, F_SETFL, ::fcntl(inputFd, F_GETFL) | O_NONBLOCK);
    connect(m_notifier, &QSocketNotifier::activated, this, &StdioConnection::readInput);
}

StdioConnection::~StdioConnection() = default;

void StdioConnection::readInput()
{
    char chunk[65536];
    for (;;) {
        const ssize_t got = ::read(m_inputFd, chunk, sizeof chunk);
        if (got > 0) {
            m_reader.feed(QByteArray(chunk, got));
            continue;
        }
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        // End of input, or an input that broke: either way no more requests.
        m_notifier->setEnabled(false);
        m_ended = true;
        if (got < 0)
            qWarning("drover-lsp: reading the input failed: %s", strerror(errno));
        break;
    }
    // A handler may stop the server: go on only while this object lives.
    while (std::optional<LspFrameReader::Frame> frame = m_reader.next()) {
        if (!frame->error.isEmpty()) {
            emit badMessage(QJsonValue::Null, ErrorCode::ParseError, frame->error);
            continue;
        }
        ErrorCode code = ErrorCode::ParseError;
        QString error;
        QJsonValue id;
        if (std::optional<IncomingMessage> message = readMessage(frame->body, &code, &error, &id))
            emit messageReceived(*message);
        else
            emit badMessage(id, code, error);
    }
    if (m_ended) {
        if (m_reader.hasPartialFrame())
            qWarning("drover-lsp: the input ended inside a message");
        emit inputEnded();
    }
}

void StdioConnection::send(const QJsonObject &message)
{
    const QByteArray bytes = frameOf(message);
    qsizetype written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(m_outputFd, bytes.constData() + written, size_t(bytes.size() - written));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            qWarning("drover-lsp: writing to the client failed: %s", strerror(errno));
            return;
        }
        written += n;
    }
}

} // namespace DroverLsp
