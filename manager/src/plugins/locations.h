#pragma once

#include <QtCore/QString>
#include <QtCore/QStringList>

namespace Drover::Internal {

//! The directory holding the Drover library. The build tree mirrors the
//! install tree, so paths relative to it are right in both.
QString libraryDirectory();

//! $DROVER_WORKER, else libexec/drover-worker beside the library.
QString defaultWorkerProgram();

//! $DROVER_SLOTS_SERVER, else libexec/drover-slots beside the library.
QString defaultSlotServerProgram();

//! $DROVER_PLUGIN_PATH (colon-separated), then lib/drover/plugins beside the library.
QStringList defaultPluginPaths();

} // namespace Drover::Internal
