#!/bin/sh
# t0023-ppc64-pseries: what a user meets on the ppc64 profiles (QEMU's
# pseries): a DIMM that is not whole 256 MiB LMBs is refused with QEMU's
# words and changes nothing; a DIMM comes up online although
# auto-online is off (the kernel's DLPAR code onlines it); a hash MMU
# without QEMU's 16M page capability has no HugePages lines; the cap is
# refused on radix.
. "$(dirname "$0")/lib.sh"

scn() {
	name=$1; shift
	printf '%s\n' "$@" >"$TRASH/$name.scn"
}

test_expect_success 'a 384M DIMM: refused as QEMU refuses it, the run goes on' '
	scn a "machine arch=ppc64 mem=2G slots=2 maxmem=4G" "boot" \
		"device_add pc-dimm id=d0 size=384M" \
		"expect-error ENOENT read /sys/devices/system/memory/memory8/state" &&
	run_hotmem run "$TRASH/a.scn" &&
	expect_rc 0 &&
	expect_output "device_add d0: EINVAL (Invalid argument): Hotplugged memory size must be a multiple of 256 MB" "$TRASH/out"
'

test_expect_success 'a DIMM is online although auto_online_blocks is offline' '
	scn b "machine arch=ppc64 mem=2G slots=2 maxmem=4G" "boot" \
		"expect /sys/devices/system/memory/auto_online_blocks == offline" \
		"device_add pc-dimm id=d0 size=256M" \
		"expect /sys/devices/system/memory/memory8/state == online" \
		"expect /sys/devices/system/memory/memory8/valid_zones == Normal" \
		"dmesg" &&
	run_hotmem run "$TRASH/b.scn" &&
	expect_rc 0 &&
	expect_output "pseries-hotplug-mem: Attempting to hot-add 1 LMB(s) at index 80000008" "$TRASH/out" &&
	expect_output "pseries-hotplug-mem: Memory at 80000000 (drc index 80000008) was hot-added" "$TRASH/out"
'

test_expect_success 'hash without hpt-max-page-size=16M: no HugePages lines' '
	scn c "machine arch=ppc64-hash-64k mem=2G" "boot" "read /proc/meminfo" &&
	run_hotmem run "$TRASH/c.scn" &&
	expect_rc 0 &&
	expect_no_output "Hugepagesize" "$TRASH/out" &&
	scn d "machine arch=ppc64-hash-64k mem=2G hpt-max-page-size=16M" "boot" "read /proc/meminfo" &&
	run_hotmem run "$TRASH/d.scn" &&
	expect_rc 0 &&
	expect_output "Hugepagesize:      16384 kB" "$TRASH/out"
'

test_expect_success 'hpt-max-page-size= on radix: boot error' '
	scn e "machine arch=ppc64-radix-64k mem=2G hpt-max-page-size=16M" "boot" &&
	run_hotmem run "$TRASH/e.scn" &&
	expect_rc 2 &&
	expect_output "e.scn:2: error: boot: hpt-max-page-size= is the ppc64 hash MMU" "$TRASH/err"
'

test_done
