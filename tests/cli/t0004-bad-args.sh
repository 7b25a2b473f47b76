#!/bin/sh
# t0004-bad-args: mistakes on the command line exit 2 with a message on
# stderr that names the mistake, and run nothing.
. "$(dirname "$0")/lib.sh"

cat >"$TRASH/ok.scn" <<'SCN'
machine arch=x86_64 mem=2G slots=8 maxmem=32G
boot
echo RAN
SCN

test_expect_success 'no arguments at all: exit 2, usage hint on stderr' '
	run_hotmem &&
	expect_rc 2 &&
	test -s "$TRASH/err"
'

test_expect_success 'unknown option: exit 2, the option is named' '
	run_hotmem --frobnicate &&
	expect_rc 2 &&
	expect_output "--frobnicate" "$TRASH/err"
'

test_expect_success 'unknown command: exit 2, the command is named' '
	run_hotmem frobnicate &&
	expect_rc 2 &&
	expect_output "frobnicate" "$TRASH/err"
'

test_expect_success 'unknown option of run: exit 2, named, nothing runs' '
	run_hotmem run --frobnicate "$TRASH/ok.scn" &&
	expect_rc 2 &&
	expect_output "--frobnicate" "$TRASH/err" &&
	expect_no_output RAN
'

test_expect_success 'run without a file: exit 2 with a message' '
	run_hotmem run &&
	expect_rc 2 &&
	test -s "$TRASH/err"
'

test_expect_success 'run with a missing file: exit 2, the path is named' '
	run_hotmem run "$TRASH/no-such-file.scn" &&
	expect_rc 2 &&
	expect_output "no-such-file.scn" "$TRASH/err"
'

test_expect_success 'a missing file next to a good one: nothing runs' '
	run_hotmem run "$TRASH/ok.scn" "$TRASH/no-such-file.scn" &&
	expect_rc 2 &&
	expect_no_output RAN
'

test_expect_success 'a directory instead of a file: exit 2' '
	run_hotmem run "$TRASH" &&
	expect_rc 2 &&
	test -s "$TRASH/err"
'

test_expect_success 'the good file alone runs (control)' '
	run_hotmem run "$TRASH/ok.scn" &&
	expect_rc 0 &&
	expect_output RAN "$TRASH/out"
'

test_done
