#pragma once

#include "statecolors.h"

#include <QtWidgets/QDialog>

namespace DroverIde {

//! What a state means to the person reading the editor, in a sentence
//! ("a worker is running it"): the legend's words, and the status bar's
//! tooltips.
QString stateMeaning(LemmaState state);

//! Help ▸ Lemma States: every state's sign as the editor draws it, its word
//! and its meaning, in a small window that is not modal (it can stay open
//! beside the document). Its rows are QLabels named "<state>Legend".
class StateLegend : public QDialog
{
    Q_OBJECT
public:
    explicit StateLegend(QWidget *parent = nullptr);
};

} // namespace DroverIde
