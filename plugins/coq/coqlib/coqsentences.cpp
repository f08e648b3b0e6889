#include "coqsentences.h"

#include <algorithm>

#include "coqtextpositions.h"

#include <QtCore/QRegularExpression>

#include <optional>

namespace CoqLib {

namespace {

// Coq's blanks: what must follow a `.` that ends a sentence.
bool isBlank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

//! Reads comments and strings as Coq's lexer does; `error` and `errorAt`
//! say what was left open at the end of the input.
struct Lexer
{
    QByteArrayView src;
    qsizetype pos = 0;
    CoqSentenceSplit::Error error = CoqSentenceSplit::Error::None;
    qsizetype errorAt = -1;

    bool at(qsizetype i, char c) const { return i < src.size() && src.at(i) == c; }
    bool atCommentStart() const { return at(pos, '(') && at(pos + 1, '*'); }

    //! From a `"` to just after its closing one; false at the end of input.
    bool skipString()
    {
        const qsizetype open = pos++;
        while (pos < src.size()) {
            if (src.at(pos++) != '"')
                continue;
            if (!at(pos, '"'))
                return true;
            ++pos; // `""`: a quote within the string
        }
        error = CoqSentenceSplit::Error::UnterminatedString;
        errorAt = open;
        return false;
    }

    //! From a `(*` to just after the `*)` that closes it, nesting; strings
    //! within are lexed (a `*)` in one does not close). False at the end.
    bool skipComment()
    {
        const qsizetype open = pos;
        pos += 2;
        int depth = 1;
        while (pos < src.size()) {
            if (atCommentStart()) {
                ++depth;
                pos += 2;
            } else if (at(pos, '*') && at(pos + 1, ')')) {
                pos += 2;
                if (--depth == 0)
                    return true;
            } else if (at(pos, '"')) {
                if (!skipString())
                    return false;
            } else {
                ++pos;
            }
        }
        error = CoqSentenceSplit::Error::UnterminatedComment;
        errorAt = open;
        return false;
    }

    //! Past blanks and comments; false if a comment is left open.
    bool skipSpace()
    {
        while (pos < src.size()) {
            if (isBlank(src.at(pos)))
                ++pos;
            else if (atCommentStart()) {
                if (!skipComment())
                    return false;
            } else
                break;
        }
        return true;
    }
};

//! Whether a command's text so far, `head`, is a goal selector and its `:`
//! (`2:`, `1-2, 4:`, `[x]:`, `all:`, `!:`), so that a `{` now ends it.
bool isGoalSelector(QByteArrayView head)
{
    static const QRegularExpression selector(QStringLiteral(
        "^(?:all|!|\\[\\s*[^\\]\\s]+\\s*\\]|\\d+(?:\\s*-\\s*\\d+)?(?:\\s*,\\s*\\d+(?:\\s*-\\s*\\d+)?)*)\\s*:$"));
    const QString words = QString::fromUtf8(withoutCoqComments(head)).trimmed();
    return words.endsWith(QLatin1Char(':')) && selector.match(words).hasMatch();
}

//! Reads one command from `lex.pos` (its first byte); on success
//! `lex.pos` is just after its end and the kind is returned.
std::optional<CoqSentence::Kind> readCommand(Lexer &lex)
{
    const qsizetype start = lex.pos;
    const QByteArrayView src = lex.src;
    while (lex.pos < src.size()) {
        const char c = src.at(lex.pos);
        if (lex.atCommentStart()) {
            if (!lex.skipComment())
                return std::nullopt;
        } else if (c == '"') {
            if (!lex.skipString())
                return std::nullopt;
        } else if (c == '.') {
            // A run of dots: `..` is a token of notations, `.` and `...`
            // before a blank or the end of input end the sentence.
            qsizetype run = lex.pos;
            while (run < src.size() && src.at(run) == '.')
                ++run;
            const bool ends = (run == src.size() || isBlank(src.at(run))) && run - lex.pos != 2;
            lex.pos = run;
            if (ends)
                return CoqSentence::Kind::Command;
        } else if (c == '{' && !lex.at(lex.pos + 1, '|') && isGoalSelector(src.sliced(start, lex.pos - start))) {
            ++lex.pos;
            return CoqSentence::Kind::OpenBrace;
        } else {
            ++lex.pos;
        }
    }
    lex.error = CoqSentenceSplit::Error::IncompleteSentence;
    lex.errorAt = start;
    return std::nullopt;
}

} // namespace

QString CoqSentenceSplit::errorString() const
{
    switch (error) {
    case Error::None:
        return {};
    case Error::UnterminatedComment:
        return QStringLiteral("line %1, byte %2: unterminated comment").arg(errorLine).arg(errorColumn);
    case Error::UnterminatedString:
        return QStringLiteral("line %1, byte %2: unterminated string").arg(errorLine).arg(errorColumn);
    case Error::IncompleteSentence:
        return QStringLiteral("line %1, byte %2: the last sentence has no final '.'").arg(errorLine).arg(errorColumn);
    }
    return {};
}

CoqSentenceSplit splitCoqSentences(const QByteArray &source)
{
    const CoqTextPositions positions(source);
    CoqSentenceSplit split;
    Lexer lex{source};
    while (lex.skipSpace() && lex.pos < source.size()) {
        CoqSentence sentence;
        sentence.start = lex.pos;
        const char c = source.at(lex.pos);
        if (c == '-' || c == '+' || c == '*') {
            while (lex.at(lex.pos, c))
                ++lex.pos;
            sentence.kind = CoqSentence::Kind::Bullet;
        } else if (c == '{' && !lex.at(lex.pos + 1, '|')) {
            ++lex.pos;
            sentence.kind = CoqSentence::Kind::OpenBrace;
        } else if (c == '}') {
            ++lex.pos;
            sentence.kind = CoqSentence::Kind::CloseBrace;
        } else if (const auto kind = readCommand(lex)) {
            sentence.kind = *kind;
        } else {
            break;
        }
        sentence.end = lex.pos;
        const CoqTextPositions::Place start = positions.bytePlace(sentence.start);
        const CoqTextPositions::Place end = positions.bytePlace(sentence.end);
        sentence.line = start.line;
        sentence.column = start.column;
        sentence.endLine = end.line;
        sentence.endColumn = end.column;
        split.sentences << sentence;
    }
    if (lex.error != CoqSentenceSplit::Error::None) {
        split.error = lex.error;
        split.errorOffset = lex.errorAt;
        const CoqTextPositions::Place place = positions.bytePlace(lex.errorAt);
        split.errorLine = place.line;
        split.errorColumn = place.column;
    }
    return split;
}

QByteArray withoutCoqComments(QByteArrayView text)
{
    QByteArray out;
    out.reserve(text.size());
    Lexer lex{text};
    qsizetype kept = 0; // the start of the text not yet copied
    while (lex.pos < text.size()) {
        if (lex.atCommentStart()) {
            out += text.sliced(kept, lex.pos - kept);
            lex.skipComment();
            out += ' ';
            kept = lex.pos;
            continue;
        }
        if (text.at(lex.pos) == '"')
            lex.skipString();
        else
            ++lex.pos;
    }
    out += text.sliced(kept, std::min(lex.pos, text.size()) - kept);
    return out;
}

} // namespace CoqLib
