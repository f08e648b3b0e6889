#!/usr/bin/env bash
# The two set-up commands of the README, on a fresh Debian 12 machine:
#   bash cmake/run.sh demo   installs what is missing, builds, checks the sample document
#   bash cmake/run.sh test   installs what is missing, builds, runs the whole test suite
# Options through the environment: BUILD_DIR (default build), JOBS (default nproc),
# DROVER_SANITIZE=ON for an -fsanitize=address,undefined build.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD_DIR:-$here/build}
jobs=${JOBS:-$(nproc)}
# libssl-dev: the TLS of remote workers (the manager's certificate, the
# worker's connection; docs/remote.md).
packages=(cmake ninja-build g++ qt6-base-dev libgl-dev libssl-dev)
# The tests also build real Coq sources (tests/tst_coq.cpp): coqc, coqdep
# and stdpp's sources; tests/tst_launchers.cpp starts a SLURM and an sshd of
# its own (as root); and drover-lsp is driven from a real editor, headless
# Neovim (tests/tst_lspneovim.cpp).
test_packages=(coq libcoq-stdpp slurmctld slurmd slurm-client munge openssh-server openssh-client neovim)

install_missing() {
    local missing=()
    for p in "${packages[@]}" "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return
    echo "run.sh: installing ${missing[*]}" >&2
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# configure_and_build [TARGET...]: every target when none is named.
configure_and_build() {
    cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
          -DDROVER_SANITIZE="${DROVER_SANITIZE:-OFF}" >/dev/null
    if [ $# -gt 0 ]; then
        cmake --build "$build" --parallel "$jobs" --target "$@"
    else
        cmake --build "$build" --parallel "$jobs"
    fi
}

# What drover-check needs to check any document or Coq development: the
# program, the worker and the kinds it uses -- not the tests and benchmarks,
# most of a full build.
demo_targets=(drover-check drover-worker drover_proof drover_par drover_query drover_coq drover_coqdoc)

case "${1:-}" in
demo)
    install_missing
    configure_and_build "${demo_targets[@]}"
    shift
    exec "$build/bin/drover-check" -j 2 "${@:-$here/ide-demo/examples/sample.proof}"
    ;;
test)
    install_missing "${test_packages[@]}"
    configure_and_build
    cd "$build"
    exec ctest --output-on-failure --parallel "$jobs" --timeout 600
    ;;
*)
    echo "usage: bash cmake/run.sh demo [FILE...] | test" >&2
    exit 2
    ;;
esac
