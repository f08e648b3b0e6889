#pragma once

class QPlainTextEdit;
class QTextDocument;

namespace DroverIde {

//! The character offset in `document` of a 1-based line and 0-based UTF-16
//! column, as Coq's places are given, held to the text: a place past a
//! line's end (or the document's) is its end.
int offsetOfPlace(const QTextDocument *document, int line, int column);

//! Puts the editor's cursor at the start of a 1-based line, in the middle
//! of the view; a line past the end is ignored.
void goToLine(QPlainTextEdit *editor, int line);

} // namespace DroverIde
