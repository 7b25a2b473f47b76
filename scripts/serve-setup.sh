#!/bin/sh
# serve-setup.sh - install what `hotmem serve` and its tests need, from
# Debian's packages (docs/serve.md).
#
# Contract: run as root on Debian 12 (bookworm).
#   sh scripts/serve-setup.sh [--check]
# Makes sure of, each step skipped when already done:
#   libfuse3-dev and pkg-config  (`pkg-config fuse3` works: the Makefile
#                                 then builds the FUSE half of hotmem serve)
#   fuse3                        (fusermount3, /dev/fuse's user-space side)
#   util-linux                   (lsmem, chmem; essential on Debian)
#   daxctl                       (daxctl 76.1 and its libdaxctl)
#   the kernel's memory-hotplug selftest (mem-on-off-test.sh of Debian's
#                                 linux-source-6.12, through
#                                 scripts/kernel-source.sh into
#                                 build/kernel-src; tests/cli/t0058 runs
#                                 it on a served tree; a failure to fetch
#                                 it is reported, not fatal)
# --check only tells: exit 0 when everything is there, 1 (naming what
# is missing) otherwise. Progress goes to stderr, one line per phase.
# Every network step is bounded by `timeout` (HOTMEM_NET_TIMEOUT,
# default 900 s). Exit 1 when something cannot be installed.
#
# Expected workload: once per machine, then a no-op in a few ms.
set -eu
NET_TIMEOUT=${HOTMEM_NET_TIMEOUT:-900}
say() { echo "serve-setup.sh: $*" >&2; }

missing() {
	need=
	pkg-config --exists fuse3 2>/dev/null || need="$need libfuse3-dev pkg-config"
	command -v fusermount3 >/dev/null 2>&1 || need="$need fuse3"
	{ command -v lsmem && command -v chmem; } >/dev/null 2>&1 || need="$need util-linux"
	command -v daxctl >/dev/null 2>&1 || need="$need daxctl"
	echo "$need"
}

# The selftest: optional, its test says SKIP without it.
SELFTEST=tools/testing/selftests/memory-hotplug/mem-on-off-test.sh
fetch_selftest() {
	if ls "$(dirname "$0")"/../build/kernel-src/*/linux-source-6.12/$SELFTEST >/dev/null 2>&1; then
		return 0
	fi
	say "fetching the kernel's $SELFTEST (linux-source-6.12)"
	sh "$(dirname "$0")/kernel-source.sh" "$SELFTEST" >/dev/null ||
		say "note: could not fetch $SELFTEST: tests/cli/t0058 will be SKIPPED"
}

need=$(missing)
if [ "${1:-}" = --check ]; then
	[ -z "$need" ] && exit 0
	say "missing:$need"
	exit 1
fi
if [ -z "$need" ]; then
	say "libfuse 3 $(pkg-config --modversion fuse3), fusermount3, lsmem, chmem and daxctl are there"
	fetch_selftest
	exit 0
fi
[ "$(id -u)" = 0 ] || { say "must run as root to install:$need"; exit 1; }
say "apt-get update"
timeout "$NET_TIMEOUT" apt-get update -qq >&2 || { say "apt-get update failed"; exit 1; }
say "installing$need"
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive timeout "$NET_TIMEOUT" \
	apt-get install -y -qq --no-install-recommends $need >&2 ||
	{ say "apt-get install$need failed"; exit 1; }
need=$(missing)
[ -z "$need" ] || { say "still missing after install:$need"; exit 1; }
[ -c /dev/fuse ] || say "note: /dev/fuse is missing: hotmem serve builds, but cannot mount here"
say "done: libfuse 3 $(pkg-config --modversion fuse3), $(daxctl --version 2>/dev/null | sed 's/^/daxctl /')"
fetch_selftest
