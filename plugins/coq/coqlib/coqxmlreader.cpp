#include "coqxmlreader.h"

#include <QtCore/QXmlStreamEntityResolver>
#include <QtCore/QXmlStreamReader>

namespace CoqLib {

namespace {
//! Coq's XML printer writes HTML's &nbsp; (undeclared in XML) for spaces.
class NbspResolver : public QXmlStreamEntityResolver
{
public:
    QString resolveUndeclaredEntity(const QString &name) override
    {
        return name == QLatin1String("nbsp") ? QStringLiteral(" ") : QString();
    }
};
} // namespace

const CoqXmlElement &CoqXmlElement::child(qsizetype index) const
{
    static const CoqXmlElement none;
    return index >= 0 && index < children.size() ? children.at(index) : none;
}

struct CoqXmlReader::Private
{
    QXmlStreamReader xml;
    NbspResolver resolver;
    bool inWrapper = false;
    //! The elements open below the wrapper, outermost first.
    QList<CoqXmlElement> open;
};

CoqXmlReader::CoqXmlReader()
    : d(std::make_unique<Private>())
{
    d->xml.setEntityResolver(&d->resolver);
    d->xml.addData(QByteArrayLiteral("<coqidetop>"));
}

CoqXmlReader::~CoqXmlReader() = default;

void CoqXmlReader::addData(const QByteArray &bytes)
{
    d->xml.addData(bytes);
}

bool CoqXmlReader::next(CoqXmlElement *message)
{
    while (!d->xml.atEnd()) {
        switch (d->xml.readNext()) {
        case QXmlStreamReader::StartElement: {
            if (!d->inWrapper) {
                d->inWrapper = true;
                break;
            }
            CoqXmlElement element;
            element.name = d->xml.name().toString();
            const QXmlStreamAttributes attributes = d->xml.attributes();
            for (const QXmlStreamAttribute &a : attributes)
                element.attributes.insert(a.name().toString(), a.value().toString());
            d->open.append(element);
            break;
        }
        case QXmlStreamReader::EndElement: {
            if (d->open.isEmpty())
                break;
            CoqXmlElement done = d->open.takeLast();
            if (d->open.isEmpty()) {
                *message = std::move(done);
                return true;
            }
            d->open.last().children.append(std::move(done));
            break;
        }
        case QXmlStreamReader::Characters:
        case QXmlStreamReader::EntityReference:
            if (!d->open.isEmpty()) {
                const QStringView text = d->xml.text();
                d->open.last().text += text;
                for (CoqXmlElement &element : d->open)
                    element.flat += text;
            }
            break;
        default:
            break;
        }
    }
    return false;
}

bool CoqXmlReader::hasError() const
{
    return d->xml.hasError() && d->xml.error() != QXmlStreamReader::PrematureEndOfDocumentError;
}

QString CoqXmlReader::errorString() const
{
    return hasError() ? QStringLiteral("%1 (line %2, column %3)")
                            .arg(d->xml.errorString())
                            .arg(d->xml.lineNumber())
                            .arg(d->xml.columnNumber())
                      : QString();
}

} // namespace CoqLib
