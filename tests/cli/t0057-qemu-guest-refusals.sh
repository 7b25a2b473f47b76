#!/bin/sh
# t0057-qemu-guest-refusals: with --backend=qemu, a profile without a
# real guest (arm64-64k) and a device_add its guest cannot
# take (any on s390x and riscv64, pc-dimm on arm64) are refused before
# anything boots, naming FILE:LINE and why, exit 2; the model runs the
# same scenarios; `hotmem diff` refuses them too. No QEMU is needed.
. "$(dirname "$0")/lib.sh"

# scn NAME LINES...: write $TRASH/NAME.scn, one argument per line
scn() {
	name=$1; shift
	printf '%s\n' "$@" >"$TRASH/$name.scn"
}

test_expect_success 'arm64-64k: no Debian kernel, refused for qemu, run by the model' '
	scn a "machine arch=arm64-64k mem=2G" "boot" "echo RAN" &&
	run_hotmem run --backend=qemu "$TRASH/a.scn" &&
	expect_rc 2 &&
	expect_output "a.scn:1: error: arch=arm64-64k has no real guest: Debian builds no arm64 kernel with 64K pages (the model runs it: --backend=model)" "$TRASH/err" &&
	expect_no_output RAN "$TRASH/out" &&
	run_hotmem run "$TRASH/a.scn" &&
	expect_rc 0 &&
	expect_output RAN "$TRASH/out"
'


test_expect_success 'device_add on riscv64: refused for qemu with the reason, the model adds it' '
	scn c "machine arch=riscv64 mem=2G slots=2 maxmem=4G" "boot" "echo RAN" \
		"device_add pc-dimm id=d1 size=1G" &&
	run_hotmem run --backend=qemu "$TRASH/c.scn" &&
	expect_rc 2 &&
	expect_output "c.scn:4: error: device_add pc-dimm cannot run on the real riscv64 guest: QEMU'\''s riscv virt machine hot-adds no memory (no pc-dimm, no virtio-mem)" "$TRASH/err" &&
	expect_no_output RAN "$TRASH/out" &&
	run_hotmem run "$TRASH/c.scn" &&
	expect_rc 0
'

test_expect_success 'expect-error device_add on s390x counts as a plug: refused' '
	scn d "machine arch=s390x mem=2G" "boot" \
		"expect-error ENOSPC device_add pc-dimm id=d1 size=1G" &&
	run_hotmem run --backend=qemu "$TRASH/d.scn" &&
	expect_rc 2 &&
	expect_output "d.scn:3: error: device_add pc-dimm cannot run on the real s390x guest: QEMU hot-adds no memory to s390x" "$TRASH/err"
'

test_expect_success 'pc-dimm on arm64: refused (no ACPI memory hotplug in Debian), every refused line named' '
	scn e "machine arch=arm64 mem=2G slots=4 maxmem=8G" "boot" \
		"device_add pc-dimm id=d1 size=1G" "device_add pc-dimm id=d2 size=1G" &&
	run_hotmem run --backend=qemu "$TRASH/e.scn" &&
	expect_rc 2 &&
	expect_output "e.scn:3: error: device_add pc-dimm cannot run on the real arm64-4k guest: Debian'\''s arm64 kernel has no ACPI memory hotplug" "$TRASH/err" &&
	expect_output "e.scn:4: error: device_add pc-dimm" "$TRASH/err"
'

test_expect_success 'hpt-max-page-size= is for the ppc64 hash MMU only' '
	scn f "machine arch=ppc64-radix-64k mem=2G hpt-max-page-size=16M" "boot" "echo RAN" &&
	run_hotmem run "$TRASH/f.scn" &&
	expect_rc 2 &&
	expect_output "f.scn:2: error: boot: hpt-max-page-size= is the ppc64 hash MMU'\''s page table cap; ppc64-radix-64k has none" "$TRASH/err" &&
	scn g "machine arch=ppc64-hash-64k mem=2G hpt-max-page-size=16M" "boot" "echo RAN" &&
	run_hotmem run "$TRASH/g.scn" &&
	expect_rc 0 &&
	expect_output RAN "$TRASH/out"
'

test_done
