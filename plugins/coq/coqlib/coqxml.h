#pragma once

#include "coqxmlreader.h"

#include <QtCore/QByteArray>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <optional>

namespace CoqLib {

//! One `<feedback>` message of coqidetop: news about a state, out of band.
struct CoqFeedback
{
    int stateId = 0;   //!< the state it is about (0: none, or an edit id's feedback)
    //! Coq's feedback_content kind: processed, processingin, incomplete,
    //! complete, message, addedaxiom, fileloaded, filedependency,
    //! workerstatus, inprogress, custom, …
    QString kind;
    QString level;     //!< for kind "message": error, warning, notice, info or debug
    //! Bytes, absolute in the document when the sentence was added with its
    //! offset (CoqIdeTop::add's byteOffset); only for messages that have a place.
    std::optional<qint64> locStart;
    std::optional<qint64> locStop;
    QString text;      //!< the message as plain text (richpp flattened, entities decoded)
};

//! What a failing reply (`<value val="fail">`) says.
struct CoqFailure
{
    QString message;
    //! The state_id of the reply: the last good state to go back to (for
    //! Status and Goal), 0 for a parse error in Add or an anomaly.
    int safeStateId = 0;
    //! The state whose sentence failed, from the error feedback that came
    //! with it (0 when coqidetop said nothing more, e.g. a parse error).
    int failedStateId = 0;
    std::optional<qint64> locStart; //!< bytes, absolute in the document (see CoqFeedback)
    std::optional<qint64> locStop;
    bool interrupted = false;  //!< interrupt() was called while this call ran
    //! Not coqidetop's answer but the client's: the process died, did not
    //! answer in time, wrote something unreadable, or the call was
    //! cancelled. The process is gone after such a failure.
    bool processLost = false;
};

//! The XML protocol of coqidetop 8.16 (`coqidetop.opt --help-XML-protocol`):
//! the calls this client makes, and the decoding of what comes back.
namespace CoqXml {

//! `text` (UTF-8) with &, <, >, " and ' escaped.
QByteArray escaped(const QByteArray &text);

QByteArray initCall();
//! Add: ((((sentence, editId), (stateId, verbose)), bp), (line_nb, bol_pos)).
QByteArray addCall(const QByteArray &sentenceUtf8, int editId, int stateId, qint64 byteOffset, int line, int bolPos);
QByteArray statusCall(bool force);
QByteArray editAtCall(int stateId);
QByteArray goalCall();
QByteArray quitCall();

//! A `<feedback>` element decoded; nullopt for another element.
std::optional<CoqFeedback> feedback(const CoqXmlElement &element);

//! A `<value>` decoded: good with its payload, or the failure it reports.
struct Value
{
    bool good = false;
    CoqXmlElement payload; //!< the first child of a good value
    CoqFailure failure;    //!< of a failing one
};
Value value(const CoqXmlElement &element);

//! A `<state_id val="N"/>`'s N, 0 if `element` is not one.
int stateId(const CoqXmlElement &element);

//! Goal's answer (`<option>` of `<goals>`) as text: each foreground goal's
//! hypotheses, a bar and its conclusion. Empty when there is no proof.
QStringList goalTexts(const CoqXmlElement &option);

} // namespace CoqXml
} // namespace CoqLib
