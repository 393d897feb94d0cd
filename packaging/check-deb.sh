#!/usr/bin/env bash
# Installs a Loom .deb the way a user does, `apt-get install ./loom_*.deb`, into a clean Debian 13
# root, and checks there what the user would: the version, the desktop entry and its icon, the
# man page, and the primes sample run headless to its count.
#
#   packaging/check-deb.sh build/package/loom_0.1.0-1_amd64.deb     (./dev.sh test runs it)
#
# As root on the host, like dev.sh: the root is made with debootstrap and entered with bubblewrap.
# A pristine minbase root is debootstrapped once into $LOOM_ENV_DIR/trixie-clean and copied afresh
# for every check, so nothing from an earlier install (or from the build environment) can make a
# missing dependency pass. apt's downloads are kept in $LOOM_ENV_DIR/trixie-clean-archives: the
# bytes are fetched once, but every package is still chosen by apt from the root's fresh lists.
set -euo pipefail

[ $# -eq 1 ] && [ -f "$1" ] || { echo "usage: $0 LOOM.deb" >&2; exit 2; }
DEB=$(realpath "$1")
LOOM_ENV_DIR=${LOOM_ENV_DIR:-/var/cache/loom-env}
PRISTINE="$LOOM_ENV_DIR/trixie-clean"
ARCHIVES="$LOOM_ENV_DIR/trixie-clean-archives"
MIRROR=${LOOM_DEBIAN_MIRROR:-http://deb.debian.org/debian}

log() { printf '\033[1m[check-deb]\033[0m %s\n' "$*" >&2; }
fail() { printf '[check-deb] FAILED: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "run as root (it debootstraps a Debian 13 root)"
command -v debootstrap >/dev/null && command -v bwrap >/dev/null || {
  log "installing debootstrap and bubblewrap on the host"
  apt-get install -y -qq debootstrap bubblewrap >&2
}
mkdir -p "$LOOM_ENV_DIR" "$ARCHIVES/partial"

# One debootstrap at a time; a half-made root (an interrupted run) is made again.
exec 9>"$PRISTINE.lock"
flock 9
if [ ! -f "$PRISTINE/.loom-debootstrap-done" ]; then
  log "creating a pristine Debian 13 root in $PRISTINE (about a minute, once)"
  rm -rf --one-file-system "$PRISTINE" "$PRISTINE.tmp"
  debootstrap --variant=minbase trixie "$PRISTINE.tmp" "$MIRROR" >&2 \
    || { rm -rf --one-file-system "$PRISTINE.tmp"; fail "debootstrap failed"; }
  touch "$PRISTINE.tmp/.loom-debootstrap-done"
  mv "$PRISTINE.tmp" "$PRISTINE"
fi
ROOT=$(mktemp -d "$LOOM_ENV_DIR/check-deb.XXXXXX")
trap 'rm -rf --one-file-system "$ROOT"' EXIT
cp -a "$PRISTINE/." "$ROOT/"
flock -u 9
# Same apt tolerance as the host (snapshot mirrors, skewed clocks), as dev.sh gives its root.
cp /etc/apt/apt.conf.d/99* "$ROOT/etc/apt/apt.conf.d/" 2>/dev/null || true
# /tmp, not /root: apt downloads as the _apt user, who must be able to read the file.
cp "$DEB" "$ROOT/tmp/"
DEB_IN_ROOT=/tmp/$(basename "$DEB")

in_clean_root() {
  # A user's machine: a fresh environment, root's home, no display.
  bwrap --bind "$ROOT" / --proc /proc --dev /dev --perms 1777 --tmpfs /dev/shm --ro-bind /sys /sys \
    --ro-bind /etc/resolv.conf /etc/resolv.conf --bind "$ARCHIVES" /var/cache/apt/archives \
    --share-net --die-with-parent --cap-add ALL --chdir /root \
    env -i HOME=/root LANG=C.UTF-8 PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    DEBIAN_FRONTEND=noninteractive "$@"
}

started=$SECONDS
log "apt-get install $DEB_IN_ROOT"
in_clean_root apt-get update -qq
in_clean_root apt-get install -y -qq "$DEB_IN_ROOT" >"$ROOT/apt.log" 2>&1 \
  || { tail -40 "$ROOT/apt.log" >&2; fail "apt-get install ./$(basename "$DEB")"; }
log "installed in $((SECONDS - started)) s ($(grep -c '^Setting up' "$ROOT/apt.log") packages set up)"
# The kept downloads: only what the mirror still has, so they do not grow with each point release.
in_clean_root apt-get autoclean -qq

# The version: the one the package carries (without its Debian revision).
package_version=$(dpkg-deb -f "$DEB" Version)
version=$(in_clean_root loom --version) || fail "loom --version failed"
[ "$version" = "loom ${package_version%-*}" ] || fail "loom --version printed '$version', the package is $package_version"
log "loom --version: $version"

# The desktop's application list: an entry that is shown, runs an installed loom, and has its icon.
desktop="$ROOT/usr/share/applications/loom.desktop"
[ -f "$desktop" ] || fail "no /usr/share/applications/loom.desktop"
! grep -q '^NoDisplay=true' "$desktop" || fail "loom.desktop is hidden from the menus"
exec_cmd=$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$desktop")
in_clean_root sh -c "command -v $exec_cmd" >/dev/null || fail "Exec=$exec_cmd is not on the PATH"
icon=$(sed -n 's/^Icon=//p' "$desktop")
[ -f "$ROOT/usr/share/icons/hicolor/scalable/apps/$icon.svg" ] || fail "Icon=$icon is not in the hicolor theme"
ls "$ROOT"/usr/share/metainfo/*.metainfo.xml >/dev/null || fail "no AppStream metainfo"
[ -f "$ROOT/usr/share/man/man1/loom.1.gz" ] || fail "no man page"
grep -q '^Files: usr/share/loom/runtime/pyodide-\*/\*$' "$ROOT/usr/share/doc/loom/copyright" 2>/dev/null \
  || fail "no /usr/share/doc/loom/copyright naming the vendored runtime"
log "desktop entry: Exec=$exec_cmd, Icon=$icon (hicolor/scalable), metainfo, loom(1) and the copyright file installed"

# The embedded CPython with Loom's installed modules (loom check), and Jedi where that CPython
# looks for it (the IDE's completion imports it; python3 is the same 3.13 with the same paths).
checked=$(in_clean_root loom check /usr/share/loom/samples/primes 2>&1) || fail "loom check: $checked"
grep -q ': 0 error(s), 0 warning(s)$' <<<"$checked" || fail "loom check: $checked"
in_clean_root python3 -c 'import jedi' || fail "python3-jedi is not importable"
log "$checked; jedi importable"

# The samples, and primes run headless: its worker counts the primes below one million.
samples=$(in_clean_root loom samples) || fail "loom samples failed"
grep -q '^primes ' <<<"$samples" || fail "loom samples does not list primes"
set +e
in_clean_root loom run --sample primes --headless >"$ROOT/primes.log" 2>&1
status=$?
set -e
cat "$ROOT/primes.log" >&2
[ $status -eq 0 ] || fail "loom run --sample primes --headless exited with $status"
# The line the page's main thread prints once the worker has answered.
grep -q 'main:mpy | Found 78498 primes up to 1,000,000' "$ROOT/primes.log" || fail "the page did not report 78498 primes"
grep -q '^Loom: PASSED' "$ROOT/primes.log" || fail "the run did not pass"
log "passed in $((SECONDS - started)) s: $(grep -m1 -o 'main:mpy | Found 78498 primes.*' "$ROOT/primes.log")"
