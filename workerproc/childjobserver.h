#pragma once

#include <QtCore/QString>

//! The token server's make-style jobserver, passed on to the processes a
//! worker's tasks start (docs/jobserver.md). The manager names the server's
//! fifo in the worker's environment; offer() opens it twice, for reading
//! and for writing, as descriptors the children inherit, and sets MAKEFLAGS
//! to ` -jN --jobserver-auth=R,W`: the form make 4.3 understands (it knows
//! no fifo: form) and make 4.4 still does. A `make` the task starts without
//! -j then takes its extra jobs from the machine-wide pool, beside the slot
//! the task itself holds. Called once, before any thread starts.
namespace ChildJobserver {

//! Nothing when the manager named no fifo. An empty string when it is done,
//! else why it could not be (the children then run without a jobserver).
QString offer();

} // namespace ChildJobserver
