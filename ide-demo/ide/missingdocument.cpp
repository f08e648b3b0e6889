#include "missingdocument.h"

#include "mainwindow.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QTextStream>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QStatusBar>

namespace DroverIde {

bool isCreatableDocument(const QString &path)
{
    const QFileInfo info(path);
    return !info.exists() && !info.isSymLink() && info.absoluteDir().exists();
}

QMessageBox *offerToCreateDocument(MainWindow *window, const QString &path)
{
    const QString shown = QDir::toNativeSeparators(path);
    auto *box = new QMessageBox(QMessageBox::Question, MainWindow::tr("Open"),
                                MainWindow::tr("%1 does not exist.").arg(shown), QMessageBox::NoButton, window);
    box->setObjectName(QStringLiteral("createMissingDocument"));
    box->setInformativeText(MainWindow::tr("Create it as an empty document?"));
    QPushButton *create = box->addButton(MainWindow::tr("&Create"), QMessageBox::AcceptRole);
    create->setObjectName(QStringLiteral("createButton"));
    QPushButton *decline = box->addButton(MainWindow::tr("&Don't Create"), QMessageBox::RejectRole);
    decline->setObjectName(QStringLiteral("dontCreateButton"));
    box->setDefaultButton(create);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(box, &QMessageBox::buttonClicked, window, [window, path, shown, create](QAbstractButton *button) {
        if (button != create) {
            window->statusBar()->showMessage(MainWindow::tr("%1 was not created").arg(shown), 10000);
            return;
        }
        QFile file(path);
        // NewOnly: a file that appeared meanwhile is opened, never emptied.
        if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly) && !QFileInfo::exists(path)) {
            const QString why = MainWindow::tr("cannot create %1: %2").arg(shown, file.errorString());
            QTextStream(stderr) << "drover-ide: " << why << '\n';
            QMessageBox::warning(window, MainWindow::tr("Open"), why.left(1).toUpper() + why.mid(1));
            return;
        }
        file.close();
        window->openPath(path);
    });
    box->open();
    return box;
}

} // namespace DroverIde
