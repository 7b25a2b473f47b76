#!/bin/sh
# t0009-cmdline-cpumap: /proc/cmdline (fs/proc/cmdline.c: the command
# line as given, unknown words included, and a newline) and a node's
# cpumap (drivers/base/node.c cpumap_read: "%*pb" of nr_cpu_ids bits,
# lib/vsprintf.c bitmap_string: hex in 32-bit chunks, the first chunk
# as wide as its bits need).
. "$(dirname "$0")/lib.sh"

test_expect_success '/proc/cmdline: every word, in order, unknown ones too' '
	scenario c.scn <<-EOF &&
	machine arch=x86_64 mem=2G
	cmdline memhp_default_state=offline foo=bar
	cmdline quiet memory_hotplug.memmap_on_memory=1
	boot
	read /proc/cmdline
	EOF
	run_hotmem run "$TRASH/c.scn" &&
	expect_rc 0 &&
	extract_read /proc/cmdline "$TRASH/got" &&
	printf "%s\n" "memhp_default_state=offline foo=bar quiet memory_hotplug.memmap_on_memory=1" >"$TRASH/want" &&
	cmp "$TRASH/want" "$TRASH/got"
'

test_expect_success 'cpumap: one bit per CPU, two nodes, a CPU-less third' '
	scenario n.scn <<-EOF &&
	machine arch=x86_64 mem=3G
	numa node=0 mem=1G cpus=0
	numa node=1 mem=1G cpus=1
	numa node=2 mem=1G
	boot
	expect /sys/devices/system/node/node0/cpumap == "1"
	expect /sys/devices/system/node/node1/cpumap == "2"
	expect /sys/devices/system/node/node2/cpumap == "0"
	EOF
	run_hotmem run "$TRASH/n.scn" &&
	expect_rc 0
'

test_expect_success 'cpumap: the one CPU of a one-node machine' '
	scenario o.scn <<-EOF &&
	machine arch=x86_64 mem=2G
	boot
	expect /sys/devices/system/node/node0/cpumap == "1"
	EOF
	run_hotmem run "$TRASH/o.scn" &&
	expect_rc 0
'

test_done
