# tests/cli/serve-lib.sh - start and stop `hotmem serve` for the
# tNNNN-serve-* stories (sourced after lib.sh; docs/serve.md).
#
#   serve_require [TOOL...]   skip the whole story (exit 0 after printing
#                             `# SKIP reason`, which tests/run.sh shows)
#                             when this hotmem has no FUSE, /dev/fuse is
#                             missing, a TOOL is missing, or mounting fails
#   serve_start ARGS...       hotmem serve ARGS... $MNT in the background;
#                             returns once it says it is serving
#   serve_stop                SIGTERM; $serve_rc = its exit status; fails
#                             if it does not exit or $MNT stays mounted
#   serve_wait                wait for it to exit by itself; $serve_rc
#   in_ns 'COMMANDS'          run COMMANDS as root in a private mount
#                             namespace (unshare -m), where they may
#                             bind-mount parts of $MNT over /sys
# The EXIT trap stops a server still running and unmounts $MNT before
# lib.sh's scratch directory is removed.

MNT=$TRASH/mnt
SERVE_ENV=
if env --default-signal=INT true 2>/dev/null; then
	SERVE_ENV="env --default-signal=INT"
fi
mkdir -p "$MNT"

serve_cleanup() {
	if [ -s "$TRASH/serve.pid" ] && [ ! -e "$TRASH/serve.rc" ]; then
		kill -TERM "$(cat "$TRASH/serve.pid")" 2>/dev/null
		serve_wait
	fi
	if grep -q " $MNT fuse" /proc/mounts 2>/dev/null; then
		fusermount3 -u "$MNT" 2>/dev/null || umount -l "$MNT" 2>/dev/null
	fi
}
trap 'serve_cleanup; rm -rf "$TRASH"' EXIT

serve_skip() {
	echo "# SKIP $*"
	echo "# passed 0, failed 0"
	exit 0
}

serve_require() {
	"$HOTMEM" serve "$TRASH/no-such-dir" >/dev/null 2>"$TRASH/probe.err"
	if grep -q "built without FUSE" "$TRASH/probe.err"; then
		serve_skip "hotmem was built without libfuse 3 (sh scripts/serve-setup.sh, then make)"
	fi
	[ -c /dev/fuse ] || serve_skip "/dev/fuse is missing (no FUSE in this kernel or container)"
	for tool in "$@"; do
		command -v "$tool" >/dev/null 2>&1 ||
			serve_skip "$tool is missing (sh scripts/serve-setup.sh installs it)"
	done
	# can this process mount FUSE at all? (containers may forbid it)
	serve_start -m "arch=x86_64 mem=2G" ||
		serve_skip "cannot mount FUSE here: $(cat "$TRASH/serve.err")"
	serve_stop
}

# in_ns needs root and unshare(CLONE_NEWNS); serve_require_ns skips without.
serve_require_ns() {
	[ "$(id -u)" = 0 ] || serve_skip "not root: chmem and daxctl need a private mount namespace"
	unshare -m true 2>"$TRASH/unshare.err" ||
		serve_skip "unshare -m fails here: $(cat "$TRASH/unshare.err")"
}

# The server's pid and exit status go through files: test cases run in
# subshells, whose variables do not survive them.
serve_start() {
	rm -f "$TRASH/serve.pid" "$TRASH/serve.rc"
	: >"$TRASH/serve.out"
	# a background job starts with SIGINT ignored, and libfuse leaves an
	# ignored signal alone: give it back its default, as in a terminal
	(
		sh -c 'echo $$ >"$1"; shift; exec "$@"' sh "$TRASH/serve.pid" \
			$SERVE_ENV "$HOTMEM" serve "$@" "$MNT" >"$TRASH/serve.out" 2>"$TRASH/serve.err"
		echo $? >"$TRASH/serve.rc"
	) &
	n=0
	until grep -q '^hotmem: serving' "$TRASH/serve.out"; do
		if [ -e "$TRASH/serve.rc" ] || [ $n -ge 300 ]; then
			serve_cleanup
			return 1
		fi
		n=$((n + 1))
		sleep 0.1
	done
}

# serve_wait: wait up to 10 s for the server to exit; $serve_rc.
serve_wait() {
	n=0
	while [ ! -s "$TRASH/serve.rc" ] && [ $n -lt 100 ]; do
		n=$((n + 1))
		sleep 0.1
	done
	serve_rc=$(cat "$TRASH/serve.rc" 2>/dev/null)
	[ -n "$serve_rc" ]
}

serve_stop() {
	kill -TERM "$(cat "$TRASH/serve.pid")" &&
	serve_wait || { echo "hotmem serve did not exit after SIGTERM"; return 1; }
	if grep -q " $MNT fuse" /proc/mounts; then
		echo "$MNT is still mounted after SIGTERM"
		return 1
	fi
}

in_ns() {
	unshare -m sh -c "$1"
}
