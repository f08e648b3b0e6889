#include "queryoutcome.h"

#include "lemmaoutcome.h"
#include "prooflang.h"

namespace DroverDemo {

QueryOutcome queryOutcomeOf(const Drover::TaskResult &result)
{
    QueryOutcome o;
    o.message = result.message;
    if (result.outcome != Drover::Outcome::Done) {
        o.status = stateName(stateWithoutResponse(result.outcome));
        return o;
    }
    const ProofLang::QueryAnswer answer = ProofLang::queryAnswerOf(result.response);
    o.status = answer.answered ? QStringLiteral("answered") : QStringLiteral("error");
    o.answer = answer.answer;
    o.message = answer.message;
    return o;
}

} // namespace DroverDemo
