#!/bin/sh
# t0006-dmesg: kernel log lines a user looks for (mm/vmstat.c "Kernel log
# lines worth reproducing", drivers/acpi/acpi_memhotplug.c ACPI, the arch's asm/sparsemem.h block size log).
. "$(dirname "$0")/lib.sh"

# The first dmesg shows the whole log, boot included, as dmesg(1) does.
test_expect_success 'boot logs the memory block size' '
	scenario boot.scn <<-SCN &&
	machine arch=x86_64 mem=2G slots=8 maxmem=32G
	boot
	dmesg
	SCN
	run_hotmem run "$TRASH/boot.scn" &&
	expect_rc 0 &&
	expect_output "x86/mm: Memory block size: 128MB" "$TRASH/out"
'

# mm/sparse-vmemmap.c sizing: force on 128 MiB blocks wastes 512 - 512 = 0 pages.
test_expect_success 'memmap_on_memory=force logs the per-block waste' '
	scenario force.scn <<-SCN &&
	machine arch=x86_64 mem=2G slots=8 maxmem=32G
	cmdline memory_hotplug.memmap_on_memory=force
	boot
	dmesg
	SCN
	run_hotmem run "$TRASH/force.scn" &&
	expect_rc 0 &&
	expect_output "Memory hotplug will waste 0 pages in each memory block" "$TRASH/out"
'

# mm/memory_hotplug.c check_hotplug_memory_range / mm/vmstat.c / drivers/acpi/acpi_memhotplug.c: a 64 MiB DIMM at 4 GiB.
test_expect_success 'an unaligned DIMM logs the unaligned range and the ACPI failure' '
	scenario unaligned.scn <<-SCN &&
	machine arch=x86_64 mem=2G slots=8 maxmem=32G
	boot
	device_add pc-dimm id=small size=64M node=0
	dmesg
	read /proc/iomem
	SCN
	run_hotmem run "$TRASH/unaligned.scn" &&
	expect_rc 0 &&
	expect_output "Block size [0x8000000] unaligned hotplug range: start 0x100000000, size 0x4000000" "$TRASH/out" &&
	expect_match "acpi PNP0C80:[0-9a-f]+: add_memory failed" "$TRASH/out" &&
	expect_match "acpi PNP0C80:[0-9a-f]+: acpi_memory_enable_device\(\) error" "$TRASH/out" &&
	expect_no_output "100000000-" "$TRASH/out"
'

# drivers/acpi/acpi_memhotplug.c eject: a block that refuses to offline in both passes.
test_expect_success 'a refused eject logs Offline failed for the block' '
	scenario eject.scn <<-SCN &&
	machine arch=x86_64 mem=2G slots=8 maxmem=32G
	cmdline memhp_default_state=online_movable
	boot
	device_add pc-dimm id=d0 size=128M node=0
	notifier-fail MEM_GOING_OFFLINE count=0
	expect-error EBUSY device_del d0
	dmesg
	SCN
	run_hotmem run "$TRASH/eject.scn" &&
	expect_rc 0 &&
	expect_output "memory memory32: Offline failed." "$TRASH/out"
'

# lib/notifier-error-inject.c: pr_info("Injecting error (%d) to %s\n")
# each time an action's error vetoes its event.
test_expect_success 'memory-notifier-error-inject logs each injected error' '
	scenario nei.scn <<-SCN &&
	machine arch=x86_64 mem=2G slots=8 maxmem=32G
	cmdline memhp_default_state=offline
	boot
	device_add pc-dimm id=d0 size=128M node=0
	write /sys/kernel/debug/notifier-error-inject/memory/actions/MEM_GOING_ONLINE/error -12
	expect-error ENOMEM write /sys/devices/system/memory/memory32/state online
	dmesg
	SCN
	run_hotmem run "$TRASH/nei.scn" &&
	expect_rc 0 &&
	expect_line "Injecting error (-12) to MEM_GOING_ONLINE" "$TRASH/out"
'

test_done
