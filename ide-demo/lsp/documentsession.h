#pragma once

#include "textedits.h"

#include <QtCore/QJsonArray>
#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QTimer>

#include <chrono>
#include <optional>

namespace DroverLsp {

//! How a document's check runs, for either kind of document.
struct SessionSettings
{
    int workers = 2;                           //!< per document
    std::chrono::milliseconds editPause{250};  //!< after a change, before it is checked
    std::chrono::milliseconds timeLimit{0};    //!< per lemma, zero: none
};

//! One document the client opened, and its check. The server speaks LSP;
//! a session speaks of its own document: lines are 0-based and columns
//! UTF-16 code units, as in LSP. Two kinds: the demo proof language
//! (ProofSession) and Coq (CoqSession).
class DocumentSession : public QObject
{
    Q_OBJECT
public:
    explicit DocumentSession(QObject *parent = nullptr)
        : QObject(parent)
    {
        m_publish.setSingleShot(true);
        m_publish.setInterval(0);
        connect(&m_publish, &QTimer::timeout, this, &DocumentSession::diagnosticsChanged);
    }

    //! The first text (didOpen): everything is checked. False, with a
    //! one-line reason in *error, when the document cannot be checked.
    virtual bool open(const QString &text, QString *error) = 0;
    //! A new text (didChange): what changed is checked again, starting with
    //! what is nearest firstChangedLine.
    virtual void change(const QString &text, int firstChangedLine) = 0;
    //! The client saved the document.
    virtual void save() {}
    //! The LSP Diagnostic objects of the document as it stands.
    virtual QJsonArray diagnostics() const = 0;
    //! Markdown about what is at a position, empty for nothing.
    virtual QString hover(TextPosition position) const = 0;
    //! Cancels the check of the unit (lemma, sentence) at line, or of the
    //! whole document; returns how many were cancelled.
    virtual int cancel(std::optional<int> line) = 0;
    //! Kills the worker checking the unit at line, or every worker busy
    //! with the document; returns how many workers were killed.
    virtual int kill(std::optional<int> line) = 0;
    //! Nothing left to check.
    virtual bool isSettled() const = 0;
    //! How many units have an outcome, of how many.
    virtual int doneCount() const = 0;
    virtual int totalCount() const = 0;
    //! States by name ("ok": 3, "error": 1, ...), for commands and tests.
    virtual QJsonObject counts() const = 0;

Q_SIGNALS:
    //! What diagnostics() returns changed (a unit ended, the text moved).
    void diagnosticsChanged();
    //! A unit got its outcome.
    void progressed();
    //! isSettled() became true.
    void settled();

protected:
    //! Emits diagnosticsChanged() once this turn of the event loop is over:
    //! the outcomes that come together are published together.
    void diagnosticsMayHaveChanged() { m_publish.start(); }

private:
    QTimer m_publish;
};

} // namespace DroverLsp
