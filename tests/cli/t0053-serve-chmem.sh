#!/bin/sh
# t0053-serve-chmem: util-linux's chmem (no --sysroot) changes the served
# model when the served memory directory is bind-mounted over
# /sys/devices/system/memory in a private mount namespace.
#
# Machine and facts as t0052 (the real 6.12.95 guest of
# tests/conformance/golden/092-medium-vm-4g.golden): the 1 GiB DIMM is
# memory48-55 at 0x180000000, offline; memory0 spans DMA and DMA32 and
# offlining it is EINVAL (062-errors-boot-blocks golden). chmem 2.38.1
# (Debian 12) onlines a block with "online_movable" when its
# valid_zones offers Movable (seen with strace), so the block lands in
# ZONE_MOVABLE; memmap in RAM: MemTotal grows 131072 kB a block (011).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve-lib.sh"
serve_require chmem lsmem unshare
serve_require_ns

M=$MNT/sys/devices/system/memory
# chmem in a namespace where /sys/devices/system/memory is the model's
chmem_ns() {
	in_ns "mount --bind '$M' /sys/devices/system/memory && chmem $*"
}
memtotal() {
	sed -n "s/^MemTotal: *\([0-9]*\) kB$/\1/p" "$MNT/proc/meminfo"
}

test_expect_success 'serve a 4 GiB q35 guest with an offline 1 GiB DIMM' '
	serve_start -m "arch=x86_64 mem=4G slots=4 maxmem=16G" \
		-c memhp_default_state=offline \
		-e "device_add pc-dimm id=d0 size=1G node=0"
'

test_expect_success 'chmem -e 128M onlines the first offline block, memory48' '
	before=$(memtotal) &&
	chmem_ns "-v -e 128M" >"$TRASH/all" 2>&1 &&
	expect_line "Memory Block 48 (0x0000000180000000-0x0000000187ffffff) enabled" &&
	test "$(cat "$M/memory48/state")" = online &&
	test "$(cat "$M/memory48/valid_zones")" = Movable &&
	test "$(cat "$M/memory49/state")" = offline &&
	test $(($(memtotal) - before)) = 131072
'

test_expect_success 'chmem -d -b 48 offlines it again' '
	chmem_ns "-v -d -b 48" >"$TRASH/all" 2>&1 &&
	expect_line "Memory Block 48 (0x0000000180000000-0x0000000187ffffff) disabled" &&
	test "$(cat "$M/memory48/state")" = offline
'

test_expect_success 'chmem -d -b 0: the kernel refuses with EINVAL, chmem says so' '
	chmem_ns "-d -b 0" >"$TRASH/all" 2>&1;
	test $? = 1 &&
	expect_output "Memory Block 0 (0x0000000000000000-0x0000000007ffffff) disable failed: Invalid argument" &&
	test "$(cat "$M/memory0/state")" = online
'

test_expect_success 'chmem -e ADDRESS-RANGE onlines the whole DIMM; lsmem agrees' '
	chmem_ns "-e 0x180000000-0x1bfffffff" &&
	lsmem --sysroot "$MNT" -P -o RANGE,STATE,BLOCK,ZONES >"$TRASH/lsmem" &&
	expect_line "RANGE=\"0x0000000180000000-0x00000001bfffffff\" STATE=\"online\" BLOCK=\"48-55\" ZONES=\"Movable\"" "$TRASH/lsmem"
'

test_expect_success 'SIGTERM unmounts cleanly and exits 0' '
	serve_stop &&
	test "$serve_rc" = 0
'

test_done
