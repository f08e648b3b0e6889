// The frame protocol on its own: every message type round-trips, frames
// arrive in any pieces, and each kind of bad input is refused for good with
// a message that says what was wrong.

#include "wire.h"

#include <QtCore/QCborArray>
#include <QtCore/QtEndian>
#include <QtTest/QTest>

using namespace Drover::Internal;

namespace {
QByteArray lengthPrefix(quint32 length)
{
    QByteArray prefix(4, '\0');
    qToBigEndian<quint32>(length, prefix.data());
    return prefix;
}
} // namespace

class tst_Wire : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip_data()
    {
        QTest::addColumn<int>("type");
        for (Wire::Type t : {Wire::Type::Hello, Wire::Type::Response, Wire::Type::Error, Wire::Type::Feedback,
                             Wire::Type::Pong, Wire::Type::Ask, Wire::Type::Welcome, Wire::Type::Request,
                             Wire::Type::Broadcast, Wire::Type::Cancel, Wire::Type::Ping, Wire::Type::Quit,
                             Wire::Type::Answer, Wire::Type::Message})
            QTest::newRow(qPrintable(Wire::typeName(t))) << int(t);
    }
    void roundTrip()
    {
        QFETCH(int, type);
        QCborMap message = Wire::message(Wire::Type(type));
        message.insert(Wire::Key::Task, 42);
        message.insert(Wire::Key::Body, QCborArray{1, QStringLiteral("two"), QByteArray("3")});
        Wire::FrameReader reader;
        reader.addData(Wire::encodeFrame(message));
        QCborMap out;
        QCOMPARE(reader.next(&out), Wire::FrameReader::Status::Message);
        QCOMPARE(out, message);
        QCOMPARE(Wire::typeOf(out), Wire::Type(type));
        QCOMPARE(reader.next(&out), Wire::FrameReader::Status::NeedMore);
        QCOMPARE(reader.bufferedBytes(), 0);
    }

    void arrivesInPieces_data()
    {
        QTest::addColumn<int>("chunk");
        QTest::newRow("one byte at a time") << 1;
        QTest::newRow("three bytes") << 3;
        QTest::newRow("twenty bytes") << 20;
        QTest::newRow("everything in one chunk") << 1000000;
    }
    void arrivesInPieces()
    {
        QFETCH(int, chunk);
        QByteArray stream;
        QList<QCborMap> sent;
        for (int i = 0; i < 20; ++i) {
            QCborMap m = Wire::message(Wire::Type::Feedback);
            m.insert(Wire::Key::Body, QString(i * 7, QLatin1Char('x')));
            sent << m;
            stream += Wire::encodeFrame(m);
        }
        Wire::FrameReader reader;
        QList<QCborMap> received;
        for (qsizetype at = 0; at < stream.size(); at += chunk) {
            reader.addData(stream.mid(at, chunk));
            QCborMap m;
            while (reader.next(&m) == Wire::FrameReader::Status::Message)
                received << m;
            QVERIFY(!reader.hasError());
        }
        QCOMPARE(received, sent);
    }

    void sizeLimit()
    {
        const qint64 limit = 64;
        QCborMap m = Wire::message(Wire::Type::Feedback);
        m.insert(Wire::Key::Body, QString());
        const qint64 overhead = m.toCborValue().toCbor().size();
        // A string of n < 24 chars costs n + 1 bytes: fill up to the limit exactly.
        m.insert(Wire::Key::Body, QString(int(limit - overhead) , QLatin1Char('y')));
        const QByteArray atLimit = Wire::encodeFrame(m, limit + 8);
        QVERIFY(!atLimit.isEmpty());
        const qint64 bodySize = atLimit.size() - Wire::LengthPrefixSize;
        Wire::FrameReader exact(bodySize);
        exact.addData(atLimit);
        QCborMap out;
        QCOMPARE(exact.next(&out), Wire::FrameReader::Status::Message);

        Wire::FrameReader tooSmall(bodySize - 1);
        tooSmall.addData(atLimit);
        QCOMPARE(tooSmall.next(&out), Wire::FrameReader::Status::Error);
        QCOMPARE(tooSmall.errorString(), QStringLiteral("frame of %1 bytes exceeds the limit of %2 bytes").arg(bodySize).arg(bodySize - 1));
        QVERIFY(Wire::encodeFrame(m, bodySize - 1).isEmpty());
    }

    void oversizeRefusedBeforeBody()
    {
        Wire::FrameReader reader(1024);
        reader.addData(lengthPrefix(0x7fffffff)); // the body never needs to arrive
        QCborMap out;
        QCOMPARE(reader.next(&out), Wire::FrameReader::Status::Error);
        QVERIFY(reader.errorString().contains(QLatin1String("2147483647 bytes exceeds the limit of 1024")));
    }

    void badInput_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("error");
        QTest::newRow("not CBOR") << QByteArray("\xff\xff\xff\xff", 4) << "frame is not valid CBOR";
        QTest::newRow("truncated CBOR") << QByteArray("\xa1\x61", 2) << "frame is not valid CBOR";
        QTest::newRow("not a map") << QCborValue(QCborArray{1, 2}).toCbor() << "frame is not a CBOR map";
        QTest::newRow("no type") << QCborValue(QCborMap{{QStringLiteral("x"), 1}}).toCbor() << "message has no type";
        QTest::newRow("type not a string") << QCborValue(QCborMap{{QStringLiteral("t"), 7}}).toCbor() << "message has no type";
        QTest::newRow("unknown type") << QCborValue(QCborMap{{QStringLiteral("t"), QStringLiteral("bogus")}}).toCbor()
                                      << "unknown message type \"bogus\"";
    }
    void badInput()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, error);
        Wire::FrameReader reader;
        reader.addData(lengthPrefix(quint32(body.size())) + body);
        QCborMap out;
        QCOMPARE(reader.next(&out), Wire::FrameReader::Status::Error);
        QVERIFY2(reader.errorString().startsWith(error), qPrintable(reader.errorString()));
        // The error is final: good frames after it are not read.
        reader.addData(Wire::encodeFrame(Wire::message(Wire::Type::Ping)));
        QCOMPARE(reader.next(&out), Wire::FrameReader::Status::Error);
    }
};

QTEST_GUILESS_MAIN(tst_Wire)
#include "tst_wire.moc"
