#include "wire/wire.h"

namespace Drover::Internal::Wire {

QCborMap Received::toMap() const
{
    if (!isEnvelope)
        return map;
    QCborMap m = message(type);
    m.insert(Key::Task, task);
    m.insert(Key::Body, body);
    return m;
}

} // namespace Drover::Internal::Wire
