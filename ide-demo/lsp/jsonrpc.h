#pragma once

#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QString>

#include <optional>

namespace DroverLsp {

//! The error codes of JSON-RPC 2.0 and of LSP 3.17 that the server answers with.
enum class ErrorCode {
    ParseError = -32700,
    InvalidRequest = -32600,
    MethodNotFound = -32601,
    InvalidParams = -32602,
    InternalError = -32603,
    ServerNotInitialized = -32002,
    RequestFailed = -32803,
    RequestCancelled = -32800,
    ContentModified = -32801,
};

//! One message from the client, sorted by what it is. A request has an id
//! and a method, a notification only a method, a response an id and a
//! result or error (the answer to one of the server's own requests).
struct IncomingMessage
{
    enum class Kind { Request, Notification, Response };
    Kind kind = Kind::Notification;
    QJsonValue id;          //!< number or string; Null for a notification
    QString method;
    QJsonValue params;
    QJsonObject response;   //!< the whole object, for a Response
};

//! Reads a frame's body: nullopt with *code and *error set when it is not
//! JSON, not an object, or not a JSON-RPC 2.0 message. *id is set to the
//! message's id when one could be read, so that the error can answer it.
std::optional<IncomingMessage> readMessage(const QByteArray &body, ErrorCode *code, QString *error, QJsonValue *id);

QJsonObject resultMessage(const QJsonValue &id, const QJsonValue &result);
QJsonObject errorMessage(const QJsonValue &id, ErrorCode code, const QString &message);
QJsonObject notificationMessage(const QString &method, const QJsonValue &params);
QJsonObject requestMessage(const QJsonValue &id, const QString &method, const QJsonValue &params);

//! The bytes of a message on the wire: header and compact JSON body.
QByteArray frameOf(const QJsonObject &message);

} // namespace DroverLsp
