#include "coqproject.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>

namespace CoqLib {

namespace {
//! The words of a _CoqProject: blanks separate them, "..." quotes one,
//! and # starts a comment to the end of the line. Each with its line.
QList<std::pair<QString, int>> words(const QString &text)
{
    QList<std::pair<QString, int>> out;
    int line = 1;
    QString word;
    bool quoted = false;
    bool comment = false;
    auto end = [&] {
        if (!word.isEmpty())
            out.append({word, line});
        word.clear();
    };
    for (const QChar c : text) {
        if (c == QLatin1Char('\n')) {
            if (!quoted) {
                end();
                comment = false;
            }
            ++line;
            continue;
        }
        if (comment)
            continue;
        if (c == QLatin1Char('"')) {
            quoted = !quoted;
            continue;
        }
        if (!quoted && c == QLatin1Char('#')) {
            end();
            comment = true;
        } else if (!quoted && c.isSpace()) {
            end();
        } else {
            word += c;
        }
    }
    end();
    return out;
}
} // namespace

std::optional<CoqProject> CoqProject::read(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    CoqProject project;
    project.root = QFileInfo(path).absolutePath();
    const QDir root(project.root);
    const QList<std::pair<QString, int>> all = words(QString::fromUtf8(file.readAll()));
    auto where = [&](int line) { return QStringLiteral("%1:%2").arg(path).arg(line); };
    for (qsizetype i = 0; i < all.size(); ++i) {
        const auto &[word, line] = all.at(i);
        auto operand = [&](int n) -> std::optional<QStringList> {
            if (i + n >= all.size()) {
                *error = QStringLiteral("%1: %2 wants %3 operand%4").arg(where(line), word).arg(n).arg(n > 1 ? "s" : "");
                return std::nullopt;
            }
            QStringList ops;
            for (int k = 1; k <= n; ++k)
                ops << all.at(i + k).first;
            i += n;
            return ops;
        };
        if (word == QLatin1String("-R") || word == QLatin1String("-Q")) {
            const auto ops = operand(2);
            if (!ops)
                return std::nullopt;
            const QString dir = root.absoluteFilePath(ops->at(0));
            if (!QFileInfo(dir).isDir()) {
                *error = QStringLiteral("%1: %2 names %3, which is not a directory").arg(where(line), word, dir);
                return std::nullopt;
            }
            project.flags << word << dir << ops->at(1);
        } else if (word == QLatin1String("-I")) {
            const auto ops = operand(1);
            if (!ops)
                return std::nullopt;
            project.flags << word << root.absoluteFilePath(ops->at(0));
        } else if (word == QLatin1String("-arg")) {
            const auto ops = operand(1);
            if (!ops)
                return std::nullopt;
            project.flags << ops->at(0).split(QLatin1Char(' '), Qt::SkipEmptyParts);
        } else if (word.endsWith(QLatin1String(".v"))) {
            const QString v = QDir::cleanPath(root.absoluteFilePath(word));
            if (!QFileInfo(v).isFile()) {
                *error = QStringLiteral("%1: %2 names no file").arg(where(line), word);
                return std::nullopt;
            }
            project.files << v;
        } else if (word.startsWith(QLatin1Char('-'))) {
            // coq_makefile's own options (-docroot, -custom, ...) say nothing to coqc.
            continue;
        } else {
            // A .mli, .ml, .mlg or .mllib: not compiled by coqc.
            continue;
        }
    }
    if (project.files.isEmpty()) {
        *error = QStringLiteral("%1 names no .v file").arg(path);
        return std::nullopt;
    }
    return project;
}

bool CoqProject::looksLikeCoq(const QStringList &arguments)
{
    if (arguments.isEmpty())
        return false;
    for (const QString &argument : arguments) {
        const QFileInfo info(argument);
        if (!info.isDir() && info.fileName() != QLatin1String("_CoqProject") && !argument.endsWith(QLatin1String(".v")))
            return false;
    }
    return true;
}

std::optional<CoqProject> CoqProject::fromArguments(const QStringList &arguments, QString *error)
{
    if (arguments.size() == 1) {
        const QFileInfo info(arguments.first());
        if (info.isDir()) {
            const QString project = QDir(info.absoluteFilePath()).filePath(QStringLiteral("_CoqProject"));
            if (!QFileInfo::exists(project)) {
                *error = QStringLiteral("cannot read %1: it is a directory with no _CoqProject (a Coq development needs one)").arg(arguments.first());
                return std::nullopt;
            }
            return read(project, error);
        }
        if (info.fileName() == QLatin1String("_CoqProject"))
            return read(info.absoluteFilePath(), error);
    }
    CoqProject project;
    for (const QString &argument : arguments) {
        const QFileInfo info(argument);
        if (!argument.endsWith(QLatin1String(".v"))) {
            *error = QStringLiteral("%1: give one directory, one _CoqProject, or .v files").arg(argument);
            return std::nullopt;
        }
        if (!info.isFile()) {
            *error = QStringLiteral("cannot read %1: no such file").arg(argument);
            return std::nullopt;
        }
        project.files << info.absoluteFilePath();
    }
    project.root = QFileInfo(project.files.first()).absolutePath();
    return project;
}

std::optional<CoqProject> CoqProject::forFile(const QString &file, QString *error)
{
    const QFileInfo info(file);
    if (!info.isFile()) {
        *error = QStringLiteral("cannot read %1: no such file").arg(file);
        return std::nullopt;
    }
    for (QDir dir = info.absoluteDir();;) {
        const QString project = dir.filePath(QStringLiteral("_CoqProject"));
        if (QFileInfo::exists(project))
            return read(project, error);
        if (!dir.cdUp())
            break;
    }
    CoqProject project;
    project.root = info.absolutePath();
    project.files << info.absoluteFilePath();
    return project;
}

} // namespace CoqLib
