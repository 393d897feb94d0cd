#!/usr/bin/env bash
# Loom's one entry point for developers and CI.
#
#   ./dev.sh demo      install what is missing, build, run the primes sample headless
#   ./dev.sh test      install what is missing, build, run the whole test suite (and the package check)
#   ./dev.sh setup     only install (idempotent: seconds on a ready machine)
#   ./dev.sh build     setup + configure + build
#   ./dev.sh package   setup + build + the Debian package, in build/package/
#   ./dev.sh shell [CMD...]   run CMD (or a shell) inside the build environment
#   ./dev.sh bench     setup + build + run bench/
#
# Loom needs Qt >= 6.8 (QtWebEngine 6.4 cannot run PyScript 0.7 workers, see ARCHITECTURE.md).
# Where the host's distribution ships it (Debian 13, Ubuntu 25.04+), everything is installed
# natively. On Debian 12 (and older Ubuntu) the tool chain lives in a Debian 13 root made with
# debootstrap under $LOOM_ENV_DIR, entered with bubblewrap; the repository is bound at its own
# absolute path so build paths agree on both sides. The host's libc, apt and git are never touched.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOOM_ENV_DIR=${LOOM_ENV_DIR:-/var/cache/loom-env}
ROOT="$LOOM_ENV_DIR/trixie"
BUILD_DIR=${LOOM_BUILD_DIR:-$REPO/build}
SUITE=trixie
MIRROR=${LOOM_DEBIAN_MIRROR:-http://deb.debian.org/debian}

# Everything Loom builds, runs and tests with. Changing this list re-runs apt in the root/host.
PACKAGES=(
  g++ cmake ninja-build pkg-config git ca-certificates
  qt6-base-dev qt6-webengine-dev
  libqscintilla2-qt6-dev python3-dev pybind11-dev python3-jedi
  nlohmann-json3-dev libcpp-httplib-dev libgumbo-dev libzip-dev
  nodejs npm xvfb xauth chromium fonts-dejavu-core
  # ./dev.sh package: CPack's dependency lookup (dpkg-shlibdeps, file); the package tests'
  # validators of the desktop entry, the AppStream metainfo and the man page.
  appstream desktop-file-utils dpkg-dev file groff-base
  # The package's machine-readable copyright file, parsed as Debian's tools parse it, and the
  # package checked as Debian checks one (lintian, after the suite in `./dev.sh test`).
  python3-debian lintian
  # loom test's JUnit XML, validated against its schema (tests/app/tst_testcommand.cpp).
  libxml2-utils
  # The formatter of .clang-format, for `./dev.sh shell clang-format -i FILE...` before a commit.
  clang-format
)

log() { printf '\033[1m[dev.sh]\033[0m %s\n' "$*" >&2; }
die() { printf '[dev.sh] error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (it installs Debian packages); in a container that is the default"

host_has_qt68() {
  # Debian 13+/Ubuntu 25.04+ ship QtWebEngine >= 6.8 in their own archive.
  local v
  v=$(apt-cache policy qt6-webengine-dev 2>/dev/null | awk '/Candidate:/ {print $2}')
  [ -n "$v" ] && [ "$v" != "(none)" ] && dpkg --compare-versions "${v%%+*}" ge 6.8
}

packages_stamp() { printf '%s\n' "${PACKAGES[@]}" | sha256sum | cut -c1-16; }

# --- mode detection -----------------------------------------------------------------------------
MODE_FILE="$LOOM_ENV_DIR/mode"
detect_mode() {
  if [ -n "${LOOM_ENV_MODE:-}" ]; then echo "$LOOM_ENV_MODE"; return; fi
  local known
  known=$(cat "$MODE_FILE" 2>/dev/null || true)
  case "$known" in root|native) echo "$known"; return ;; esac
  if [ ! -f /var/lib/apt/lists/lock ] || [ -z "$(ls /var/lib/apt/lists 2>/dev/null | grep -v lock)" ]; then
    apt-get update -qq >&2
  fi
  if host_has_qt68; then echo native; else echo root; fi
}

# --- the Debian 13 root --------------------------------------------------------------------------
in_root() {
  # bubblewrap leaves no mounts behind, so an interrupted run never leaves the host dirty.
  local args=(
    --bind "$ROOT" / --proc /proc --dev /dev --perms 1777 --tmpfs /dev/shm --ro-bind /sys /sys
    --ro-bind /etc/resolv.conf /etc/resolv.conf --share-net --die-with-parent
    --bind "$REPO" "$REPO" --bind /tmp /tmp
    --setenv HOME /root --setenv LANG C.UTF-8 --setenv PATH /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
  )
  [ "$BUILD_DIR" = "$REPO/build" ] || { mkdir -p "$BUILD_DIR"; args+=(--bind "$BUILD_DIR" "$BUILD_DIR"); }
  # The user's projects: home folders and the caller's working directory are visible inside.
  [ -d /home ] && args+=(--bind /home /home)
  case "$PWD" in /|/tmp*|/home*|"$REPO"*) ;; *) args+=(--bind "$PWD" "$PWD") ;; esac
  [ -d "$REPO/../shared" ] && args+=(--ro-bind "$(cd "$REPO/.." && pwd)/shared" "$(cd "$REPO/.." && pwd)/shared")
  # apt inside the root needs to chown and setuid like it would on a real system.
  bwrap "${args[@]}" --cap-add ALL --chdir "$PWD" "$@"
}

unmount_under() {
  # A root made by an earlier chroot-based attempt may still have /proc etc. mounted in it.
  local m
  for m in $(awk -v r="$1" 'index($2, r) == 1 {print $2}' /proc/mounts | sort -r); do
    umount -l "$m" 2>/dev/null || true
  done
}

make_root() {
  command -v debootstrap >/dev/null && command -v bwrap >/dev/null || {
    log "installing debootstrap and bubblewrap on the host"
    apt-get install -y -qq debootstrap bubblewrap >&2
  }
  if [ -d "$ROOT" ] && [ ! -f "$ROOT/.loom-debootstrap-done" ]; then
    log "removing a half-made root at $ROOT"
    unmount_under "$ROOT"
    rm -rf --one-file-system "$ROOT"
  fi
  if [ ! -f "$ROOT/.loom-debootstrap-done" ]; then
    log "creating a Debian 13 root in $ROOT (about a minute)"
    mkdir -p "$LOOM_ENV_DIR"
    # Debian 12's debootstrap knows trixie; the keyring covers it.
    debootstrap --variant=minbase "$SUITE" "$ROOT.tmp" "$MIRROR" >&2 \
      || { rm -rf --one-file-system "$ROOT.tmp"; die "debootstrap failed"; }
    mv "$ROOT.tmp" "$ROOT"
    touch "$ROOT/.loom-debootstrap-done"
  fi
  # Same apt tolerance as the host (snapshot mirrors, skewed clocks).
  cp /etc/apt/apt.conf.d/99* "$ROOT/etc/apt/apt.conf.d/" 2>/dev/null || true
  local stamp; stamp=$(packages_stamp)
  if [ "$(cat "$ROOT/.loom-packages" 2>/dev/null)" != "$stamp" ]; then
    log "installing build packages in the root (a few minutes the first time)"
    in_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >&2
    echo "$stamp" >"$ROOT/.loom-packages"
  fi
  # Trust what the host trusts (site CAs of proxies), or npm and apt fail inside the root.
  if [ -d /usr/local/share/ca-certificates ] &&
     ! diff -rq /usr/local/share/ca-certificates "$ROOT/usr/local/share/ca-certificates" >/dev/null 2>&1; then
    log "copying the host's local CA certificates into the root"
    mkdir -p "$ROOT/usr/local/share/ca-certificates"
    cp -r /usr/local/share/ca-certificates/. "$ROOT/usr/local/share/ca-certificates/"
    in_root update-ca-certificates >/dev/null
  fi
}

install_native() {
  local stamp; stamp=$(packages_stamp)
  mkdir -p "$LOOM_ENV_DIR"
  if [ "$(cat "$LOOM_ENV_DIR/.loom-packages" 2>/dev/null)" != "$stamp" ]; then
    log "installing build packages"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >&2
    echo "$stamp" >"$LOOM_ENV_DIR/.loom-packages"
  fi
}

run_env() {
  if [ "$MODE" = root ]; then in_root "$@"; else "$@"; fi
}

vendor_runtime() {
  # npm ci is exact (package-lock.json) and skipped when node_modules already matches it.
  local stamp; stamp=$(sha256sum "$REPO/package-lock.json" | cut -c1-16)
  if [ "$(cat "$REPO/node_modules/.loom-lock" 2>/dev/null)" != "$stamp" ]; then
    log "vendoring PyScript, Pyodide and MicroPython from npm"
    (cd "$REPO" && run_env npm ci --no-audit --no-fund --ignore-scripts >&2)
    echo "$stamp" >"$REPO/node_modules/.loom-lock"
  fi
}

setup() {
  mkdir -p "$LOOM_ENV_DIR"
  MODE=$(detect_mode)
  # Atomically: a second dev.sh running at the same time must never read a half-written file
  # (it would take an empty mode for "native" and run apt on the host).
  echo "$MODE" >"$MODE_FILE.$$" && mv -f "$MODE_FILE.$$" "$MODE_FILE"
  if [ "$MODE" = root ]; then make_root; else install_native; fi
  vendor_runtime
}

build() {
  setup
  # The "dev" preset of CMakePresets.json (Ninja, RelWithDebInfo, compile_commands.json, warnings
  # as errors), in $BUILD_DIR whatever the preset's own folder.
  if [ ! -f "$BUILD_DIR/build.ninja" ]; then
    run_env cmake --preset dev -S "$REPO" -B "$BUILD_DIR" >&2
  elif ! grep -qx 'LOOM_WARNINGS_AS_ERRORS:BOOL=ON' "$BUILD_DIR/CMakeCache.txt"; then
    # A folder configured before the option existed (it defaults to OFF): build as CI does.
    run_env cmake -S "$REPO" -B "$BUILD_DIR" -DLOOM_WARNINGS_AS_ERRORS=ON >&2
  fi
  run_env cmake --build "$BUILD_DIR" -j"$(nproc)" >&2
}

package() {
  build
  # Only this build's package in the folder, for `apt-get install ./loom_*.deb`.
  rm -rf "$BUILD_DIR/package"
  run_env cpack --config "$BUILD_DIR/CPackConfig.cmake" -B "$BUILD_DIR/package" >&2
  rm -rf "$BUILD_DIR/package/_CPack_Packages"
  DEB=$(ls "$BUILD_DIR"/package/loom_*.deb)
  log "built $DEB"
}

cmd=${1:-}; shift || true
case "$cmd" in
  setup) setup ;;
  build) build ;;
  demo)
    build
    log "headless run of samples/primes (Find Primes up to 1,000,000)"
    run_env "$BUILD_DIR/bin/loom" run --sample primes --headless --report "$BUILD_DIR/primes-report.json" "$@"
    ;;
  test)
    build
    # The offscreen platform needs no display; the export tests start their own chromium.
    run_env ctest --test-dir "$BUILD_DIR" --output-on-failure -j2 "$@"
    # The package installed into a clean Debian 13 and run there (outside the build environment:
    # it makes its own root). Only for the whole suite, not for a part of it (ctest -L/-R ...).
    if [ $# -eq 0 ]; then
      package
      # Errors, warnings and info tags fail (the hardening tags are info); packaging/lintian-overrides
      # says why each override is there.
      log "lintian $(basename "$DEB")"
      run_env lintian --fail-on error,warning,info "$DEB" >&2
      "$REPO/packaging/check-deb.sh" "$DEB"
    fi
    ;;
  package) package ;;
  bench)
    build
    run_env "$REPO/bench/run.sh" "$BUILD_DIR" "$@"
    ;;
  shell)
    setup
    if [ $# -eq 0 ]; then run_env bash; else run_env "$@"; fi
    ;;
  *) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
