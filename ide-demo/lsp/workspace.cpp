#include "workspace.h"

#include "coqsession.h"
#include "proofsession.h"

#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QUrl>

namespace DroverLsp {

namespace {
QLatin1String key(const char *name) { return QLatin1String(name); }

bool isCoq(const QString &uri, const QString &languageId)
{
    return languageId == QLatin1String("coq") || uri.endsWith(QLatin1String(".v"));
}

std::optional<TextPosition> positionOf(const QJsonObject &params)
{
    const QJsonObject position = params.value(key("position")).toObject();
    const QJsonValue line = position.value(key("line"));
    const QJsonValue character = position.value(key("character"));
    if (!line.isDouble() || !character.isDouble() || line.toInt(-1) < 0 || character.toInt(-1) < 0)
        return std::nullopt;
    return TextPosition{line.toInt(), character.toInt()};
}
} // namespace

DocumentRef documentRefOf(const QJsonObject &params)
{
    const QJsonObject document = params.value(key("textDocument")).toObject();
    DocumentRef ref;
    if (document.value(key("uri")).isString())
        ref.uri = document.value(key("uri")).toString();
    if (document.value(key("version")).isDouble())
        ref.version = document.value(key("version")).toInt();
    return ref;
}

Workspace::Workspace(SessionSettings settings, WorkProgress::Notify notify, WorkProgress::Request request, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_notify(std::move(notify))
    , m_request(std::move(request))
{
}

Workspace::~Workspace()
{
    closeAll();
}

void Workspace::closeAll()
{
    const auto open = std::exchange(m_open, {});
    for (auto it = open.cbegin(); it != open.cend(); ++it) {
        if (it.value()->progress)
            it.value()->progress->finish();
        delete it.value()->session; // cancels its check; its manager ends and reaps its workers
        emit documentClosed(it.key());
    }
}

DocumentSession *Workspace::session(const QString &uri) const
{
    const std::shared_ptr<Open> document = m_open.value(uri);
    return document ? document->session : nullptr;
}

QString Workspace::didOpen(const QJsonObject &params)
{
    const QJsonObject item = params.value(key("textDocument")).toObject();
    const QString uri = item.value(key("uri")).toString();
    if (uri.isEmpty() || !item.value(key("text")).isString())
        return QStringLiteral("didOpen needs textDocument.uri and textDocument.text");
    const QString text = item.value(key("text")).toString();
    const QString languageId = item.value(key("languageId")).toString();
    if (const std::shared_ptr<Open> again = m_open.take(uri)) // opened twice: start again
        delete again->session;
    const auto document = std::make_shared<Open>();
    m_open.insert(uri, document);
    document->version = item.value(key("version")).toInt();
    document->text = text;

    const QUrl url(uri);
    const QString path = url.isLocalFile() ? url.toLocalFile() : url.path();
    QString error;
    if (isCoq(uri, languageId)) {
        document->session = new CoqSession(QFileInfo(path).absoluteFilePath(), m_settings, this);
    } else {
        document->session = ProofSession::create(path, m_settings, &error, this);
    }
    if (document->session) {
        connect(document->session, &DocumentSession::diagnosticsChanged, this, [this, uri] { publish(uri); });
        connect(document->session, &DocumentSession::progressed, this, [this, uri] { progressed(uri); });
        connect(document->session, &DocumentSession::settled, this, [this, uri] {
            progressed(uri);
            emit documentSettled(uri);
        });
        if (m_progressSupported)
            document->progress = std::make_unique<WorkProgress>(QStringLiteral("Checking %1").arg(QFileInfo(path).fileName()),
                                                                m_notify, m_request);
        if (!document->session->open(text, &error)) {
            delete document->session;
            document->session = nullptr;
        }
    }
    if (!document->session) {
        // The document stays open (its changes are accepted) but is not
        // checked: the client hears why.
        m_notify(QStringLiteral("window/showMessage"),
                 QJsonObject{{key("type"), 1}, {key("message"), QStringLiteral("drover-lsp cannot check %1: %2").arg(uri, error)}});
        return {};
    }
    progressed(uri);
    return {};
}

QString Workspace::didChange(const QJsonObject &params)
{
    const DocumentRef ref = documentRefOf(params);
    const QJsonValue changes = params.value(key("contentChanges"));
    if (ref.uri.isEmpty() || !changes.isArray())
        return QStringLiteral("didChange needs textDocument.uri and contentChanges");
    const std::shared_ptr<Open> document = m_open.value(ref.uri);
    if (!document)
        return QStringLiteral("%1 is not open").arg(ref.uri);
    QString error;
    const std::optional<EditedText> edited = applyContentChanges(document->text, changes.toArray(), &error);
    if (!edited)
        return error;
    document->text = edited->text;
    document->version = ref.version.value_or(document->version + 1);
    if (document->session)
        document->session->change(edited->text, edited->firstChangedLine);
    progressed(ref.uri);
    return {};
}

QString Workspace::didClose(const QJsonObject &params)
{
    const DocumentRef ref = documentRefOf(params);
    if (ref.uri.isEmpty())
        return QStringLiteral("didClose needs textDocument.uri");
    const std::shared_ptr<Open> document = m_open.take(ref.uri);
    if (!document)
        return QStringLiteral("%1 is not open").arg(ref.uri);
    if (document->progress)
        document->progress->finish();
    delete document->session;
    emit documentClosed(ref.uri);
    // A closed document's diagnostics are the client's to forget; clearing
    // them says the server has nothing more on it.
    m_notify(QStringLiteral("textDocument/publishDiagnostics"),
             QJsonObject{{key("uri"), ref.uri}, {key("diagnostics"), QJsonArray()}});
    return {};
}

QString Workspace::didSave(const QJsonObject &params)
{
    const DocumentRef ref = documentRefOf(params);
    if (ref.uri.isEmpty())
        return QStringLiteral("didSave needs textDocument.uri");
    if (DocumentSession *found = session(ref.uri))
        found->save();
    return {};
}

QString Workspace::hover(const QJsonObject &params, QJsonValue *result) const
{
    const DocumentRef ref = documentRefOf(params);
    const std::optional<TextPosition> position = positionOf(params);
    if (ref.uri.isEmpty() || !position)
        return QStringLiteral("hover needs textDocument.uri and a position with a line and a character");
    *result = QJsonValue::Null;
    const DocumentSession *found = session(ref.uri);
    const QString text = found ? found->hover(*position) : QString();
    if (!text.isEmpty())
        *result = QJsonObject{{key("contents"), QJsonObject{{key("kind"), QStringLiteral("markdown")}, {key("value"), text}}}};
    return {};
}

void Workspace::publish(const QString &uri)
{
    const std::shared_ptr<Open> document = m_open.value(uri);
    if (!document || !document->session)
        return;
    const QJsonObject params{{key("uri"), uri}, {key("version"), document->version},
                             {key("diagnostics"), document->session->diagnostics()}};
    // A lemma that ended ok changes nothing the client shows.
    if (params == document->published)
        return;
    document->published = params;
    m_notify(QStringLiteral("textDocument/publishDiagnostics"), params);
}

void Workspace::progressed(const QString &uri)
{
    const std::shared_ptr<Open> document = m_open.value(uri);
    if (!document || !document->session || !document->progress)
        return;
    if (document->session->isSettled())
        document->progress->finish();
    else
        document->progress->update(document->session->doneCount(), document->session->totalCount());
}

} // namespace DroverLsp
