#!/bin/sh
# t0007-expect-absent: `expect PATH[:KEY] absent|present` says whether a
# file or a key exists at all. Facts used: an x86-64 Debian 6.12 kernel
# prints HugePages_* and DirectMap* lines in /proc/meminfo
# (CONFIG_HUGETLB_PAGE, arch_report_meminfo), and /proc/zoneinfo lists
# every zone of a node, the empty Movable zone included (zoneinfo_show
# walks all populated nodes' zones); memory block 99 of a 2 GiB q35
# guest does not exist (blocks 0-15 and 32.. only after a hot-add).
. "$(dirname "$0")/lib.sh"

scenario presence.scn <<'SCN'
machine arch=x86_64 mem=2G
boot
expect /proc/meminfo:HugePages_Total present
expect /proc/meminfo:HugePages_* present
expect /proc/meminfo:DirectMap* present
expect /proc/meminfo:NoSuchLabel* absent
expect /proc/vmstat:nr_memmap_pages present
expect /proc/zoneinfo:0/Movable/managed present
expect /sys/devices/system/memory/memory99/state absent
expect /sys/devices/system/memory/memory0/state present
SCN

test_expect_success 'present and absent hold where the kernel has and lacks the thing' '
	run_hotmem run "$TRASH/presence.scn" &&
	expect_rc 0
'

scenario wrong.scn <<'SCN'
machine arch=x86_64 mem=2G
boot
expect /proc/meminfo:MemTotal absent
expect /sys/devices/system/memory/memory99/state present
SCN

test_expect_success 'a key that is there fails "absent", with what was found' '
	run_hotmem run "$TRASH/wrong.scn" &&
	expect_rc 1 &&
	grep -q "wrong.scn:3: expect failed: expect /proc/meminfo:MemTotal absent" "$TRASH/out" &&
	grep -q "got:    present" "$TRASH/out" &&
	grep -q "wrong.scn:4: expect failed" "$TRASH/out" &&
	grep -q "got:    absent" "$TRASH/out"
'

scenario bad.scn <<'SCN'
machine arch=x86_64 mem=2G
boot
snapshot a
expect /proc/meminfo:Dir*Map absent
expect /proc/meminfo:Direct* == 5
expect /proc/meminfo:MemTotal absent 3
expect /proc/meminfo:MemTotal - @a absent
SCN

test_expect_success 'malformed presence expectations are refused at parse time, each with its line' '
	run_hotmem run "$TRASH/bad.scn" &&
	expect_rc 2 &&
	grep -q "bad.scn:4: error: expect: key pattern .Dir\*Map.: .\*. may only end a key" "$TRASH/err" &&
	grep -q "bad.scn:5: error: expect: a key pattern (.Direct\*.) is only for absent or present" "$TRASH/err" &&
	grep -q "bad.scn:6: error: expect: unexpected .3. after .absent." "$TRASH/err" &&
	grep -q "bad.scn:7: error: expect: .absent. is not a change since a snapshot" "$TRASH/err"
'

test_done
