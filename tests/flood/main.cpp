// drover-flood MASTER_PID COUNT [BYTES]: what a hostile local process can do
// to a Drover manager, for the hardening tests. It finds the manager's
// abstract socket in /proc/net/unix (as anyone on the machine can), opens
// COUNT connections that never say hello, and on each sends a frame header
// announcing BYTES bytes and then as much of the body as the manager takes.
// It prints "held N" (the connections made) and holds them until its
// standard input closes. With FLOOD_WAIT set, it prints "ready" once it
// found the socket and connects only after a line on its standard input.

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

namespace {

std::string findSocket(const std::string &masterPid)
{
    // Lines end with the path; an abstract name is shown with a leading '@'.
    std::ifstream table("/proc/net/unix");
    const std::string prefix = "@drover-" + masterPid + "-";
    std::string line;
    while (std::getline(table, line)) {
        const auto at = line.find(prefix);
        if (at != std::string::npos)
            return line.substr(at + 1);
    }
    return {};
}

int connectTo(const std::string &name)
{
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    memcpy(address.sun_path + 1, name.data(), name.size());
    const auto length = socklen_t(offsetof(sockaddr_un, sun_path) + 1 + name.size());
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    const timeval timeout{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    if (::connect(fd, reinterpret_cast<const sockaddr *>(&address), length) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// The header of a frame of `bytes`, then its body until the peer stops
// taking it (it closed the connection, or 5 s without progress).
void sendFrame(int fd, unsigned long bytes)
{
    const unsigned char header[4] = {static_cast<unsigned char>(bytes >> 24), static_cast<unsigned char>(bytes >> 16),
                                     static_cast<unsigned char>(bytes >> 8), static_cast<unsigned char>(bytes)};
    if (::send(fd, header, sizeof header, MSG_NOSIGNAL) != sizeof header)
        return;
    static const std::vector<char> chunk(64 * 1024, 'x');
    while (bytes > 0) {
        const size_t n = bytes < chunk.size() ? bytes : chunk.size();
        const ssize_t sent = ::send(fd, chunk.data(), n, MSG_NOSIGNAL);
        if (sent <= 0)
            return;
        bytes -= static_cast<unsigned long>(sent);
    }
}

} // namespace

int main(int argc, char *argv[])
{
    if (argc < 3) {
        std::fprintf(stderr, "usage: drover-flood MASTER_PID COUNT [BYTES]\n");
        return 2;
    }
    const std::string name = findSocket(argv[1]);
    if (name.empty()) {
        std::fprintf(stderr, "drover-flood: no socket of master %s in /proc/net/unix\n", argv[1]);
        return 3;
    }
    const long count = std::strtol(argv[2], nullptr, 10);
    const unsigned long bytes = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 0;
    if (std::getenv("FLOOD_WAIT")) {
        std::printf("ready\n");
        std::fflush(stdout);
        char c = 0;
        while (::read(STDIN_FILENO, &c, 1) > 0 && c != '\n') {
        }
    }
    std::vector<int> held;
    for (long i = 0; i < count; ++i) {
        const int fd = connectTo(name);
        if (fd < 0)
            continue;
        if (bytes > 0)
            sendFrame(fd, bytes);
        held.push_back(fd);
    }
    std::printf("held %zu\n", held.size());
    std::fflush(stdout);
    char c;
    while (::read(STDIN_FILENO, &c, 1) > 0) {
    }
    for (int fd : held)
        ::close(fd);
    return 0;
}
