#include "dockbody.h"

#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QToolButton>
#include <QtWidgets/QVBoxLayout>

namespace DroverIde {

QWidget *dockBody(QHBoxLayout *bar, const QList<std::pair<QAction *, QString>> &buttons, QWidget *view)
{
    bar->setContentsMargins(0, 0, 0, 0);
    for (const auto &[action, name] : buttons) {
        auto *button = new QToolButton;
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        button->setObjectName(name);
        bar->addWidget(button);
    }
    auto *body = new QWidget;
    auto *layout = new QVBoxLayout(body);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(view);
    return body;
}

} // namespace DroverIde
