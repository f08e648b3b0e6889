#pragma once

#include "jsonrpc.h"
#include "workspace.h"

#include <QtCore/QHash>
#include <QtCore/QObject>

#include <functional>

namespace DroverLsp {

class StdioConnection;

//! The Language Server Protocol over one connection: the lifecycle
//! (initialize, initialized, shutdown, exit), the requests and
//! notifications it serves (to the Workspace), its own requests to the
//! client and their answers, and `$/cancelRequest`. Every mistake of the
//! client gets its error (a notification's, which cannot be answered, a
//! `window/logMessage`) and the server goes on.
class LspServer : public QObject
{
    Q_OBJECT
public:
    LspServer(StdioConnection *connection, const SessionSettings &settings, QObject *parent = nullptr);
    ~LspServer() override;

Q_SIGNALS:
    //! `exit`, or the input's end: the server's work is over and every
    //! worker has ended. 0 after a shutdown request, 1 without, as LSP says.
    void finished(int exitCode);

private:
    enum class Phase { Uninitialized, Running, ShutDown };
    using Handler = std::function<void(const QJsonValue &id, const QJsonObject &params)>;

    void onMessage(const IncomingMessage &message);
    void onBadMessage(const QJsonValue &id, ErrorCode code, const QString &error);
    void onRequest(const IncomingMessage &message);
    void onNotification(const IncomingMessage &message);
    void onResponse(const QJsonObject &response);
    void initialize(const QJsonValue &id, const QJsonObject &params);
    void executeCommand(const QJsonValue &id, const QJsonObject &params);
    void answerWaits(const QString &uri, bool closed);
    void finish();

    void reply(const QJsonValue &id, const QJsonValue &result);
    void fail(const QJsonValue &id, ErrorCode code, const QString &message);
    void notify(const QString &method, const QJsonValue &params);
    void logError(const QString &message);
    void request(const QString &method, const QJsonValue &params, std::function<void(bool)> answered);

    StdioConnection *m_connection;
    Workspace *m_workspace;
    Phase m_phase = Phase::Uninitialized;
    bool m_finished = false;
    QHash<QString, Handler> m_requests;
    QHash<QString, std::function<QString(const QJsonObject &)>> m_notifications;
    int m_nextRequestId = 1;
    QHash<int, std::function<void(bool)>> m_awaitingAnswers; //!< the server's own requests
    //! drover.waitSettled requests not answered yet: by request id key, the id and uri.
    QHash<QString, std::pair<QJsonValue, QString>> m_waits;
};

} // namespace DroverLsp
