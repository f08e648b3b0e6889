#include "checkstatus.h"

#include "proofdocument.h"
#include "stateicon.h"
#include "statelegend.h"

#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QProgressBar>

namespace DroverIde {

CheckStatus::CheckStatus(ProofDocument *document, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
    , m_progress(new QProgressBar)
    , m_parseErrors(new QLabel)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(10);
    const int side = fontMetrics().height();
    // Each item as wide as it gets with three digits, so that the items do
    // not move as counts grow and shrink; every state's count as wide as the
    // widest, so that one state taking another's place moves nothing either.
    const auto wideEnoughFor = [this](QWidget *widget, const QString &widest) {
        widget->setMinimumWidth(fontMetrics().horizontalAdvance(widest) + 2);
    };
    QString widestCount;
    for (LemmaState state : allLemmaStates) {
        const QString count = QStringLiteral("000 ") + stateName(state);
        if (fontMetrics().horizontalAdvance(count) > fontMetrics().horizontalAdvance(widestCount))
            widestCount = count;
    }
    for (LemmaState state : allLemmaStates) {
        auto *icon = new QLabel;
        icon->setPixmap(stateIcon(state).pixmap(side, side));
        auto *count = new QLabel;
        count->setObjectName(stateName(state) + QLatin1String("Count"));
        wideEnoughFor(count, widestCount);
        auto *pair = new QWidget;
        auto *pairLayout = new QHBoxLayout(pair);
        pairLayout->setContentsMargins(0, 0, 0, 0);
        pairLayout->setSpacing(3);
        pairLayout->addWidget(icon);
        pairLayout->addWidget(count);
        const bool problem = state == LemmaState::Error || state == LemmaState::Crashed || state == LemmaState::Timeout;
        pair->setToolTip(tr("Lemmas %1: %2%3\nHelp ▸ Lemma States shows every sign.")
                             .arg(stateName(state), stateMeaning(state), problem ? tr(" (F8: the next problem)") : QString()));
        layout->addWidget(pair);
        m_counts.insert(state, count);
    }
    m_parseErrors->setObjectName(QStringLiteral("parseErrorCount"));
    m_parseErrors->setToolTip(tr("Lines the checker cannot read (F8: the next problem)"));
    m_parseErrors->setStyleSheet(QStringLiteral("color: #b00020"));
    wideEnoughFor(m_parseErrors, tr("000 parse errors"));
    layout->addWidget(m_parseErrors);
    // Wide and tall enough for its words with four digits each, centred;
    // hidden, it keeps its place, so the counts do not move when it comes.
    m_progress->setFormat(tr("%v of %m checked"));
    m_progress->setTextVisible(true);
    m_progress->setAlignment(Qt::AlignCenter);
    m_progress->setFixedWidth(fontMetrics().horizontalAdvance(tr("0000 of 0000 checked")) + 24);
    m_progress->setMinimumHeight(fontMetrics().height() + 4);
    QSizePolicy keepPlace = m_progress->sizePolicy();
    keepPlace.setRetainSizeWhenHidden(true);
    m_progress->setSizePolicy(keepPlace);
    layout->addWidget(m_progress);
    connect(document, &ProofDocument::lemmasChanged, this, &CheckStatus::refresh);
    connect(document, &ProofDocument::lemmaStateChanged, this, &CheckStatus::refresh);
    refresh();
}

int CheckStatus::shownCount(LemmaState state) const
{
    const QLabel *label = m_counts.value(state);
    return label->parentWidget()->isHidden() ? 0 : label->text().section(QLatin1Char(' '), 0, 0).toInt();
}

int CheckStatus::shownParseErrors() const
{
    return m_parseErrors->isHidden() ? 0 : m_parseErrors->text().section(QLatin1Char(' '), 0, 0).toInt();
}

void CheckStatus::refresh()
{
    for (LemmaState state : allLemmaStates) {
        QLabel *label = m_counts.value(state);
        const int n = m_document->count(state);
        label->setText(QStringLiteral("%1 %2").arg(n).arg(stateName(state)));
        label->parentWidget()->setHidden(n == 0);
    }
    const qsizetype errors = m_document->parseErrors().size();
    m_parseErrors->setText(errors == 1 ? tr("1 parse error") : tr("%1 parse errors").arg(errors));
    m_parseErrors->setHidden(errors == 0);
    const int total = int(m_document->lemmas().size());
    const int pending = m_document->pendingCount();
    m_progress->setVisible(pending > 0);
    m_progress->setRange(0, total);
    m_progress->setValue(total - pending);
}

} // namespace DroverIde
