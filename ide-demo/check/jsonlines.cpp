#include "jsonlines.h"
#include "jsonlinewriter.h"

#include <QtCore/QJsonDocument>

void emitJsonLine(const QJsonObject &object)
{
    writeJsonLineBytes(QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n');
}
