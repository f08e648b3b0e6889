#pragma once

#include <QtCore/QString>

class QMessageBox;

namespace DroverIde {

class MainWindow;

//! Whether `path` names a document that does not exist yet but could be
//! created: nothing is there and its directory exists.
bool isCreatableDocument(const QString &path);

//! `drover-ide FILE` with a FILE that does not exist, run by a person: asks,
//! in a box over the window (window-modal, not blocking the caller), whether
//! to create FILE. *Create* writes it empty and opens it (then checked as
//! any document: there is nothing to check until you type); *Don't Create*
//! leaves the window with an untitled document. Returns the box (it deletes
//! itself when answered), for tests to answer it. The headless modes never
//! ask (main.cpp: the error on stderr and exit code 2).
QMessageBox *offerToCreateDocument(MainWindow *window, const QString &path);

} // namespace DroverIde
