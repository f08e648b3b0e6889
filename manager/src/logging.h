#pragma once

#include <QtCore/QLoggingCategory>

// One category per component, so an IDE can route or silence Drover's
// messages with Qt's own rules (QT_LOGGING_RULES="drover.*.debug=true").
namespace Drover::Internal {
Q_DECLARE_LOGGING_CATEGORY(lcManager)
Q_DECLARE_LOGGING_CATEGORY(lcQueue)
Q_DECLARE_LOGGING_CATEGORY(lcWorker)
Q_DECLARE_LOGGING_CATEGORY(lcWire)
Q_DECLARE_LOGGING_CATEGORY(lcPlugin)
Q_DECLARE_LOGGING_CATEGORY(lcSlots) // job slots shared with make or the token server
} // namespace Drover::Internal
