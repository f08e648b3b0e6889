#pragma once

#include <QtCore/QString>
#include <QtCore/QStringList>

#include <optional>

namespace CoqLib {

//! A Coq development as coq_makefile reads its `_CoqProject`: the flags
//! every coqc of it takes (-R, -Q, -I and -arg), and its .v files. Paths
//! are absolute; coqc and coqdep run in `root`.
struct CoqProject
{
    QString root;       //!< the directory of the _CoqProject (or of the files)
    QStringList flags;  //!< for coqc and coqdep: -Q dir lib, -R dir lib, -I dir, then the -arg words
    QStringList files;  //!< absolute paths of the .v files, in the order given

    //! Reads `path` (a _CoqProject file). nullopt with *error naming the
    //! file, and the line, when it cannot be read or names what is missing.
    static std::optional<CoqProject> read(const QString &path, QString *error);
    //! A development from what drover-check was given: a directory (its
    //! _CoqProject), a _CoqProject, or .v files (no flags; the root is the
    //! first file's directory).
    static std::optional<CoqProject> fromArguments(const QStringList &arguments, QString *error);
    //! The development a single .v file belongs to, as CoqIDE finds it: the
    //! first _CoqProject in its directory or above; without one, no flags
    //! and the file's directory as the root. The file need not be listed.
    static std::optional<CoqProject> forFile(const QString &file, QString *error);
    //! Whether drover-check's arguments name a Coq development rather than
    //! documents of the demo language.
    static bool looksLikeCoq(const QStringList &arguments);
};

} // namespace CoqLib
