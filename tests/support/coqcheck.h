#pragma once

// drover-check on a Coq development, run as a whole process, its events
// read (tst_coq, tst_coqfailures, tst_coqdoc).

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QHash>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QStringList>

namespace TestSupport {

struct Run
{
    int exitCode = -1;
    QHash<QString, QJsonObject> files; //!< `file` events by file
    QJsonObject summary;
    QString err;
};

//! Waits for a drover-check --json started by the caller and reads its events.
inline Run finishRun(QProcess &p)
{
    Run run;
    if (!p.waitForFinished(180000))
        return run;
    run.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    run.err = QString::fromUtf8(p.readAllStandardError());
    for (const QByteArray &line : p.readAllStandardOutput().split('\n')) {
        const QJsonObject event = QJsonDocument::fromJson(line).object();
        if (event.value(QLatin1String("event")) == QLatin1String("file"))
            run.files.insert(event.value(QLatin1String("file")).toString(), event);
        else if (event.value(QLatin1String("event")) == QLatin1String("summary"))
            run.summary = event;
    }
    return run;
}

inline Run check(const QStringList &arguments, const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    p.setProcessEnvironment(environment);
    p.start(QStringLiteral(DROVER_CHECK_BIN), QStringList{QStringLiteral("--json")} + arguments);
    return finishRun(p);
}

inline QString status(const Run &run, const QString &file)
{
    return run.files.value(file).value(QLatin1String("status")).toString();
}

} // namespace TestSupport
