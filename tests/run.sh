#!/bin/sh
# tests/run.sh - run every hotmem test: unit, scenario, CLI, conformance.
#
# Run from the repository root (`make test` does that after building
# build/unit-tests and build/hotmem-san with ASan+UBSan):
#
#   sh tests/run.sh                     everything
#   sh tests/run.sh FILE...             only these tests; FILE is a
#                                       tests/scenarios/*.scn, a
#                                       tests/cli/t*.sh, a
#                                       tests/conformance/golden/*.golden,
#                                       or the word `unit`
#
# Prints `PASS kind/name`, `FAIL kind/name` or `SKIP kind/name: REASON`
# per test (kind = unit, scenario, cli, conformance, fuzz); a failure is
# followed by the last 30 lines of its output, indented. A test that
# cannot run here (no libfuse, no /dev/fuse, a missing tool) says so with
# a `# SKIP REASON` line and is counted as skipped, never as passed. At
# the end, every skipped test is listed again with its reason, and the
# last line is `N passed, N failed, N skipped`. Exit status 1 if anything
# failed. See docs/testing.md.

# Distinct exit statuses for sanitizer reports (a leak included), so no
# test that expects a failing status (1, 2, 3) can mistake one for it.
ASAN_OPTIONS=detect_leaks=1:exitcode=86
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=87
export ASAN_OPTIONS UBSAN_OPTIONS

UNIT=build/unit-tests
SAN=build/hotmem-san
HOTMEM=$(pwd)/$SAN
export HOTMEM

# Per-test wall-clock limit, when timeout(1) exists.
LIMIT=${HOTMEM_TEST_TIMEOUT:-120}
if command -v timeout >/dev/null 2>&1; then
	TO="timeout $LIMIT"
else
	TO=
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/hotmem-tests.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'rm -rf "$TMP"; exit 130' INT TERM

passed=0
failed=0
skipped=0
: >"$TMP/skipped"

pass() {
	echo "PASS $1"
	passed=$((passed + 1))
}

# skip NAME REASON: a test that cannot run here, and why.
skip() {
	echo "SKIP $1: $2"
	skipped=$((skipped + 1))
	printf '  %s: %s\n' "$1" "$2" >>"$TMP/skipped"
}

# fail NAME FILE: report and show the tail of FILE, indented.
fail() {
	echo "FAIL $1"
	failed=$((failed + 1))
	if [ -n "$2" ] && [ -s "$2" ]; then
		tail -n 30 "$2" | sed 's/^/    /'
	fi
}

# --- unit tests ------------------------------------------------------
# build/unit-tests prints `PASS name` / `FAIL name` per case (a failing
# case's CHECK messages come before its FAIL line) and a final
# `unit: N passed, N failed`.
run_unit() {
	out=$TMP/unit.out
	if [ ! -x "$UNIT" ]; then
		echo "$UNIT: not built (run make test)" >"$out"
		fail unit/unit-tests "$out"
		return
	fi
	$TO "./$UNIT" >"$out" 2>&1
	rc=$?
	seen=0
	: >"$TMP/case.out"
	while IFS= read -r line; do
		case $line in
		"PASS "*)
			pass "unit/${line#PASS }"
			seen=$((seen + 1))
			: >"$TMP/case.out"
			;;
		"FAIL "*)
			fail "unit/${line#FAIL }" "$TMP/case.out"
			seen=$((seen + 1))
			: >"$TMP/case.out"
			;;
		"unit: "*) ;;
		*) printf '%s\n' "$line" >>"$TMP/case.out" ;;
		esac
	done <"$out"
	# A crash, a sanitizer report or a missing summary is a failure of
	# the unit-test program itself.
	if [ "$rc" -ne 0 ] && ! grep -q '^FAIL ' "$out"; then
		echo "(exit status $rc)" >>"$out"
		fail unit/unit-tests "$out"
	elif ! grep -q '^unit: [0-9]* passed, [0-9]* failed$' "$out"; then
		echo "(no final 'unit: N passed, N failed' line; exit status $rc)" >>"$out"
		fail unit/unit-tests "$out"
	elif [ "$seen" -eq 0 ]; then
		echo "(no test cases ran)" >>"$out"
		fail unit/unit-tests "$out"
	fi
}

# --- scenarios ---------------------------------------------------------
# Expected exit status: 0, unless the leading comment block says
# `# expect-exit: N`.
expected_exit() {
	awk '
		/^[ \t]*$/ { next }
		/^[ \t]*#/ {
			if (match($0, /expect-exit:[ \t]*[0-9]+/)) {
				s = substr($0, RSTART, RLENGTH)
				sub(/expect-exit:[ \t]*/, "", s)
				print s; found = 1; exit
			}
			next
		}
		{ exit }
		END { if (!found) print 0 }
	' "$1"
}

run_scenario() {
	f=$1
	name=scenario/$(basename "$f" .scn)
	out=$TMP/scenario.out
	want=$(expected_exit "$f")
	$TO "./$SAN" run "$f" >"$out" 2>&1
	rc=$?
	if [ "$rc" -eq "$want" ]; then
		pass "$name"
	else
		echo "(exit status $rc, expected $want)" >>"$out"
		fail "$name" "$out"
	fi
}

# --- CLI stories ---------------------------------------------------------
run_cli() {
	f=$1
	name=cli/$(basename "$f" .sh)
	out=$TMP/cli.out
	$TO sh "$f" >"$out" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ] && grep -q '^# SKIP ' "$out"; then
		# a story that could not run says why (tests/cli/serve-lib.sh)
		skip "$name" "$(sed -n 's/^# SKIP //p' "$out" | head -n 1)"
	elif [ "$rc" -eq 0 ]; then
		pass "$name"
	else
		echo "(exit status $rc)" >>"$out"
		fail "$name" "$out"
	fi
}

# --- libFuzzer harnesses -------------------------------------------------
# Only when `make test` could build them (clang with libFuzzer): each
# build/fuzz/fuzz_NAME runs HOTMEM_FUZZ_TIME (5) seconds over its
# committed corpus fuzz/corpus/NAME; a crash, leak or sanitizer report
# fails it (docs/fuzzing.md).
run_fuzzer() {
	bin=$1
	name=$(basename "$bin")
	name=${name#fuzz_}
	out=$TMP/fuzz.out
	mkdir -p "$TMP/fuzz-$name"
	if "./$bin" -max_total_time="${HOTMEM_FUZZ_TIME:-5}" -timeout=10 \
		-rss_limit_mb=2048 -artifact_prefix="$TMP/fuzz-$name/" \
		"$TMP/fuzz-$name" "fuzz/corpus/$name" >"$out" 2>&1; then
		pass "fuzz/$name"
	else
		fail "fuzz/$name" "$out"
	fi
}

# --- conformance: the model against the kernel's recorded goldens ------
# tests/conformance/golden/NAME.golden holds what Linux 6.12 showed for
# tests/scenarios/NAME.scn (recorded by `make conformance-real
# REGOLD=1`); `hotmem diff --golden` must report the differences
# tests/conformance/known-diffs lists for that file (usually none) and no
# others (tests/conformance/check-diffs.sh).
run_conformance() {
	g=$1
	base=$(basename "$g" .golden)
	scn=tests/scenarios/$base.scn
	name=conformance/$base
	out=$TMP/conformance.out
	$TO "./$SAN" diff --golden="$g" "$scn" >"$out" 2>"$TMP/conformance.err"
	rc=$?
	if [ "$rc" -ne 2 ] &&
	   sh tests/conformance/check-diffs.sh "$scn" "$out" >"$TMP/conformance.check"; then
		pass "$name"
	else
		{
			cat "$TMP/conformance.check"
			echo "(exit status $rc)"
			cat "$TMP/conformance.err"
		} >>"$out"
		fail "$name" "$out"
	fi
}

run_file() {
	case $1 in
	unit) run_unit ;;
	*.golden) run_conformance "$1" ;;
	*.scn) run_scenario "$1" ;;
	*.sh) run_cli "$1" ;;
	*)
		echo "$1: not a test (want unit, *.scn, t*.sh or *.golden)" >"$TMP/arg.out"
		fail "unknown/$1" "$TMP/arg.out"
		;;
	esac
}

if [ ! -x "$SAN" ]; then
	echo "warning: $SAN not built; scenario and CLI tests will fail" >&2
fi

if [ $# -gt 0 ]; then
	for f in "$@"; do
		run_file "$f"
	done
else
	run_unit
	for f in tests/scenarios/*.scn; do
		[ -e "$f" ] || continue
		run_scenario "$f"
	done
	for f in tests/cli/t*.sh; do
		[ -e "$f" ] || continue
		run_cli "$f"
	done
	for f in tests/conformance/golden/*.golden; do
		[ -e "$f" ] || continue
		run_conformance "$f"
	done
	nfuzz=0
	for f in build/fuzz/fuzz_*; do
		[ -x "$f" ] || continue
		run_fuzzer "$f"
		nfuzz=$((nfuzz + 1))
	done
	if [ "$nfuzz" -eq 0 ]; then
		skip fuzz/libfuzzer "clang with libFuzzer is not installed (sh scripts/fuzz-setup.sh installs it)"
	fi
fi

if [ "$skipped" -gt 0 ]; then
	echo "skipped, with the reason:"
	cat "$TMP/skipped"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
