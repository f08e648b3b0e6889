#include "slotserver.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <string>
#include <vector>

#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

SlotServer::SlotServer(int listener, int fifo, int cap)
    : m_listener(listener)
    , m_fifo(fifo)
    , m_cap(cap)
{
    putBack(cap);
}

void SlotServer::run()
{
    std::vector<pollfd> fds;
    while (!m_served || !m_clients.empty()) {
        // The first byte makes a client: a connection that only looks
        // (another server's probe) does not keep the server.
        fds.assign(1, pollfd{m_listener, POLLIN, 0});
        // A token a child of a task writes back, for a client that waits.
        if (!m_waiting.empty())
            fds.push_back(pollfd{m_fifo, POLLIN, 0});
        for (const auto &[fd, client] : m_clients)
            fds.push_back(pollfd{fd, POLLIN, 0});
        const int ready = ::poll(fds.data(), fds.size(), m_clients.empty() ? 5000 : -1);
        if (ready == 0)
            return; // nobody came (the client that started it died, or went to another server)
        if (ready < 0) {
            if (errno == EINTR)
                continue;
            std::perror("drover-slots: poll");
            return;
        }
        for (const pollfd &p : fds) {
            if (!p.revents)
                continue;
            if (p.fd == m_listener)
                accept();
            else if (p.fd != m_fifo)
                read(p.fd);
        }
        recount();
        grant();
        tellWaiting();
    }
}

void SlotServer::accept()
{
    for (;;) {
        const int fd = ::accept4(m_listener, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd < 0)
            return;
        // Only this user's processes: the directory is theirs alone, and
        // the peer's credentials say so again.
        ucred peer{};
        socklen_t length = sizeof peer;
        if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &length) != 0 || peer.uid != ::getuid()) {
            ::close(fd);
            continue;
        }
        const std::string hello = "drover-slots " + std::to_string(m_cap) + "\n";
        if (::send(fd, hello.data(), hello.size(), MSG_NOSIGNAL) != ssize_t(hello.size())) {
            ::close(fd);
            continue;
        }
        m_clients[fd] = Client{};
    }
}

void SlotServer::read(int fd)
{
    if (!m_clients.count(fd))
        return; // dropped earlier in this round
    unsigned char bytes[256];
    const ssize_t n = ::recv(fd, bytes, sizeof bytes, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        drop(fd);
        return;
    }
    Client &client = m_clients.at(fd);
    m_served = true;
    for (ssize_t i = 0; i < n; ++i) {
        if (bytes[i] == 'T') {
            ++client.asked;
            ++client.untold;
            m_waiting.push_back(fd);
        } else if (bytes[i] == 'R' && client.held > 0) {
            --client.held;
            putBack(1);
        } else { // a token it does not hold, or a byte of no protocol: it goes
            drop(fd);
            return;
        }
    }
}

// A client gone (exited, killed, or broke the protocol): what it held is free.
void SlotServer::drop(int fd)
{
    const auto it = m_clients.find(fd);
    if (it == m_clients.end())
        return;
    putBack(it->second.held);
    m_waiting.erase(std::remove(m_waiting.begin(), m_waiting.end(), fd), m_waiting.end());
    m_clients.erase(it);
    ::close(fd);
}

void SlotServer::grant()
{
    while (!m_waiting.empty()) {
        char token = 0;
        if (::read(m_fifo, &token, 1) != 1)
            return; // none free (EAGAIN): the fifo is watched while clients wait
        const int fd = m_waiting.front();
        m_waiting.pop_front();
        Client &client = m_clients.at(fd);
        if (::send(fd, "+", 1, MSG_NOSIGNAL | MSG_DONTWAIT) != 1) {
            putBack(1);
            drop(fd);
            continue;
        }
        --client.asked;
        ++client.held;
        if (client.untold > 0)
            --client.untold; // granted at once: no wait to tell
    }
}

// A 'T' that no free token answered is told '-': its client then knows
// that every slot is taken, and shows its task waiting; the '+' follows.
void SlotServer::tellWaiting()
{
    for (auto it = m_clients.begin(); it != m_clients.end();) {
        const int fd = it->first;
        const int untold = it->second.untold;
        ++it; // drop() below erases the client
        if (untold == 0)
            continue;
        const std::string waits(size_t(untold), '-');
        if (::send(fd, waits.data(), waits.size(), MSG_NOSIGNAL | MSG_DONTWAIT) != ssize_t(waits.size()))
            drop(fd);
        else
            m_clients.at(fd).untold = 0;
    }
}

// Never blocks: the fifo holds 64 KiB, and there are at most 4096 tokens.
void SlotServer::putBack(int tokens)
{
    static const std::string bytes(4096, '+');
    while (tokens > 0) {
        const ssize_t n = ::write(m_fifo, bytes.data(), size_t(std::min(tokens, 4096)));
        if (n <= 0) {
            if (n < 0 && errno == EINTR)
                continue;
            std::perror("drover-slots: jobserver fifo");
            return;
        }
        tokens -= int(n);
    }
}

int SlotServer::freeTokens() const
{
    int n = 0;
    return ::ioctl(m_fifo, FIONREAD, &n) == 0 ? n : m_cap;
}

// With no token held by any client, no task runs anywhere, and the
// children of tasks hold none either: all `cap` must be in the fifo. Fewer
// are the tokens of a make that was killed holding them; more, the late
// write of one that was stopped (kept off: the cap holds).
void SlotServer::recount()
{
    for (const auto &[fd, client] : m_clients) {
        if (client.held > 0)
            return;
    }
    const int free = freeTokens();
    if (free < m_cap) {
        putBack(m_cap - free);
    } else {
        char excess[256];
        for (int extra = free - m_cap; extra > 0;) {
            const ssize_t n = ::read(m_fifo, excess, size_t(std::min(extra, int(sizeof excess))));
            if (n <= 0)
                break;
            extra -= int(n);
        }
    }
}

void SlotServer::acceptLeftovers()
{
    for (;;) {
        const int fd = ::accept4(m_listener, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0)
            return;
        ::close(fd);
    }
}
