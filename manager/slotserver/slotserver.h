#pragma once

#include <deque>
#include <map>

//! The serving loop of drover-slots: `cap` tokens, the clients that hold
//! them, and those waiting, on one poll() loop. Plain POSIX: the server
//! links no Qt.
//!
//! The free tokens are bytes in a fifo, a make-style jobserver that the
//! workers of the clients pass on to the processes their tasks start
//! (docs/jobserver.md): a `make` there reads its extra tokens from it and
//! writes them back, beside the server's own clients. Tokens such a child
//! held when it was killed are put back once no client holds any: no task
//! runs anywhere then, so none of their children may hold one either.
class SlotServer
{
public:
    //! `fifo` is the jobserver fifo, opened for reading and writing,
    //! non-blocking; it gets the `cap` tokens here.
    SlotServer(int listener, int fifo, int cap);
    //! Serves until the last client that spoke has left, or nobody was
    //! connected for five seconds.
    void run();
    //! Connections that came after the end: closed, so their clients start
    //! a new server.
    void acceptLeftovers();

private:
    struct Client
    {
        int held = 0;     // tokens it holds
        int asked = 0;    // tokens it asked for and has not got
        int untold = 0;   // of those, how many it was not yet told wait ('-')
    };

    void accept();
    void read(int fd);
    void drop(int fd);
    void grant();
    void tellWaiting();
    void putBack(int tokens);
    int freeTokens() const;
    void recount();

    int m_listener;
    int m_fifo;
    int m_cap;
    std::map<int, Client> m_clients;
    std::deque<int> m_waiting; // one entry per token asked for, first come first served
    bool m_served = false;
};
