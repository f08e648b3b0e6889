#include "lemmaoutcome.h"

#include "prooflang.h"

namespace DroverDemo {

LemmaState stateWithoutResponse(Drover::Outcome outcome)
{
    switch (outcome) {
    case Drover::Outcome::TimedOut:
        return LemmaState::Timeout;
    case Drover::Outcome::Cancelled:
        return LemmaState::Cancelled;
    case Drover::Outcome::WorkerDied:
        return LemmaState::Crashed;
    case Drover::Outcome::Done:
    case Drover::Outcome::Failed:
    case Drover::Outcome::MarshalError:
    case Drover::Outcome::Dropped:
        break;
    }
    return LemmaState::Error;
}

LemmaOutcome lemmaOutcomeOf(const Drover::TaskResult &result)
{
    LemmaOutcome o;
    o.workerId = result.workerId;
    o.elapsed = result.elapsed;
    o.message = result.message;
    if (result.outcome != Drover::Outcome::Done) {
        o.state = stateWithoutResponse(result.outcome);
        return o;
    }
    const ProofLang::Verdict verdict = ProofLang::verdictOf(result.response);
    if (verdict.ok)
        o.state = LemmaState::Ok;
    else if (verdict.status == QLatin1String("cancelled"))
        o.state = LemmaState::Cancelled;
    else
        o.state = LemmaState::Error;
    o.step = verdict.step;
    o.stepLine = verdict.line;
    o.stepColumn = verdict.column;
    o.message = verdict.message;
    return o;
}

} // namespace DroverDemo
