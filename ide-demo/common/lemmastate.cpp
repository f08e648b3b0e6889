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
    }
    return {};
}

} // namespace DroverDemo
