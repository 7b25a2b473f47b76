#!/bin/sh
# t0042-first-hour: what a new user meets in the first hour gets a
# message with its reason: a directory or a binary file given as a
# scenario, a misspelt step (the nearest step is suggested), a node
# beyond the limit, RAM or a hotplug area beyond the physical address
# limit (MAX_PHYSMEM_BITS: 46 bits on x86-64 with 4-level paging),
# x86 memory blocks above 2 GiB (MAX_BLOCK_SIZE), explain's block sizes
# beyond the address space; chmem's options after its operand, as
# getopt_long accepts them.
. "$(dirname "$0")/lib.sh"

scn() {
	name=$1; shift
	printf '%s\n' "$@" >"$TRASH/$name.scn"
}

test_expect_success 'a directory: "Is a directory", not an I/O error' '
	mkdir "$TRASH/dir" &&
	run_hotmem run "$TRASH/dir" &&
	expect_rc 2 &&
	expect_output "hotmem: cannot read '\''$TRASH/dir'\'': Is a directory" "$TRASH/err"
'

test_expect_success 'a binary file: one error, no raw bytes echoed' '
	printf "\177ELF\001\002\000\000garbage\nmore\n" >"$TRASH/bin.scn" &&
	run_hotmem run "$TRASH/bin.scn" &&
	expect_rc 2 &&
	expect_line "$TRASH/bin.scn:1: error: not a scenario: binary data (byte 0x7f at offset 0); a scenario is a text file, one step a line" "$TRASH/err" &&
	test "$(wc -l <"$TRASH/err")" -eq 1
'

test_expect_success 'a misspelt step: the nearest step is suggested' '
	scn a "machine arch=x86_64 mem=2G slots=8 maxmem=32G" "boot" \
		"devcie_add pc-dimm id=d size=1G" "expect_error EINVAL write /x 1" &&
	run_hotmem run "$TRASH/a.scn" &&
	expect_rc 2 &&
	expect_line "$TRASH/a.scn:3: error: unknown step '\''devcie_add'\'' (did you mean '\''device_add'\''?)" "$TRASH/err" &&
	expect_line "$TRASH/a.scn:4: error: unknown step '\''expect_error'\'' (did you mean '\''expect-error'\''?)" "$TRASH/err"
'

test_expect_success 'a word far from every step: the steps are listed' '
	scn b "machine arch=x86_64 mem=2G" "boot" "frobnicate" &&
	run_hotmem run "$TRASH/b.scn" &&
	expect_rc 2 &&
	expect_output "unknown step '\''frobnicate'\'' (steps: machine, numa, cmdline, boot," "$TRASH/err"
'

test_expect_success 'node=64: the limit is stated' '
	scn c "machine arch=x86_64 mem=2G slots=8 maxmem=32G" "boot" \
		"device_add pc-dimm id=d size=1G node=64" &&
	run_hotmem run "$TRASH/c.scn" &&
	expect_rc 2 &&
	expect_output "device_add: bad node '\''64'\'' (a node number 0..63" "$TRASH/err"
'

test_expect_success 'mem=1P and mem=64T: beyond the 46-bit physical address limit' '
	scn d "machine arch=x86_64 mem=1P" "boot" &&
	run_hotmem run "$TRASH/d.scn" &&
	expect_rc 2 &&
	expect_output "d.scn:2: error: boot: mem=1P: RAM would end at 0x400ff80000000, beyond the physical address limit of x86_64: 46 bits, 64T (MAX_PHYSMEM_BITS)" "$TRASH/err" &&
	scn e "machine arch=x86_64 mem=64T" "boot" &&
	run_hotmem run "$TRASH/e.scn" &&
	expect_rc 2 &&
	expect_output "mem=64T: RAM would end at 0x40ff80000000, beyond the physical address limit" "$TRASH/err"
'

test_expect_success 'maxmem beyond the physical address limit is refused' '
	scn f "machine arch=x86_64 mem=2G slots=8 maxmem=128T" "boot" &&
	run_hotmem run "$TRASH/f.scn" &&
	expect_rc 2 &&
	expect_output "maxmem=128T slots=8: the DIMM hotplug area [0x100000000-0x80027fffffff] would end beyond the physical address limit of x86_64: 46 bits, 64T" "$TRASH/err" &&
	scn g "machine arch=x86_64 mem=61T slots=1 maxmem=62T" "boot" "echo BOOTED" &&
	run_hotmem run "$TRASH/g.scn" &&
	expect_rc 0 &&
	expect_line "BOOTED" "$TRASH/out"
'

test_expect_success 'block_size=4G on x86: above MAX_BLOCK_SIZE (2 GiB)' '
	scn h "machine arch=x86_64 mem=2G block_size=4G" "boot" &&
	run_hotmem run "$TRASH/h.scn" &&
	expect_rc 2 &&
	expect_output "block_size=4294967296: x86'\''s memory blocks are at most 2 GiB (MAX_BLOCK_SIZE, arch/x86/mm/init_64.c)" "$TRASH/err"
'

test_expect_success 'explain: a block larger than the address space is refused' '
	run_hotmem explain --arch s390x --block-size 1P &&
	expect_rc 2 &&
	expect_output "larger than the physical address space of s390x (46 bits" "$TRASH/err" &&
	run_hotmem explain --arch x86_64 --block-size 4G &&
	expect_rc 2 &&
	expect_output "at most 2 GiB" "$TRASH/err"
'

test_expect_success 'chmem: options after the operand, as getopt_long permutes them' '
	scn i "machine arch=s390x mem=2G standby=1G" \
		"cmdline memhp_default_state=offline" "boot" "snapshot boot" \
		"chmem -e 512M -v" \
		"expect /sys/devices/system/memory/memory8/state == online" \
		"expect /sys/devices/system/memory/memory9/state == online" \
		"expect /sys/devices/system/memory/memory10/state == offline" &&
	run_hotmem run "$TRASH/i.scn" &&
	expect_rc 0
'

test_expect_success 'a quoted path is never split at its colon' '
	scn j "machine arch=x86_64 mem=2G" "boot" \
		"expect \"/sys/devices/system/memory/block_size_bytes\" == \"8000000\"" &&
	run_hotmem run "$TRASH/j.scn" &&
	expect_rc 0 &&
	scn k "machine arch=x86_64 mem=2G" "boot" \
		"expect /sys/dev/char/252:0/size == 1" &&
	run_hotmem run "$TRASH/k.scn" &&
	expect_rc 2 &&
	expect_output "a path with '\'':'\'' in it is written in quotes: \"/sys/dev/char/252:0/size\"" "$TRASH/err"
'

test_expect_success 'a quoted /sys/dev/char/MAJ:MIN path reaches the dax device' '
	scn m "machine arch=x86_64 mem=4G slots=2 maxmem=8G" "cmdline memmap=1G!4G" "boot" \
		"ndctl create-namespace -m devdax -M dev -e namespace0.0 -f" \
		"expect \"/sys/dev/char/252:0/size\" == 1054867456" \
		"expect \"/sys/dev/char/252:0/dev\" == \"252:0\"" \
		"expect-error ENOENT read \"/sys/dev/char/252:9/size\"" &&
	run_hotmem run "$TRASH/m.scn" &&
	expect_rc 0
'

# The kernel prints "online_pages [mem ...] failed" and "memory offlining
# [mem ...] failed due to ..." with pr_debug (mm/memory_hotplug.c), which
# Debian's 6.12 does not show: a vetoed online or a refused offline
# leaves dmesg as it was.
test_expect_success 'dmesg: no pr_debug lines for a vetoed online or a refused offline' '
	scn l "machine arch=x86_64 mem=2G slots=8 maxmem=32G" \
		"cmdline memhp_default_state=offline" "boot" \
		"device_add pc-dimm id=d size=128M" \
		"notifier-fail MEM_GOING_ONLINE" \
		"expect-error EPERM write /sys/devices/system/memory/memory32/state online" \
		"expect-error EINVAL write /sys/devices/system/memory/memory0/state offline" \
		"dmesg" &&
	run_hotmem run "$TRASH/l.scn" &&
	expect_rc 0 &&
	! grep -q "online_pages\|memory offlining" "$TRASH/out"
'

test_done
