#include "logging.h"

namespace Drover::Internal {
Q_LOGGING_CATEGORY(lcManager, "drover.manager", QtInfoMsg)
Q_LOGGING_CATEGORY(lcQueue, "drover.queue", QtInfoMsg)
Q_LOGGING_CATEGORY(lcWorker, "drover.worker", QtInfoMsg)
Q_LOGGING_CATEGORY(lcWire, "drover.wire", QtInfoMsg)
Q_LOGGING_CATEGORY(lcPlugin, "drover.plugin", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSlots, "drover.slots", QtInfoMsg)
} // namespace Drover::Internal
