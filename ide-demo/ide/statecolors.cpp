#include "statecolors.h"

namespace DroverIde {

QColor markColor(LemmaState state)
{
    switch (state) {
    case LemmaState::Edited: return QColor(0xb0, 0xb6, 0xbe);
    case LemmaState::Queued: return QColor(0x7d, 0x8c, 0xa3);
    case LemmaState::Checking: return QColor(0xe0, 0x9b, 0x00);
    case LemmaState::Ok: return QColor(0x2e, 0x9e, 0x4f);
    case LemmaState::Error: return QColor(0xd9, 0x30, 0x25);
    case LemmaState::Crashed: return QColor(0x8e, 0x24, 0xaa);
    case LemmaState::Timeout: return QColor(0xef, 0x6c, 0x00);
    case LemmaState::Cancelled: return QColor(0x75, 0x75, 0x75);
    case LemmaState::Skipped: return QColor(0x9e, 0x9e, 0x9e);
    case LemmaState::UpToDate: return QColor(0x7f, 0xb8, 0x8f);
    }
    return {};
}

QColor tintColor(LemmaState state)
{
    switch (state) {
    case LemmaState::Edited: return {};
    case LemmaState::Queued: return QColor(0xee, 0xf1, 0xf6);
    case LemmaState::Checking: return QColor(0xff, 0xf4, 0xd0);
    case LemmaState::Ok: return QColor(0xe6, 0xf4, 0xea);
    case LemmaState::Error: return QColor(0xfd, 0xe7, 0xe6);
    case LemmaState::Crashed: return QColor(0xf3, 0xe5, 0xf5);
    case LemmaState::Timeout: return QColor(0xff, 0xee, 0xdc);
    case LemmaState::Cancelled: return QColor(0xee, 0xee, 0xee);
    case LemmaState::Skipped: return QColor(0xf2, 0xf2, 0xf2);
    case LemmaState::UpToDate: return QColor(0xee, 0xf6, 0xf0);
    }
    return {};
}

} // namespace DroverIde
