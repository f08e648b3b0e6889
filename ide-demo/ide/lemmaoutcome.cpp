#include "lemmaoutcome.h"

#include "prooflang.h"

#include <drover/taskresult.h>

namespace DroverIde {

LemmaOutcome outcomeOf(const Drover::TaskResult &result)
{
    LemmaOutcome o;
    o.workerId = result.workerId;
    o.elapsed = result.elapsed;
    o.message = result.message;
    switch (result.outcome) {
    case Drover::Outcome::Done: {
        const ProofLang::Verdict verdict = ProofLang::verdictOf(result.response);
        if (verdict.ok)
            o.state = LemmaState::Ok;
        else if (verdict.status == QLatin1String("cancelled"))
            o.state = LemmaState::Cancelled;
        else
            o.state = LemmaState::Error;
        o.step = verdict.step;
        o.message = verdict.message;
        break;
    }
    case Drover::Outcome::TimedOut:
        o.state = LemmaState::Timeout;
        break;
    case Drover::Outcome::Cancelled:
        o.state = LemmaState::Cancelled;
        break;
    case Drover::Outcome::WorkerDied:
        o.state = LemmaState::Crashed;
        break;
    case Drover::Outcome::Failed:
    case Drover::Outcome::MarshalError:
    case Drover::Outcome::Dropped:
        o.state = LemmaState::Error;
        break;
    }
    return o;
}

} // namespace DroverIde
