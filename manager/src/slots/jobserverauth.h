#pragma once

#include <QtCore/QString>

namespace Drover::Internal {

//! What MAKEFLAGS says about GNU make's jobserver, read and nothing opened.
//! make 4.3 passes `--jobserver-auth=R,W` (two inherited pipe descriptors,
//! open only in recipes marked `+`), make 4.4 `--jobserver-auth=fifo:PATH`;
//! older makes said `--jobserver-fds=R,W`. The last such word counts.
struct JobserverAuth
{
    enum class Kind {
        None,    //!< no jobserver: no -j, -j1, or a -j without a number
        Pipe,    //!< readFd and writeFd
        Fifo,    //!< path
        Invalid, //!< a jobserver word that cannot be used; error says why
    };
    Kind kind = Kind::None;
    int readFd = -1;
    int writeFd = -1;
    QString path;
    //! The first word holds make's one-letter flags and one is `n`: a dry
    //! run (`make -n`), where a recipe marked `+` still runs.
    bool dryRun = false;
    QString word;  //!< the --jobserver-... word itself, for messages
    QString error;

    static JobserverAuth parse(const QString &makeflags);
};

} // namespace Drover::Internal
