#!/bin/sh
# t0059-serve-repeat: `hotmem serve`'s repeated options add up, as lines
# do in a scenario: every -c is a cmdline line (both parameters apply),
# every -m adds its words to the machine line. A mount point that is
# already served is refused instead of being stacked over.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve-lib.sh"

serve_require

test_expect_success 'two -c: both kernel parameters apply' '
	serve_start -c memhp_default_state=offline \
		-c memory_hotplug.memmap_on_memory=1 &&
	test "$(cat "$MNT/sys/devices/system/memory/auto_online_blocks")" = offline &&
	test "$(cat "$MNT/sys/module/memory_hotplug/parameters/memmap_on_memory")" = Y &&
	serve_stop
'

test_expect_success 'two -m: the words add up to one machine line' '
	serve_start -m "arch=x86_64 mem=4G" -m "slots=4 maxmem=16G" \
		-e "device_add pc-dimm id=d0 size=1G node=0" &&
	# 4 GiB of RAM (2 GiB above 4 GiB) and a DIMM at 6 GiB: the slots
	# and maxmem of the second -m are there
	test -d "$MNT/sys/devices/system/memory/memory48" &&
	test -d "$MNT/sys/devices/system/memory/memory47" &&
	serve_stop
'

test_expect_success 'a mount point already served: refused, nothing stacked' '
	serve_start &&
	"$HOTMEM" serve "$MNT" >"$TRASH/out2" 2>"$TRASH/err2"
	rc=$?
	test "$rc" -eq 2 &&
	expect_output "hotmem: serve: mount point '\''$MNT'\'' is already served" "$TRASH/err2" &&
	test "$(grep -c " $MNT fuse" /proc/mounts)" -eq 1 &&
	serve_stop
'

test_done
