#pragma once

// coqc as the oracle of the Coq suites: `coqc -time` names every sentence
// it runs by its byte range (`Chars START - END [text] time`), and an error
// by `File "f.v", line L, characters A-B:` (A bytes from line L's start,
// negative when the place is on an earlier line).

#include <QtCore/QByteArray>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QList>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QStandardPaths>
#include <QtCore/QString>
#include <QtCore/QTemporaryDir>

namespace TestSupport {

inline QString coqcProgram()
{
    return QStandardPaths::findExecutable(QStringLiteral("coqc"));
}

//! Where Coq's libraries are (`coqc -where`); empty without coqc.
inline QString coqLibraryDir()
{
    QProcess p;
    p.start(coqcProgram(), {QStringLiteral("-where")});
    if (!p.waitForFinished(30000) || p.exitCode() != 0)
        return {};
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

struct CoqTimeRun
{
    bool compiled = false;
    struct Chars
    {
        qsizetype start = 0;
        qsizetype end = 0;
        QString text; //!< coqc's abbreviation: blanks as `~`, cut after 30 characters
    };
    QList<Chars> sentences;
    qsizetype errorOffset = -1; //!< of the first `File ... characters` head, when compiling failed
    QString output;
};

//! Compiles `dir/name` with `coqc -time`, the directory bound to a logical
//! name of its own so that a copy of a library file is not taken for the
//! installed one. `extra` goes before the file (e.g. `-vos`, under which
//! the proofs coqc may check apart are skipped: their tactics print no Chars).
inline CoqTimeRun runCoqTime(const QString &dir, const QString &name, const QStringList &extra = {})
{
    CoqTimeRun run;
    QProcess p;
    p.setWorkingDirectory(dir);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(coqcProgram(), QStringList{QStringLiteral("-Q"), QStringLiteral("."), QStringLiteral("DroverOracle"),
                            QStringLiteral("-time")} + extra + QStringList{name});
    if (!p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished();
        return run;
    }
    run.compiled = p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    run.output = QString::fromUtf8(p.readAllStandardOutput());
    static const QRegularExpression chars(QStringLiteral("^Chars (\\d+) - (\\d+) \\[(.*)\\] [^\\]]*$"));
    static const QRegularExpression located(QStringLiteral("^File \".*\", line (\\d+), characters (-?\\d+)--?\\d+:$"));
    QFile source(QDir(dir).filePath(name));
    source.open(QIODevice::ReadOnly);
    const QByteArray bytes = source.readAll();
    for (const QString &line : run.output.split(QLatin1Char('\n'))) {
        const QRegularExpressionMatch m = chars.match(line);
        if (m.hasMatch()) {
            run.sentences.append({m.captured(1).toLongLong(), m.captured(2).toLongLong(), m.captured(3)});
            continue;
        }
        const QRegularExpressionMatch e = located.match(line);
        if (e.hasMatch() && !run.compiled && run.output.contains(QLatin1String("Error:"))) {
            // Warnings come with a place too: the error's is the last one.
            qsizetype lineStart = 0;
            for (int l = 1; l < e.captured(1).toInt() && lineStart >= 0; ++l)
                lineStart = bytes.indexOf('\n', lineStart) + 1;
            run.errorOffset = lineStart + e.captured(2).toLongLong();
        }
    }
    return run;
}

//! runCoqTime() on `source` written as `name` in a directory of its own,
//! removed after.
inline CoqTimeRun runCoqTimeOn(const QByteArray &source, const QString &name, const QStringList &extra = {})
{
    QTemporaryDir dir;
    QFile file(dir.filePath(name));
    if (!dir.isValid() || !file.open(QIODevice::WriteOnly) || file.write(source) != source.size())
        return {};
    file.close();
    return runCoqTime(dir.path(), name, extra);
}

//! The bytes of a file, empty if it cannot be read.
inline QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace TestSupport
