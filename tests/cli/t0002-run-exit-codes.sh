#!/bin/sh
# t0002-run-exit-codes: `hotmem run` exits 0 when every expectation
# holds, 1 when one does not (naming FILE:LINE, what was wanted and what
# was got), 2 for a malformed scenario.
. "$(dirname "$0")/lib.sh"

# observed on a 6.12.95 q35 guest with 4-level paging: MemTotal 1955132 kB for -m 2G; 8000000 block size.
scenario good.scn <<'SCN'
# all true on a 2 GiB q35 guest (observed on a 6.12.95 q35 guest)
machine arch=x86_64 mem=2G slots=8 maxmem=32G
boot
expect /proc/meminfo:MemTotal == 1955132
expect /sys/devices/system/memory/block_size_bytes == "8000000"
SCN

scenario bad.scn <<'SCN'
# line 5 is deliberately wrong: MemTotal is 1955132 (observed on a 6.12.95 q35 guest, 4-level paging)
machine arch=x86_64 mem=2G slots=8 maxmem=32G
boot
expect /sys/devices/system/memory/block_size_bytes == "8000000"
expect /proc/meminfo:MemTotal == 1234567
expect /proc/vmstat:nr_memmap_pages == 0
expect /sys/devices/system/memory/auto_online_blocks == "offline"
SCN

scenario experr.scn <<'SCN'
# memory1 exists and reads fine: an expect-error on it must fail
machine arch=x86_64 mem=2G slots=8 maxmem=32G
boot
expect-error ENOENT read /sys/devices/system/memory/memory1/state
SCN

scenario malformed.scn <<'SCN'
machine arch=x86_64 mem=2G slots=8 maxmem=32G
boot
expect /proc/meminfo:MemTotal =~ 1955132
SCN

test_expect_success 'a scenario whose expectations hold exits 0' '
	run_hotmem run "$TRASH/good.scn" &&
	expect_rc 0 &&
	expect_no_output "expect failed"
'

test_expect_success 'a wrong expectation exits 1' '
	run_hotmem run "$TRASH/bad.scn" &&
	expect_rc 1
'

test_expect_success 'the failure names FILE:LINE of the expect' '
	run_hotmem run "$TRASH/bad.scn" &&
	expect_output "$TRASH/bad.scn:5: expect failed"
'

test_expect_success 'the failure says what was wanted and what was got' '
	run_hotmem run "$TRASH/bad.scn" &&
	grep -A3 "bad.scn:5: expect failed" "$TRASH/all" >"$TRASH/report" &&
	expect_output "1234567" "$TRASH/report" &&
	expect_output "1955132" "$TRASH/report" &&
	expect_output "wanted" "$TRASH/report" &&
	expect_output "got" "$TRASH/report"
'

test_expect_success 'every failed expect is named, the good ones are not' '
	run_hotmem run "$TRASH/bad.scn" &&
	expect_output "bad.scn:7: expect failed" &&
	expect_no_output "bad.scn:4: expect failed" &&
	expect_no_output "bad.scn:6: expect failed" &&
	test "$(grep -c "expect failed" "$TRASH/all")" = 2
'

test_expect_success 'an expect-error whose operation succeeds exits 1' '
	run_hotmem run "$TRASH/experr.scn" &&
	expect_rc 1 &&
	expect_output "experr.scn:4:"
'

test_expect_success 'a malformed scenario exits 2 with FILE:LINE: error:' '
	run_hotmem run "$TRASH/malformed.scn" &&
	expect_rc 2 &&
	expect_output "$TRASH/malformed.scn:3: error:"
'

test_expect_success 'two files: one failing makes the whole run exit 1' '
	run_hotmem run "$TRASH/good.scn" "$TRASH/bad.scn" &&
	expect_rc 1 &&
	expect_output "bad.scn:5: expect failed"
'

test_expect_success 'two files: a malformed one means nothing runs (exit 2)' '
	run_hotmem run "$TRASH/bad.scn" "$TRASH/malformed.scn" &&
	expect_rc 2 &&
	expect_no_output "expect failed"
'

test_expect_success 'the scenario can come from stdin as -' '
	"$HOTMEM" run - <"$TRASH/good.scn" >"$TRASH/out" 2>"$TRASH/err" &&
	test ! -s "$TRASH/out"
'

test_done
