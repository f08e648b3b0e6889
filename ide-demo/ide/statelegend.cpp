#include "statelegend.h"

#include "stateicon.h"

#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QGridLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QVBoxLayout>

namespace DroverIde {

QString stateMeaning(LemmaState state)
{
    switch (state) {
    case LemmaState::Edited: return StateLegend::tr("you changed it; it is queued when typing pauses");
    case LemmaState::Queued: return StateLegend::tr("its task waits for a free worker");
    case LemmaState::Checking: return StateLegend::tr("a worker is running it");
    case LemmaState::Ok: return StateLegend::tr("every step holds");
    case LemmaState::UpToDate: return StateLegend::tr("a Coq file whose .vo is newer than all it needs: not built again");
    case LemmaState::Error: return StateLegend::tr("a step does not hold: it is underlined, its tooltip says why");
    case LemmaState::Skipped: return StateLegend::tr("a Coq file not built: a file it needs did not build");
    case LemmaState::Crashed: return StateLegend::tr("its worker died under it (killed, or it crashed)");
    case LemmaState::Timeout: return StateLegend::tr("it ran past the time limit and its worker was stopped");
    case LemmaState::Cancelled: return StateLegend::tr("it was cancelled before it finished");
    }
    return {};
}

StateLegend::StateLegend(QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("stateLegend"));
    setWindowTitle(tr("Lemma States"));
    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(10);
    const int side = fontMetrics().height();
    int row = 0;
    for (LemmaState state : allLemmaStates) {
        auto *sign = new QLabel;
        sign->setPixmap(stateIcon(state).pixmap(side, side));
        auto *word = new QLabel(QStringLiteral("<b>%1</b>").arg(stateName(state)));
        auto *meaning = new QLabel(stateMeaning(state));
        meaning->setObjectName(stateName(state) + QLatin1String("Legend"));
        grid->addWidget(sign, row, 0);
        grid->addWidget(word, row, 1);
        grid->addWidget(meaning, row, 2);
        ++row;
    }
    auto *note = new QLabel(tr("A lemma's sign is beside its first line, its colour in the margin along its lines "
                               "and behind its text. Parse errors get a red cross and a wavy underline. "
                               "F8 and Shift+F8 go to the next and previous problem."));
    note->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(grid);
    layout->addWidget(note);
    layout->addWidget(buttons);
}

} // namespace DroverIde
