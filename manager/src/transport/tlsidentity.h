#pragma once

#include <QtCore/QString>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslKey>

namespace Drover::Internal {

//! The manager's TLS identity for remote workers: a P-256 key and a
//! self-signed certificate made when the manager first listens on TCP, kept
//! in memory only. Workers trust exactly this certificate: its SHA-256
//! fingerprint reaches them with the secret (docs/wire.md). Qt has no key
//! generation API, so OpenSSL's libcrypto makes them.
struct TlsIdentity
{
    QSslKey key;
    QSslCertificate certificate;
    //! SHA-256 of the certificate's DER, lower-case hex.
    QString fingerprint;

    bool isNull() const { return certificate.isNull(); }

    //! A new identity, or a null one with *error set.
    static TlsIdentity generate(QString *error);
    //! SHA-256 of a certificate's DER, lower-case hex.
    static QString fingerprintOf(const QSslCertificate &certificate);
};

} // namespace Drover::Internal
