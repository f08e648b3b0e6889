#pragma once

#include <QtCore/QObject>

class QSocketNotifier;

//! The width of the terminal on stderr, kept up to date: SIGWINCH only
//! writes a byte to a socket pair, read on the main thread, which then asks
//! the terminal again and emits resized(). One per process; destroying it
//! restores the previous SIGWINCH action.
class TerminalWidth : public QObject
{
    Q_OBJECT
public:
    explicit TerminalWidth(QObject *parent = nullptr);
    ~TerminalWidth() override;

    //! Columns of stderr's terminal; 80 when it does not say.
    int columns() const { return m_columns; }

Q_SIGNALS:
    //! The window changed size; columns() has the new width.
    void resized();

private:
    void read();

    int m_columns = 80;
    QSocketNotifier *m_notifier = nullptr;
};
