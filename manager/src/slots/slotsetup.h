#pragma once

#include "slots/tokensource.h"

#include <memory>

namespace Drover::Internal {

//! The source of job tokens a new Manager uses: GNU make's jobserver when
//! MAKEFLAGS has a usable one, else none. A jobserver that MAKEFLAGS names
//! but this process cannot use (a recipe without `+`) is said once per
//! process, as a warning of drover.manager.
std::unique_ptr<TokenSource> tokenSourceFromEnvironment();

} // namespace Drover::Internal
