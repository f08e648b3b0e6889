#pragma once

#include "slots/tokensource.h"

#include <memory>

namespace Drover::Internal {

//! The source of job tokens a new Manager uses: GNU make's jobserver when
//! MAKEFLAGS has a usable one, else the token server with $DROVER_JOBS
//! slots when that is set, else none. A jobserver that MAKEFLAGS names but
//! this process cannot use (a recipe without `+`), a bad $DROVER_JOBS or a
//! token server out of reach is said once per process, as a warning of
//! drover.manager.
std::unique_ptr<TokenSource> tokenSourceFromEnvironment();

//! A client of the user's token server with `cap` slots (1 to 4096),
//! started if none runs; nullptr with `error` set if it cannot be reached.
std::unique_ptr<TokenSource> tokenServerSource(int cap, QString *error);

} // namespace Drover::Internal
