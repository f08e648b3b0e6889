#include "sentencerun.h"

#include "jsonlines.h"

#include <drover/manager.h>
#include <drover/taskqueue.h>

#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonObject>
#include <QtCore/QStringDecoder>
#include <QtCore/QTextStream>

using namespace Drover;
using CoqLib::CoqSentenceOutcome;

SentenceRun::SentenceRun(CheckOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
}

SentenceRun::~SentenceRun()
{
    delete m_check;
    m_manager.reset(); // every worker, and its coqidetop, is gone before the report ends
}

bool SentenceRun::start(int *exitCode)
{
    m_clock.start();
    QTextStream err(stderr);
    if (m_options.files.size() != 1 || !m_options.files.first().endsWith(QLatin1String(".v"))) {
        err << "drover-check: --sentences takes one .v file\n";
        *exitCode = 2;
        return false;
    }
    m_file = QFileInfo(m_options.files.first()).absoluteFilePath();
    QFile file(m_file);
    if (!file.open(QIODevice::ReadOnly)) {
        err << "drover-check: cannot read " << m_options.files.first() << ": " << file.errorString() << '\n';
        *exitCode = 2;
        return false;
    }
    const QByteArray text = file.readAll();
    QStringDecoder utf8(QStringDecoder::Utf8);
    const QString decoded = utf8(text);
    if (utf8.hasError()) {
        err << "drover-check: cannot check " << m_options.files.first()
            << ": it is not UTF-8 text (coqidetop reads its sentences as UTF-8)\n";
        *exitCode = 2;
        return false;
    }
    QString error;
    std::optional<DroverDemo::CoqDocumentCheck::Setup> setup = DroverDemo::CoqDocumentCheck::Setup::forFile(m_file, text, &error);
    if (!setup) {
        err << "drover-check: " << error << '\n';
        *exitCode = 2;
        return false;
    }
    m_manager = std::make_unique<Manager>();
    m_options.applyJobsCap(m_manager.get());
    m_queue = m_manager->queue(QStringLiteral("coqdoc"));
    if (!m_queue) {
        err << "drover-check: " << m_manager->errorString() << '\n';
        *exitCode = 3;
        return false;
    }
    m_options.configure(m_queue);
    m_positions.emplace(text);
    m_check = new DroverDemo::CoqDocumentCheck(m_queue);
    connect(m_check, &DroverDemo::CoqDocumentCheck::sentencesChanged, this, &SentenceRun::report);
    connect(m_check, &DroverDemo::CoqDocumentCheck::finished, this, &SentenceRun::end);
    setup->roles = m_options.shared.jobs;
    setup->options = m_options.taskOptions();
    m_check->check(*setup, text);
    const CoqLib::CoqSentenceSplit &split = m_check->plan().split;
    if (split.error != CoqLib::CoqSentenceSplit::Error::None) {
        // What the splitter could not end is no sentence: said once, the
        // sentences before it are checked as usual.
        m_splitError = true;
        const CoqLib::CoqTextPositions::Place place = m_positions->utf16Place(split.errorOffset);
        if (m_options.json) {
            emitJsonLine({{QStringLiteral("event"), QStringLiteral("parse-error")},
                          {QStringLiteral("line"), place.line},
                          {QStringLiteral("column"), place.column},
                          {QStringLiteral("message"), split.errorString()}});
        } else {
            QTextStream(stdout) << m_options.files.first() << ':' << place.line << ':' << place.column + 1
                                << ": error: " << split.errorString() << '\n';
        }
    }
    if (split.sentences.isEmpty() && !m_check->isRunning())
        QMetaObject::invokeMethod(this, &SentenceRun::end, Qt::QueuedConnection);
    return true;
}

void SentenceRun::report(const QList<int> &sentences)
{
    QTextStream out(stdout);
    for (int index : sentences) {
        const DroverDemo::CoqDocumentCheck::Sentence &s = m_check->sentences().at(index);
        const CoqLib::CoqSentence &sentence = m_check->plan().split.sentences.at(index);
        const CoqLib::CoqTextPositions::Place from = m_positions->utf16Place(sentence.start);
        const CoqLib::CoqTextPositions::Place to = m_positions->utf16Place(sentence.end);
        const QString status = CoqSentenceOutcome::statusName(s.outcome.status);
        if (!m_options.json) {
            if (s.outcome.status == CoqSentenceOutcome::Status::Error) {
                const CoqLib::CoqTextPositions::Place at =
                    s.outcome.byteStart >= 0 ? m_positions->utf16Place(s.outcome.byteStart) : from;
                out << m_options.files.first() << ':' << at.line << ':' << at.column + 1 << ": error: " << s.outcome.message << '\n';
            }
            continue;
        }
        QJsonObject event{{QStringLiteral("event"), QStringLiteral("sentence")},
                          {QStringLiteral("index"), index},
                          {QStringLiteral("line"), from.line},
                          {QStringLiteral("column"), from.column},
                          {QStringLiteral("end_line"), to.line},
                          {QStringLiteral("end_column"), to.column},
                          {QStringLiteral("status"), status},
                          {QStringLiteral("worker"), s.worker}};
        if (!s.outcome.message.isEmpty())
            event.insert(QStringLiteral("message"), s.outcome.message);
        if (s.outcome.byteStart >= 0) {
            // Where in the sentence Coq places the error, as editors count.
            const CoqLib::CoqTextPositions::Place a = m_positions->utf16Place(s.outcome.byteStart);
            const CoqLib::CoqTextPositions::Place b = m_positions->utf16Place(s.outcome.byteEnd);
            event.insert(QStringLiteral("error"), QJsonObject{{QStringLiteral("line"), a.line},
                                                              {QStringLiteral("column"), a.column},
                                                              {QStringLiteral("end_line"), b.line},
                                                              {QStringLiteral("end_column"), b.column},
                                                              {QStringLiteral("byte_start"), s.outcome.byteStart},
                                                              {QStringLiteral("byte_end"), s.outcome.byteEnd}});
        }
        emitJsonLine(event);
    }
    out.flush();
}

void SentenceRun::interrupt()
{
    if (m_check)
        m_check->cancel();
}

void SentenceRun::end()
{
    int counts[4] = {0, 0, 0, 0};
    for (const DroverDemo::CoqDocumentCheck::Sentence &s : m_check->sentences())
        ++counts[int(s.outcome.status)];
    const int total = int(m_check->sentences().size());
    const qint64 wallMs = m_clock.elapsed();
    if (m_options.json) {
        QJsonObject summary{{QStringLiteral("event"), QStringLiteral("summary")},
                            {QStringLiteral("sentences"), total},
                            {QStringLiteral("checked"), counts[0]},
                            {QStringLiteral("error"), counts[1]},
                            {QStringLiteral("not_reached"), counts[2]},
                            {QStringLiteral("admitted"), counts[3]},
                            {QStringLiteral("workers"), m_check->roles()},
                            {QStringLiteral("wall_ms"), wallMs}};
        emitJsonLine(summary);
    } else {
        QTextStream(stdout) << total << " sentences: " << counts[0] << " checked, " << counts[1] << " error, "
                            << counts[2] << " not reached, " << counts[3] << " admitted after an error; "
                            << m_check->roles() << (m_check->roles() == 1 ? " worker, " : " workers, ") << wallMs
                            << " ms\n";
    }
    emit finished(counts[0] == total && !m_splitError ? 0 : 1);
}
