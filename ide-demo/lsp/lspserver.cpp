#include "lspserver.h"

#include "stdioconnection.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QJsonArray>
#include <QtCore/QtDebug>

namespace DroverLsp {

namespace {
QLatin1String key(const char *name) { return QLatin1String(name); }

//! Ids may be numbers or strings, and 1 is not "1".
QString idKey(const QJsonValue &id)
{
    return id.isString() ? QLatin1Char('s') + id.toString() : QLatin1Char('n') + QString::number(id.toInteger());
}

const QString cancelCommand = QStringLiteral("drover.cancel");
const QString killCommand = QStringLiteral("drover.kill");
const QString waitCommand = QStringLiteral("drover.waitSettled");
} // namespace

LspServer::LspServer(StdioConnection *connection, const SessionSettings &settings, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_workspace(new Workspace(
          settings, [this](const QString &method, const QJsonValue &params) { notify(method, params); },
          [this](const QString &method, const QJsonValue &params, std::function<void(bool)> answered) {
              request(method, params, std::move(answered));
          },
          this))
{
    connect(connection, &StdioConnection::messageReceived, this, &LspServer::onMessage);
    connect(connection, &StdioConnection::badMessage, this, &LspServer::onBadMessage);
    connect(connection, &StdioConnection::inputEnded, this, &LspServer::finish);
    connect(m_workspace, &Workspace::documentSettled, this, [this](const QString &uri) { answerWaits(uri, false); });
    connect(m_workspace, &Workspace::documentClosed, this, [this](const QString &uri) { answerWaits(uri, true); });

    m_requests.insert(QStringLiteral("initialize"), [this](const QJsonValue &id, const QJsonObject &params) { initialize(id, params); });
    m_requests.insert(QStringLiteral("shutdown"), [this](const QJsonValue &id, const QJsonObject &) {
        m_phase = Phase::ShutDown;
        m_workspace->closeAll();
        reply(id, QJsonValue::Null);
    });
    m_requests.insert(QStringLiteral("textDocument/hover"), [this](const QJsonValue &id, const QJsonObject &params) {
        QJsonValue result;
        const QString error = m_workspace->hover(params, &result);
        if (error.isEmpty())
            reply(id, result);
        else
            fail(id, ErrorCode::InvalidParams, error);
    });
    m_requests.insert(QStringLiteral("workspace/executeCommand"),
                      [this](const QJsonValue &id, const QJsonObject &params) { executeCommand(id, params); });

    m_notifications.insert(QStringLiteral("initialized"), [](const QJsonObject &) { return QString(); });
    m_notifications.insert(QStringLiteral("textDocument/didOpen"), [this](const QJsonObject &p) { return m_workspace->didOpen(p); });
    m_notifications.insert(QStringLiteral("textDocument/didChange"), [this](const QJsonObject &p) { return m_workspace->didChange(p); });
    m_notifications.insert(QStringLiteral("textDocument/didClose"), [this](const QJsonObject &p) { return m_workspace->didClose(p); });
    m_notifications.insert(QStringLiteral("textDocument/didSave"), [this](const QJsonObject &p) { return m_workspace->didSave(p); });
    m_notifications.insert(QStringLiteral("$/cancelRequest"), [this](const QJsonObject &p) {
        const QJsonValue id = p.value(key("id"));
        if (!id.isString() && !id.isDouble())
            return QStringLiteral("$/cancelRequest needs the id of a request");
        // Only drover.waitSettled is still open when a cancel can arrive; a
        // request already answered is left alone, as LSP says.
        if (m_waits.remove(idKey(id)))
            fail(id, ErrorCode::RequestCancelled, QStringLiteral("cancelled by the client"));
        return QString();
    });
}

LspServer::~LspServer()
{
    // The workspace's last signals must not reach a server half destroyed.
    m_workspace->disconnect(this);
    delete m_workspace;
}

void LspServer::reply(const QJsonValue &id, const QJsonValue &result)
{
    m_connection->send(resultMessage(id, result.isUndefined() ? QJsonValue(QJsonValue::Null) : result));
}

void LspServer::fail(const QJsonValue &id, ErrorCode code, const QString &message)
{
    m_connection->send(errorMessage(id, code, message));
}

void LspServer::notify(const QString &method, const QJsonValue &params)
{
    m_connection->send(notificationMessage(method, params));
}

void LspServer::logError(const QString &message)
{
    qWarning().noquote() << "drover-lsp:" << message;
    notify(QStringLiteral("window/logMessage"), QJsonObject{{key("type"), 1}, {key("message"), message}});
}

void LspServer::request(const QString &method, const QJsonValue &params, std::function<void(bool)> answered)
{
    const int id = m_nextRequestId++;
    m_awaitingAnswers.insert(id, std::move(answered));
    m_connection->send(requestMessage(id, method, params));
}

void LspServer::onBadMessage(const QJsonValue &id, ErrorCode code, const QString &error)
{
    qWarning().noquote() << "drover-lsp: bad message:" << error;
    fail(id, code, error);
}

void LspServer::onMessage(const IncomingMessage &message)
{
    if (m_finished)
        return; // after exit, what was still in the pipe goes unread
    switch (message.kind) {
    case IncomingMessage::Kind::Request:
        onRequest(message);
        return;
    case IncomingMessage::Kind::Notification:
        onNotification(message);
        return;
    case IncomingMessage::Kind::Response:
        onResponse(message.response);
        return;
    }
}

void LspServer::onRequest(const IncomingMessage &message)
{
    const auto handler = m_requests.constFind(message.method);
    if (m_phase == Phase::Uninitialized && message.method != QLatin1String("initialize")) {
        fail(message.id, ErrorCode::ServerNotInitialized,
             QStringLiteral("%1 before initialize: the server is not initialized").arg(message.method));
        return;
    }
    if (m_phase == Phase::ShutDown) {
        fail(message.id, ErrorCode::InvalidRequest, QStringLiteral("%1 after shutdown: only exit is left").arg(message.method));
        return;
    }
    if (handler == m_requests.cend()) {
        fail(message.id, ErrorCode::MethodNotFound, QStringLiteral("drover-lsp does not serve %1").arg(message.method));
        return;
    }
    if (!message.params.isObject() && message.method != QLatin1String("shutdown")) {
        fail(message.id, ErrorCode::InvalidParams, QStringLiteral("%1 needs its params object").arg(message.method));
        return;
    }
    (*handler)(message.id, message.params.toObject());
}

void LspServer::onNotification(const IncomingMessage &message)
{
    if (message.method == QLatin1String("exit")) {
        finish();
        return;
    }
    if (m_phase != Phase::Running)
        return; // LSP: notifications before initialize (or after shutdown) are dropped
    const auto handler = m_notifications.constFind(message.method);
    if (handler == m_notifications.cend()) {
        if (!message.method.startsWith(QLatin1String("$/")))
            logError(QStringLiteral("drover-lsp does not handle the notification %1").arg(message.method));
        return;
    }
    if (!message.params.isObject() && message.method != QLatin1String("initialized")) {
        logError(QStringLiteral("%1 needs its params object").arg(message.method));
        return;
    }
    const QString error = (*handler)(message.params.toObject());
    if (!error.isEmpty())
        logError(QStringLiteral("%1: %2").arg(message.method, error));
}

void LspServer::onResponse(const QJsonObject &response)
{
    const QJsonValue id = response.value(key("id"));
    const auto answered = m_awaitingAnswers.take(id.toInt());
    if (!answered) {
        logError(QStringLiteral("a response to no request of the server (id %1)").arg(idKey(id).mid(1)));
        return;
    }
    answered(response.contains(key("result")));
}

void LspServer::initialize(const QJsonValue &id, const QJsonObject &params)
{
    if (m_phase != Phase::Uninitialized) {
        fail(id, ErrorCode::InvalidRequest, QStringLiteral("initialize was already sent"));
        return;
    }
    const QJsonObject capabilities = params.value(key("capabilities")).toObject();
    m_workspace->setProgressSupported(
        capabilities.value(key("window")).toObject().value(key("workDoneProgress")).toBool());
    m_phase = Phase::Running;
    const QJsonObject sync{{key("openClose"), true}, {key("change"), 2},
                           {key("save"), QJsonObject{{key("includeText"), false}}}};
    const QJsonObject serverCapabilities{
        {key("positionEncoding"), QStringLiteral("utf-16")},
        {key("textDocumentSync"), sync},
        {key("hoverProvider"), true},
        {key("executeCommandProvider"),
         QJsonObject{{key("commands"), QJsonArray{cancelCommand, killCommand, waitCommand}}}},
    };
    reply(id, QJsonObject{{key("capabilities"), serverCapabilities},
                          {key("serverInfo"), QJsonObject{{key("name"), QStringLiteral("drover-lsp")},
                                                           {key("version"), QCoreApplication::applicationVersion()}}}});
}

void LspServer::executeCommand(const QJsonValue &id, const QJsonObject &params)
{
    const QString command = params.value(key("command")).toString();
    const QJsonArray arguments = params.value(key("arguments")).toArray();
    const QString uri = arguments.at(0).toString();
    const QJsonValue line = arguments.at(1);
    if (command != cancelCommand && command != killCommand && command != waitCommand) {
        fail(id, ErrorCode::InvalidParams, QStringLiteral("no command \"%1\"; there are %2, %3 and %4")
                                               .arg(command, cancelCommand, killCommand, waitCommand));
        return;
    }
    DocumentSession *session = m_workspace->session(uri);
    if (!session || (!line.isUndefined() && (!line.isDouble() || line.toInt(-1) < 0))) {
        fail(id, ErrorCode::InvalidParams,
             QStringLiteral("%1 takes the uri of an open document and, optionally, a 0-based line").arg(command));
        return;
    }
    const std::optional<int> at = line.isDouble() ? std::optional<int>(line.toInt()) : std::nullopt;
    if (command == cancelCommand) {
        reply(id, QJsonObject{{key("cancelled"), session->cancel(at)}});
    } else if (command == killCommand) {
        reply(id, QJsonObject{{key("killed"), session->kill(at)}});
    } else if (session->isSettled()) {
        reply(id, session->counts());
    } else {
        m_waits.insert(idKey(id), {id, uri});
    }
}

void LspServer::answerWaits(const QString &uri, bool closed)
{
    DocumentSession *session = m_workspace->session(uri);
    for (auto it = m_waits.begin(); it != m_waits.end();) {
        if (it->second != uri) {
            ++it;
            continue;
        }
        if (closed || !session)
            fail(it->first, ErrorCode::RequestFailed, QStringLiteral("%1 was closed before its check settled").arg(uri));
        else
            reply(it->first, session->counts());
        it = m_waits.erase(it);
    }
}

void LspServer::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_workspace->closeAll();
    emit finished(m_phase == Phase::ShutDown ? 0 : 1);
}

} // namespace DroverLsp
