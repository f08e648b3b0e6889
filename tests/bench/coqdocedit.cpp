// drover-bench-coqdoc FILE.v: a Coq document checked on one coqdoc worker,
// then an edit in its last proof checked again (the worker resumes after the
// common prefix), against the same edit made on a coqidetop of the bench's
// own with no Drover in between (Edit_at, then the changed sentences added
// and run, as CoqIDE does it; the text split once). Prints one JSON line:
// {"file", "sentences", "full_ms", "edit_ms", "alone_ms", "resumed_at",
// "added", "checked"}. Used by tests/bench/coq-documents.sh; not a test.

#include "coqdocumentcheck.h"
#include "coqidetop.h"
#include "coqproject.h"

#include <drover/manager.h>
#include <drover/taskqueue.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtTest/QSignalSpy>

#include <algorithm>
#include <cstdio>

namespace {

QString coqlib()
{
    QProcess coqc;
    coqc.start(QStringLiteral("coqc"), {QStringLiteral("-where")});
    coqc.waitForFinished(30000);
    return QString::fromLocal8Bit(coqc.readAllStandardOutput()).trimmed();
}

//! `text` edited in its last opaque proof: a comment put before the
//! proof's last tactic, which moves it and all after it (an edit that
//! keeps the proof's meaning: a tactic could fail where it is put).
QByteArray editLastProof(const QByteArray &text)
{
    CoqLib::CoqDocPlan plan = CoqLib::CoqDocPlan::make(text, {}, {});
    plan.findProofs(text, {});
    for (qsizetype p = plan.proofs.size() - 1; p >= 0; --p) {
        const CoqLib::CoqProof &proof = plan.proofs.at(p);
        if (proof.opaque && proof.end >= 0) {
            QByteArray edited = text;
            const int last = std::max(proof.end - 1, proof.statement + 1);
            edited.insert(plan.split.sentences.at(last).start, "(* edited *) ");
            return edited;
        }
    }
    return {};
}

//! What a client of coqidetop with no Drover in between (CoqIDE's way)
//! spends on the same edit: the original text added and run untimed, then,
//! timed, Edit_at back to the sentence before `from` and the edited text's
//! pieces from `from` on added and run.
qint64 aloneMs(const DroverDemo::CoqDocumentCheck::Setup &setup, const QByteArray &original, const QByteArray &edited,
               int from)
{
    CoqLib::CoqIdeTop::Options options;
    options.flags = QStringList{QStringLiteral("-async-proofs"), QStringLiteral("off")} + setup.flags;
    options.workingDirectory = setup.root;
    CoqLib::CoqIdeTop top(options);
    QString error;
    if (!top.start(&error))
        return -1;
    const CoqLib::CoqIdeTop::InitReply init = top.init();
    if (!init.ok)
        return -1;
    QList<int> states{init.stateId};
    const auto run = [&](const CoqLib::CoqDocPlan &plan, qsizetype first) {
        for (qsizetype i = first; i < plan.pieces.size(); ++i) {
            const CoqLib::CoqDocPiece &piece = plan.pieces.at(i);
            const CoqLib::CoqIdeTop::AddReply added =
                top.add(piece.text, -1, states.last(), piece.offset, piece.line, int(piece.bol));
            if (!added.ok || !top.status(false).ok)
                return false;
            states << added.newStateId;
        }
        return true;
    };
    if (!run(CoqLib::CoqDocPlan::make(original, {}, {}), 0))
        return -1;
    QElapsedTimer clock;
    clock.start();
    const CoqLib::CoqDocPlan plan = CoqLib::CoqDocPlan::make(edited, {}, {});
    if (!top.editAt(states.at(from)).ok)
        return -1;
    states.resize(from + 1);
    if (!run(plan, from))
        return -1;
    const qint64 ms = clock.elapsed();
    top.stop();
    return ms;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: drover-bench-coqdoc FILE.v\n");
        return 2;
    }
    const QString file = QFileInfo(QString::fromLocal8Bit(argv[1])).absoluteFilePath();
    QFile source(file);
    QString error;
    const std::optional<CoqLib::CoqProject> project = CoqLib::CoqProject::forFile(file, &error);
    if (!source.open(QIODevice::ReadOnly) || !project) {
        std::fprintf(stderr, "drover-bench-coqdoc: cannot read %s %s\n", argv[1], qPrintable(error));
        return 2;
    }
    const QByteArray text = source.readAll();
    Drover::Manager manager;
    Drover::TaskQueue *queue = manager.queue(QStringLiteral("coqdoc"));
    if (!queue) {
        std::fprintf(stderr, "drover-bench-coqdoc: %s\n", qPrintable(manager.errorString()));
        return 3;
    }
    queue->setMaxWorkers(1);
    DroverDemo::CoqDocumentCheck check(queue);
    QSignalSpy finished(&check, &DroverDemo::CoqDocumentCheck::finished);
    DroverDemo::CoqDocumentCheck::Setup setup;
    setup.document = file;
    setup.root = project->root;
    setup.flags = project->flags;
    setup.proofUsingLibraries = DroverDemo::librariesSettingProofUsing(project->flags, project->root, text, coqlib());

    QElapsedTimer clock;
    clock.start();
    check.check(setup, text);
    if (!finished.wait(3600 * 1000))
        return 1;
    const qint64 fullMs = clock.elapsed();
    const QByteArray edited = editLastProof(text);
    clock.restart();
    check.check(setup, edited);
    if (!finished.wait(3600 * 1000))
        return 1;
    const qint64 editMs = clock.elapsed();
    const CoqLib::CoqDocResult result = check.results().value(0);
    int checked = 0;
    for (const DroverDemo::CoqDocumentCheck::Sentence &s : check.sentences())
        checked += s.outcome.status == CoqLib::CoqSentenceOutcome::Status::Checked;
    const int from = check.plan().pieceAtOrAfter(result.resumedAt);
    const QJsonObject line{{QStringLiteral("file"), QFileInfo(file).fileName()},
                           {QStringLiteral("sentences"), int(check.sentences().size())},
                           {QStringLiteral("checked"), checked},
                           {QStringLiteral("full_ms"), fullMs},
                           {QStringLiteral("edit_ms"), editMs},
                           {QStringLiteral("alone_ms"), aloneMs(setup, text, edited, from)},
                           {QStringLiteral("resumed_at"), result.resumedAt},
                           {QStringLiteral("added"), result.added}};
    std::printf("%s\n", QJsonDocument(line).toJson(QJsonDocument::Compact).constData());
    return 0;
}
