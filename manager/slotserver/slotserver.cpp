#include "slotserver.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <string>
#include <vector>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

SlotServer::SlotServer(int listener, int cap)
    : m_listener(listener)
    , m_cap(cap)
    , m_free(cap)
{
}

void SlotServer::run()
{
    std::vector<pollfd> fds;
    while (!m_served || !m_clients.empty()) {
        // The first byte makes a client: a connection that only looks
        // (another server's probe) does not keep the server.
        fds.assign(1, pollfd{m_listener, POLLIN, 0});
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
            else
                read(p.fd);
        }
        grant();
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
            m_waiting.push_back(fd);
        } else if (bytes[i] == 'R' && client.held > 0) {
            --client.held;
            ++m_free;
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
    m_free += it->second.held;
    m_waiting.erase(std::remove(m_waiting.begin(), m_waiting.end(), fd), m_waiting.end());
    m_clients.erase(it);
    ::close(fd);
}

void SlotServer::grant()
{
    while (m_free > 0 && !m_waiting.empty()) {
        const int fd = m_waiting.front();
        m_waiting.pop_front();
        Client &client = m_clients.at(fd);
        if (::send(fd, "+", 1, MSG_NOSIGNAL | MSG_DONTWAIT) != 1) {
            drop(fd);
            continue;
        }
        --client.asked;
        ++client.held;
        --m_free;
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
