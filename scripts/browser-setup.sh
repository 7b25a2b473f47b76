#!/bin/sh
# browser-setup.sh - install a headless browser for the plan map's test
# (tests/cli/t0063-plan-map-browser.sh), from Debian's packages.
#
# Contract: run as root on Debian 12 (bookworm).
#   sh scripts/browser-setup.sh [--check]
# Makes sure `chromium` is on PATH (Debian package chromium), skipped
# when it already is. --check only tells: exit 0 when it is there, 1
# otherwise. Progress on stderr, one line per phase; the download is
# bounded by `timeout` (HOTMEM_NET_TIMEOUT, default 900 s). Exit 1 when
# it cannot be installed.
# Expected workload: once per machine, then a no-op.
set -eu
NET_TIMEOUT=${HOTMEM_NET_TIMEOUT:-900}
say() { echo "browser-setup.sh: $*" >&2; }

if command -v chromium >/dev/null 2>&1; then
	say "chromium is there ($(chromium --version 2>/dev/null || echo unknown version))"
	exit 0
fi
if [ "${1:-}" = --check ]; then
	say "missing: chromium"
	exit 1
fi
if [ "$(id -u)" != 0 ]; then
	say "chromium is missing and installing it needs root"
	exit 1
fi
say "apt-get update"
timeout "$NET_TIMEOUT" apt-get update -q >/dev/null || { say "apt-get update failed"; exit 1; }
say "apt-get install chromium"
DEBIAN_FRONTEND=noninteractive timeout "$NET_TIMEOUT" \
	apt-get install -y -q --no-install-recommends chromium >/dev/null ||
	{ say "apt-get install chromium failed"; exit 1; }
command -v chromium >/dev/null 2>&1 || { say "chromium still missing after install"; exit 1; }
say "chromium installed ($(chromium --version 2>/dev/null))"
