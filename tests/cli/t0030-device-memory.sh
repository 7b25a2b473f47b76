#!/bin/sh
# t0030-device-memory: /proc/iomem nesting and the kernel's messages for
# pmem, device-dax, kmem and CXL (mm/memremap.c iomem, drivers/dax/kmem.c kmem and CXL
# iomem). The scenario files hold the numbers; this checks the text.
. "$(dirname "$0")/lib.sh"

PREFIX='machine arch=x86_64 mem=4G
cmdline memmap=1G!4G memory_hotplug.memmap_on_memory=1 memhp_default_state=offline
boot'
DEVDAX='write /sys/bus/nd/drivers/nd_pmem/unbind namespace0.0
write /sys/bus/nd/devices/dax0.0/mode pmem
write /sys/bus/nd/devices/dax0.0/namespace namespace0.0
write /sys/bus/nd/devices/dax0.0/uuid 3a9f5a8e-7c2d-4f61-9d3b-2b1f4c6e8a10
write /sys/bus/nd/drivers/dax_pmem/bind dax0.0'

# iomem_pmem LINE...: the pmem resource and everything nested under it
# (up to the next top-level line) are exactly LINE...
iomem_pmem() {
	extract_read /proc/iomem "$TRASH/iomem" "$TRASH/out" &&
	awk '/Persistent Memory/ { on = 1; print; next }
	     on && /^ / { print; next }
	     { on = 0 }' "$TRASH/iomem" >"$TRASH/got" &&
	printf "%s\n" "$@" >"$TRASH/want" &&
	if ! cmp -s "$TRASH/want" "$TRASH/got"; then
		echo "--- wanted"; cat "$TRASH/want"
		echo "--- got"; cat "$TRASH/got"
		return 1
	fi
}

test_expect_success 'raw namespace at boot: one child over the whole range' '
	printf "%s\nread /proc/iomem\n" "$PREFIX" | scenario raw.scn &&
	run_hotmem run "$TRASH/raw.scn" &&
	expect_rc 0 &&
	iomem_pmem "100000000-13fffffff : Persistent Memory (legacy)" \
		"  100000000-13fffffff : namespace0.0"
'

test_expect_success 'devdax map=dev: metadata under the namespace name, data as dax0.0' '
	printf "%s\n%s\nread /proc/iomem\n" "$PREFIX" "$DEVDAX" | scenario devdax.scn &&
	run_hotmem run "$TRASH/devdax.scn" &&
	expect_rc 0 &&
	iomem_pmem "100000000-13fffffff : Persistent Memory (legacy)" \
		"  100000000-1011fffff : namespace0.0" \
		"  101200000-13fffffff : dax0.0"
'

test_expect_success 'device_dax unbound: only the metadata child remains' '
	printf "%s\n%s\nwrite /sys/bus/dax/drivers/device_dax/unbind dax0.0\nread /proc/iomem\n" \
		"$PREFIX" "$DEVDAX" | scenario unbound.scn &&
	run_hotmem run "$TRASH/unbound.scn" &&
	expect_rc 0 &&
	iomem_pmem "100000000-13fffffff : Persistent Memory (legacy)" \
		"  100000000-1011fffff : namespace0.0"
'

test_expect_success 'kmem: dax0.0 shrinks to whole blocks, System RAM (kmem) inside' '
	printf "%s\n%s\nwrite /sys/bus/dax/drivers/device_dax/unbind dax0.0\nwrite /sys/bus/dax/drivers/kmem/new_id dax0.0\nread /proc/iomem\n" \
		"$PREFIX" "$DEVDAX" | scenario kmem.scn &&
	run_hotmem run "$TRASH/kmem.scn" &&
	expect_rc 0 &&
	extract_read /proc/iomem "$TRASH/iomem" &&
	expect_line "100000000-13fffffff : Persistent Memory (legacy)" "$TRASH/iomem" &&
	expect_line "  100000000-1011fffff : namespace0.0" "$TRASH/iomem" &&
	expect_line "  108000000-13fffffff : dax0.0" "$TRASH/iomem" &&
	expect_line "    108000000-13fffffff : System RAM (kmem)" "$TRASH/iomem"
'

test_expect_success 'kmem unbind with a block online: memory and resources stay, message' '
	printf "%s\n%s\nwrite /sys/bus/dax/drivers/device_dax/unbind dax0.0\nwrite /sys/bus/dax/drivers/kmem/new_id dax0.0\nwrite /sys/devices/system/memory/memory34/state online_movable\nwrite /sys/bus/dax/drivers/kmem/unbind dax0.0\nwrite /sys/bus/dax/drivers/device_dax/bind dax0.0\nread /proc/iomem\ndmesg\n" \
		"$PREFIX" "$DEVDAX" | scenario stuck.scn &&
	run_hotmem run "$TRASH/stuck.scn" &&
	expect_rc 0 &&
	extract_read /proc/iomem "$TRASH/iomem" &&
	expect_line "  108000000-13fffffff : dax0.0" "$TRASH/iomem" &&
	expect_line "    108000000-13fffffff : System RAM (kmem)" "$TRASH/iomem" &&
	expect_output "kmem dax0.0: mapping0: 0x108000000-0x13fffffff cannot be hotremoved until the next reboot" &&
	expect_output "device_dax dax0.0: mapping0: 0x101200000-0x13fffffff could not reserve range" &&
	expect_output "dax dax0.0: probe with driver device_dax failed with error -16" &&
	expect_output "write /sys/bus/dax/drivers/device_dax/bind: EBUSY"
'

test_expect_success '130 MiB: kmem logs the unaligned range and rejects the device' '
	scenario small.scn <<-SCN &&
	machine arch=x86_64 mem=4G
	cmdline memmap=130M!4G
	boot
	write /sys/bus/nd/drivers/nd_pmem/unbind namespace0.0
	write /sys/bus/nd/devices/dax0.0/mode pmem
	write /sys/bus/nd/devices/dax0.0/namespace namespace0.0
	write /sys/bus/nd/devices/dax0.0/uuid 3a9f5a8e-7c2d-4f61-9d3b-2b1f4c6e8a10
	write /sys/bus/nd/drivers/dax_pmem/bind dax0.0
	write /sys/bus/dax/drivers/device_dax/unbind dax0.0
	write /sys/bus/dax/drivers/kmem/new_id dax0.0
	dmesg
	SCN
	run_hotmem run "$TRASH/small.scn" &&
	expect_rc 0 &&
	expect_line "kmem dax0.0: mapping0: 0x100400000-0x1081fffff too small after alignment" "$TRASH/out" &&
	expect_line "kmem dax0.0: rejecting DAX region without any memory after alignment" "$TRASH/out" &&
	expect_line "dax dax0.0: probe with driver kmem failed with error -22" "$TRASH/out"
'

test_expect_success 'misaligned legacy namespace is not mapped at boot' '
	scenario mis.scn <<-SCN &&
	machine arch=x86_64 mem=4G
	cmdline memmap=8M!0x140100000
	boot
	dmesg
	read /proc/iomem
	SCN
	run_hotmem run "$TRASH/mis.scn" &&
	expect_rc 0 &&
	expect_output "nd_pmem namespace0.0: [mem 0x140100000-0x1408fffff flags 0x200] misaligned, unable to map" &&
	expect_output "nd namespace0.0: probe with driver nd_pmem failed with error -95" &&
	extract_read /proc/iomem "$TRASH/iomem" &&
	expect_line "140100000-1408fffff : Persistent Memory (legacy)" "$TRASH/iomem" &&
	expect_line "100000000-1400fffff : System RAM" "$TRASH/iomem" &&
	expect_line "140900000-17fffffff : System RAM" "$TRASH/iomem"
'

test_expect_success 'CXL: window, region, dax0.0, System RAM (kmem)' '
	scenario cxl.scn <<-SCN &&
	machine arch=x86_64 mem=4G block_size=256M
	numa node=0 mem=4G cpus=0
	numa node=1 mem=0
	boot
	device_add cxl-type3 id=mem0 size=2G node=1
	read /proc/iomem
	dmesg
	SCN
	run_hotmem run "$TRASH/cxl.scn" &&
	expect_rc 0 &&
	extract_read /proc/iomem "$TRASH/iomem" &&
	expect_line "190000000-20fffffff : CXL Window 0" "$TRASH/iomem" &&
	expect_line "  190000000-20fffffff : region0" "$TRASH/iomem" &&
	expect_line "    190000000-20fffffff : dax0.0" "$TRASH/iomem" &&
	expect_line "      190000000-20fffffff : System RAM (kmem)" "$TRASH/iomem" &&
	expect_output "potential offnode page_structs"
'

test_expect_success 'memmap=: malformed values are errors, other forms warnings' '
	scenario mm.scn <<-SCN &&
	machine arch=x86_64 mem=2G
	cmdline memmap=banana!4G
	cmdline memmap=4G
	boot
	SCN
	run_hotmem run "$TRASH/mm.scn" &&
	expect_rc 2 &&
	expect_line "$TRASH/mm.scn:2: error: cmdline: kernel rejects '"'"'memmap=banana!4G'"'"': memmap=banana!4G: malformed SIZE!START" "$TRASH/err" &&
	expect_line "$TRASH/mm.scn:3: warning: cmdline: memmap=4G: only the SIZE!START (legacy pmem) form is modelled; ignored" "$TRASH/err"
'

test_expect_success 'memmap= over a reserved e820 range fails the boot' '
	scenario res.scn <<-SCN &&
	machine arch=x86_64 mem=2G
	cmdline memmap=1G!0xb0000000
	boot
	SCN
	run_hotmem run "$TRASH/res.scn" &&
	expect_rc 2 &&
	expect_output "res.scn:3: error: boot: memmap=: legacy pmem [mem 0xb0000000-0xefffffff] overlaps a reserved e820 range" "$TRASH/err"
'

test_done
