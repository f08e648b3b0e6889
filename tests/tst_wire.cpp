// The frame protocol on its own (docs/wire.md): every message type
// round-trips, frames arrive in any pieces, the size limit holds to the byte,
// and each kind of bad input is refused for good with a message that says
// what was wrong.

#include "wire/wire.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QCborValue>
#include <QtCore/QSet>
#include <QtCore/QtEndian>
#include <QtTest/QTest>

#include <algorithm>
#include <limits>

#include <sys/socket.h>
#include <unistd.h>

using namespace Drover::Internal;
using Status = Wire::FrameReader::Status;

Q_DECLARE_METATYPE(Wire::Type)

namespace {

QByteArray lengthPrefix(quint32 length)
{
    QByteArray prefix(Wire::LengthPrefixSize, '\0');
    qToBigEndian<quint32>(length, prefix.data());
    return prefix;
}

//! A frame built by hand, so that it can hold what encodeFrame() never writes.
QByteArray rawFrame(const QByteArray &body)
{
    return lengthPrefix(quint32(body.size())) + body;
}

QByteArray cbor(const QCborValue &value)
{
    return value.toCbor();
}

//! A message whose encoded map is exactly bodySize bytes long (bodySize >= 32).
QCborMap messageOfSize(qint64 bodySize)
{
    QCborMap m = Wire::message(Wire::Type::Feedback);
    m.insert(Wire::Key::Body, QByteArray());
    const qint64 empty = cbor(m).size();
    // A byte string's header grows from 1 to 2 bytes at 24 bytes of content
    // and to 3 at 256: pick the content length that lands on bodySize.
    qint64 content = bodySize - empty;
    if (content >= 24)
        --content;
    if (content >= 256)
        --content;
    m.insert(Wire::Key::Body, QByteArray(content, 'y'));
    return m;
}

QList<Wire::Type> allTypes()
{
    QList<Wire::Type> types;
    for (int t = int(Wire::Type::Hello); t <= int(Wire::Type::Message); ++t)
        types << Wire::Type(t);
    return types;
}

} // namespace

class tst_Wire : public QObject
{
    Q_OBJECT

private slots:
    void typeNamesAreDistinct()
    {
        QSet<QString> names;
        for (Wire::Type t : allTypes()) {
            const QString name = Wire::typeName(t);
            QVERIFY2(name != QLatin1String("unknown"), qPrintable(QString::number(int(t))));
            names.insert(name);
        }
        QCOMPARE(names.size(), allTypes().size());
        QCOMPARE(Wire::typeName(Wire::Type::Unknown), QStringLiteral("unknown"));
    }

    void roundTrip_data()
    {
        QTest::addColumn<Wire::Type>("type");
        for (Wire::Type t : allTypes())
            QTest::newRow(qPrintable(Wire::typeName(t))) << t;
    }
    void roundTrip()
    {
        QFETCH(Wire::Type, type);
        QCborMap message = Wire::message(type);
        QCOMPARE(Wire::typeOf(message), type);
        message.insert(Wire::Key::Task, 42);
        message.insert(Wire::Key::Body,
                       QCborArray{-1, 2.5, true, QCborValue(), QStringLiteral("två ✓"), QByteArray("\0\xff", 2),
                                  QCborMap{{QStringLiteral("nested"), QCborArray{1, 2, 3}}}});

        const QByteArray frame = Wire::encodeFrame(message);
        QVERIFY(frame.size() > Wire::LengthPrefixSize);
        // The prefix is the body's length, big-endian; the body is the map.
        QCOMPARE(qFromBigEndian<quint32>(frame.constData()), quint32(frame.size() - Wire::LengthPrefixSize));
        QCOMPARE(frame.mid(Wire::LengthPrefixSize), cbor(message));

        Wire::FrameReader reader;
        reader.addData(frame);
        QCborMap out;
        QCOMPARE(reader.next(&out), Status::Message);
        QCOMPARE(out, message);
        QCOMPARE(Wire::typeOf(out), type);
        QCOMPARE(reader.next(&out), Status::NeedMore);
        QCOMPARE(reader.bufferedBytes(), 0);
        QVERIFY(!reader.hasError());
    }

    // The reused-buffer writer writes what encodeFrame() writes, frame
    // after frame, and the {t, task, body} envelope is the map it stands for.
    void writerMatchesEncodeFrame_data() { roundTrip_data(); }
    void writerMatchesEncodeFrame()
    {
        QFETCH(Wire::Type, type);
        Wire::FrameWriter writer;
        const QCborValue bodies[] = {QCborValue(7), QCborArray{1, QStringLiteral("två"), QByteArray(300, 'z')},
                                     QCborValue(QStringLiteral("short")), QCborMap{{1, 2}}};
        // Each size of CBOR integer head, both signs.
        const qint64 tasks[] = {0, 23, 24, 255, 256, 65535, 65536, 4294967295LL, 4294967296LL,
                                std::numeric_limits<qint64>::max(), -1, -24, -25, -257,
                                std::numeric_limits<qint64>::min()};
        for (const QCborValue &body : bodies) {
            for (const qint64 task : tasks) {
                QCborMap message = Wire::message(type);
                message.insert(Wire::Key::Task, task);
                message.insert(Wire::Key::Body, body);
                QCOMPARE(writer.encode(message, Wire::DefaultMaxFrameSize).toByteArray(), Wire::encodeFrame(message));
                QCOMPARE(writer.encode(type, task, body, Wire::DefaultMaxFrameSize).toByteArray(),
                         Wire::encodeFrame(message));
            }
        }
    }

    void writerSizeLimit()
    {
        const QCborMap m = messageOfSize(100);
        Wire::FrameWriter writer;
        QCOMPARE(writer.encode(m, 100).size(), Wire::LengthPrefixSize + 100);
        QVERIFY(writer.encode(m, 99).isEmpty());
        // Refusing one frame leaves the writer usable.
        QCOMPARE(writer.encode(m, 100).toByteArray(), Wire::encodeFrame(m));
    }

    // What drover-worker reads its socket with: everything there is, then
    // the end of the stream once the peer has closed.
    void readsFromASocket()
    {
        int fds[2];
        QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
        QByteArray stream;
        for (int i = 0; i < 2000; ++i) {
            QCborMap m = Wire::message(Wire::Type::Feedback);
            m.insert(Wire::Key::Body, i);
            stream += Wire::encodeFrame(m);
        }
        // Less than the socket buffer holds, so one thread can do both ends.
        QVERIFY(stream.size() < 64 * 1024);
        QCOMPARE(::write(fds[0], stream.constData(), size_t(stream.size())), ssize_t(stream.size()));

        Wire::FrameReader reader;
        bool atEnd = true;
        QCOMPARE(reader.readFrom(fds[1], &atEnd), qint64(stream.size()));
        QVERIFY(!atEnd);
        QCOMPARE(reader.readFrom(fds[1], &atEnd), 0); // nothing more now: no wait
        QVERIFY(!atEnd);
        QCborMap out;
        for (int i = 0; i < 2000; ++i) {
            QCOMPARE(reader.next(&out), Status::Message);
            QCOMPARE(out.value(Wire::Key::Body).toInteger(), i);
        }
        QCOMPARE(reader.next(&out), Status::NeedMore);

        ::close(fds[0]);
        QCOMPARE(reader.readFrom(fds[1], &atEnd), 0);
        QVERIFY(atEnd);
        ::close(fds[1]);
    }

    void nextSaysTheType_data() { roundTrip_data(); }
    void nextSaysTheType()
    {
        QFETCH(Wire::Type, type);
        // Drover's own layout ("t" first) and another encoder's ("t" last).
        QCborMap first = Wire::message(type);
        first.insert(Wire::Key::Task, 1);
        QCborMap last;
        last.insert(Wire::Key::Task, 1);
        last.insert(Wire::Key::Type, Wire::typeName(type));
        for (const QCborMap &message : {first, last}) {
            Wire::FrameReader reader;
            reader.addData(Wire::encodeFrame(message));
            QCborMap out;
            Wire::Type seen = Wire::Type::Unknown;
            QCOMPARE(reader.next(&out, &seen), Status::Message);
            QCOMPARE(seen, type);
        }
    }

    void arrivesInPieces_data()
    {
        QTest::addColumn<int>("frames");
        QTest::addColumn<int>("chunk");

        QTest::newRow("one frame, one byte at a time") << 1 << 1;
        QTest::newRow("many frames, one byte at a time") << 30 << 1;
        QTest::newRow("pieces of 3 bytes, cutting every prefix") << 30 << 3;
        QTest::newRow("pieces of 20 bytes") << 30 << 20;
        QTest::newRow("several frames per 2 KiB piece") << 30 << 2048;
        QTest::newRow("all frames in one chunk") << 30 << (1 << 30);
        QTest::newRow("pieces of 4 KiB over 600 KiB") << 600 << 4096;
    }
    void arrivesInPieces()
    {
        QFETCH(int, frames);
        QFETCH(int, chunk);

        QByteArray stream;
        QList<QCborMap> sent;
        QList<qsizetype> frameEnds;
        for (int i = 0; i < frames; ++i) {
            QCborMap m = Wire::message(i % 2 ? Wire::Type::Feedback : Wire::Type::Response);
            m.insert(Wire::Key::Task, i);
            m.insert(Wire::Key::Body, QString((i * 37) % 1000, QLatin1Char('x')));
            sent << m;
            stream += Wire::encodeFrame(m);
            frameEnds << stream.size();
        }

        Wire::FrameReader reader;
        QList<QCborMap> received;
        for (qsizetype at = 0; at < stream.size(); at += chunk) {
            reader.addData(stream.mid(at, chunk));
            const qsizetype arrived = qMin(stream.size(), at + chunk);
            QCborMap m;
            Status status;
            while ((status = reader.next(&m)) == Status::Message)
                received << m;
            QCOMPARE(status, Status::NeedMore);
            // Every whole frame is delivered as soon as its last byte is in,
            // and none before.
            QCOMPARE(received.size(), qsizetype(std::upper_bound(frameEnds.cbegin(), frameEnds.cend(), arrived)
                                                - frameEnds.cbegin()));
            const qsizetype delivered = received.isEmpty() ? 0 : frameEnds.at(received.size() - 1);
            QCOMPARE(reader.bufferedBytes(), arrived - delivered);
        }
        QCOMPARE(received, sent);
        QCOMPARE(reader.bufferedBytes(), 0);
    }

    void sizeLimit_data()
    {
        QTest::addColumn<qint64>("bodySize");
        QTest::addColumn<qint64>("limit");

        QTest::newRow("one byte under the limit") << qint64(100) << qint64(101);
        QTest::newRow("exactly at the limit") << qint64(100) << qint64(100);
        QTest::newRow("one byte over the limit") << qint64(100) << qint64(99);
        QTest::newRow("exactly at a 1000-byte limit") << qint64(1000) << qint64(1000);
        QTest::newRow("one byte over a 1000-byte limit") << qint64(1001) << qint64(1000);
    }
    void sizeLimit()
    {
        QFETCH(qint64, bodySize);
        QFETCH(qint64, limit);
        const QCborMap m = messageOfSize(bodySize);
        QCOMPARE(cbor(m).size(), bodySize);
        const bool fits = bodySize <= limit;

        const QByteArray frame = Wire::encodeFrame(m, limit);
        QCOMPARE(frame.isEmpty(), !fits); // never sends what the peer must refuse
        QCOMPARE(Wire::encodeFrame(m, bodySize).size(), Wire::LengthPrefixSize + bodySize);

        Wire::FrameReader reader(limit);
        reader.addData(rawFrame(cbor(m)));
        QCborMap out;
        if (fits) {
            QCOMPARE(reader.next(&out), Status::Message);
            QCOMPARE(out, m);
        } else {
            QCOMPARE(reader.next(&out), Status::Error);
            QCOMPARE(reader.errorString(),
                     QStringLiteral("frame of %1 bytes exceeds the limit of %2 bytes").arg(bodySize).arg(limit));
        }
    }

    void lengthIsJudgedBeforeTheBody_data()
    {
        QTest::addColumn<qint64>("limit");
        QTest::addColumn<quint32>("announced");

        QTest::newRow("one byte over a small limit") << qint64(1024) << quint32(1025);
        QTest::newRow("one byte over the default limit") << Wire::DefaultMaxFrameSize
                                                         << quint32(Wire::DefaultMaxFrameSize + 1);
        QTest::newRow("the largest length a prefix can hold") << Wire::DefaultMaxFrameSize << quint32(0xffffffffu);
        QTest::newRow("exactly at the default limit: waits") << Wire::DefaultMaxFrameSize
                                                             << quint32(Wire::DefaultMaxFrameSize);
    }
    void lengthIsJudgedBeforeTheBody()
    {
        QFETCH(qint64, limit);
        QFETCH(quint32, announced);
        const bool refused = qint64(announced) > limit;

        Wire::FrameReader reader(limit);
        const QByteArray prefix = lengthPrefix(announced);
        QCborMap out;
        for (int i = 0; i < prefix.size() - 1; ++i) {
            reader.addData(prefix.mid(i, 1));
            QCOMPARE(reader.next(&out), Status::NeedMore);
        }
        reader.addData(prefix.right(1)); // the body never comes
        if (refused) {
            QCOMPARE(reader.next(&out), Status::Error);
            const QString error = reader.errorString();
            QVERIFY2(error.contains(QStringLiteral("%1 bytes").arg(announced)), qPrintable(error));
            QVERIFY2(error.contains(QStringLiteral("limit of %1 bytes").arg(limit)), qPrintable(error));
            QCOMPARE(reader.bufferedBytes(), 0);
        } else {
            QCOMPARE(reader.next(&out), Status::NeedMore);
            QVERIFY(!reader.hasError());
        }
    }

    void badInput_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("error");

        QTest::newRow("empty frame") << QByteArray() << "frame is not valid CBOR";
        QTest::newRow("not CBOR") << QByteArray("\xff\xff\xff\xff", 4) << "frame is not valid CBOR";
        QTest::newRow("JSON, not CBOR") << QByteArray("{\"t\": \"ping\"}") << "frame is not valid CBOR";
        QTest::newRow("truncated map") << QByteArray("\xa1\x61", 2) << "frame is not valid CBOR";
        QTest::newRow("array, not a map") << cbor(QCborArray{1, 2}) << "frame is not a CBOR map";
        QTest::newRow("integer, not a map") << cbor(7) << "frame is not a CBOR map";
        QTest::newRow("string, not a map") << cbor(QStringLiteral("ping")) << "frame is not a CBOR map";
        QTest::newRow("map without t") << cbor(QCborMap{{QStringLiteral("task"), 1}}) << "message has no type";
        QTest::newRow("empty map") << cbor(QCborMap()) << "message has no type";
        QTest::newRow("t is a number") << cbor(QCborMap{{QStringLiteral("t"), 7}}) << "message has no type";
        QTest::newRow("t is bytes") << cbor(QCborMap{{QStringLiteral("t"), QByteArray("ping")}})
                                    << "message has no type";
        QTest::newRow("unknown t") << cbor(QCborMap{{QStringLiteral("t"), QStringLiteral("bogus")}})
                                   << "unknown message type \"bogus\"";
        QTest::newRow("t in the wrong case") << cbor(QCborMap{{QStringLiteral("t"), QStringLiteral("Ping")}})
                                             << "unknown message type \"Ping\"";
        QTest::newRow("t is \"unknown\"") << cbor(QCborMap{{QStringLiteral("t"), QStringLiteral("unknown")}})
                                          << "unknown message type \"unknown\"";
        QTest::newRow("t is empty") << cbor(QCborMap{{QStringLiteral("t"), QString()}})
                                    << "unknown message type \"\"";
    }
    void badInput()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, error);

        // A good frame before the bad one is still delivered.
        QCborMap before = Wire::message(Wire::Type::Ping);
        before.insert(Wire::Key::Serial, 1);
        Wire::FrameReader reader;
        reader.addData(Wire::encodeFrame(before) + rawFrame(body) + Wire::encodeFrame(Wire::message(Wire::Type::Pong)));
        QCborMap out;
        QCOMPARE(reader.next(&out), Status::Message);
        QCOMPARE(out, before);

        QCOMPARE(reader.next(&out), Status::Error);
        QVERIFY(reader.hasError());
        QVERIFY2(reader.errorString().startsWith(error), qPrintable(reader.errorString()));
        QCOMPARE(Wire::typeOf(QCborValue::fromCbor(body).toMap()), Wire::Type::Unknown);
    }

    // The envelope {t, task, body} is read without a map when it is laid
    // out as the writer lays it out; either way the message is the frame's
    // map, and a bad body is refused as it would be in a map.
    void receivedEnvelope_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("envelope");
        QTest::addColumn<qint64>("task");

        const QByteArray head = QByteArray("\xa3\x61t\x68response", 12);
        const QByteArray taskKey("\x64task", 5);
        const QByteArray bodyKey("\x64" "body", 5);
        const QByteArray small = cbor(QStringLiteral("ok"));
        QTest::newRow("as written") << head + taskKey + QByteArray("\x07", 1) + bodyKey + small << true << qint64(7);
        QTest::newRow("task in a longer head") << head + taskKey + QByteArray("\x19\x00\x07", 3) + bodyKey + small
                                               << true << qint64(7);
        QTest::newRow("negative task") << head + taskKey + QByteArray("\x20", 1) + bodyKey + small << true << qint64(-1);
        QTest::newRow("largest task") << head + taskKey + QByteArray("\x1b\x7f\xff\xff\xff\xff\xff\xff\xff", 9)
                                             + bodyKey + small
                                      << true << std::numeric_limits<qint64>::max();
        QTest::newRow("task beyond qint64: a map")
            << head + taskKey + QByteArray("\x1b\x80\x00\x00\x00\x00\x00\x00\x00", 9) + bodyKey + small << false
            << qint64(0);
        QTest::newRow("task as text: a map") << head + taskKey + cbor(QStringLiteral("7")) + bodyKey + small << false
                                             << qint64(0);
        QTest::newRow("keys in another order: a map")
            << QByteArray("\xa3\x61t\x68response", 12) + bodyKey + small + taskKey + QByteArray("\x07", 1) << false
            << qint64(0);
        QByteArray four = head + taskKey + QByteArray("\x07", 1) + bodyKey + small + cbor(QStringLiteral("n")) + cbor(1);
        four[0] = char(0xa4);
        QTest::newRow("a fourth key: a map") << four << false << qint64(0);
        QTest::newRow("a nested body") << head + taskKey + QByteArray("\x05", 1) + bodyKey
                                              + cbor(QCborMap{{QStringLiteral("a"), QCborArray{1, 2.5, true}}})
                                       << true << qint64(5);
    }
    void receivedEnvelope()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, envelope);
        QFETCH(qint64, task);

        Wire::FrameReader reader;
        reader.addData(rawFrame(body));
        Wire::Received received;
        QVERIFY2(reader.next(&received) == Status::Message, qPrintable(reader.errorString()));
        QCOMPARE(received.type, Wire::Type::Response);
        QCOMPARE(received.isEnvelope, envelope);
        if (envelope)
            QCOMPARE(received.task, task);
        QCOMPARE(received.toMap(), QCborValue::fromCbor(body).toMap());
        QCOMPARE(reader.next(&received), Status::NeedMore);
    }
    void envelopeWithABadBody_data()
    {
        QTest::addColumn<QByteArray>("tail");
        QTest::addColumn<QString>("error");
        QTest::addColumn<bool>("headRead");
        QTest::newRow("body cut short") << QByteArray("\x62o", 2) << "frame is not valid CBOR" << true;
        QTest::newRow("no body at all") << QByteArray() << "frame is not valid CBOR" << false;
        QTest::newRow("bytes after the body") << QByteArray("\x01\x02", 2) << "frame has 1 bytes after its CBOR item"
                                              << true;
    }
    void envelopeWithABadBody()
    {
        QFETCH(QByteArray, tail);
        QFETCH(QString, error);
        QFETCH(bool, headRead);
        const QByteArray body = QByteArray("\xa3\x61t\x68response\x64task\x07\x64" "body", 23) + tail;
        if (!headRead) { // a map short of its body: no envelope, the frame is refused
            Wire::FrameReader reader;
            reader.addData(rawFrame(body));
            Wire::Received received;
            QCOMPARE(reader.next(&received), Status::Error);
            QVERIFY2(reader.errorString().startsWith(error), qPrintable(reader.errorString()));
            return;
        }
        // The frame is whole and its head says whose it is: the receiver
        // gets the task and why the body is bad (a response ends its task
        // MarshalError), and the stream goes on.
        Wire::FrameReader reader;
        reader.addData(rawFrame(body) + rawFrame(cbor(Wire::message(Wire::Type::Pong))));
        Wire::Received received;
        QCOMPARE(reader.next(&received), Status::Message);
        QCOMPARE(received.type, Wire::Type::Response);
        QVERIFY(received.isEnvelope);
        QCOMPARE(received.task, 7);
        QVERIFY2(received.bodyError.startsWith(error), qPrintable(received.bodyError));
        QCOMPARE(reader.next(&received), Status::Message);
        QCOMPARE(received.type, Wire::Type::Pong);
        QVERIFY(received.bodyError.isEmpty());
        // Asked for a map, there is none to give: the frame is refused.
        Wire::FrameReader asMap;
        asMap.addData(rawFrame(body));
        QCborMap map;
        QCOMPARE(asMap.next(&map), Status::Error);
        QVERIFY2(asMap.errorString().startsWith(error), qPrintable(asMap.errorString()));
        // The whole map is refused for the same reason.
        QCborParserError whole;
        QCborValue::fromCbor(body, &whole);
        QVERIFY(whole.error != QCborError::NoError || whole.offset != body.size());
    }

    void errorIsFinal_data()
    {
        QTest::addColumn<QByteArray>("bad");
        QTest::addColumn<qint64>("limit");

        QTest::newRow("after bytes that are not CBOR") << rawFrame("\xff\xff") << Wire::DefaultMaxFrameSize;
        QTest::newRow("after a map without t") << rawFrame(cbor(QCborMap())) << Wire::DefaultMaxFrameSize;
        QTest::newRow("after an oversized length") << lengthPrefix(65) << qint64(64);
    }
    void errorIsFinal()
    {
        QFETCH(QByteArray, bad);
        QFETCH(qint64, limit);

        Wire::FrameReader reader(limit);
        reader.addData(bad);
        QCborMap out;
        QCOMPARE(reader.next(&out), Status::Error);
        const QString error = reader.errorString();
        QVERIFY(!error.isEmpty());

        // Good frames after it, whole or in pieces, are neither read nor kept.
        const QByteArray good = Wire::encodeFrame(Wire::message(Wire::Type::Ping));
        for (int i = 0; i < 3; ++i) {
            reader.addData(good);
            reader.addData(good.left(2));
            out = QCborMap();
            QCOMPARE(reader.next(&out), Status::Error);
            QCOMPARE(out, QCborMap());
            QVERIFY(reader.hasError());
            QCOMPARE(reader.errorString(), error);
            QCOMPARE(reader.bufferedBytes(), 0);
        }
    }

    void trailingBytesInAFrame()
    {
        // A frame holds one CBOR map and nothing else (docs/wire.md).
        const QCborMap ping = Wire::message(Wire::Type::Ping);
        Wire::FrameReader reader;
        reader.addData(rawFrame(cbor(ping) + QByteArray("\x00\xff junk", 7)));
        QCborMap out;
        // QCborValue::fromCbor() stops after the first item without an error:
        // next() checks that the item filled the frame.
        QCOMPARE(reader.next(&out), Status::Error);
        QVERIFY(reader.errorString().contains(QLatin1String("bytes after its CBOR item")));
    }
};

QTEST_GUILESS_MAIN(tst_Wire)
#include "tst_wire.moc"
