#!/bin/sh
# t0054-serve-daxctl: daxctl 76.1 lists the served dax region and device and
# reconfigures the device to system-ram (kmem), with the kernel's effects.
#
# The machine is tests/scenarios/201-acceptance-pmem-devdax-kmem.scn's
# (golden: a real 6.12.95 guest): -m 4G with memmap=1G!4G, the e820
# namespace made devdax with map=dev and align 2 MiB. Its facts: the dax
# region is the nd device dax0.0 at
# /sys/devices/platform/e820_pmem/ndbus0/region0/dax0.0, id 0, size and
# align 1054867456 and 2 MiB (static region), the dax device dax0.0
# starts at 0x101200000 on node 0; bound to kmem it becomes memory33-39
# ([0x108000000, 0x140000000)), offline with memhp_default_state=offline;
# binding another driver to a bound device is EBUSY (driver core; 202).
# reconfigure-device onlines movable unless told otherwise (daxctl).
#
# The char device: the reference guest showed dax0.0's `dev` as 252:0
# (the dax core, built in, takes dynamic major 252 at boot), and
# /sys/module/{kmem,device_dax}/initstate "live" (docs/serve.md).
#
# libdaxctl finds regions by realpath() of /sys/bus/dax/devices/daxX.Y,
# follows /sys/dev/char/MAJ:MIN/subsystem and asks libkmod whether kmem
# is loaded (/sys/module/kmem/initstate), so the whole served /sys is
# bind-mounted over /sys in a private mount namespace. It also stat()s
# /dev/daxX.Y; devtmpfs is not served, so a private tmpfs /dev gets the
# node made from the served `dev` attribute, as udev would.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve-lib.sh"
serve_require daxctl lsmem unshare
serve_require_ns

cat >"$TRASH/devdax.scn" <<'SCN'
machine arch=x86_64 mem=4G
cmdline memmap=1G!4G memory_hotplug.memmap_on_memory=1 memhp_default_state=offline
boot
# ndctl create-namespace -f -e namespace0.0 --mode=devdax --map=dev
write /sys/bus/nd/drivers/nd_pmem/unbind namespace0.0
write /sys/bus/nd/devices/dax0.0/uuid 3a9f5a8e-7c2d-4f61-9d3b-2b1f4c6e8a10
write /sys/bus/nd/devices/dax0.0/mode pmem
write /sys/bus/nd/devices/dax0.0/align 2097152
write /sys/bus/nd/devices/dax0.0/namespace namespace0.0
write /sys/bus/nd/drivers/dax_pmem/bind dax0.0
SCN

D=$MNT/sys/bus/dax/devices/dax0.0
REGION=/sys/devices/platform/e820_pmem/ndbus0/region0/dax0.0

test_expect_success 'serve the devdax machine of scenario 201' '
	serve_start --scenario "$TRASH/devdax.scn"
'

test_expect_success 'the bus links resolve to the device directories, as realpath sees them' '
	test "$(realpath "$D")" = "$MNT$REGION/dax0.0" &&
	test "$(cat "$D/../dax_region/size")" = 1054867456 &&
	test "$(basename "$(realpath "$D/driver")")" = device_dax
'

test_expect_success 'daxctl list -R: the dax region of the real guest' '
	in_ns "mount --bind \"$MNT/sys\" /sys && daxctl list -R" >"$TRASH/all" 2>&1 &&
	cat >"$TRASH/want" <<-\EOT &&
	[
	  {
	    "path":"\/platform\/e820_pmem\/ndbus0\/region0\/dax0.0",
	    "id":0,
	    "size":1054867456,
	    "align":2097152
	  }
	]
	EOT
	diff -u "$TRASH/want" "$TRASH/all"
'

test_expect_success 'the char device: dev 252:0, /sys/dev/char, subsystem, modules live' '
	test "$(cat "$D/dev")" = 252:0 &&
	test "$(readlink "$MNT/sys/dev/char/252:0")" = "../..${REGION#/sys}/dax0.0" &&
	test "$(realpath "$MNT/sys/dev/char/252:0/subsystem")" = "$MNT/sys/bus/dax" &&
	test "$(cat "$MNT/sys/module/kmem/initstate")" = live &&
	test "$(cat "$MNT/sys/module/device_dax/initstate")" = live
'

# the namespace of the daxctl cases: the served /sys, /dev made by "udev"
DAXNS="mount --bind \"$MNT/sys\" /sys && mount -t tmpfs none /dev &&
	mknod /dev/null c 1 3 &&
	mknod /dev/dax0.0 c \$(sed \"s/:/ /\" /sys/bus/dax/devices/dax0.0/dev)"

test_expect_success 'daxctl list -D: dax0.0 in devdax mode' '
	in_ns "$DAXNS && daxctl list -D" >"$TRASH/all" 2>&1 &&
	cat >"$TRASH/want" <<-\EOT &&
	[
	  {
	    "chardev":"dax0.0",
	    "size":1054867456,
	    "target_node":0,
	    "align":2097152,
	    "mode":"devdax"
	  }
	]
	EOT
	diff -u "$TRASH/want" "$TRASH/all"
'

test_expect_success 'daxctl reconfigure-device --mode=system-ram: kmem onlines memory33-39 movable' '
	in_ns "$DAXNS && daxctl reconfigure-device --mode=system-ram dax0.0" >"$TRASH/all" 2>&1 &&
	expect_line "reconfigured 1 device" &&
	expect_line "    \"mode\":\"system-ram\"," &&
	expect_line "    \"online_memblocks\":7," &&
	expect_line "    \"total_memblocks\":7," &&
	expect_line "    \"movable\":true" &&
	test "$(basename "$(realpath "$D/driver")")" = kmem &&
	lsmem --sysroot "$MNT" -P -o RANGE,STATE,BLOCK,ZONES >"$TRASH/lsmem" &&
	expect_line "RANGE=\"0x0000000108000000-0x000000013fffffff\" STATE=\"online\" BLOCK=\"33-39\" ZONES=\"Movable\"" "$TRASH/lsmem"
'

test_expect_success 'daxctl offline-memory offlines the seven blocks' '
	in_ns "$DAXNS && daxctl offline-memory dax0.0" >"$TRASH/all" 2>&1 &&
	expect_output "offlined memory for 1 device" &&
	test "$(cat "$MNT/sys/devices/system/memory/memory33/state")" = offline &&
	test "$(cat "$MNT/sys/devices/system/memory/memory39/state")" = offline
'

test_expect_success 'binding device_dax to the kmem-bound device: write(2) fails EBUSY' '
	printf dax0.0 | dd of="$MNT/sys/bus/dax/drivers/device_dax/bind" conv=notrunc 2>"$TRASH/dd";
	expect_output "Device or resource busy" "$TRASH/dd" &&
	test "$(basename "$(realpath "$D/driver")")" = kmem
'

test_expect_success 'SIGTERM unmounts cleanly and exits 0' '
	serve_stop &&
	test "$serve_rc" = 0
'

test_done
