#include "wire/auth.h"

#include <QtCore/QFile>
#include <QtCore/QMessageAuthenticationCode>
#include <QtCore/QRandomGenerator>

#include <elf.h>

#include <cstring>

namespace Drover::Internal::Wire::Auth {

QByteArray nonce()
{
    QByteArray bytes(NonceSize, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), NonceSize / 4);
    return bytes;
}

QByteArray proof(Side side, const QByteArray &secret, const QByteArray &managerNonce,
                 const QByteArray &workerNonce, int workerId)
{
    QMessageAuthenticationCode mac(QCryptographicHash::Sha256, secret);
    mac.addData(side == Worker ? QByteArrayLiteral("drover worker proof\n") : QByteArrayLiteral("drover manager proof\n"));
    mac.addData(managerNonce);
    mac.addData(workerNonce);
    mac.addData(QByteArray::number(workerId));
    return mac.result();
}

bool sameBytes(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

namespace {
// Reads a T at `offset` of the mapped file, if it fits.
template<typename T>
bool readAt(const uchar *data, qint64 size, quint64 offset, T *out)
{
    if (offset > quint64(size) || quint64(size) - offset < sizeof(T))
        return false;
    std::memcpy(out, data + offset, sizeof(T));
    return true;
}
} // namespace

QString buildIdOf(const QString &file)
{
    // 64-bit ELF of the machine's own byte order: the note in a PT_NOTE
    // segment whose owner is "GNU" and whose type is NT_GNU_BUILD_ID.
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const qint64 size = f.size();
    const uchar *data = f.map(0, size);
    if (!data)
        return {};
    Elf64_Ehdr header{};
    if (!readAt(data, size, 0, &header) || std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0
        || header.e_ident[EI_CLASS] != ELFCLASS64)
        return {};
    for (quint64 i = 0; i < header.e_phnum; ++i) {
        Elf64_Phdr segment{};
        if (!readAt(data, size, header.e_phoff + i * header.e_phentsize, &segment))
            return {};
        if (segment.p_type != PT_NOTE)
            continue;
        quint64 at = segment.p_offset;
        const quint64 end = segment.p_offset + segment.p_filesz;
        while (at + sizeof(Elf64_Nhdr) <= end) {
            Elf64_Nhdr note{};
            if (!readAt(data, size, at, &note))
                return {};
            const quint64 name = at + sizeof note;
            const quint64 desc = name + ((quint64(note.n_namesz) + 3) & ~quint64(3));
            const quint64 next = desc + ((quint64(note.n_descsz) + 3) & ~quint64(3));
            if (next > end || desc + note.n_descsz > quint64(size))
                break;
            if (note.n_type == NT_GNU_BUILD_ID && note.n_namesz == 4 && std::memcmp(data + name, "GNU", 4) == 0)
                return QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(data + desc), note.n_descsz).toHex());
            at = next;
        }
    }
    return {};
}

} // namespace Drover::Internal::Wire::Auth
