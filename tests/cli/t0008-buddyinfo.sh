#!/bin/sh
# t0008-buddyinfo: /proc/buddyinfo (mm/vmstat.c frag_show_print: "Node
# %d, zone %8s " then "%6lu " per order 0..MAX_PAGE_ORDER, then a
# newline; populated zones of online nodes only). Onlined memory reaches
# the buddy allocator in blocks of order min(MAX_PAGE_ORDER, __ffs(pfn))
# (mm/memory_hotplug.c online_pages_range): a 128 MiB block is 32
# order-10 blocks, or, with its memmap on it (512 pages at its start),
# one order-9 block and 31 order-10 blocks. Boot memory follows the same
# rule (memblock_free_all); the model has no per-CPU lists and no
# history of splits, so its boot zones show fully merged free runs
# (docs/procfs-formats.md).
. "$(dirname "$0")/lib.sh"

test_expect_success 'two blocks with memmap_on_memory: 2 of order 9, 62 of order 10' '
	scenario a.scn <<-EOF &&
	machine arch=x86_64 mem=2G slots=8 maxmem=32G
	cmdline memhp_default_state=offline memory_hotplug.memmap_on_memory=1
	boot
	device_add pc-dimm id=d size=256M
	write /sys/devices/system/memory/memory32/state online_movable
	write /sys/devices/system/memory/memory33/state online_movable
	read /proc/buddyinfo
	EOF
	run_hotmem run "$TRASH/a.scn" &&
	expect_rc 0 &&
	extract_read /proc/buddyinfo "$TRASH/got" &&
	expect_line "Node 0, zone  Movable      0      0      0      0      0      0      0      0      0      2     62 " "$TRASH/got" &&
	test "$(grep -c "^Node 0, zone " "$TRASH/got")" -eq 3
'

test_expect_success 'memmap in boot RAM: 64 blocks of order 10; a zone without pages has no line' '
	scenario b.scn <<-EOF &&
	machine arch=x86_64 mem=2G slots=8 maxmem=32G
	cmdline memhp_default_state=offline
	boot
	read /proc/buddyinfo
	device_add pc-dimm id=d size=256M
	write /sys/devices/system/memory/memory32/state online_movable
	write /sys/devices/system/memory/memory33/state online_movable
	read /proc/buddyinfo
	EOF
	run_hotmem run "$TRASH/b.scn" &&
	expect_rc 0 &&
	expect_line "Node 0, zone  Movable      0      0      0      0      0      0      0      0      0      0     64 " "$TRASH/out" &&
	# before the online: DMA and DMA32 only (Normal and Movable are empty)
	awk "/^==> /{n++} n==1 && /^Node/" "$TRASH/out" >"$TRASH/boot" &&
	test "$(wc -l <"$TRASH/boot")" -eq 2 &&
	grep -q "^Node 0, zone      DMA " "$TRASH/boot" &&
	grep -q "^Node 0, zone    DMA32 " "$TRASH/boot"
'

test_expect_success 'arm64 64K pages: MAX_PAGE_ORDER 13, 14 columns' '
	scenario c.scn <<-EOF &&
	machine arch=arm64-64k mem=2G
	boot
	read /proc/buddyinfo
	EOF
	run_hotmem run "$TRASH/c.scn" &&
	expect_rc 0 &&
	extract_read /proc/buddyinfo "$TRASH/got" &&
	awk "{ if (NF != 4 + 14) exit 1 }" "$TRASH/got"
'

test_done
