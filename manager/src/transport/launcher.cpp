#include "transport/launcher.h"

#include "wire/wire.h"


namespace Drover::Internal {

namespace {
const QString WorkerWord = QStringLiteral("{worker}");
const QString ArgsWord = QStringLiteral("{args}");

// Words as a POSIX shell splits them, without expansions: blanks separate,
// '...' keeps everything, "..." keeps all but \" \\ \$ \`, a backslash
// outside quotes keeps the next character. False on an open quote.
bool splitWords(const QString &text, QStringList *words)
{
    QString word;
    bool inWord = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c == QLatin1Char(' ') || c == QLatin1Char('\t') || c == QLatin1Char('\n')) {
            if (inWord)
                *words << word;
            word.clear();
            inWord = false;
            continue;
        }
        inWord = true;
        if (c == QLatin1Char('\'') ) {
            const qsizetype end = text.indexOf(QLatin1Char('\''), i + 1);
            if (end < 0)
                return false;
            word += text.mid(i + 1, end - i - 1);
            i = end;
        } else if (c == QLatin1Char('"')) {
            for (++i; i < text.size() && text.at(i) != QLatin1Char('"'); ++i) {
                if (text.at(i) == QLatin1Char('\\') && i + 1 < text.size()
                    && QStringView(u"\"\\$`").contains(text.at(i + 1)))
                    ++i;
                word += text.at(i);
            }
            if (i >= text.size())
                return false;
        } else if (c == QLatin1Char('\\') && i + 1 < text.size()) {
            word += text.at(++i);
        } else {
            word += c;
        }
    }
    if (inWord)
        *words << word;
    return true;
}
} // namespace

Launcher Launcher::parse(const QString &commandTemplate, QString *error)
{
    Launcher launcher;
    QStringList words;
    if (!splitWords(commandTemplate, &words)) {
        *error = QStringLiteral("the launcher \"%1\" has a quote that is not closed").arg(commandTemplate);
        return {};
    }
    if (!words.contains(WorkerWord)) {
        *error = QStringLiteral("the launcher \"%1\" has no {worker} (as a word of its own)").arg(commandTemplate);
        return {};
    }
    launcher.m_template = commandTemplate;
    launcher.m_words = words;
    return launcher;
}

QStringList Launcher::command(const QString &worker, const QStringList &arguments) const
{
    QStringList all = arguments;
    all.prepend(QLatin1String(Wire::SetupOnStdinOption));
    QStringList out;
    bool argsPlaced = false;
    for (const QString &word : m_words) {
        if (word == WorkerWord) {
            out << worker;
        } else if (word == ArgsWord) {
            out << all;
            argsPlaced = true;
        } else {
            out << word;
        }
    }
    // Without {args}, they follow the worker: it needs the option.
    if (!argsPlaced) {
        const qsizetype at = out.indexOf(worker) + 1;
        for (qsizetype i = 0; i < all.size(); ++i)
            out.insert(at + i, all.at(i));
    }
    return out;
}

QByteArray Launcher::setupText(const Setup &setup)
{
    QByteArray text;
    const auto line = [&text](const char *key, const QByteArray &value) {
        text += key;
        text += '=';
        text += value;
        text += '\n';
    };
    line(Wire::EnvServer, setup.server.toUtf8());
    line(Wire::EnvTrust, setup.fingerprint.toLatin1());
    line(Wire::EnvSecret, setup.secret);
    line(Wire::EnvWorkerId, QByteArray::number(setup.workerId));
    line(Wire::EnvKind, setup.kind.toUtf8());
    line(Wire::EnvPlugin, setup.pluginFile.toUtf8());
    for (const QString &assignment : setup.extraEnvironment) {
        if (!assignment.contains(QLatin1Char('\n')) && assignment.indexOf(QLatin1Char('=')) > 0)
            text += assignment.toUtf8() + '\n';
    }
    text += '\n';
    return text;
}

QProcessEnvironment Launcher::environment(QProcessEnvironment base)
{
    for (const char *key : {Wire::EnvServer, Wire::EnvSecretFd, Wire::EnvWorkerId, Wire::EnvKind, Wire::EnvPlugin,
                            Wire::EnvSecret, Wire::EnvTrust})
        base.remove(QLatin1String(key));
    return base;
}

} // namespace Drover::Internal
