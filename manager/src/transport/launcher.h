#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QProcessEnvironment>
#include <QtCore/QString>
#include <QtCore/QStringList>

namespace Drover::Internal {

//! How a remote worker is started (docs/remote.md): a command template such
//! as `srun --nodes=1 --ntasks=1 {worker} {args}` or
//! `ssh -o BatchMode=yes HOST {worker} {args}`, and the setup the worker
//! reads on its stdin. What it needs to reach and trust the manager (address,
//! secret, certificate fingerprint) is only ever in that setup: never in
//! argv, which every user of a host can read, nor in the environment.
class Launcher
{
public:
    //! Parses a template (shell-like quoting, no shell); null with *error
    //! set when it does not name {worker} as a word of its own.
    static Launcher parse(const QString &commandTemplate, QString *error);

    bool isNull() const { return m_words.isEmpty(); }
    QString commandTemplate() const { return m_template; }

    //! The command for one worker: {worker} becomes the program, {args}
    //! the arguments (and SetupOnStdinOption), each as words of their own.
    QStringList command(const QString &worker, const QStringList &arguments) const;

    //! What a worker reads on stdin: KEY=VALUE lines, then an empty line.
    struct Setup
    {
        QString server;        //!< tls:HOST:PORT
        QString fingerprint;   //!< of the manager's certificate
        QByteArray secret;
        int workerId = 0;
        QString kind;
        QString pluginFile;
        QStringList extraEnvironment; //!< KEY=VALUE, the kind's
    };
    static QByteArray setupText(const Setup &setup);

    //! The environment a launcher runs with: the manager's, without what
    //! Drover hands a local worker (srun would carry it to the remote host).
    static QProcessEnvironment environment(QProcessEnvironment base);

private:
    QString m_template;
    QStringList m_words;
};

} // namespace Drover::Internal
