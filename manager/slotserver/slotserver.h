#pragma once

#include <deque>
#include <map>

//! The serving loop of drover-slots: `cap` tokens, the clients that hold
//! them, and those waiting, on one poll() loop. Plain POSIX: the server
//! links no Qt.
class SlotServer
{
public:
    SlotServer(int listener, int cap);
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
    };

    void accept();
    void read(int fd);
    void drop(int fd);
    void grant();

    int m_listener;
    int m_cap;
    int m_free;
    std::map<int, Client> m_clients;
    std::deque<int> m_waiting; // one entry per token asked for, first come first served
    bool m_served = false;
};
