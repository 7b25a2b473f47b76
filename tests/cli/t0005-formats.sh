#!/bin/sh
# t0005-formats: byte-level text of files a user reads with cat, shown
# through `read` (which prints `==> PATH <==` and then the content).
# Expected text comes from mm/vmstat.c (meminfo, node meminfo, zoneinfo,
# vmstat, iomem formats), drivers/base/memory.c (sysfs files) and observed on a 6.12.95 q35 guest (numbers).
. "$(dirname "$0")/lib.sh"

scenario dimm.scn <<'SCN'
machine arch=x86_64 mem=2G slots=8 maxmem=32G
cmdline memhp_default_state=offline memory_hotplug.memmap_on_memory=1
boot
read /proc/meminfo
read /sys/devices/system/node/node0/meminfo
device_add pc-dimm id=d0 size=1G node=0
device_add pc-dimm id=d1 size=512M node=0
read /proc/iomem
read /sys/devices/system/memory/memory32/phys_index
read /sys/devices/system/memory/memory32/valid_zones
read /sys/devices/system/memory/memory32/state
read /sys/devices/system/memory/block_size_bytes
write /sys/devices/system/memory/memory32/state online_movable
read /proc/zoneinfo
read /proc/vmstat
device_del d0
echo AFTER-DEL
read /proc/iomem
SCN

test_expect_success 'the scenario runs' '
	run_hotmem run "$TRASH/dimm.scn" &&
	expect_rc 0 &&
	cp "$TRASH/out" "$TRASH/dimm.out"
'

# mm/vmstat.c /proc/meminfo: 16-character label, value width 8, " kB".
test_expect_success 'meminfo: MemTotal line, 16+8 columns' '
	extract_read /proc/meminfo "$TRASH/meminfo" "$TRASH/dimm.out" &&
	expect_line "MemTotal:        1955132 kB" "$TRASH/meminfo" &&
	head -n 1 "$TRASH/meminfo" | grep -q "^MemTotal:" &&
	expect_match "^MemFree: +[0-9]+ kB$" "$TRASH/meminfo"
'

# mm/vmstat.c /proc/meminfo exceptions to the 16+8 rule.
test_expect_success 'meminfo: HardwareCorrupted and HugePages lines' '
	expect_line "HardwareCorrupted:     0 kB" "$TRASH/meminfo" &&
	expect_match "^HugePages_Total:   [ 0-9]{5}\$" "$TRASH/meminfo" &&
	expect_match "^HugePages_Free:    [ 0-9]{5}\$" "$TRASH/meminfo" &&
	expect_line "Hugepagesize:       2048 kB" "$TRASH/meminfo"
'

# mm/vmstat.c node meminfo: "Node 0 " + 16-char label + width 8 + " kB".
test_expect_success 'node meminfo: Node 0 MemTotal line' '
	extract_read /sys/devices/system/node/node0/meminfo "$TRASH/nm" "$TRASH/dimm.out" &&
	expect_line "Node 0 MemTotal:        1955132 kB" "$TRASH/nm" &&
	head -n 1 "$TRASH/nm" | grep -q "^Node 0 MemTotal:" &&
	sed -n 2p "$TRASH/nm" | grep -q "^Node 0 MemFree:" &&
	sed -n 3p "$TRASH/nm" | grep -q "^Node 0 MemUsed:" &&
	expect_match "^Node 0 HugePages_Total: [ 0-9]{5}\$" "$TRASH/nm" &&
	tail -n 1 "$TRASH/nm" | grep -Eq "^Node 0 HugePages_Surp:  [ 0-9]{5}\$" &&
	test "$(wc -l <"$TRASH/nm")" -eq 37
'

# mm/memory_hotplug.c resource naming (ACPI DIMM: "System RAM", one resource per
# DIMM, no merging), mm/vmstat.c iomem format, observed on a 6.12.95 q35 guest placement.
test_expect_success 'iomem: one System RAM line per DIMM' '
	awk "/^==> \/proc\/iomem <==\$/{n++} n==1" "$TRASH/dimm.out" >"$TRASH/iomem1" &&
	expect_line "100000000-13fffffff : System RAM" "$TRASH/iomem1" &&
	expect_line "140000000-15fffffff : System RAM" "$TRASH/iomem1"
'

test_expect_success 'iomem: the line goes away with the DIMM' '
	sed -n "/^AFTER-DEL\$/,\$p" "$TRASH/dimm.out" >"$TRASH/iomem2" &&
	expect_no_output "100000000-13fffffff" "$TRASH/iomem2" &&
	expect_line "140000000-15fffffff : System RAM" "$TRASH/iomem2"
'

# drivers/base/memory.c per-block files
test_expect_success 'sysfs: phys_index, valid_zones, state, block_size_bytes' '
	extract_read /sys/devices/system/memory/memory32/phys_index "$TRASH/f" "$TRASH/dimm.out" &&
	printf "00000020\n" | cmp - "$TRASH/f" &&
	extract_read /sys/devices/system/memory/memory32/valid_zones "$TRASH/f" "$TRASH/dimm.out" &&
	printf "Normal Movable\n" | cmp - "$TRASH/f" &&
	extract_read /sys/devices/system/memory/memory32/state "$TRASH/f" "$TRASH/dimm.out" &&
	printf "offline\n" | cmp - "$TRASH/f" &&
	extract_read /sys/devices/system/memory/block_size_bytes "$TRASH/f" "$TRASH/dimm.out" &&
	printf "8000000\n" | cmp - "$TRASH/f"
'

# mm/vmstat.c zoneinfo literals; numbers from memmap_on_memory accounting, mhp_init_memmap_on_memory (one block online
# movable with memmap_on_memory: present 32768, managed 32256).
test_expect_success 'zoneinfo: Movable header and counters' '
	extract_read /proc/zoneinfo "$TRASH/zi" "$TRASH/dimm.out" &&
	expect_line "Node 0, zone  Movable" "$TRASH/zi" &&
	expect_line "Node 0, zone      DMA" "$TRASH/zi" &&
	expect_line "Node 0, zone    DMA32" "$TRASH/zi" &&
	expect_line "Node 0, zone   Normal" "$TRASH/zi" &&
	awk "/^Node 0, zone  Movable\$/{on=1;next} /^Node /{on=0} on" "$TRASH/zi" >"$TRASH/mov" &&
	expect_line "        spanned  32768" "$TRASH/mov" &&
	expect_line "        present  32768" "$TRASH/mov" &&
	expect_line "        managed  32256" "$TRASH/mov" &&
	expect_line "  start_pfn:           1048576" "$TRASH/mov" &&
	expect_match "^  pages free     [0-9]+\$" "$TRASH/mov" &&
	expect_match "^        protection: \(([0-9]+, ){4}[0-9]+\)\$" "$TRASH/mov"
'

# mm/vmstat.c: per-node stats only under the node's first populated zone.
test_expect_success 'zoneinfo: one per-node stats block per node' '
	test "$(grep -c "^  per-node stats\$" "$TRASH/zi")" -eq 1
'

# mm/vmstat.c: an unpopulated zone stops after the protection line.
test_expect_success 'zoneinfo: empty Normal zone is printed in short form' '
	awk "/^Node 0, zone   Normal\$/{on=1;next} /^Node /{on=0} on" "$TRASH/zi" >"$TRASH/nor" &&
	expect_line "        present  0" "$TRASH/nor" &&
	tail -n 1 "$TRASH/nor" | grep -q "^        protection: (" &&
	expect_no_output "start_pfn" "$TRASH/nor"
'

# mm/vmstat.c vmstat "name value"; mm/sparse-vmemmap.c: 12 blocks x 512 with altmap.
test_expect_success 'vmstat: memmap counters' '
	extract_read /proc/vmstat "$TRASH/vm" "$TRASH/dimm.out" &&
	expect_line "nr_memmap_pages 6144" "$TRASH/vm" &&
	expect_line "nr_memmap_boot_pages 8192" "$TRASH/vm"
'

test_done
