#!/bin/sh
# t0022-arch-bad-input: architecture, standby memory and chmem mistakes
# in a scenario are reported with FILE:LINE and the reason, exit 2, and
# nothing after them runs.
. "$(dirname "$0")/lib.sh"

# scn NAME LINES...: write $TRASH/NAME.scn, one argument per line
scn() {
	name=$1; shift
	printf '%s\n' "$@" >"$TRASH/$name.scn"
}

test_expect_success 'unknown arch: malformed line, the profiles are listed' '
	scn a "machine arch=arm64-8k mem=2G" "boot" "echo RAN" &&
	run_hotmem run "$TRASH/a.scn" &&
	expect_rc 2 &&
	expect_output "a.scn:1: error: machine: unknown arch" "$TRASH/err" &&
	expect_output "arm64-64k" "$TRASH/err" &&
	expect_no_output RAN "$TRASH/out"
'

test_expect_success 'standby= on x86: boot error naming standby' '
	scn b "machine arch=x86_64 mem=2G standby=1G" "boot" "echo RAN" &&
	run_hotmem run "$TRASH/b.scn" &&
	expect_rc 2 &&
	expect_output "b.scn:2: error: boot: standby= is s390 standby memory; x86_64 has none" "$TRASH/err" &&
	expect_no_output RAN "$TRASH/out"
'

test_expect_success 'DIMM slots on s390: boot error pointing to standby=' '
	scn c "machine arch=s390x mem=2G slots=2 maxmem=4G" "boot" &&
	run_hotmem run "$TRASH/c.scn" &&
	expect_rc 2 &&
	expect_output "c.scn:2: error: boot: s390-ccw-virtio has no DIMM slots" "$TRASH/err"
'

test_expect_success 'standby not a multiple of the storage increment: boot error' '
	scn d "machine arch=s390x mem=2G standby=512K" "boot" &&
	run_hotmem run "$TRASH/d.scn" &&
	expect_rc 2 &&
	expect_output "d.scn:2: error: boot: mem= and standby= must be multiples of the storage increment (1M)" "$TRASH/err"
'

test_expect_success 'block smaller than a 512M arm64-64k section: boot error' '
	scn e "machine arch=arm64-64k mem=2G block_size=128M" "boot" &&
	run_hotmem run "$TRASH/e.scn" &&
	expect_rc 2 &&
	expect_output "e.scn:2: error: boot: block_size=134217728: must be a power of two of at least one section (512 MiB on arm64-64k)" "$TRASH/err"
'

test_expect_success 'chmem mistakes: each line named, nothing runs' '
	scn f "machine arch=s390x mem=2G standby=1G" "boot" "echo RAN" \
		"chmem 1G" "chmem -e -d 1G" "chmem -e -z Bogus 1G" "chmem -e 1G 2G" \
		"chmem -e 0x10-20" "chmem -e -x 1G" "chmem -e -b 5-3" &&
	run_hotmem run "$TRASH/f.scn" &&
	expect_rc 2 &&
	expect_output "f.scn:4: error: chmem: bad usage" "$TRASH/err" &&
	expect_output "f.scn:5: error: chmem: -e and -d are mutually exclusive" "$TRASH/err" &&
	expect_output "f.scn:6: error: chmem: unknown memory zone: Bogus" "$TRASH/err" &&
	expect_output "f.scn:7: error: chmem: more than one" "$TRASH/err" &&
	expect_output "f.scn:8: error: chmem: Invalid address range" "$TRASH/err" &&
	expect_output "f.scn:9: error: chmem: unknown option" "$TRASH/err" &&
	expect_output "f.scn:10: error: chmem: Invalid range: 5-3" "$TRASH/err" &&
	expect_no_output RAN "$TRASH/out"
'

test_expect_success 'chmem size not block aligned: exit status 1 as chmem, the block size named, the run goes on' '
	scn g "machine arch=s390x mem=2G standby=1G" "boot" "chmem -e 100M" "echo AFTER" &&
	run_hotmem run "$TRASH/g.scn" &&
	expect_rc 0 &&
	expect_output "chmem: Size must be aligned to memory block size (256M)" "$TRASH/out" &&
	expect_output "chmem: exit status 1" "$TRASH/out" &&
	expect_output AFTER "$TRASH/out"
'

test_expect_success 'expect-status on chmem: 1 (nothing done), 64 (part done), 0; a wrong one fails' '
	scn h "machine arch=s390x mem=2G standby=1G" "cmdline memhp_default_state=offline" "boot" \
		"expect-status 64 chmem -e -b 11-12" \
		"expect-status 0 chmem -v -e -b 11" \
		"expect-status 0 chmem -e 0x1000-0x2000" \
		"expect-status 1 chmem -e 0x1000-0x2000" &&
	run_hotmem run "$TRASH/h.scn" &&
	expect_rc 1 &&
	expect_output "Memory Block 11 (0x00000000b0000000-0x00000000bfffffff) already enabled" "$TRASH/out" &&
	expect_output "chmem: Start address and (end address + 1) must be aligned to memory block size (256M)" "$TRASH/out" &&
	expect_output "h.scn:6: expect failed: expect-status 0 chmem -e 0x1000-0x2000" "$TRASH/out" &&
	expect_output "got:    exit status 1" "$TRASH/out" &&
	expect_output "1 of 4 expectations failed"
'

test_expect_success 'arm64 virt below EDK2'"'"'s kernel placement: boot error naming EDK2' '
	scn h "machine arch=arm64-4k mem=128M" "boot" "echo RAN" &&
	run_hotmem run "$TRASH/h.scn" &&
	expect_rc 2 &&
	expect_output "h.scn:2: error: boot: mem=134217728: below 248M EDK2'"'"'s placement of the kernel is not modelled" "$TRASH/err" &&
	expect_no_output RAN "$TRASH/out"
'

test_expect_success 'pc-dimm on Debian'"'"'s arm64: plugged, no memory, the eject unanswered' '
	scn i "machine arch=arm64 mem=2G slots=2 maxmem=4G" "boot" \
		"device_add pc-dimm id=d0 size=128M" \
		"expect-error ENOENT read /sys/devices/system/memory/memory24/state" \
		"device_del d0" &&
	run_hotmem run "$TRASH/i.scn" &&
	expect_rc 0 &&
	expect_output "device_del d0: EBUSY (Device or resource busy): the arm64-4k kernel has no ACPI memory hotplug (CONFIG_ACPI_HOTPLUG_MEMORY unset)" "$TRASH/out"
'

test_expect_success 'cpu=: an unknown model is a malformed machine line' '
	scn p "machine arch=x86_64 mem=2G cpu=pentium" "boot" "echo RAN" &&
	run_hotmem run "$TRASH/p.scn" &&
	expect_rc 2 &&
	expect_output "p.scn:1: error: machine: unknown cpu '"'"'pentium'"'"' (known: max, qemu64)" "$TRASH/err" &&
	expect_no_output RAN "$TRASH/out"
'

test_expect_success 'cpu= off x86, and qemu64 on 5-level paging: boot errors' '
	scn q "machine arch=arm64 mem=2G cpu=max" "boot" "echo RAN" &&
	run_hotmem run "$TRASH/q.scn" &&
	expect_rc 2 &&
	expect_output "q.scn:2: error: boot: cpu= chooses QEMU'"'"'s x86 CPU model; arm64-4k takes its machine'"'"'s own" "$TRASH/err" &&
	expect_no_output RAN "$TRASH/out" &&
	scn r "machine arch=x86_64-5level mem=2G cpu=qemu64" "boot" "echo RAN" &&
	run_hotmem run "$TRASH/r.scn" &&
	expect_rc 2 &&
	expect_output "r.scn:2: error: boot: cpu=qemu64 has no LA57: x86_64-5level needs it for 5-level paging" "$TRASH/err"
'

test_done
