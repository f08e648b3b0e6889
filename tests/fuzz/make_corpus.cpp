// make_corpus: writes the seed corpus of fuzz_frames, laid out as
// fuzzinput.h says, and a libFuzzer dictionary of the protocol's tokens.
// The frames are the project's own (Wire::encodeFrame, Wire::FrameWriter):
// one of every message type, streams of them in every way of feeding and
// splitting, and hand-made bad frames for each refusal of
// FrameReader::next() (docs/wire.md, "Frames").
//
// It also writes, to a third directory, one input per known issue: frames
// that run.sh feeds to fuzz_frames in strict mode to see whether the issue
// is still there (receivers.cpp says which issue).
//
//   make_corpus <corpus directory> <dictionary file> <known-issues directory>

#include "fuzzinput.h"
#include "seedframes.h"
#include "wire/wire.h"

#include <QtCore/QCborValue>
#include <QtCore/QDir>
#include <QtCore/QFile>

#include <cstdio>

namespace Wire = Drover::Internal::Wire;
namespace Key = Wire::Key;
using FuzzInput::Feed;
using FuzzInput::Limit;
using SeedFrames::prefix;

namespace {

QDir g_dir;
int g_written = 0;

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size()) {
        std::fprintf(stderr, "make_corpus: cannot write %s\n", qPrintable(path));
        std::exit(1);
    }
}

struct Header
{
    Feed feed = Feed::AddData;
    unsigned chunking = FuzzInput::Whole;
    Limit limit = Limit::Default;
    unsigned limitValue = 0;
    int repeat = 1;
    FuzzInput::Change change = FuzzInput::Change::Kept;
};

void seed(const QString &name, const QByteArray &stream, const Header &h = {}, const QDir &dir = g_dir)
{
    QByteArray input;
    input.append(char(FuzzInput::feedByte(h.feed, h.chunking)));
    input.append(char(FuzzInput::limitByte(h.limit, h.limitValue)));
    input.append(char(FuzzInput::thirdByte(h.repeat, h.change)));
    input.append(stream);
    writeFile(dir.filePath(name), input);
    ++g_written;
}

void writeDictionary(const QString &path)
{
    QByteArray dict;
    auto token = [&dict](const QByteArray &bytes) {
        dict += "\"";
        for (char c : bytes)
            dict += QByteArray("\\x") + QByteArray::number(uchar(c), 16).rightJustified(2, '0');
        dict += "\"\n";
    };
    for (int t = int(Wire::Type::Hello); t <= int(Wire::Type::Message); ++t)
        token(QCborValue(Wire::typeName(Wire::Type(t))).toCbor());
    for (QLatin1StringView key : {Key::Type, Key::Version, Key::Kind, Key::WorkerId, Key::Secret, Key::Pid, Key::Task,
                                  Key::Body, Key::Message, Key::ErrorKind, Key::MaxFrame, Key::Feedback, Key::Clear,
                                  Key::Serial, Key::Init, Key::Batch})
        token(QCborValue(QString(key)).toCbor());
    token(prefix(quint32(Wire::DefaultMaxFrameSize)));
    token(QByteArray::fromHex("fb7ff8000000000000")); // a double NaN
    token(QByteArray::fromHex("c0")); // tag 0, a date-time
    writeFile(path, dict);
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 4) {
        std::fprintf(stderr, "usage: make_corpus <corpus directory> <dictionary file> <known-issues directory>\n");
        return 2;
    }
    g_dir = QDir(QString::fromLocal8Bit(argv[1]));
    if (!g_dir.mkpath(QStringLiteral("."))) {
        std::fprintf(stderr, "make_corpus: cannot create %s\n", argv[1]);
        return 1;
    }

    const QList<QByteArray> frames = SeedFrames::everyMessage();
    QByteArray all;
    for (int i = 0; i < frames.size(); ++i) {
        seed(QStringLiteral("msg-%1").arg(i, 2, 10, QLatin1Char('0')), frames[i]);
        all += frames[i];
    }
    const char *feeds[] = {"add", "device", "socket"};
    for (Feed feed : {Feed::AddData, Feed::Device, Feed::Socket}) {
        const QString name = QString::fromLatin1(feeds[int(feed)]);
        seed(QStringLiteral("all-%1-whole").arg(name), all, {feed, FuzzInput::Whole});
        seed(QStringLiteral("all-%1-bytes").arg(name), all, {feed, FuzzInput::ByteByByte});
        seed(QStringLiteral("all-%1-pieces").arg(name), all, {feed, 5});
    }
    // Large frames, repeated: past 64 KiB consumed the reader compacts its
    // buffer; past 1 MiB it gives the buffer back.
    const QByteArray large = SeedFrames::largeStream();
    seed(QStringLiteral("large-pieces-x32"), large, {Feed::AddData, FuzzInput::MaxChunking, Limit::Default, 0, 32});
    seed(QStringLiteral("large-whole-x512"), large, {Feed::AddData, FuzzInput::Whole, Limit::Default, 0, 512});
    seed(QStringLiteral("large-socket-x64"), large, {Feed::Socket, 40, Limit::Default, 0, 64});
    seed(QStringLiteral("large-socket-whole-x32"), large, {Feed::Socket, FuzzInput::Whole, Limit::Default, 0, 32});

    // The limit to the byte: a frame exactly at it, and one byte over.
    const QByteArray quit = SeedFrames::frame(Wire::message(Wire::Type::Quit));
    const auto quitBody = unsigned(quit.size() - Wire::LengthPrefixSize);
    seed(QStringLiteral("limit-at"), quit + quit, {Feed::AddData, 2, Limit::Bytes, quitBody});
    seed(QStringLiteral("limit-over"), quit, {Feed::AddData, 2, Limit::Bytes, quitBody - 1});
    seed(QStringLiteral("limit-zero"), quit, {Feed::Device, FuzzInput::Whole, Limit::Bytes, 0});
    seed(QStringLiteral("limit-4k"), all, {Feed::AddData, 9, Limit::Times64, 1});

    // The limit changed after the first message, as after a hello: a frame
    // too big for the first limit passes the raised one, not a halved one.
    seed(QStringLiteral("limit-raised"), frames[0] + large, {Feed::AddData, 30, Limit::Times64, 3, 1, FuzzInput::Change::ToDefault});
    seed(QStringLiteral("limit-doubled"), frames[0] + frames[2], {Feed::Socket, 4, Limit::Times64, 4, 1, FuzzInput::Change::Doubled});
    seed(QStringLiteral("limit-halved"), frames[0] + frames[0], {Feed::AddData, FuzzInput::Whole, Limit::Times64, 2, 1, FuzzInput::Change::Halved});

    // A frame exactly at the limit that re-encodes larger than it.
    const QByteArray expanding = SeedFrames::expandingFrame();
    seed(QStringLiteral("limit-expands"), expanding,
         {Feed::AddData, FuzzInput::Whole, Limit::Bytes, unsigned(expanding.size() - Wire::LengthPrefixSize)});

    for (const auto &[name, bad] : SeedFrames::badFrames()) {
        seed(name, bad);
        // After good frames, split, and followed by more: the error is final.
        seed(name + QStringLiteral("-after"), frames[0] + bad + frames[1], {Feed::AddData, 3});
        seed(name + QStringLiteral("-device"), bad + frames[2], {Feed::Device, 2});
        seed(name + QStringLiteral("-socket"), frames[3] + bad + frames[4], {Feed::Socket, 7});
    }
    seed(QStringLiteral("cut-prefix"), all.left(2), {Feed::AddData, FuzzInput::ByteByByte});
    seed(QStringLiteral("cut-body"), frames[0].left(frames[0].size() - 3));

    writeDictionary(QString::fromLocal8Bit(argv[2]));
    const QDir known(QString::fromLocal8Bit(argv[3]));
    if (!known.mkpath(QStringLiteral("."))) {
        std::fprintf(stderr, "make_corpus: cannot create %s\n", argv[3]);
        return 1;
    }
    const int seeds = g_written;
    for (const auto &[name, frame] : SeedFrames::knownIssueFrames())
        seed(name, frame, {}, known);
    std::printf("make_corpus: %d seeds in %s, %d known-issue inputs in %s\n", seeds, argv[1], g_written - seeds, argv[3]);
    return 0;
}
