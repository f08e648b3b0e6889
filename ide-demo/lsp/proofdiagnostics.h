#pragma once

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QString>

namespace DroverDemo { class ProofDocument; }

namespace DroverLsp {

//! An LSP Range object, 0-based, from (line, character) to (endLine, endCharacter).
QJsonObject rangeObject(int line, int character, int endLine, int endCharacter);

//! The diagnostics of a proof document as it stands: each parse error, and
//! each lemma whose outcome is not ok — an error on its failing step (the
//! step's place in the current text, so that it follows edits above it), a
//! crash or timeout on its `Lemma` line, a cancellation as a warning.
//! Columns are UTF-16 code units, as the parser counts them in a QString.
QJsonArray proofDiagnostics(const DroverDemo::ProofDocument &document, const QString &text);

} // namespace DroverLsp
