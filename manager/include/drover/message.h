#pragma once

// Typed messages (Tezt's Scheduler: Message.typ): sender and receiver agree on a C++
// type through a Codec, and a value of the wrong shape is a clear error,
// never a crash. Header-only; usable on both sides of the wire.
//
//   struct Port { int number; };
//   template<> struct Drover::Codec<Port> {
//       static constexpr const char *name = "Port";
//       static QCborValue encode(const Port &p) { return p.number; }
//       static std::optional<Port> decode(const QCborValue &v)
//       { return v.isInteger() ? std::optional<Port>(Port{int(v.toInteger())}) : std::nullopt; }
//   };
//   Drover::Message<Port>::send(context, Port{8080});          // worker
//   Port p = Drover::Message<Port>::decode(value);              // master, throws TaskFailure if not a Port

#include "drover/taskkind.h"

#include <QtCore/QByteArray>
#include <QtCore/QCborArray>
#include <QtCore/QCborValue>
#include <QtCore/QList>
#include <QtCore/QString>

#include <limits>
#include <optional>
#include <string>

namespace Drover {

//! Specialise for your own types: a name for errors, encode and decode.
template<typename T>
struct Codec;

template<>
struct Codec<bool>
{
    static constexpr const char *name = "bool";
    static QCborValue encode(bool v) { return v; }
    static std::optional<bool> decode(const QCborValue &v) { return v.isBool() ? std::optional(v.toBool()) : std::nullopt; }
};

template<>
struct Codec<qint64>
{
    static constexpr const char *name = "integer";
    static QCborValue encode(qint64 v) { return v; }
    static std::optional<qint64> decode(const QCborValue &v)
    {
        return v.isInteger() ? std::optional(v.toInteger()) : std::nullopt;
    }
};

template<>
struct Codec<int>
{
    static constexpr const char *name = "int";
    static QCborValue encode(int v) { return v; }
    static std::optional<int> decode(const QCborValue &v)
    {
        if (!v.isInteger() || v.toInteger() < std::numeric_limits<int>::min() || v.toInteger() > std::numeric_limits<int>::max())
            return std::nullopt;
        return int(v.toInteger());
    }
};

template<>
struct Codec<double>
{
    static constexpr const char *name = "number";
    static QCborValue encode(double v) { return v; }
    static std::optional<double> decode(const QCborValue &v)
    {
        return v.isDouble() || v.isInteger() ? std::optional(v.toDouble()) : std::nullopt;
    }
};

template<>
struct Codec<QString>
{
    static constexpr const char *name = "string";
    static QCborValue encode(const QString &v) { return v; }
    static std::optional<QString> decode(const QCborValue &v)
    {
        return v.isString() ? std::optional(v.toString()) : std::nullopt;
    }
};

template<>
struct Codec<QByteArray>
{
    static constexpr const char *name = "byte array";
    static QCborValue encode(const QByteArray &v) { return v; }
    static std::optional<QByteArray> decode(const QCborValue &v)
    {
        return v.isByteArray() ? std::optional(v.toByteArray()) : std::nullopt;
    }
};

template<typename T>
struct Codec<QList<T>>
{
    static constexpr const char *name = "list";
    static QCborValue encode(const QList<T> &list)
    {
        QCborArray array;
        for (const T &item : list)
            array.append(Codec<T>::encode(item));
        return array;
    }
    static std::optional<QList<T>> decode(const QCborValue &v)
    {
        if (!v.isArray())
            return std::nullopt;
        QList<T> list;
        for (const QCborValue &item : v.toArray()) {
            std::optional<T> decoded = Codec<T>::decode(item);
            if (!decoded)
                return std::nullopt;
            list.append(std::move(*decoded));
        }
        return list;
    }
};

template<typename T>
class Message
{
public:
    static QCborValue encode(const T &value) { return Codec<T>::encode(value); }

    //! The value, or nullopt with *error saying what arrived instead.
    static std::optional<T> tryDecode(const QCborValue &value, QString *error = nullptr)
    {
        std::optional<T> decoded = Codec<T>::decode(value);
        if (!decoded && error) {
            *error = QStringLiteral("expected a message of type %1, got %2")
                         .arg(QLatin1String(Codec<T>::name),
                              QString::fromUtf8(value.toDiagnosticNotation(QCborValue::Compact).left(80).toUtf8()));
        }
        return decoded;
    }

    //! The value; throws TaskFailure (which fails the task when thrown in
    //! perform()) if it is of another type.
    static T decode(const QCborValue &value)
    {
        QString error;
        std::optional<T> decoded = tryDecode(value, &error);
        if (!decoded)
            throw TaskFailure(error.toStdString());
        return std::move(*decoded);
    }

    //! Worker side: send to the master, receive from it.
    static void send(WorkerContext &context, const T &value) { context.sendMessage(encode(value)); }
    static std::optional<T> receive(WorkerContext &context, std::chrono::milliseconds wait)
    {
        const std::optional<QCborValue> value = context.receiveMessage(wait);
        if (!value)
            return std::nullopt;
        return decode(*value);
    }
};

} // namespace Drover
