#pragma once

// A raw LSP client for the suites: drover-lsp in a QProcess, messages
// written and read as bytes, every message the server sent kept in order.
// Any byte on the server's stdout that is not a well-formed frame fails
// the test that reads it: stdout is for the protocol only.

#include <QtCore/QElapsedTimer>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <functional>

namespace TestSupport {

class LspClient
{
public:
    using Match = std::function<bool(const QJsonObject &)>;

    explicit LspClient(const QString &program, const QStringList &arguments = {})
    {
        m_process.setProgram(program);
        m_process.setArguments(arguments);
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.start();
        m_started = m_process.waitForStarted(30000);
    }
    ~LspClient()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.closeWriteChannel();
            if (!m_process.waitForFinished(30000)) {
                m_process.kill();
                m_process.waitForFinished(30000);
            }
        }
    }

    bool isStarted() const { return m_started; }
    QProcess &process() { return m_process; }
    //! Whether every byte on the server's stdout so far was a frame.
    QString protocolViolation() const { return m_violation; }
    //! Answers window/workDoneProgress/create (and other server requests) with null.
    bool answerServerRequests = true;

    void sendRaw(const QByteArray &bytes) { m_process.write(bytes); }
    void send(const QJsonObject &message)
    {
        const QByteArray body = QJsonDocument(message).toJson(QJsonDocument::Compact);
        sendRaw("Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    }
    int request(const QString &method, const QJsonValue &params = QJsonObject())
    {
        const int id = m_nextId++;
        send(QJsonObject{{QStringLiteral("jsonrpc"), QStringLiteral("2.0")}, {QStringLiteral("id"), id},
                         {QStringLiteral("method"), method}, {QStringLiteral("params"), params}});
        return id;
    }
    void notify(const QString &method, const QJsonValue &params = QJsonObject())
    {
        send(QJsonObject{{QStringLiteral("jsonrpc"), QStringLiteral("2.0")}, {QStringLiteral("method"), method},
                         {QStringLiteral("params"), params}});
    }

    //! The first message not taken yet that matches, waiting up to timeoutMs;
    //! an empty object if none came.
    QJsonObject take(const Match &match, int timeoutMs = 60000)
    {
        QElapsedTimer clock;
        clock.start();
        for (;;) {
            for (qsizetype i = 0; i < m_messages.size(); ++i) {
                if (match(m_messages.at(i)))
                    return m_messages.takeAt(i);
            }
            if (clock.elapsed() > timeoutMs || !readMore(timeoutMs - int(clock.elapsed())))
                return {};
        }
    }
    QJsonObject response(int id, int timeoutMs = 60000)
    {
        return take([id](const QJsonObject &m) { return m.value(QStringLiteral("id")).toInt(-1) == id && !m.contains(QStringLiteral("method")); },
                    timeoutMs);
    }
    //! The result of a request, after waiting for its response.
    QJsonValue call(const QString &method, const QJsonValue &params = QJsonObject())
    {
        return response(request(method, params)).value(QStringLiteral("result"));
    }
    QJsonObject notification(const QString &method, const Match &also = {}, int timeoutMs = 60000)
    {
        return take([method, also](const QJsonObject &m) {
            return m.value(QStringLiteral("method")).toString() == method && !m.contains(QStringLiteral("id"))
                   && (!also || also(m.value(QStringLiteral("params")).toObject()));
        }, timeoutMs);
    }
    //! Every message not taken yet (and forgets them).
    QList<QJsonObject> drain() { return std::exchange(m_messages, {}); }

    //! initialize (with the client capabilities given) and initialized.
    QJsonObject initialize(const QJsonObject &capabilities = QJsonObject())
    {
        const QJsonValue result = call(QStringLiteral("initialize"),
                                       QJsonObject{{QStringLiteral("processId"), QJsonValue::Null},
                                                   {QStringLiteral("rootUri"), QJsonValue::Null},
                                                   {QStringLiteral("capabilities"), capabilities}});
        notify(QStringLiteral("initialized"));
        return result.toObject();
    }

private:
    bool readMore(int timeoutMs)
    {
        if (m_process.bytesAvailable() == 0 && !m_process.waitForReadyRead(qMax(1, timeoutMs)))
            return false;
        m_buffer += m_process.readAllStandardOutput();
        for (;;) {
            const qsizetype end = m_buffer.indexOf("\r\n\r\n");
            if (end < 0)
                break;
            const QByteArray header = m_buffer.left(end);
            if (!header.startsWith("Content-Length: ")) {
                m_violation = QStringLiteral("not a frame on stdout: %1").arg(QString::fromUtf8(m_buffer.left(200)));
                m_buffer.clear();
                break;
            }
            const qsizetype length = header.mid(16).toLongLong();
            if (m_buffer.size() < end + 4 + length)
                break;
            const QJsonDocument document = QJsonDocument::fromJson(m_buffer.mid(end + 4, length));
            m_buffer.remove(0, end + 4 + length);
            if (!document.isObject()) {
                m_violation = QStringLiteral("a frame that is not a JSON object");
                continue;
            }
            const QJsonObject message = document.object();
            if (answerServerRequests && message.contains(QStringLiteral("method")) && message.contains(QStringLiteral("id")))
                send(QJsonObject{{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                                 {QStringLiteral("id"), message.value(QStringLiteral("id"))},
                                 {QStringLiteral("result"), QJsonValue::Null}});
            m_messages << message;
        }
        return true;
    }

    QProcess m_process;
    bool m_started = false;
    QByteArray m_buffer;
    QList<QJsonObject> m_messages;
    QString m_violation;
    int m_nextId = 1;
};

//! A textDocument item for didOpen.
inline QJsonObject documentItem(const QString &uri, const QString &text, int version = 1,
                                const QString &languageId = QStringLiteral("proof"))
{
    return QJsonObject{{QStringLiteral("textDocument"),
                        QJsonObject{{QStringLiteral("uri"), uri}, {QStringLiteral("languageId"), languageId},
                                    {QStringLiteral("version"), version}, {QStringLiteral("text"), text}}}};
}

} // namespace TestSupport
