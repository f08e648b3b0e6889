// The libFuzzer target of the wire protocol (docs/wire.md): a byte stream,
// laid out as fuzzinput.h says, is fed to a Wire::FrameReader in pieces and
// next() is called after each piece until it wants more or fails, as the
// manager (WorkerProcess::readFrames()) and the worker
// (WorkerClient::onReadable()) do. Checked on the way:
// - the reader hands out exactly the frames of the stream, in order, and
//   accounts for every byte (consumed + buffered == fed);
// - the type it reports is Wire::typeOf() of the map it hands out;
// - an error is final: it keeps failing and ignores what follows;
// - every message survives what both receivers do with it
//   (receivers.cpp) and re-encodes to itself (roundtrip.cpp).
// After the first message the reader is moved and its limit changed, as
// the manager hands a connection's reader from its HandshakeGate to the
// worker's connection once the hello is accepted (ManagerPrivate::checkHello()).

#include "check.h"
#include "fuzzinput.h"
#include "receivers.h"
#include "roundtrip.h"
#include "wire/wire.h"

#include <QtCore/QBuffer>
#include <QtCore/QCborValue>
#include <QtCore/QtEndian>

#include <algorithm>
#include <cerrno>
#include <optional>

#include <sys/socket.h>
#include <unistd.h>

namespace Wire = Drover::Internal::Wire;
using Status = Wire::FrameReader::Status;

namespace {

// Messages checked in full per input; a repeated stream holds copies.
constexpr int DeepChecks = 48;

//! Feeds one stream to one reader and checks what comes out.
class Run
{
public:
    Run(const FuzzInput::Header &header, QByteArray stream)
        : m_header(header)
        , m_stream(std::move(stream))
    {
        m_reader.emplace(header.maxFrameSize);
        m_limit = header.maxFrameSize;
        if (m_header.feed == FuzzInput::Feed::Socket) {
            FUZZ_REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, m_fds) == 0, "socketpair() failed");
        }
        deliverNothing();
    }
    ~Run()
    {
        for (int fd : m_fds) {
            if (fd >= 0)
                ::close(fd);
        }
    }

    void feed(qsizetype from, qsizetype size);
    void finish();

private:
    void deliver(const char *bytes, qsizetype size);
    void deliverNothing();
    void drain();
    void onMessage(Wire::Type type, const QCborMap &message);
    void onError();

    FuzzInput::Header m_header;
    QByteArray m_stream;
    std::optional<Wire::FrameReader> m_reader;
    qint64 m_limit = 0; // the reader's limit now
    int m_fds[2] = {-1, -1};
    qsizetype m_fed = 0;      // bytes the reader has taken in
    qsizetype m_consumed = 0; // bytes of the whole frames it handed out
    int m_messages = 0;
    bool m_failed = false;
};

void Run::deliver(const char *bytes, qsizetype size)
{
    switch (m_header.feed) {
    case FuzzInput::Feed::AddData:
        m_reader->addData(QByteArray::fromRawData(bytes, size));
        if (!m_failed)
            m_fed += size;
        return;
    case FuzzInput::Feed::Device: {
        QByteArray data = QByteArray::fromRawData(bytes, size);
        QBuffer device(&data);
        device.open(QIODevice::ReadOnly);
        const qint64 got = m_reader->readFrom(&device);
        FUZZ_REQUIRE(device.atEnd(), "readFrom(QIODevice) left data in the device");
        FUZZ_REQUIRE(got == (m_failed ? 0 : size), "readFrom(QIODevice) did not take what was available");
        m_fed += qsizetype(got);
        return;
    }
    case FuzzInput::Feed::Socket:
        // Send what the socket takes, read it, until all is through.
        while (size > 0) {
            const ssize_t sent = ::send(m_fds[1], bytes, size_t(size), MSG_DONTWAIT | MSG_NOSIGNAL);
            FUZZ_REQUIRE(sent > 0 || errno == EAGAIN || errno == EINTR, "send() to the socketpair failed");
            if (sent > 0) {
                bytes += sent;
                size -= sent;
            }
            bool atEnd = true;
            const qint64 got = m_reader->readFrom(m_fds[0], &atEnd);
            FUZZ_REQUIRE(got == std::max<qint64>(sent, 0) && !atEnd, "readFrom(fd) did not take what was sent");
            // readFrom(fd) appends even after an error; only next() refuses.
            if (!m_failed)
                m_fed += qsizetype(got);
        }
        return;
    }
}

//! What a reader is given when nothing has arrived: it takes nothing.
void Run::deliverNothing()
{
    switch (m_header.feed) {
    case FuzzInput::Feed::AddData:
        m_reader->addData(QByteArray());
        break;
    case FuzzInput::Feed::Device: {
        QBuffer empty;
        empty.open(QIODevice::ReadOnly);
        FUZZ_REQUIRE(m_reader->readFrom(&empty) == 0, "readFrom(QIODevice) read from an empty device");
        break;
    }
    case FuzzInput::Feed::Socket: {
        bool atEnd = true;
        FUZZ_REQUIRE(m_reader->readFrom(m_fds[0], &atEnd) == 0 && !atEnd, "readFrom(fd) read from an empty socket");
        break;
    }
    }
    FUZZ_REQUIRE(m_reader->bufferedBytes() == 0, "a reader given nothing holds bytes");
}

void Run::feed(qsizetype from, qsizetype size)
{
    deliver(m_stream.constData() + from, size);
    drain();
}

void Run::drain()
{
    for (;;) {
        QCborMap message;
        Wire::Type type = Wire::Type::Unknown;
        // Every other call asks without a type, as the tests and
        // Performer's warm-up do; the type is then the map's.
        const bool askType = m_messages % 2 == 0;
        const Status status = m_reader->next(&message, askType ? &type : nullptr);
        if (!askType)
            type = Wire::typeOf(message);
        switch (status) {
        case Status::NeedMore:
            FUZZ_REQUIRE(!m_failed, "a reader in error asks for more");
            FUZZ_REQUIRE(m_consumed + m_reader->bufferedBytes() == m_fed, "the reader lost or invented bytes");
            return;
        case Status::Error:
            onError();
            return;
        case Status::Message:
            FUZZ_REQUIRE(!m_failed, "a reader in error hands out a message");
            onMessage(type, message);
            break;
        }
    }
}

void Run::onMessage(Wire::Type type, const QCborMap &message)
{
    // The frame must be the next one of the stream.
    const qsizetype at = m_consumed;
    FUZZ_REQUIRE(m_stream.size() - at >= Wire::LengthPrefixSize, "a message from a frame the stream does not hold");
    const quint32 length = qFromBigEndian<quint32>(m_stream.constData() + at);
    FUZZ_REQUIRE(qint64(length) <= m_limit, "a frame above the limit was taken");
    FUZZ_REQUIRE(m_stream.size() - at - Wire::LengthPrefixSize >= qsizetype(length), "a message from a frame cut short");
    m_consumed += Wire::LengthPrefixSize + qsizetype(length);
    FUZZ_REQUIRE(type != Wire::Type::Unknown, "a message of unknown type was handed out");
    FUZZ_REQUIRE(type == Wire::typeOf(message), "the reported type is not the map's \"t\"");

    if (++m_messages <= DeepChecks) {
        const QByteArray body = QByteArray::fromRawData(m_stream.constData() + at + Wire::LengthPrefixSize, length);
        FUZZ_REQUIRE(FuzzRoundTrip::same(QCborValue::fromCbor(body), message), "the message is not its frame's map");
        FuzzReceivers::actAsManager(type, message);
        FuzzReceivers::actAsWorker(type, message);
        FuzzRoundTrip::check(type, message, m_limit);
    }
    if (m_messages == 1) {
        Wire::FrameReader rest;
        rest = std::move(*m_reader);
        rest.setMaxFrameSize(m_header.maxFrameSizeAfterFirst);
        m_limit = m_header.maxFrameSizeAfterFirst;
        m_reader.reset();
        m_reader.emplace(std::move(rest));
    }
}

void Run::onError()
{
    FUZZ_REQUIRE(m_reader->hasError() && !m_reader->errorString().isEmpty(), "an error without a reason");
    if (!m_failed && m_header.feed != FuzzInput::Feed::Socket)
        FUZZ_REQUIRE(m_reader->bufferedBytes() == 0, "a failed reader keeps its buffer");
    m_failed = true;
    QCborMap message;
    FUZZ_REQUIRE(m_reader->next(&message) == Status::Error, "an error is not final");
}

void Run::finish()
{
    if (m_header.feed == FuzzInput::Feed::Socket) {
        ::shutdown(m_fds[1], SHUT_WR);
        bool atEnd = false;
        const qint64 got = m_reader->readFrom(m_fds[0], &atEnd);
        FUZZ_REQUIRE(got == 0 && atEnd, "readFrom(fd) did not see the end of the stream");
    }
    drain();
}

} // namespace

//! Once per process: what needs no input. The names of the types, and
//! readFrom() on a descriptor that is not a socket.
extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    for (int t = int(Wire::Type::Unknown); t <= int(Wire::Type::Message); ++t) {
        const auto type = Wire::Type(t);
        const QCborMap message = Wire::message(type);
        FUZZ_REQUIRE(message.value(Wire::Key::Type).toString() == Wire::typeName(type), "message() and typeName() differ");
        FUZZ_REQUIRE(type == Wire::Type::Unknown || Wire::typeOf(message) == type, "typeOf(message(t)) is not t");
    }
    FUZZ_REQUIRE(Wire::typeName(Wire::Type::Unknown) == QLatin1StringView("unknown"), "Unknown is not called so");
    Wire::FrameReader reader;
    bool atEnd = true;
    FUZZ_REQUIRE(reader.readFrom(-1, &atEnd) == -1 && !atEnd, "readFrom(-1) does not fail");
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size <= FuzzInput::HeaderSize)
        return -1; // not worth keeping in the corpus
    const FuzzInput::Header header = FuzzInput::parse(data);
    const QByteArray once(reinterpret_cast<const char *>(data + FuzzInput::HeaderSize),
                          qsizetype(size - FuzzInput::HeaderSize));
    const qsizetype total = once.size() * header.repeat;

    if (header.chunking == FuzzInput::Whole) {
        // All at once; a repeated stream then once more: the first lot
        // consumed, this is where a grown buffer is given back.
        const bool again = header.repeat > 1;
        Run run(header, once.repeated(header.repeat + (again ? 1 : 0)));
        run.feed(0, total);
        if (again)
            run.feed(total, once.size());
        run.finish();
        return 0;
    }
    Run run(header, once.repeated(header.repeat));
    FuzzInput::Chunker chunker(header);
    for (qsizetype at = 0; at < total;) {
        const qsizetype piece = chunker.next(total - at);
        run.feed(at, piece);
        at += piece;
    }
    run.finish();
    return 0;
}
