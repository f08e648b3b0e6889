#include "workprogress.h"

#include <utility>

namespace DroverLsp {

namespace {
QLatin1String key(const char *name) { return QLatin1String(name); }
int percent(int done, int total) { return total > 0 ? done * 100 / total : 0; }
} // namespace

WorkProgress::WorkProgress(QString title, Notify notify, Request request)
    : m_title(std::move(title))
    , m_notify(std::move(notify))
    , m_request(std::move(request))
{
}

void WorkProgress::send(const QJsonObject &value)
{
    m_notify(QStringLiteral("$/progress"), QJsonObject{{key("token"), m_token}, {key("value"), value}});
}

void WorkProgress::update(int done, int total)
{
    m_done = done;
    m_total = total;
    switch (m_phase) {
    case Phase::Idle: {
        m_phase = Phase::Asking;
        m_finishedWhileAsking = false;
        static int tokens = 0; // unique in the server, as LSP asks
        m_token = QStringLiteral("drover-check-%1").arg(++tokens);
        std::weak_ptr<bool> alive = m_alive;
        m_request(QStringLiteral("window/workDoneProgress/create"), QJsonObject{{key("token"), m_token}},
                  [this, alive](bool agreed) {
                      if (alive.expired() || m_phase != Phase::Asking)
                          return;
                      if (!agreed) {
                          m_phase = Phase::Idle;
                          return;
                      }
                      m_phase = Phase::Open;
                      send(QJsonObject{{key("kind"), QStringLiteral("begin")}, {key("title"), m_title},
                                       {key("cancellable"), false},
                                       {key("message"), QStringLiteral("%1/%2").arg(m_done).arg(m_total)},
                                       {key("percentage"), percent(m_done, m_total)}});
                      if (m_finishedWhileAsking)
                          finish();
                  });
        return;
    }
    case Phase::Asking:
        m_finishedWhileAsking = false;
        return;
    case Phase::Open:
        send(QJsonObject{{key("kind"), QStringLiteral("report")},
                         {key("message"), QStringLiteral("%1/%2").arg(done).arg(total)},
                         {key("percentage"), percent(done, total)}});
        return;
    }
}

void WorkProgress::finish()
{
    if (m_phase == Phase::Asking) {
        m_finishedWhileAsking = true;
        return;
    }
    if (m_phase != Phase::Open)
        return;
    m_phase = Phase::Idle;
    send(QJsonObject{{key("kind"), QStringLiteral("end")},
                     {key("message"), QStringLiteral("%1/%2 checked").arg(m_done).arg(m_total)}});
}

} // namespace DroverLsp
