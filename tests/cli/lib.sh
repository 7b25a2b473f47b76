# tests/cli/lib.sh - a tiny git-t/-style harness for hotmem CLI stories.
#
# Usage in tests/cli/tNNNN-name.sh:
#
#   . "$(dirname "$0")/lib.sh"
#   test_expect_success 'what the user does and sees' '
#           run_hotmem run "$TRASH/ok.scn" &&
#           test "$rc" = 0
#   '
#   test_done
#
# Each case's commands run in a subshell with `set -e` off; the case
# passes when the last command succeeds (chain with &&). The harness
# prints `ok N - description` / `not ok N - description` (with the
# commands and their output for a failure) and test_done prints
# `# passed N, failed N` and exits 1 if any case failed.
#
# Environment: HOTMEM = the hotmem binary under test (tests/run.sh
# passes build/hotmem-san); defaults to ./build/hotmem-san.
# $TRASH is a fresh scratch directory, removed at exit.

: "${HOTMEM:=$(pwd)/build/hotmem-san}"
export HOTMEM
: "${ASAN_OPTIONS:=detect_leaks=1:exitcode=86}"
: "${UBSAN_OPTIONS:=print_stacktrace=1:halt_on_error=1:exitcode=87}"
export ASAN_OPTIONS UBSAN_OPTIONS

TRASH=$(mktemp -d "${TMPDIR:-/tmp}/hotmem-cli.XXXXXX") || exit 1
export TRASH
# the qemu backend's snapshot cache: the story's own, never build/'s
HOTMEM_QEMU_CACHE_DIR=$TRASH/qemu-cache
export HOTMEM_QEMU_CACHE_DIR
trap 'rm -rf "$TRASH"' EXIT

test_count=0
test_passed=0
test_failed=0

# test_expect_success 'description' 'commands'
test_expect_success() {
	test_count=$((test_count + 1))
	if [ $# -ne 2 ]; then
		echo "bug in test script: test_expect_success needs 2 arguments" >&2
		exit 99
	fi
	(eval "$2") >"$TRASH/.case.log" 2>&1
	if [ $? -eq 0 ]; then
		test_passed=$((test_passed + 1))
		echo "ok $test_count - $1"
	else
		test_failed=$((test_failed + 1))
		echo "not ok $test_count - $1"
		printf '%s\n' "$2" | sed 's/^/#	/'
		if [ -s "$TRASH/.case.log" ]; then
			echo "# output:"
			sed 's/^/#   /' "$TRASH/.case.log"
		fi
	fi
}

test_done() {
	echo "# passed $test_passed, failed $test_failed"
	if [ "$test_failed" -ne 0 ]; then
		exit 1
	fi
	exit 0
}

# run_hotmem ARGS...: run $HOTMEM, keep stdout in $TRASH/out, stderr in
# $TRASH/err, both in $TRASH/all (stdout first), status in $rc. Always
# succeeds, so it can start an && chain.
run_hotmem() {
	"$HOTMEM" "$@" >"$TRASH/out" 2>"$TRASH/err"
	rc=$?
	cat "$TRASH/out" "$TRASH/err" >"$TRASH/all"
	return 0
}

# expect_rc N: the last run_hotmem exited with N.
expect_rc() {
	if [ "$rc" != "$1" ]; then
		echo "exit status: wanted $1, got $rc"
		echo "--- stdout"; cat "$TRASH/out"
		echo "--- stderr"; cat "$TRASH/err"
		return 1
	fi
}

# expect_output FIXED-STRING [FILE]: FILE (default $TRASH/all) contains
# the string.
expect_output() {
	if ! grep -F -e "$1" "${2:-$TRASH/all}" >/dev/null; then
		echo "output lacks: $1"
		echo "--- output"; cat "${2:-$TRASH/all}"
		return 1
	fi
}

# expect_line EXACT-LINE [FILE]: FILE has this exact whole line.
expect_line() {
	if ! grep -F -x -e "$1" "${2:-$TRASH/all}" >/dev/null; then
		echo "output lacks the line: $1"
		echo "--- output"; cat "${2:-$TRASH/all}"
		return 1
	fi
}

# expect_no_output FIXED-STRING [FILE]: FILE does not contain it.
expect_no_output() {
	if grep -F -e "$1" "${2:-$TRASH/all}" >/dev/null; then
		echo "output unexpectedly contains: $1"
		echo "--- output"; cat "${2:-$TRASH/all}"
		return 1
	fi
}

# expect_match ERE [FILE]: FILE has a line matching the extended regex.
expect_match() {
	if ! grep -E -e "$1" "${2:-$TRASH/all}" >/dev/null; then
		echo "output has no line matching: $1"
		echo "--- output"; cat "${2:-$TRASH/all}"
		return 1
	fi
}

# extract_read PATH DEST [SRC]: from a `hotmem run` stdout SRC (default
# $TRASH/out), copy the content lines after `==> PATH <==`, up to the
# next `==> ... <==` header or the end, into DEST.
extract_read() {
	awk -v hdr="==> $1 <==" '
		$0 == hdr { on = 1; next }
		on && /^==> .* <==$/ { exit }
		on { print }
	' "${3:-$TRASH/out}" >"$2"
}

# scenario NAME <<EOF ... EOF: write $TRASH/NAME from stdin; prints the path.
scenario() {
	cat >"$TRASH/$1"
}
