#!/bin/sh
# t0010-map: the memory map picture shows each block's zone or state
# (drivers/base/memory.c valid_zones: memory0 of a q35 guest spans DMA and DMA32 and
# reads `none`; boot blocks 1..15 are DMA32; observed on a 6.12.95 q35 guest placement: a 1 GiB
# DIMM is memory32..memory39).
. "$(dirname "$0")/lib.sh"

test_expect_success 'map draws boot memory and a DIMM block by block' '
	scenario map.scn <<-SCN &&
	machine arch=x86_64 mem=2G slots=8 maxmem=32G
	cmdline memhp_default_state=offline
	boot
	device_add pc-dimm id=d size=1G node=0
	write /sys/devices/system/memory/memory32/state online_kernel
	write /sys/devices/system/memory/memory33/state online_movable
	map
	SCN
	run_hotmem run "$TRASH/map.scn" &&
	expect_rc 0 &&
	expect_output "memory map: 24 blocks of 128 MiB" "$TRASH/out" &&
	expect_output "  0x000000000000  memory0      XDDDDDDDDDDDDDDD" "$TRASH/out" &&
	expect_output "  0x000100000000  memory32     NMoooooo" "$TRASH/out"
'

# count_attr FILE ATTR=VALUE: how many blocks of the picture carry it
count_attr() {
	grep -o "$2" "$1" | wc -l | tr -d " "
}

test_expect_success '--map-svg draws the same blocks as a picture (map.scn above)' '
	mkdir -p "$TRASH/pics" &&
	run_hotmem run --map-svg="$TRASH/pics" "$TRASH/map.scn" &&
	expect_rc 0 &&
	expect_output "map.scn:7: map: $TRASH/pics/map-7.svg" "$TRASH/err" &&
	svg="$TRASH/pics/map-7.svg" &&
	head -n 1 "$svg" | grep -q "^<?xml version=" &&
	tail -n 1 "$svg" | grep -q "^</svg>$" &&
	test "$(count_attr "$svg" "data-block=")" = 24 &&
	test "$(count_attr "$svg" "data-glyph=\"o\"")" = 6 &&
	test "$(count_attr "$svg" "data-glyph=\"M\"")" = 1 &&
	test "$(count_attr "$svg" "data-glyph=\"N\"")" = 1 &&
	test "$(count_attr "$svg" "data-glyph=\"D\"")" = 15 &&
	grep -q "<title>memory33 0x108000000-0x10fffffff: Movable, node0, in System RAM</title>" "$svg" &&
	grep -q "24 memory blocks of 128 MiB: 18 online, 6 offline" "$svg"
'

test_expect_success '--map-svg: kmem blocks carry the kmem stripe (scenario 201)' '
	{ cat "tests/scenarios/201-acceptance-pmem-devdax-kmem.scn"; echo map; } >"$TRASH/acc.scn" &&
	mkdir -p "$TRASH/pics" &&
	run_hotmem run --map-svg="$TRASH/pics" "$TRASH/acc.scn" &&
	expect_rc 0 &&
	svg=$(ls "$TRASH"/pics/acc-*.svg) &&
	test "$(count_attr "$svg" "data-res=\"kmem\"")" = 7 &&
	grep -q "in System RAM (kmem)" "$svg" &&
	grep -q "2176 MiB without memory blocks" "$svg"
'

test_expect_success '--map-svg refuses a directory that is not there' '
	run_hotmem run --map-svg="$TRASH/nowhere" "$TRASH/map.scn" &&
	expect_rc 2 &&
	expect_output "--map-svg: '"'"'$TRASH/nowhere'"'"' is not a directory" "$TRASH/err" &&
	test ! -e "$TRASH/nowhere"
'

test_expect_success 'map takes no arguments' '
	scenario bad.scn <<-SCN &&
	machine arch=x86_64 mem=2G
	boot
	map all
	SCN
	run_hotmem run "$TRASH/bad.scn" &&
	expect_rc 2 &&
	expect_output "bad.scn:3: error: map: unexpected argument '"'"'all'"'"'"
'

test_done
