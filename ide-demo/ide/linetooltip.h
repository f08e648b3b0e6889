#pragma once

#include <functional>

class QEvent;
class QPlainTextEdit;
class QString;

namespace DroverIde {

//! For a text view whose tooltips are by line (the proof editor, a Coq
//! file): when `event`, sent to its viewport, asks for a tooltip, shows
//! textForLine(the 1-based line under the mouse), or hides the tooltip when
//! that is empty, and returns true; any other event is left alone (false).
bool showLineToolTip(QPlainTextEdit *editor, QEvent *event, const std::function<QString(int line)> &textForLine);

} // namespace DroverIde
