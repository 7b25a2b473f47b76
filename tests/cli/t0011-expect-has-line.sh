#!/bin/sh
# t0011-expect-has-line: `expect PATH has-line TEXT` holds when one line
# of the file is TEXT exactly, leading spaces included, so a nested
# /proc/iomem resource can be named without the lines around it;
# `expect-log TEXT` asks the same of the kernel log. Facts
# used (Debian 6.12.95 q35 guest, scenario 208): legacy pmem carved with
# memmap=1G!4G is "100000000-13fffffff : Persistent Memory (legacy)" at
# the top level and its namespace "  100000000-13fffffff : namespace0.0"
# one level in; x86 logs "x86/mm: Memory block size: 128MB" at boot.
. "$(dirname "$0")/lib.sh"

scenario lines.scn <<'SCN'
machine arch=x86_64 mem=4G
cmdline memmap=1G!4G
boot
expect /proc/iomem has-line "100000000-13fffffff : Persistent Memory (legacy)"
expect /proc/iomem has-line "  100000000-13fffffff : namespace0.0"
SCN

test_expect_success 'a nested iomem line, leading spaces and all' '
	run_hotmem run "$TRASH/lines.scn" &&
	expect_rc 0
'

scenario off.scn <<'SCN'
machine arch=x86_64 mem=4G
cmdline memmap=1G!4G
boot
expect /proc/iomem has-line "100000000-13fffffff : Persistent Memory (Legacy)"
expect /proc/iomem has-line "100000000-13fffffff : namespace0.0"
SCN

test_expect_success 'one character off, or the wrong depth, fails with the line count' '
	run_hotmem run "$TRASH/off.scn" &&
	expect_rc 1 &&
	grep -q "off.scn:4: expect failed: expect /proc/iomem has-line" "$TRASH/out" &&
	grep -q "wanted: has-line \"100000000-13fffffff : Persistent Memory (Legacy)\"" "$TRASH/out" &&
	grep -q "got:    (none of its 13 lines)" "$TRASH/out" &&
	grep -q "off.scn:5: expect failed" "$TRASH/out"
'

scenario log.scn <<'SCN'
machine arch=x86_64 mem=2G
boot
expect-log "x86/mm: Memory block size: 128MB"
expect-log "x86/mm: Memory block size: 128M"
SCN

test_expect_success 'expect-log: a whole log line, not a prefix of one' '
	run_hotmem run "$TRASH/log.scn" &&
	expect_rc 1 &&
	! grep -q "log.scn:3: expect failed" "$TRASH/out" &&
	grep -q "log.scn:4: expect failed: expect-log \"x86/mm: Memory block size: 128M\"" "$TRASH/out"
'

scenario bad.scn <<'SCN'
machine arch=x86_64 mem=4G
boot
snapshot a
expect /proc/iomem has-line
expect /proc/meminfo:MemTotal has-line "x"
expect /proc/iomem has-line two words
expect-log
SCN

test_expect_success 'malformed has-line expectations are refused at parse time, each with its line' '
	run_hotmem run "$TRASH/bad.scn" &&
	expect_rc 2 &&
	grep -q "bad.scn:4: error: expect: missing line after .has-line." "$TRASH/err" &&
	grep -q "bad.scn:5: error: expect: has-line takes a whole file" "$TRASH/err" &&
	grep -q "bad.scn:6: error: expect: unexpected .words. after the line" "$TRASH/err" &&
	grep -q "bad.scn:7: error: expect-log: missing argument" "$TRASH/err"
'

test_done
