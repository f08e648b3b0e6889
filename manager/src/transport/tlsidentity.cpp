#include "transport/tlsidentity.h"

#include <QtCore/QCryptographicHash>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

namespace Drover::Internal {

namespace {
template<typename T, void (*Free)(T *)>
using Owned = std::unique_ptr<T, decltype([](T *p) { Free(p); })>;

QString lastOpenSslError()
{
    char text[256] = {};
    ERR_error_string_n(ERR_get_error(), text, sizeof text);
    return QString::fromLatin1(text);
}

QByteArray pemOf(int (*write)(BIO *, void *), void *object)
{
    Owned<BIO, BIO_free_all> bio(BIO_new(BIO_s_mem()));
    if (!bio || !write(bio.get(), object))
        return {};
    char *data = nullptr;
    const long length = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, qsizetype(length));
}
} // namespace

TlsIdentity TlsIdentity::generate(QString *error)
{
    Owned<EVP_PKEY, EVP_PKEY_free> key(EVP_EC_gen("P-256"));
    Owned<X509, X509_free> cert(X509_new());
    if (!key || !cert) {
        *error = QStringLiteral("cannot make a TLS key: %1").arg(lastOpenSslError());
        return TlsIdentity();
    }
    X509_set_version(cert.get(), 2);
    // A random serial: two managers' certificates never look alike.
    const QByteArray serial = QCryptographicHash::hash(QByteArray::number(qint64(reinterpret_cast<quintptr>(cert.get())))
                                                           + QByteArray::number(QDateTime::currentMSecsSinceEpoch()),
                                                       QCryptographicHash::Sha256).left(16);
    Owned<BIGNUM, BN_free> number(BN_bin2bn(reinterpret_cast<const unsigned char *>(serial.constData()), 16, nullptr));
    BN_to_ASN1_INTEGER(number.get(), X509_get_serialNumber(cert.get()));
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600L * 24 * 365);
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME *name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char *>("drover manager"), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) {
        *error = QStringLiteral("cannot sign the TLS certificate: %1").arg(lastOpenSslError());
        return TlsIdentity();
    }
    const QByteArray keyPem = pemOf(
        [](BIO *bio, void *k) {
            return PEM_write_bio_PrivateKey(bio, static_cast<EVP_PKEY *>(k), nullptr, nullptr, 0, nullptr, nullptr);
        },
        key.get());
    const QByteArray certPem = pemOf([](BIO *bio, void *c) { return PEM_write_bio_X509(bio, static_cast<X509 *>(c)); },
                                     cert.get());
    TlsIdentity identity;
    identity.key = QSslKey(keyPem, QSsl::Ec, QSsl::Pem, QSsl::PrivateKey);
    identity.certificate = QSslCertificate(certPem, QSsl::Pem);
    if (identity.key.isNull() || identity.certificate.isNull()) {
        *error = QStringLiteral("Qt's TLS backend does not read the key or certificate it was given");
        return TlsIdentity();
    }
    identity.fingerprint = fingerprintOf(identity.certificate);
    return identity;
}

QString TlsIdentity::fingerprintOf(const QSslCertificate &certificate)
{
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex());
}

} // namespace Drover::Internal
