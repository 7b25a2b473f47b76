#!/bin/sh
# t0010-map: the memory map picture shows each block's zone or state
# (spec 05 valid_zones: memory0 of a q35 guest spans DMA and DMA32 and
# reads `none`; boot blocks 1..15 are DMA32; spec 13 placement: a 1 GiB
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
