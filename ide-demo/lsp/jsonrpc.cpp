#include "jsonrpc.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonParseError>

namespace DroverLsp {

namespace {
QLatin1String key(const char *name) { return QLatin1String(name); }

bool isValidId(const QJsonValue &id)
{
    return id.isString() || (id.isDouble() && id.toDouble() == double(qint64(id.toDouble())));
}

QJsonObject base()
{
    return QJsonObject{{key("jsonrpc"), QStringLiteral("2.0")}};
}
} // namespace

std::optional<IncomingMessage> readMessage(const QByteArray &body, ErrorCode *code, QString *error, QJsonValue *id)
{
    *id = QJsonValue::Null;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // JSON whose top is a scalar ("hello", 42) is JSON, but no request.
        const QJsonDocument wrapped = QJsonDocument::fromJson('[' + body + ']');
        if (wrapped.isArray() && wrapped.array().size() == 1) {
            *code = ErrorCode::InvalidRequest;
            *error = QStringLiteral("the message is not a JSON object");
            return std::nullopt;
        }
        *code = ErrorCode::ParseError;
        *error = QStringLiteral("the message is not JSON: %1 at byte %2").arg(parseError.errorString()).arg(parseError.offset);
        return std::nullopt;
    }
    *code = ErrorCode::InvalidRequest;
    if (!document.isObject()) {
        *error = document.isArray() ? QStringLiteral("batches are not part of LSP: send one message at a time")
                                    : QStringLiteral("the message is not a JSON object");
        return std::nullopt;
    }
    const QJsonObject object = document.object();
    const QJsonValue rawId = object.value(key("id"));
    const bool hasId = object.contains(key("id")) && !rawId.isNull();
    if (hasId && isValidId(rawId))
        *id = rawId;
    if (object.value(key("jsonrpc")).toString() != QLatin1String("2.0")) {
        *error = QStringLiteral("\"jsonrpc\" must be \"2.0\"");
        return std::nullopt;
    }
    if (hasId && !isValidId(rawId)) {
        *error = QStringLiteral("\"id\" must be an integer or a string");
        return std::nullopt;
    }
    IncomingMessage message;
    message.id = *id;
    if (!object.contains(key("method"))) {
        if (hasId && (object.contains(key("result")) || object.contains(key("error")))) {
            message.kind = IncomingMessage::Kind::Response;
            message.response = object;
            return message;
        }
        *error = QStringLiteral("the message has no \"method\"");
        return std::nullopt;
    }
    const QJsonValue method = object.value(key("method"));
    if (!method.isString() || method.toString().isEmpty()) {
        *error = QStringLiteral("\"method\" must be a non-empty string");
        return std::nullopt;
    }
    message.method = method.toString();
    message.params = object.value(key("params"));
    if (message.params.isNull())
        message.params = QJsonValue::Undefined; // `params: null` is how some clients say none
    if (!message.params.isUndefined() && !message.params.isObject() && !message.params.isArray()) {
        *code = ErrorCode::InvalidParams;
        *error = QStringLiteral("\"params\" must be an object or an array");
        return std::nullopt;
    }
    message.kind = hasId ? IncomingMessage::Kind::Request : IncomingMessage::Kind::Notification;
    return message;
}

QJsonObject resultMessage(const QJsonValue &id, const QJsonValue &result)
{
    QJsonObject message = base();
    message.insert(key("id"), id);
    message.insert(key("result"), result);
    return message;
}

QJsonObject errorMessage(const QJsonValue &id, ErrorCode code, const QString &text)
{
    QJsonObject message = base();
    message.insert(key("id"), id);
    message.insert(key("error"), QJsonObject{{key("code"), int(code)}, {key("message"), text}});
    return message;
}

QJsonObject notificationMessage(const QString &method, const QJsonValue &params)
{
    QJsonObject message = base();
    message.insert(key("method"), method);
    message.insert(key("params"), params);
    return message;
}

QJsonObject requestMessage(const QJsonValue &id, const QString &method, const QJsonValue &params)
{
    QJsonObject message = notificationMessage(method, params);
    message.insert(key("id"), id);
    return message;
}

QByteArray frameOf(const QJsonObject &message)
{
    const QByteArray body = QJsonDocument(message).toJson(QJsonDocument::Compact);
    return "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

} // namespace DroverLsp
