#!/bin/sh
# t0052-serve-lsmem: util-linux's lsmem, run with --sysroot on the tree
# `hotmem serve` mounts, prints the block layout of the real kernel, and
# writes through the mount have the kernel's effect and errno.
#
# The machine is tests/scenarios/092-medium-vm-4g.scn's q35 guest with
# -m 4G,slots=4,maxmem=16G, memhp_default_state=offline and a 1 GiB
# pc-dimm; its facts are the real 6.12.95 guest's
# (tests/conformance/golden/092-medium-vm-4g.golden): 128 MiB blocks,
# RAM 0-2 GiB (memory0-15) and 4-6 GiB (memory32-47), the DIMM at 6 GiB
# (memory48-55, offline), memory0 spans DMA and DMA32 (valid_zones
# "none", 062), memory1-15 DMA32, 32-47 Normal; an offline DIMM block
# may go Normal or Movable.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve-lib.sh"
serve_require lsmem dd

M=$MNT/sys/devices/system/memory

test_expect_success 'serve a 4 GiB q35 guest with an offline 1 GiB DIMM' '
	serve_start -m "arch=x86_64 mem=4G slots=4 maxmem=16G" \
		-c memhp_default_state=offline \
		-e "device_add pc-dimm id=d0 size=1G node=0" &&
	expect_output "hotmem: serving the model'\''s /sys and /proc at $MNT" "$TRASH/serve.out"
'

test_expect_success 'lsmem: ranges, blocks, nodes and zones of the real guest' '
	lsmem --sysroot "$MNT" -P -b -o RANGE,SIZE,STATE,BLOCK,NODE,ZONES >"$TRASH/lsmem" &&
	cat >"$TRASH/want" <<-\EOT &&
	RANGE="0x0000000000000000-0x0000000007ffffff" SIZE="134217728" STATE="online" BLOCK="0" NODE="0" ZONES="None"
	RANGE="0x0000000008000000-0x000000007fffffff" SIZE="2013265920" STATE="online" BLOCK="1-15" NODE="0" ZONES="DMA32"
	RANGE="0x0000000100000000-0x000000017fffffff" SIZE="2147483648" STATE="online" BLOCK="32-47" NODE="0" ZONES="Normal"
	RANGE="0x0000000180000000-0x00000001bfffffff" SIZE="1073741824" STATE="offline" BLOCK="48-55" NODE="0" ZONES="Normal/Movable"
	EOT
	diff -u "$TRASH/want" "$TRASH/lsmem"
'

test_expect_success 'lsmem: block size and online/offline totals' '
	lsmem --sysroot "$MNT" --summary=only -b >"$TRASH/sum" &&
	expect_match "^Memory block size: +134217728$" "$TRASH/sum" &&
	expect_match "^Total online memory: +4294967296$" "$TRASH/sum" &&
	expect_match "^Total offline memory: +1073741824$" "$TRASH/sum"
'

test_expect_success 'files carry their sysfs modes; links resolve inside the mount' '
	ls -l "$M/memory48" >"$TRASH/ls" &&
	expect_match "^-rw-r--r-- .* state$" "$TRASH/ls" &&
	expect_match "^-r--r--r-- .* phys_index$" "$TRASH/ls" &&
	expect_match "^lrwxrwxrwx .* node0 -> \.\./\.\./node/node0$" "$TRASH/ls" &&
	test "$(cat "$M/memory48/node0/memory48/phys_index")" = 00000030 &&
	test -d "$MNT/sys/devices/system/node/node0/memory48"
'

test_expect_success 'a write onlines memory48 movable: lsmem and meminfo see it live' '
	before=$(sed -n "s/^MemTotal: *\([0-9]*\) kB$/\1/p" "$MNT/proc/meminfo") &&
	echo online_movable >"$M/memory48/state" &&
	test "$(cat "$M/memory48/state")" = online &&
	test "$(cat "$M/memory48/valid_zones")" = Movable &&
	after=$(sed -n "s/^MemTotal: *\([0-9]*\) kB$/\1/p" "$MNT/proc/meminfo") &&
	test $((after - before)) = 131072 &&
	lsmem --sysroot "$MNT" -P -b -o RANGE,STATE,BLOCK,ZONES >"$TRASH/lsmem" &&
	expect_line "RANGE=\"0x0000000180000000-0x0000000187ffffff\" STATE=\"online\" BLOCK=\"48\" ZONES=\"Movable\"" "$TRASH/lsmem" &&
	expect_line "RANGE=\"0x0000000188000000-0x00000001bfffffff\" STATE=\"offline\" BLOCK=\"49-55\" ZONES=\"Normal/Movable\"" "$TRASH/lsmem"
'

test_expect_success 'write(2) fails with the kernel'\''s errno: EINVAL, and nothing changes' '
	printf online_kernel | dd of="$M/memory48/state" conv=notrunc 2>"$TRASH/dd1";
	expect_output "Invalid argument" "$TRASH/dd1" &&
	printf offline | dd of="$M/memory0/state" conv=notrunc 2>"$TRASH/dd2";
	expect_output "Invalid argument" "$TRASH/dd2" &&
	test "$(cat "$M/memory0/state")" = online &&
	test "$(cat "$M/memory48/valid_zones")" = Movable
'

test_expect_success 'opening a 0444 file for writing is EACCES, as kernfs does' '
	printf 1 | dd of="$M/memory48/phys_index" conv=notrunc 2>"$TRASH/dd3";
	expect_output "Permission denied" "$TRASH/dd3"
'

test_expect_success 'procfs is served: /proc/zoneinfo shows the new Movable block' '
	awk "/^Node 0, zone +Movable/ { z = 1 } z && /^ +present / { print \$2; exit }" \
		"$MNT/proc/zoneinfo" >"$TRASH/present" &&
	test "$(cat "$TRASH/present")" = 32768 &&
	expect_output "System RAM" "$MNT/proc/iomem"
'

test_expect_success 'SIGTERM unmounts cleanly and exits 0' '
	serve_stop &&
	test "$serve_rc" = 0 &&
	test ! -e "$M"
'

test_done
