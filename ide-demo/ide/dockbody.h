#pragma once

#include <QtCore/QList>
#include <QtCore/QString>

#include <utility>

class QAction;
class QHBoxLayout;
class QWidget;

namespace DroverIde {

//! The contents every dock of drover-ide has: a bar (what `bar` holds, then
//! a tool button per action, with the object name given, for tests to find)
//! above `view`.
QWidget *dockBody(QHBoxLayout *bar, const QList<std::pair<QAction *, QString>> &buttons, QWidget *view);

} // namespace DroverIde
