#include "lemmastate.h"

namespace DroverDemo {

bool isPending(LemmaState state)
{
    return state == LemmaState::Edited || state == LemmaState::Queued || state == LemmaState::Checking;
}

QString stateName(LemmaState state)
{
    switch (state) {
    case LemmaState::Edited: return QStringLiteral("edited");
    case LemmaState::Queued: return QStringLiteral("queued");
    case LemmaState::Checking: return QStringLiteral("checking");
    case LemmaState::Ok: return QStringLiteral("ok");
    case LemmaState::Error: return QStringLiteral("error");
    case LemmaState::Crashed: return QStringLiteral("crashed");
    case LemmaState::Timeout: return QStringLiteral("timeout");
    case LemmaState::Cancelled: return QStringLiteral("cancelled");
    case LemmaState::Skipped: return QStringLiteral("skipped");
    case LemmaState::UpToDate: return QStringLiteral("up-to-date");
    }
    return {};
}

std::optional<LemmaState> stateNamed(const QString &word)
{
    for (LemmaState state : allLemmaStates) {
        if (stateName(state) == word)
            return state;
    }
    return std::nullopt;
}

} // namespace DroverDemo
