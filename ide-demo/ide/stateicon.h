#pragma once

#include "statecolors.h"

#include <QtCore/QRectF>
#include <QtGui/QIcon>

class QPainter;

namespace DroverIde {

//! Draws the small sign of a state (a tick for ok, a cross for error, a
//! clock for timeout, ...) in its colour, centred in rect. Shapes, not font
//! glyphs, so it looks the same with any font.
void paintStateIcon(QPainter *painter, const QRectF &rect, LemmaState state);

//! The same sign as an icon, for views and the status bar.
QIcon stateIcon(LemmaState state);

} // namespace DroverIde
