// drover-slots: the token server that shares N job slots among the Drover
// processes of one user (docs/jobserver.md). Started by the first process
// that asks for a cap, it exits when its last client leaves. It knows how
// many tokens each client holds, so a client that dies (SIGKILL too: the
// kernel closes its socket) gives them back at once.
//
//   drover-slots DIRECTORY CAP
//
// DIRECTORY is owner-only; it holds `slots.lock` (held while a server
// serves), the socket `slots` and the fifo `jobserver`, where the free
// tokens are, one byte each: a make-style jobserver that the workers of
// the clients offer to what their tasks start (docs/jobserver.md). A server that no client reaches within
// five seconds of its start leaves.
//
// Protocol, one byte each way: a client sends 'T' to ask for a token and 'R'
// to give one back; the server answers every 'T' with '+' when a token is
// free, first asked first served, and with '-' first when none is free at
// once (the '+' then follows when one is back). On connecting, a client first reads the
// line "drover-slots CAP\n".

#include "slotserver.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: drover-slots DIRECTORY CAP\n");
        return 2;
    }
    const std::string dir = argv[1];
    char *end = nullptr;
    const long cap = std::strtol(argv[2], &end, 10);
    if (!end || *end || cap < 1 || cap > 4096) {
        std::fprintf(stderr, "drover-slots: CAP must be 1 to 4096, not '%s'\n", argv[2]);
        return 2;
    }
    std::signal(SIGPIPE, SIG_IGN);
    // It may outlive the process that started it: it keeps none of its
    // descriptors (make's jobserver, the pipes of its output).
    const int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    ::dup2(null, 0);
    ::dup2(null, 1);
    ::close_range(3, ~0U, 0);
    struct stat st {};
    if (::lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::getuid() || (st.st_mode & 077)) {
        std::fprintf(stderr, "drover-slots: %s is not a directory of this user's alone\n", dir.c_str());
        return 2;
    }
    const std::string socketPath = dir + "/slots";
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (socketPath.size() >= sizeof address.sun_path) {
        std::fprintf(stderr, "drover-slots: %s is too long for a socket\n", socketPath.c_str());
        return 1;
    }
    std::memcpy(address.sun_path, socketPath.c_str(), socketPath.size() + 1);
    const auto serverAnswers = [&address] {
        const int probe = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        const bool answers = ::connect(probe, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0;
        ::close(probe);
        return answers;
    };
    // Several processes may start a server at once: the one that gets the
    // lock serves, the others leave as soon as it answers (or, if it was
    // on its way out, take the lock after it).
    const std::string lockPath = dir + "/slots.lock";
    const int lock = ::open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock < 0) {
        std::fprintf(stderr, "drover-slots: %s: %s\n", lockPath.c_str(), std::strerror(errno));
        return 1;
    }
    for (int tries = 0; ::flock(lock, LOCK_EX | LOCK_NB) != 0; ++tries) {
        if (serverAnswers() || tries > 500)
            return 0;
        ::usleep(10000);
    }
    if (serverAnswers())
        return 0; // cannot be while we hold the lock, but cheap to say
    ::unlink(socketPath.c_str()); // a stale one, from a server that was killed
    const int listener = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    const mode_t mask = ::umask(077);
    const bool bound = ::bind(listener, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0;
    ::umask(mask);
    if (!bound || ::listen(listener, 64) != 0) {
        std::fprintf(stderr, "drover-slots: %s: %s\n", socketPath.c_str(), std::strerror(errno));
        return 1;
    }
    const std::string fifoPath = dir + "/jobserver";
    ::unlink(fifoPath.c_str()); // a stale one: its tokens went with its server
    const int fifo = ::mkfifo(fifoPath.c_str(), 0600) == 0 ? ::open(fifoPath.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC) : -1;
    if (fifo < 0) {
        std::fprintf(stderr, "drover-slots: %s: %s\n", fifoPath.c_str(), std::strerror(errno));
        ::unlink(socketPath.c_str());
        return 1;
    }
    ::dup2(::open("/dev/null", O_WRONLY | O_CLOEXEC), 2); // nothing more to say to whoever started it
    SlotServer server(listener, fifo, int(cap));
    server.run();
    // The last client left: nobody may connect to a server that is leaving.
    ::unlink(socketPath.c_str());
    ::unlink(fifoPath.c_str());
    server.acceptLeftovers();
    ::close(listener);
    return 0;
}
