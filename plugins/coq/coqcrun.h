#pragma once

#include "coqtask.h"

#include <functional>

//! Runs one coqc to its end, in the calling (compute) thread, as a child in
//! the worker's process group: whatever ends the worker's group (cancel's
//! grace kill, a timeout, a kill control, the master's death) ends coqc too.
//! While it runs, `cancelled` is polled; once it says so, coqc gets SIGTERM,
//! then SIGKILL a second later. A .vo that coqc had begun to write when it
//! did not finish is removed, so that a later make does not take it as up
//! to date.
CoqLib::CoqResult runCoqc(const CoqLib::CoqRequest &request, const std::function<bool()> &cancelled);
