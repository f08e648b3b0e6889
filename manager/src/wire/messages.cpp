#include "wire/messages.h"

namespace Drover::Internal::Wire {

namespace {
QString textOf(const QCborMap &map, QLatin1StringView key)
{
    const QCborValue value = map.value(key);
    return value.isString() ? value.toString() : QString();
}
} // namespace

QCborMap Hello::toMap() const
{
    QCborMap m = Wire::message(type);
    m.insert(Key::Version, version);
    m.insert(Key::Kind, kind);
    m.insert(Key::WorkerId, workerId);
    if (!secret.isEmpty())
        m.insert(Key::Secret, secret);
    m.insert(Key::Pid, pid);
    if (!nonce.isEmpty())
        m.insert(Key::Nonce, nonce);
    if (!proof.isEmpty())
        m.insert(Key::Proof, proof);
    if (!build.isEmpty())
        m.insert(Key::Build, build);
    if (!pluginBuild.isEmpty())
        m.insert(Key::PluginBuild, pluginBuild);
    return m;
}

Hello Hello::fromMap(const QCborMap &map)
{
    Hello hello;
    hello.version = integerOf(map.value(Key::Version), -1);
    hello.kind = textOf(map, Key::Kind);
    const qint64 id = integerOf(map.value(Key::WorkerId), -1);
    hello.workerId = id >= 0 && id <= std::numeric_limits<int>::max() ? int(id) : -1;
    hello.secret = map.value(Key::Secret).toByteArray();
    hello.pid = integerOf(map.value(Key::Pid));
    hello.nonce = map.value(Key::Nonce).toByteArray();
    hello.proof = map.value(Key::Proof).toByteArray();
    hello.build = textOf(map, Key::Build);
    hello.pluginBuild = textOf(map, Key::PluginBuild);
    return hello;
}

QCborMap Challenge::toMap() const
{
    QCborMap m = Wire::message(type);
    m.insert(Key::Nonce, nonce);
    return m;
}

Challenge Challenge::fromMap(const QCborMap &map)
{
    return {map.value(Key::Nonce).toByteArray()};
}

QCborMap Proof::toMap() const
{
    QCborMap m = Wire::message(type);
    m.insert(Key::Proof, proof);
    return m;
}

Proof Proof::fromMap(const QCborMap &map)
{
    return {map.value(Key::Proof).toByteArray()};
}

template<Type T>
QCborMap Envelope<T>::toMap() const
{
    QCborMap m = Wire::message(T);
    m.insert(Key::Task, task);
    m.insert(Key::Body, body);
    return m;
}

template<Type T>
Envelope<T> Envelope<T>::fromMap(const QCborMap &map)
{
    return {integerOf(map.value(Key::Task)), map.value(Key::Body)};
}

template struct Envelope<Type::Response>;
template struct Envelope<Type::Feedback>;
template struct Envelope<Type::Message>;

QCborMap Error::toMap() const
{
    QCborMap m = Wire::message(type);
    m.insert(Key::Task, task);
    m.insert(Key::ErrorKind, kind == Kind::Marshal ? ErrorMarshal : ErrorFailed);
    m.insert(Key::Message, this->message);
    return m;
}

Error Error::fromMap(const QCborMap &map)
{
    Error error;
    error.task = integerOf(map.value(Key::Task));
    error.kind = textOf(map, Key::ErrorKind) == ErrorMarshal ? Kind::Marshal : Kind::Failed;
    error.message = textOf(map, Key::Message);
    return error;
}

QCborMap Ask::toMap() const
{
    QCborMap m = Wire::message(type);
    m.insert(Key::Task, task);
    m.insert(Key::Body, body);
    m.insert(Key::Serial, serial);
    return m;
}

Ask Ask::fromMap(const QCborMap &map)
{
    return {integerOf(map.value(Key::Task)), integerOf(map.value(Key::Serial)), map.value(Key::Body)};
}

QCborMap Pong::toMap() const
{
    QCborMap m = Wire::message(type);
    m.insert(Key::Serial, serial);
    return m;
}

Pong Pong::fromMap(const QCborMap &map)
{
    return {integerOf(map.value(Key::Serial))};
}

QCborMap Welcome::toMap() const
{
    QCborMap m = Wire::message(type);
    m.insert(Key::MaxFrame, maxFrame);
    m.insert(Key::Feedback, feedback);
    m.insert(Key::Init, init);
    return m;
}

Welcome Welcome::fromMap(const QCborMap &map)
{
    Welcome welcome;
    welcome.maxFrame = integerOf(map.value(Key::MaxFrame), DefaultMaxFrameSize);
    welcome.feedback = map.value(Key::Feedback).toArray();
    welcome.init = map.value(Key::Init);
    return welcome;
}

QCborMap Request::toMap() const
{
    QCborMap m = Wire::message(type);
    m.insert(Key::Task, task);
    m.insert(Key::Body, body);
    if (batch)
        m.insert(Key::Batch, true);
    return m;
}

Request Request::fromMap(const QCborMap &map)
{
    return {integerOf(map.value(Key::Task)), map.value(Key::Body), map.value(Key::Batch).toBool()};
}

QByteArrayView frameOf(FrameWriter &writer, const Request &message, qint64 maxFrameSize)
{
    // The common case is the envelope, written without a map.
    if (!message.batch)
        return writer.encode(Type::Request, message.task, message.body, maxFrameSize);
    return writer.encode(message.toMap(), maxFrameSize);
}

QCborMap Cancel::toMap() const
{
    QCborMap m = Wire::message(type);
    m.insert(Key::Task, task);
    return m;
}

Cancel Cancel::fromMap(const QCborMap &map)
{
    return {integerOf(map.value(Key::Task))};
}

QCborMap Withdraw::toMap() const
{
    QCborMap m = Wire::message(type);
    m.insert(Key::Task, task);
    return m;
}

Withdraw Withdraw::fromMap(const QCborMap &map)
{
    return {integerOf(map.value(Key::Task))};
}

QCborMap Withdrawn::toMap() const
{
    QCborMap m = Wire::message(type);
    m.insert(Key::Task, task);
    m.insert(Key::Taken, taken);
    return m;
}

Withdrawn Withdrawn::fromMap(const QCborMap &map)
{
    return {integerOf(map.value(Key::Task)), map.value(Key::Taken).toBool()};
}

QCborMap Broadcast::toMap() const
{
    QCborMap m = Wire::message(type);
    if (clear)
        m.insert(Key::Clear, true);
    else
        m.insert(Key::Body, body);
    return m;
}

Broadcast Broadcast::fromMap(const QCborMap &map)
{
    return {map.value(Key::Body), map.value(Key::Clear).toBool()};
}

QCborMap Ping::toMap() const
{
    QCborMap m = Wire::message(type);
    m.insert(Key::Serial, serial);
    return m;
}

Ping Ping::fromMap(const QCborMap &map)
{
    return {integerOf(map.value(Key::Serial))};
}

QCborMap Quit::toMap() const
{
    return Wire::message(type);
}

QCborMap Answer::toMap() const
{
    QCborMap m = Wire::message(type);
    m.insert(Key::Serial, serial);
    if (error.isEmpty())
        m.insert(Key::Body, body);
    else
        m.insert(Key::Message, error);
    return m;
}

Answer Answer::fromMap(const QCborMap &map)
{
    return {integerOf(map.value(Key::Serial)), map.value(Key::Body), textOf(map, Key::Message)};
}

} // namespace Drover::Internal::Wire
