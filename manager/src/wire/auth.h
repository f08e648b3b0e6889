#pragma once

// The proofs of the TCP handshake (docs/wire.md, "Workers on other hosts"):
// each side shows that it holds the per-manager secret without sending it,
// as an HMAC-SHA256 over both sides' nonces and the worker's id. A proof is
// worth one connection: the manager's nonce is new on each.

#include <QtCore/QByteArray>
#include <QtCore/QString>

namespace Drover::Internal::Wire::Auth {

inline constexpr int NonceSize = 32;

enum Side { Worker, Manager };

//! NonceSize random bytes (the system's generator).
QByteArray nonce();

//! What `side` sends: HMAC-SHA256(secret, side's label, managerNonce,
//! workerNonce, workerId). The labels keep a worker's proof from serving as
//! the manager's.
QByteArray proof(Side side, const QByteArray &secret, const QByteArray &managerNonce,
                 const QByteArray &workerNonce, int workerId);

//! Compares without an early exit, so timing does not tell how much matched.
bool sameBytes(const QByteArray &a, const QByteArray &b);

//! The GNU build id of an ELF file, in hex; empty when it has none or
//! cannot be read. Both ends of a remote worker compare these.
QString buildIdOf(const QString &file);

} // namespace Drover::Internal::Wire::Auth
