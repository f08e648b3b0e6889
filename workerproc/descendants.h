#pragma once

// A worker answers for every process its tasks start: none may outlive it.
//
// The manager starts the worker as the leader of its own process group and
// kills what is left of that group once the worker is gone. The worker
// covers the rest: it is the subreaper of its descendants, so one that left
// the group (setsid(), a daemon's double fork) is still found through its
// parent; and on each way out it can take (its master's end of the socket
// closed, quit, a protocol error, SIGTERM, SIGHUP or SIGINT, which is also
// what it gets when its master dies: PR_SET_PDEATHSIG) it kills them all
// before it exits. Only a worker killed outright (SIGKILL) cannot: then
// the manager's kill of the group is what remains, and a descendant that
// left the group survives it.

namespace Descendants {

//! Becomes the subreaper of this process's descendants and installs the
//! handlers that end them before the worker dies of SIGTERM, SIGHUP or
//! SIGINT (the worker then dies of that same signal).
void install();

//! SIGKILLs every other member of this process's group and every
//! descendant, until none is left (or a few rounds have passed). Async-
//! signal-safe: plain system calls on /proc, no allocation.
void endAll();

//! endAll(), then _exit(code).
[[noreturn]] void exitAfterEndingAll(int code);

} // namespace Descendants
