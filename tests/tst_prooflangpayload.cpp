// What travels between the demo proof language's master and its workers
// (docs/language.md): lemma and query payloads, option and index broadcasts,
// verdicts and query answers, malformed requests; and the `proof` plugin
// itself, loaded as the manager loads it, deciding repair and competence.

#include "arithmetic.h"
#include "checker.h"
#include "prooflang.h"
#include "repair.h"
#include "steps.h"
#include "support/prooflang.h"

#include <drover/taskkind.h>
#include <drover/testing.h>

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QElapsedTimer>
#include <QtCore/QJsonObject>
#include <QtCore/QPluginLoader>
#include <QtTest/QTest>

#include <chrono>
#include <thread>

using namespace ProofLang;
using namespace std::chrono_literals;
using TestSupport::check;
using TestSupport::feedbackTexts;
using TestSupport::key;
using TestSupport::lemma;

class tst_ProofLangPayload : public QObject
{
    Q_OBJECT

private slots:
    void payloadRoundTrip_data()
    {
        QTest::addColumn<bool>("persistent");
        QTest::newRow("fresh") << false;
        QTest::newRow("persistent") << true;
    }
    void payloadRoundTrip()
    {
        QFETCH(bool, persistent);
        const Document doc = parse(QStringLiteral("Lemma l: s.\nProof.\n  prime 3.\n    fib 1 = 1.\nQed.\n"));
        const QCborValue built = lemmaPayload(QStringLiteral("d.proof"), doc.lemmas.first(), persistent);
        const QCborValue payload = QCborValue::fromCbor(built.toCbor()); // as it crosses the wire
        QCOMPARE(payload, built);
        QCOMPARE(payload[key("doc")].toString(), QStringLiteral("d.proof"));
        QCOMPARE(payload[key("lemma")].toString(), QStringLiteral("l"));
        QCOMPARE(payload[key("line")].toInteger(), 1);
        QCOMPARE(payload[key("persistent")].toBool(), persistent);
        const QCborArray steps = payload[key("steps")].toArray();
        QCOMPARE(steps.size(), 2);
        QCOMPARE(steps[1][key("number")].toInteger(), 2);
        QCOMPARE(steps[1][key("line")].toInteger(), 4);
        QCOMPARE(steps[1][key("column")].toInteger(), 5);
        QCOMPARE(steps[1][key("text")].toString(), QStringLiteral("fib 1 = 1"));

        Drover::Testing::LocalContext context;
        QCOMPARE(verdictOf(checkLemma(payload, context)).ok, true);
    }

    void optionBroadcastFields()
    {
        const QCborValue option = optionBroadcast(QStringLiteral("d.proof"), {QStringLiteral("Verbose"), QStringLiteral("on"), 3});
        QCOMPARE(option, QCborValue(QCborMap{{QStringLiteral("doc"), QStringLiteral("d.proof")},
                                             {QStringLiteral("name"), QStringLiteral("Verbose")},
                                             {QStringLiteral("value"), QStringLiteral("on")}}));
    }

    void queryPayloadFields()
    {
        const QCborValue payload = queryPayload(QStringLiteral("d.proof"), {QStringLiteral("Eval fib 9"), 4, 3});
        QCOMPARE(payload, QCborValue(QCborMap{{QStringLiteral("doc"), QStringLiteral("d.proof")},
                                              {QStringLiteral("line"), 4},
                                              {QStringLiteral("column"), 3},
                                              {QStringLiteral("text"), QStringLiteral("Eval fib 9")}}));
    }

    // The index holds the lemmas that parsed, in document order.
    void indexBroadcastFields()
    {
        const Document doc = parse(QStringLiteral("Lemma a: first one.\nProof.\nQed.\n"
                                                  "Lemma broken: x.\nProof.\nfrob.\nQed.\n"
                                                  "Lemma b: second.\nProof.\nQed.\n"));
        const QCborValue index = indexBroadcast(QStringLiteral("d.proof"), doc);
        QCOMPARE(index[key("doc")].toString(), QStringLiteral("d.proof"));
        const QCborArray entries = index[key("index")].toArray();
        QCOMPARE(entries.size(), 2);
        QCOMPARE(entries[0], QCborValue(QCborMap{{QStringLiteral("lemma"), QStringLiteral("a")},
                                                 {QStringLiteral("statement"), QStringLiteral("first one")},
                                                 {QStringLiteral("line"), 1}}));
        QCOMPARE(entries[1][key("lemma")].toString(), QStringLiteral("b"));
        QCOMPARE(entries[1][key("line")].toInteger(), 8);
    }

    void queryAnswers_data()
    {
        QTest::addColumn<QCborValue>("response");
        QTest::addColumn<bool>("answered");
        QTest::addColumn<QString>("text");  // the answer, or how the message starts
        const auto map = [](std::initializer_list<std::pair<const char *, QCborValue>> items) {
            QCborMap m;
            for (const auto &[k, v] : items)
                m.insert(QLatin1String(k), v);
            return QCborValue(m);
        };
        QTest::newRow("answered") << map({{"status", "answered"}, {"answer", "97 is prime"}, {"worker", 2}}) << true
                                  << "97 is prime";
        QTest::newRow("error") << map({{"status", "error"}, {"message", "too big"}}) << false << "too big";
        QTest::newRow("cancelled") << map({{"status", "cancelled"}}) << false << "cancelled";
        QTest::newRow("not a map") << QCborValue(42) << false << "malformed answer from the query worker: 42";
        QTest::newRow("answer without text") << map({{"status", "answered"}}) << false << "malformed answer from the query worker";
        QTest::newRow("error without message") << map({{"status", "error"}}) << false << "malformed answer from the query worker";
        QTest::newRow("unknown status") << map({{"status", "ok"}, {"answer", "x"}}) << false
                                        << "malformed answer from the query worker";
    }
    void queryAnswers()
    {
        QFETCH(QCborValue, response);
        QFETCH(bool, answered);
        QFETCH(QString, text);
        const QueryAnswer answer = queryAnswerOf(response);
        QCOMPARE(answer.answered, answered);
        if (answered) {
            QCOMPARE(answer.answer, text);
            QVERIFY(answer.message.isEmpty());
        } else {
            QVERIFY2(answer.message.startsWith(text), qPrintable(answer.message));
            QVERIFY(answer.answer.isEmpty());
        }
    }

    void verdicts_data()
    {
        QTest::addColumn<QCborValue>("response");
        QTest::addColumn<QString>("status");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<int>("step");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("checked");
        QTest::addColumn<QString>("message");  // how it starts
        const auto map = [](std::initializer_list<std::pair<const char *, QCborValue>> items) {
            QCborMap m;
            for (const auto &[k, v] : items)
                m.insert(QLatin1String(k), v);
            return QCborValue(m);
        };
        QTest::newRow("ok") << map({{"status", "ok"}, {"checked", 3}}) << "ok" << true << 0 << 0 << 3 << "";
        QTest::newRow("bare ok") << map({{"status", "ok"}}) << "ok" << true << 0 << 0 << 0 << "";
        QTest::newRow("error") << map({{"status", "error"}, {"step", 2}, {"line", 9}, {"message", "no"}, {"checked", 1}})
                               << "error" << false << 2 << 9 << 1 << "no";
        QTest::newRow("cancelled") << map({{"status", "cancelled"}, {"step", 4}, {"checked", 3}})
                                   << "cancelled" << false << 0 << 0 << 3 << "cancelled";
        QTest::newRow("not a map") << QCborValue(42) << "error" << false << 0 << 0 << 0
                                   << "malformed answer from the proof worker (not a map)";
        QTest::newRow("no status") << map({{"step", 1}}) << "error" << false << 0 << 0 << 0
                                   << "malformed answer from the proof worker (unknown status)";
        QTest::newRow("unknown status") << map({{"status", "maybe"}}) << "error" << false << 0 << 0 << 0
                                        << "malformed answer from the proof worker (unknown status)";
        QTest::newRow("error without message") << map({{"status", "error"}, {"step", 1}}) << "error" << false << 0 << 0 << 0
                                               << "malformed answer from the proof worker (an error without a message)";
    }
    void verdicts()
    {
        QFETCH(QCborValue, response);
        QFETCH(QString, status);
        QFETCH(bool, ok);
        QFETCH(int, step);
        QFETCH(int, line);
        QFETCH(int, checked);
        QFETCH(QString, message);
        const Verdict v = verdictOf(response);
        QCOMPARE(v.status, status);
        QCOMPARE(v.ok, ok);
        QCOMPARE(v.step, step);
        QCOMPARE(v.line, line);
        QCOMPARE(v.checked, checked);
        if (message.isEmpty())
            QVERIFY2(v.message.isEmpty(), qPrintable(v.message));
        else
            QVERIFY2(v.message.startsWith(message), qPrintable(v.message));
    }

    void checkerAnswersAsVerdictsRead()
    {
        Drover::Testing::LocalContext context;
        const QCborValue answer = check(lemma(QStringLiteral("prime 3.\n   fib 10 = 56.\nprime 5.")), context);
        const Verdict v = verdictOf(answer);
        QCOMPARE(v.status, QStringLiteral("error"));
        QCOMPARE(v.step, 2);
        QCOMPARE(v.line, 4);
        QCOMPARE(v.column, 4);
        QCOMPARE(v.checked, 1);
        QCOMPARE(v.message, QStringLiteral("Fib(10) mod 2^64 is 55, not 56"));
    }

    void malformedRequests_data()
    {
        QTest::addColumn<QCborValue>("request");
        QTest::addColumn<QString>("message");
        QTest::newRow("not a map") << QCborValue(QStringLiteral("prime 3")) << "malformed proof request: the request is not a map";
        QTest::newRow("no steps") << QCborValue(QCborMap{{QStringLiteral("lemma"), QStringLiteral("l")}})
                                  << "malformed proof request: the request has no array of steps";
        QTest::newRow("step without text")
            << QCborValue(QCborMap{{QStringLiteral("steps"), QCborArray{QCborMap{{QStringLiteral("number"), 1}}}}})
            << "malformed proof request: a step of the request has no text";
    }
    void malformedRequests()
    {
        QFETCH(QCborValue, request);
        QFETCH(QString, message);
        Drover::Testing::LocalContext context;
        const Verdict v = verdictOf(checkLemma(request, context));
        QCOMPARE(v.status, QStringLiteral("error"));
        QCOMPARE(v.step, 0);
        QCOMPARE(v.message, message);
    }

    void requestNotFromTheParser()
    {
        // The worker checks the shape of each step again: a front end other
        // than ours may send anything.
        const QCborMap request{{QStringLiteral("doc"), QStringLiteral("d")},
                               {QStringLiteral("lemma"), QStringLiteral("l")},
                               {QStringLiteral("steps"), QCborArray{QCborMap{{QStringLiteral("text"), QStringLiteral("prime 3")}},
                                                                    QCborMap{{QStringLiteral("text"), QStringLiteral("prime")}}}}};
        Drover::Testing::LocalContext context;
        const Verdict v = verdictOf(checkLemma(request, context));
        QCOMPARE(v.step, 2); // numbered by position when the request does not say
        QCOMPARE(v.message, QStringLiteral("malformed `prime` step: expected `prime N.`"));
    }

#ifdef DROVER_PROOF_PLUGIN
    void plugin()
    {
        QPluginLoader loader(QStringLiteral(DROVER_PROOF_PLUGIN));
        const QJsonObject meta = loader.metaData().value(QLatin1String("MetaData")).toObject();
        QCOMPARE(meta.value(QLatin1String("kind")).toString(), QStringLiteral("proof"));
        QCOMPARE(meta.value(QLatin1String("apiVersion")).toInt(), Drover::PluginApiVersion);
        QCOMPARE(loader.metaData().value(QLatin1String("IID")).toString(), QStringLiteral(DROVER_TASKKIND_IID));
        auto *kind = qobject_cast<Drover::TaskKind *>(loader.instance());
        QVERIFY2(kind, qPrintable(loader.errorString()));

        const Document doc = parse(lemma(QStringLiteral("prime 3.\nprime 5.\nfib 3 = 3.\nprime 7.")));
        Drover::Task task;
        task.payload = lemmaPayload(QStringLiteral("d"), doc.lemmas.first(), false);
        const Drover::WorkerStatus fresh = Drover::WorkerStatus::makeFresh();
        QCOMPARE(kind->requestOfTask(fresh, task), std::optional<QCborValue>(task.payload));

        Drover::Testing::LocalContext context;
        const QCborValue response = kind->perform(task.payload, context);
        QCOMPARE(verdictOf(response).step, 3);
        QCOMPARE(verdictOf(response).from, 1);

        // A failure after steps that held: the worker stays for a repair of
        // this lemma only, and a follow-up task asks it to hold them.
        const Drover::Decision repair = kind->useResponse(fresh, task, response);
        QVERIFY(repair.stay);
        QCOMPARE(repair.competence[key("repairOnly")].toBool(), true);
        QCOMPARE(repair.newTasks.size(), 1);
        const Drover::Task follow = repair.newTasks.first();
        QVERIFY(isHoldRequest(follow.payload));
        QCOMPARE(follow.payload[key("checked")].toInteger(), 2);
        const Drover::WorkerStatus holder = Drover::WorkerStatus::makeOld(repair.competence);
        QVERIFY(kind->taskMatch(holder, follow));
        QVERIFY(kind->taskMatch(holder, task));
        Drover::Task other;
        other.payload = lemmaPayload(QStringLiteral("d"), parse(QStringLiteral("Lemma m: s.\nProof.\nQed.\n")).lemmas.first(), false);
        QVERIFY(!kind->taskMatch(holder, other)); // a repair holder takes its lemma only
        QVERIFY(!kind->requestOfTask(fresh, follow)); // a hold whose worker is gone is obsolete
        const QCborValue held = kind->perform(*kind->requestOfTask(holder, follow), context);
        QCOMPARE(held[key("status")].toString(), QStringLiteral("holding"));
        QVERIFY(kind->useResponse(holder, follow, held).stay);

        // The edited lemma resumes after the two steps that held.
        Drover::Task edited = task;
        edited.payload = lemmaPayload(QStringLiteral("d"),
                                      parse(lemma(QStringLiteral("prime 3.\nprime 5.\nfib 4 = 3.\nprime 7."))).lemmas.first(),
                                      false);
        const std::optional<QCborValue> resumed = kind->requestOfTask(holder, edited);
        QVERIFY(resumed);
        QCOMPARE(resumed->toMap().value(key("steps")).toArray().size(), 2);
        context.feedback.clear();
        const Verdict verdict = verdictOf(kind->perform(*resumed, context));
        QVERIFY2(verdict.ok, qPrintable(verdict.message));
        QCOMPARE(verdict.from, 3);
        QCOMPARE(verdict.checked, 4);
        QCOMPARE(context.feedback.first()[key("text")].toString(), QStringLiteral("resuming from step 3"));

        // A failure at the first step leaves nothing to hold: a fresh worker next.
        Drover::Task first;
        first.payload = lemmaPayload(QStringLiteral("d"), parse(lemma(QStringLiteral("prime 4.")))
                                                               .lemmas.first(), false);
        QVERIFY(!kind->useResponse(fresh, first, kind->perform(first.payload, context)).stay);

        task.payload = lemmaPayload(QStringLiteral("d"), doc.lemmas.first(), true);
        const Drover::Decision decision = kind->useResponse(fresh, task, response);
        QVERIFY(decision.stay);
        QVERIFY(decision.newTasks.isEmpty()); // a persistent worker takes any lemma
        QCOMPARE(decision.competence[key("doc")].toString(), QStringLiteral("d"));
        QCOMPARE(decision.competence[key("lemma")].toString(), QStringLiteral("l"));
        QCOMPARE(decision.competence[key("status")].toString(), QStringLiteral("error"));
        QCOMPARE(decision.competence[key("checked")].toInteger(), 2);
        QCOMPARE(decision.competence[key("prefix")],
                 QCborValue(QCborArray{QStringLiteral("prime 3"), QStringLiteral("prime 5")}));
    }
#endif
};

QTEST_MAIN(tst_ProofLangPayload)
#include "tst_prooflangpayload.moc"
