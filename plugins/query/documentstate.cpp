#include "documentstate.h"

#include <QtCore/QCborArray>
#include <QtCore/QRegularExpression>

#include <limits>

namespace Queries {

namespace {
QLatin1String key(const char *name)
{
    return QLatin1String(name);
}

QList<IndexEntry> indexOf(const QCborArray &entries)
{
    QList<IndexEntry> index;
    for (const QCborValue &entry : entries) {
        index.append({entry[key("lemma")].toString(), entry[key("statement")].toString(),
                      int(entry[key("line")].toInteger())});
    }
    return index;
}
} // namespace

DocumentState documentState(const QList<QCborValue> &forwarded, const QString &documentId)
{
    DocumentState state;
    for (const QCborValue &value : forwarded) {
        if (value[key("doc")].toString() != documentId)
            continue;
        if (value[key("index")].isArray()) {
            state.hasIndex = true;
            state.index = indexOf(value[key("index")].toArray());
        } else if (value[key("name")].isString() && value[key("value")].isString()) {
            state.options.insert(value[key("name")].toString(), value[key("value")].toString());
        }
    }
    return state;
}

std::optional<int> numberBase(const DocumentState &state, QString *error)
{
    const auto option = state.options.constFind(QStringLiteral("Base"));
    if (option == state.options.cend())
        return 10;
    if (option->compare(QLatin1String("dec"), Qt::CaseInsensitive) == 0)
        return 10;
    if (option->compare(QLatin1String("hex"), Qt::CaseInsensitive) == 0)
        return 16;
    *error = QStringLiteral("option Base is `%1`: expected `dec` or `hex`").arg(*option);
    return std::nullopt;
}

std::optional<qsizetype> searchLimit(const DocumentState &state, QString *error)
{
    const auto option = state.options.constFind(QStringLiteral("SearchLimit"));
    if (option == state.options.cend())
        return std::numeric_limits<qsizetype>::max();
    bool ok = false;
    const int limit = option->toInt(&ok);
    static const QRegularExpression digits(QStringLiteral("^[0-9]+$"));
    if (ok && limit >= 1 && digits.match(*option).hasMatch())
        return limit;
    *error = QStringLiteral("option SearchLimit is `%1`: expected a number of lemmas from 1").arg(*option);
    return std::nullopt;
}

} // namespace Queries
