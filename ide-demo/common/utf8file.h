#pragma once

#include <QtCore/QString>

#include <optional>

namespace DroverDemo {

//! The text of a UTF-8 file; nullopt when it cannot be opened or read, or is
//! not UTF-8, with *error saying which file and why in one line:
//! "cannot read doc.proof: No such file or directory",
//! "cannot read doc.proof: it is not UTF-8 text".
std::optional<QString> readUtf8File(const QString &path, QString *error);

} // namespace DroverDemo
