#pragma once

#include "documentsession.h"
#include "jsonrpc.h"
#include "workprogress.h"

#include <QtCore/QHash>
#include <QtCore/QJsonObject>
#include <QtCore/QObject>

#include <memory>

namespace DroverLsp {

//! The documents the client has open, each with its session (its check),
//! its version and text, and its progress. Turns the textDocument/*
//! notifications into session calls and the sessions' news into
//! publishDiagnostics, and answers hover and the drover.* commands.
//!
//! The methods taking params return an error message for params that are
//! not what LSP says (the caller answers InvalidParams), empty when fine.
class Workspace : public QObject
{
    Q_OBJECT
public:
    Workspace(SessionSettings settings, WorkProgress::Notify notify, WorkProgress::Request request, QObject *parent = nullptr);
    ~Workspace() override;

    //! Whether the client said it handles server-started progress.
    void setProgressSupported(bool supported) { m_progressSupported = supported; }

    QString didOpen(const QJsonObject &params);
    QString didChange(const QJsonObject &params);
    QString didClose(const QJsonObject &params);
    QString didSave(const QJsonObject &params);
    //! *result is a Hover or null.
    QString hover(const QJsonObject &params, QJsonValue *result) const;

    //! The session of an open document, nullptr if none.
    DocumentSession *session(const QString &uri) const;
    //! Ends every check and worker.
    void closeAll();

Q_SIGNALS:
    //! The document's check has nothing left to do.
    void documentSettled(const QString &uri);
    //! The document was closed (or all were).
    void documentClosed(const QString &uri);

private:
    struct Open
    {
        DocumentSession *session = nullptr;
        int version = 0;
        QString text;
        std::unique_ptr<WorkProgress> progress;
        QJsonObject published; //!< the last publishDiagnostics params, not sent twice
    };
    void publish(const QString &uri);
    void progressed(const QString &uri);

    SessionSettings m_settings;
    WorkProgress::Notify m_notify;
    WorkProgress::Request m_request;
    QHash<QString, std::shared_ptr<Open>> m_open;
    bool m_progressSupported = false;
};

//! The uri and version of params.textDocument; empty uri when missing.
struct DocumentRef
{
    QString uri;
    std::optional<int> version;
};
DocumentRef documentRefOf(const QJsonObject &params);

} // namespace DroverLsp
