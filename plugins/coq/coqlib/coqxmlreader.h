#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QString>

#include <memory>

namespace CoqLib {

//! One element of a message coqidetop wrote, as a small tree: the XML
//! protocol's values are short (a few KiB), so a tree is simpler to decode
//! than a stream and costs nothing that matters.
struct CoqXmlElement
{
    QString name;
    QHash<QString, QString> attributes;
    QString text;                   //!< the character data directly inside, entities decoded
    QString flat;                   //!< all the text below, in document order (richpp flattened)
    QList<CoqXmlElement> children;

    QString attribute(const QString &key) const { return attributes.value(key); }
    //! The `index`th child element, or an empty element (name "") if there is none.
    const CoqXmlElement &child(qsizetype index) const;
};

//! Cuts the byte stream coqidetop writes on its stdout into its top-level
//! messages (`<value>`, `<feedback>`, …), whatever the reads' boundaries:
//! a message split across reads, or several in one read, or a UTF-8
//! character cut in two, come out whole and in order.
//!
//! coqidetop writes a sequence of top-level elements with no enclosing
//! document; the reader wraps them in one, so that a single incremental
//! QXmlStreamReader reads all of them. HTML's `&nbsp;`, which Coq's printer
//! writes for every space of a message, is read as a plain space.
class CoqXmlReader
{
public:
    CoqXmlReader();
    ~CoqXmlReader();
    CoqXmlReader(const CoqXmlReader &) = delete;
    CoqXmlReader &operator=(const CoqXmlReader &) = delete;

    void addData(const QByteArray &bytes);
    //! The next whole message, if one has arrived; false when more bytes are
    //! needed or when the stream is not XML (then hasError()).
    bool next(CoqXmlElement *message);
    bool hasError() const;
    QString errorString() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace CoqLib
