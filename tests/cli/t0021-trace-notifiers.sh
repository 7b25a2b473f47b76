#!/bin/sh
# t0021-trace-notifiers: `trace on` shows, per operation, the notifier
# events, allocations and counter changes in the kernel's order
# (drivers/base/memory.c : memory_block_online/offline, the memory notifier chain, drivers/base/memory.c
# sequence diagrams; s390: drivers/s390/char/sclp_cmd.c).
. "$(dirname "$0")/lib.sh"

# line_of PATTERN: the first line number of the trace holding PATTERN
line_of() {
	grep -n -F -e "$1" "$TRASH/out" | head -n 1 | cut -d: -f1
}

# in_order P1 P2 ...: every pattern is present, each after the previous
in_order() {
	prev=0
	for pat in "$@"; do
		n=$(line_of "$pat")
		if [ -z "$n" ]; then
			echo "missing: $pat"; cat "$TRASH/out"; return 1
		fi
		if [ "$n" -le "$prev" ]; then
			echo "out of order: $pat (line $n, previous $prev)"; cat "$TRASH/out"; return 1
		fi
		prev=$n
	done
}

cat >"$TRASH/s390.scn" <<'SCN'
machine arch=s390x mem=2G standby=1G
cmdline memhp_default_state=offline memory_hotplug.memmap_on_memory=1
boot
trace on
echo ONLINE
write /sys/devices/system/memory/memory8/state online
echo OFFLINE
write /sys/devices/system/memory/memory8/state offline
trace off
SCN

test_expect_success 's390 online: PREPARE_ONLINE makes the storage accessible before the memmap is initialised' '
	run_hotmem run "$TRASH/s390.scn" &&
	expect_rc 0 &&
	in_order "ONLINE" \
		"trace: MEM_PREPARE_ONLINE altmap_start_pfn=0x80000 altmap_nr_pages=1024 start_pfn=0x80400 nr_pages=64512" \
		"sclp_mem_notifier: assign storage increments rn 2049-2304 [0x80000000-0x8fffffff]" \
		"mhp_init_memmap_on_memory pfn 0x80000 +1024" \
		"trace: MEM_GOING_ONLINE start_pfn=0x80400 nr_pages=64512" \
		"online_pages: Normal managed +64512, present +64512" \
		"trace: MEM_ONLINE start_pfn=0x80400" \
		"Normal present +1024 (the vmemmap pages)"
'

test_expect_success 's390 offline: FINISH_OFFLINE comes last and gives the storage back' '
	run_hotmem run "$TRASH/s390.scn" &&
	in_order "OFFLINE" \
		"trace: MEM_GOING_OFFLINE start_pfn=0x80400 nr_pages=64512" \
		"offline_pages: Normal managed -64512" \
		"trace: MEM_OFFLINE start_pfn=0x80400" \
		"mhp_deinit_memmap_on_memory pfn 0x80000 +1024" \
		"trace: MEM_FINISH_OFFLINE altmap_start_pfn=0x80000 altmap_nr_pages=1024" \
		"sclp_mem_notifier: unassign storage increments rn 2049-2304"
'

cat >"$TRASH/s390-fail.scn" <<'SCN'
machine arch=s390x mem=2G standby=1G
cmdline memhp_default_state=offline memory_hotplug.memmap_on_memory=1
boot
notifier-fail MEM_PREPARE_ONLINE EIO priority=1
trace on
expect-error EIO write /sys/devices/system/memory/memory8/state online
trace off
SCN

test_expect_success 's390 failing prepare: only PREPARE_ONLINE, no sclp, no memmap init' '
	run_hotmem run "$TRASH/s390-fail.scn" &&
	expect_rc 0 &&
	in_order "trace: MEM_PREPARE_ONLINE" \
		"notifier-fail (priority 1) returns EIO for MEM_PREPARE_ONLINE" &&
	expect_no_output "sclp_mem_notifier" "$TRASH/out" &&
	expect_no_output "mhp_init_memmap_on_memory" "$TRASH/out" &&
	expect_no_output "MEM_GOING_ONLINE" "$TRASH/out" &&
	expect_no_output "MEM_FINISH_OFFLINE" "$TRASH/out"
'

cat >"$TRASH/x86-veto.scn" <<'SCN'
machine arch=x86_64 mem=2G slots=8 maxmem=32G
cmdline memhp_default_state=offline memory_hotplug.memmap_on_memory=1
boot
trace on
device_add pc-dimm id=d0 size=128M
echo VETO
notifier-fail MEM_GOING_ONLINE
expect-error EPERM write /sys/devices/system/memory/memory32/state online
echo REMOVE
device_del d0
trace off
SCN

test_expect_success 'x86 add: altmap PMD, counter, block, in that order' '
	run_hotmem run "$TRASH/x86-veto.scn" &&
	expect_rc 0 &&
	in_order "add_memory_resource [mem 0x100000000-0x107ffffff] node 0: memmap on the hot-added memory (altmap)" \
		"vmemmap PMD of 2048 KiB for pfn 0x100000: from the altmap at pfn 0x100000 (altmap alloc 512 of 512)" \
		"populate_section_memmap pfn 0x100000 +32768: nr_memmap_pages +512" \
		"memory32 created, offline"
'

test_expect_success 'x86 GOING_ONLINE veto: CANCEL_ONLINE, memmap deinit, FINISH_OFFLINE (rollback)' '
	run_hotmem run "$TRASH/x86-veto.scn" &&
	in_order "VETO" "trace: MEM_PREPARE_ONLINE" \
		"mhp_init_memmap_on_memory pfn 0x100000 +512" \
		"trace: MEM_GOING_ONLINE" \
		"notifier-fail (priority 0) returns EPERM for MEM_GOING_ONLINE" \
		"trace: MEM_CANCEL_ONLINE" \
		"mhp_deinit_memmap_on_memory pfn 0x100000 +512" \
		"trace: MEM_FINISH_OFFLINE" &&
	expect_no_output "online_pages:" "$TRASH/out"
'

test_expect_success 'x86 remove: block removed, PMD back to the altmap, counter down' '
	run_hotmem run "$TRASH/x86-veto.scn" &&
	in_order "REMOVE" "try_remove_memory [mem 0x100000000-0x107ffffff]" \
		"memory32 removed" \
		"vmemmap PMD of 2048 KiB for pfn 0x100000 freed to the altmap" \
		"depopulate_section_memmap pfn 0x100000 +32768: nr_memmap_pages -512"
'

test_expect_success 'notifier-fail with a bad priority is a malformed line' '
	printf "machine arch=x86_64 mem=2G\nboot\nnotifier-fail MEM_PREPARE_ONLINE priority=high\n" >"$TRASH/bad.scn" &&
	run_hotmem run "$TRASH/bad.scn" &&
	expect_rc 2 &&
	expect_output "bad.scn:3: error: notifier-fail: bad priority" "$TRASH/err"
'

test_done
