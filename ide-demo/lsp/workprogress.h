#pragma once

#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QString>

#include <functional>
#include <memory>

namespace DroverLsp {

//! Server-started work-done progress for one document's check: asks the
//! client for a token (`window/workDoneProgress/create`), and once it
//! agreed sends `$/progress` begin, a report as each unit ends, and end
//! when the check settles. A check that settles before the client answers
//! still gets its begin and end, so that no progress is left open.
class WorkProgress
{
public:
    using Notify = std::function<void(const QString &method, const QJsonValue &params)>;
    //! Sends a request; the callback gets whether the client answered with a result.
    using Request = std::function<void(const QString &method, const QJsonValue &params, std::function<void(bool)> answered)>;

    WorkProgress(QString title, Notify notify, Request request);

    //! Work started (or goes on): begins a progress if none is open.
    void update(int done, int total);
    //! The work settled: ends the open progress.
    void finish();

private:
    void send(const QJsonObject &value);

    QString m_title;
    Notify m_notify;
    Request m_request;
    QString m_token;
    enum class Phase { Idle, Asking, Open } m_phase = Phase::Idle;
    bool m_finishedWhileAsking = false;
    int m_done = 0;
    int m_total = 0;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

} // namespace DroverLsp
