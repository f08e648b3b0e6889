#include "slots/jobslots.h"

#include "logging.h"

namespace Drover::Internal {

JobSlots::JobSlots(QObject *parent)
    : QObject(parent)
{
    m_giveBack.setSingleShot(true);
    m_giveBack.setInterval(0);
    connect(&m_giveBack, &QTimer::timeout, this, &JobSlots::giveBackSpares);
}

JobSlots::~JobSlots()
{
    setSource(nullptr);
}

void JobSlots::setSource(std::unique_ptr<TokenSource> source)
{
    if (m_source) {
        m_spare.insert(m_spare.end(), m_held.begin(), m_held.end());
        m_held.clear();
        giveBackSpares();
        m_source->disconnect(this);
        m_source->watch(false);
    }
    m_source = std::move(source);
    if (m_source) {
        connect(m_source.get(), &TokenSource::tokenMayBeThere, this, &JobSlots::onTokenMayBeThere);
        connect(m_source.get(), &TokenSource::noneFree, this, [this] {
            if (m_waiting && !m_full) {
                m_full = true;
                emit becameFull();
            }
        });
        connect(m_source.get(), &TokenSource::lost, this, &JobSlots::onLost, Qt::QueuedConnection);
    }
    wake();
}

bool JobSlots::take()
{
    if (!m_source || (m_source->hasImplicitSlot() && m_running == int(m_held.size()))) {
        ++m_running; // no cap here, or the implicit slot is free
        return true;
    }
    std::optional<char> token;
    if (!m_spare.empty()) {
        token = m_spare.back();
        m_spare.pop_back();
    } else {
        token = m_source->tryTake();
    }
    if (!token) {
        m_waiting = true;
        if (!m_source->answersLater())
            m_full = true;
        m_source->watch(true);
        return false;
    }
    m_held.push_back(*token);
    ++m_running;
    return true;
}

void JobSlots::release()
{
    if (m_running == 0) {
        qCWarning(lcSlots) << "a job slot was released that was not taken";
        return;
    }
    --m_running;
    if (int(m_held.size()) > m_running) {
        m_spare.push_back(m_held.back());
        m_held.pop_back();
        m_giveBack.start();
    }
    if (m_waiting)
        QMetaObject::invokeMethod(this, &JobSlots::wake, Qt::QueuedConnection);
}

void JobSlots::wake()
{
    if (!m_waiting)
        return;
    m_waiting = false;
    m_full = false;
    if (m_source)
        m_source->watch(false);
    emit slotFreed();
}

void JobSlots::onTokenMayBeThere()
{
    if (!m_waiting) {
        m_source->watch(false);
        return;
    }
    // Read it now, so that it is ours when the waiting queue asks; if
    // another client was faster, keep watching.
    if (std::optional<char> token = m_source->tryTake()) {
        m_spare.push_back(*token);
        m_giveBack.start();
        wake();
    }
}

void JobSlots::onLost(const QString &why)
{
    if (!m_source)
        return;
    qCWarning(lcSlots).noquote()
        << QStringLiteral("%1: %2; each queue's own maximum of workers is the only cap now").arg(m_source->name(), why);
    m_held.clear(); // gone with their source
    m_spare.clear();
    m_source.release()->deleteLater();
    m_waiting = true;
    wake();
}

void JobSlots::giveBackSpares()
{
    if (m_source) {
        for (char token : m_spare)
            m_source->give(token);
    }
    m_spare.clear();
}

} // namespace Drover::Internal
