#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>

#include <optional>

namespace DroverLsp {

//! Cuts the bytes of an LSP stream into message bodies: each is a header
//! block (`Content-Length: N`, optionally `Content-Type`, lines ending in
//! CRLF, an empty line) and N bytes of JSON. Fed in pieces as they arrive.
//!
//! A header it cannot use (no length, a length that is not a number) is a
//! framing error; the reader then skips to the next `Content-Length:` so
//! that the stream goes on. A body above the size limit is a framing error
//! too, and its bytes are skipped as they come, never buffered.
class LspFrameReader
{
public:
    struct Frame
    {
        QByteArray body;   //!< the JSON text, when error is empty
        QString error;     //!< what was wrong with the frame, for the client
    };

    explicit LspFrameReader(qint64 maxBodyBytes);

    void feed(const QByteArray &bytes);
    //! The next whole frame (or framing error), nullopt until more bytes come.
    std::optional<Frame> next();
    //! Bytes held that are not a whole frame yet (at the stream's end: a
    //! message cut short).
    bool hasPartialFrame() const;

private:
    std::optional<Frame> skipToNextHeader(const QString &why);

    qint64 m_maxBodyBytes;
    QByteArray m_buffer;
    qint64 m_bodyLength = -1;   //!< known once a header block was read
    qint64 m_skipping = 0;      //!< bytes of an oversized body still to drop
};

} // namespace DroverLsp
