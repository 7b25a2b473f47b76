#!/bin/sh
# t0001-help: a user who does not know the tool asks it for help.
. "$(dirname "$0")/lib.sh"

test_expect_success '--help prints usage on stdout and exits 0' '
	run_hotmem --help &&
	expect_rc 0 &&
	expect_output "Usage: hotmem" "$TRASH/out" &&
	expect_output "run" "$TRASH/out" &&
	test ! -s "$TRASH/err"
'

test_expect_success '-h is the same as --help' '
	run_hotmem --help && cp "$TRASH/out" "$TRASH/long" &&
	run_hotmem -h &&
	expect_rc 0 &&
	cmp "$TRASH/long" "$TRASH/out"
'

test_expect_success 'help lists the run command and the exit statuses' '
	run_hotmem --help &&
	expect_match "^ +run " "$TRASH/out" &&
	expect_output "0" "$TRASH/out" &&
	expect_output "1" "$TRASH/out" &&
	expect_output "2" "$TRASH/out"
'

test_expect_success 'help run explains the run command' '
	run_hotmem help run &&
	expect_rc 0 &&
	expect_output "hotmem run" "$TRASH/out"
'

test_expect_success 'run --help explains the run command too' '
	run_hotmem run --help &&
	expect_rc 0 &&
	expect_output "hotmem run" "$TRASH/out"
'

test_expect_success '--version prints a version and exits 0' '
	run_hotmem --version &&
	expect_rc 0 &&
	expect_match "[0-9]+\.[0-9]+" "$TRASH/out"
'

test_expect_success 'help for an unknown command is a usage error (exit 2)' '
	run_hotmem help frobnicate &&
	expect_rc 2 &&
	expect_output "frobnicate" "$TRASH/err"
'

test_done
