#pragma once

// What the coqidetop suites share: a document cut into sentences, what coqc
// says of the same text, and a CoqIdeTop session opened and fed sentence by
// sentence.

#include "coqidetop.h"

#include <QtCore/QDebug>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QTemporaryDir>

#include <chrono>
#include <memory>

namespace TestSupport {

using namespace CoqLib;
using namespace std::chrono_literals;

//! A document cut into sentences (each ends with '.' before a blank or
//! the end: enough for the texts of this file).
struct Sentence
{
    QByteArray text;
    qint64 offset = 0; //!< bytes
    int line = 1;
    int bol = 0;
};

inline QList<Sentence> sentences(const QByteArray &document)
{
    QList<Sentence> out;
    qsizetype start = 0;
    for (qsizetype i = 0; i < document.size(); ++i) {
        if (document.at(i) != '.' || (i + 1 < document.size() && !QChar::isSpace(uchar(document.at(i + 1)))))
            continue;
        while (start < i && QChar::isSpace(uchar(document.at(start))))
            ++start;
        Sentence s;
        s.text = document.mid(start, i + 1 - start);
        s.offset = start;
        s.line = int(document.left(start).count('\n')) + 1;
        s.bol = int(document.lastIndexOf('\n', start - 1) + 1);
        out << s;
        start = i + 1;
    }
    return out;
}

//! Line (1-based) and coqc's `characters A-B` (bytes from that line's start)
//! for an absolute byte range.
inline QString coqcPlace(const QByteArray &document, qint64 start, qint64 stop)
{
    const qint64 bol = document.lastIndexOf('\n', start - 1) + 1;
    return QStringLiteral("line %1, characters %2-%3").arg(document.left(start).count('\n') + 1).arg(start - bol).arg(stop - bol);
}

//! What coqc says about the same text: "line L, characters A-B".
inline QString coqcSays(const QByteArray &document)
{
    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("t.v")));
    if (!file.open(QIODevice::WriteOnly))
        return QStringLiteral("cannot write");
    file.write(document);
    file.close();
    QProcess coqc;
    coqc.setWorkingDirectory(dir.path());
    coqc.start(QStringLiteral("coqc"), {QStringLiteral("t.v")});
    if (!coqc.waitForFinished(120000))
        return QStringLiteral("coqc did not finish");
    const QString out = QString::fromUtf8(coqc.readAllStandardError() + coqc.readAllStandardOutput());
    const QRegularExpressionMatch m = QRegularExpression(QStringLiteral("(line \\d+, characters \\d+-\\d+)")).match(out);
    return m.hasMatch() ? m.captured(1) : out;
}

struct Session
{
    CoqIdeTop::Options options;
    std::unique_ptr<CoqIdeTop> top;
    QList<CoqFeedback> feedback;
    int root = 0;
};

//! Starts and inits a coqidetop; QVERIFY-style failures go through `ok`.
inline void open(Session *s, QStringList flags = {}, bool *ok = nullptr)
{
    s->options.flags = flags;
    s->options.callTimeout = 60s;
    s->options.onFeedback = [s](const CoqFeedback &f) { s->feedback << f; };
    s->top = std::make_unique<CoqIdeTop>(s->options);
    QString error;
    bool started = s->top->start(&error);
    const CoqIdeTop::InitReply init = started ? s->top->init() : CoqIdeTop::InitReply{};
    s->root = init.stateId;
    if (ok)
        *ok = started && init.ok;
    if (!started)
        qWarning() << "start:" << error;
    else if (!init.ok)
        qWarning() << "init:" << init.failure.message;
}

//! Adds every sentence of `document` after the root; the state of each.
inline QList<int> addAll(Session *s, const QByteArray &document, int tip)
{
    QList<int> states;
    for (const Sentence &sentence : sentences(document)) {
        const CoqIdeTop::AddReply r = s->top->add(sentence.text, -1 - int(states.size()), tip, sentence.offset, sentence.line, sentence.bol);
        if (!r.ok) {
            qWarning() << "add failed:" << sentence.text << r.failure.message;
            return states;
        }
        tip = r.newStateId;
        states << tip;
    }
    return states;
}

inline const QByteArray Spin = "Fixpoint spin (n : nat) (b : bool) : bool := match n with 0 => negb b | S m => spin m (spin m b) end.\n"
                        "Definition before := 1.\n"
                        "Eval vm_compute in spin 60 true.\n"; // 2^60 steps: hours

} // namespace TestSupport
