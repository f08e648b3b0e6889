#pragma once

#include <QtCore/qglobal.h>

#if defined(DROVER_BUILDING_MANAGER)
#  define DROVER_EXPORT Q_DECL_EXPORT
#else
#  define DROVER_EXPORT Q_DECL_IMPORT
#endif
