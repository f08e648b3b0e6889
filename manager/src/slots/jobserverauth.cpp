#include "slots/jobserverauth.h"

#include <QtCore/QStringList>

namespace Drover::Internal {

namespace {
bool parseFd(QStringView text, int *fd)
{
    bool ok = false;
    const int value = text.toInt(&ok);
    *fd = value;
    return ok;
}
} // namespace

JobserverAuth JobserverAuth::parse(const QString &makeflags)
{
    JobserverAuth auth;
    // make puts its one-letter flags in the first word, which is empty
    // when there are none (the value then starts with a space) and never
    // starts with '-'.
    const QString first = makeflags.section(QLatin1Char(' '), 0, 0);
    auth.dryRun = !first.startsWith(QLatin1Char('-')) && !first.contains(QLatin1Char('='))
                  && first.contains(QLatin1Char('n'));

    const QStringList words = makeflags.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString &word : words) {
        if (word == QLatin1String("--")) // what follows are variable assignments
            break;
        if (word.startsWith(QLatin1String("--jobserver-auth=")) || word.startsWith(QLatin1String("--jobserver-fds=")))
            auth.word = word;
    }
    if (auth.word.isEmpty())
        return auth;

    const QString value = auth.word.section(QLatin1Char('='), 1);
    if (value.startsWith(QLatin1String("fifo:"))) {
        auth.path = value.mid(5);
        auth.kind = auth.path.isEmpty() ? Kind::Invalid : Kind::Fifo;
        if (auth.path.isEmpty())
            auth.error = QStringLiteral("%1 names no fifo").arg(auth.word);
        return auth;
    }
    const QStringList fds = value.split(QLatin1Char(','));
    if (fds.size() != 2 || !parseFd(fds[0], &auth.readFd) || !parseFd(fds[1], &auth.writeFd)) {
        auth.kind = Kind::Invalid;
        auth.error = QStringLiteral("%1 is not R,W nor fifo:PATH").arg(auth.word);
        return auth;
    }
    if (auth.readFd < 0 || auth.writeFd < 0) {
        // make's way of saying that this process has no jobserver
        auth.kind = Kind::None;
        return auth;
    }
    auth.kind = Kind::Pipe;
    return auth;
}

} // namespace Drover::Internal
