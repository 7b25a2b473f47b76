#!/bin/sh
# t0003-malformed: a malformed scenario runs nothing. Every bad line is
# reported as FILE:LINE: error: MESSAGE naming the offending token, the
# exit status is 2, and nothing before the bad line ran: no `echo`
# output, no `read` output, although a state-changing `write` precedes
# the bad line.
. "$(dirname "$0")/lib.sh"

n=0

# after_boot 'BAD LINE' TOKEN: the bad line is line 7, after a write, a
# read and a snapshot named `boot`.
after_boot() {
	n=$((n + 1))
	f=$TRASH/a$n.scn
	{
		echo 'machine arch=x86_64 mem=2G slots=8 maxmem=32G'
		echo 'boot'
		echo 'echo BEFORE-MARKER'
		echo 'write /sys/devices/system/memory/auto_online_blocks offline'
		echo 'read /sys/devices/system/memory/auto_online_blocks'
		echo 'snapshot boot'
		printf '%s\n' "$1"
		echo 'echo AFTER-MARKER'
	} >"$f"
	check_malformed "$f" 7 "$2" "$1"
}

# before_boot 'BAD LINE' TOKEN: the bad line is line 2, before boot.
before_boot() {
	n=$((n + 1))
	f=$TRASH/b$n.scn
	{
		echo 'machine arch=x86_64 mem=2G slots=8 maxmem=32G'
		printf '%s\n' "$1"
		echo 'boot'
		echo 'echo BEFORE-MARKER'
		echo 'write /sys/devices/system/memory/auto_online_blocks offline'
		echo 'read /sys/devices/system/memory/auto_online_blocks'
	} >"$f"
	check_malformed "$f" 2 "$2" "$1"
}

# first_line 'BAD LINE' TOKEN: the bad line is the machine line.
first_line() {
	n=$((n + 1))
	f=$TRASH/c$n.scn
	{
		printf '%s\n' "$1"
		echo 'boot'
		echo 'echo BEFORE-MARKER'
		echo 'read /sys/devices/system/memory/auto_online_blocks'
	} >"$f"
	check_malformed "$f" 1 "$2" "$1"
}

check_malformed() {
	test_expect_success "malformed line $2 rejected: $4" "
		run_hotmem run '$1' &&
		expect_rc 2 &&
		expect_output '$1:$2: error:' &&
		grep -F '$1:$2: error:' \"\$TRASH/all\" >\"\$TRASH/msg\" &&
		expect_output '$3' \"\$TRASH/msg\" &&
		expect_no_output BEFORE-MARKER &&
		expect_no_output AFTER-MARKER &&
		expect_no_output '==> ' &&
		expect_no_output 'expect failed'
	"
}

# Commands and arguments the language does not have.
after_boot 'frobnicate now' 'frobnicate'
after_boot 'expect /proc/meminfo:MemTotal =~ 1953112' '=~'
after_boot 'expect /proc/meminfo:MemTotal ==' 'expect'
after_boot 'expect /proc/meminfo:MemTotal == 1953112 extra' 'extra'
after_boot 'expect /sys/devices/system/memory/auto_online_blocks == "online' 'online'
after_boot 'device_add pc-dimm id=d0 size=1Q node=0' '1Q'
after_boot 'device_add floppy id=d0 size=1G node=0' 'floppy'
after_boot 'device_add pc-dimm id=d0 node=0' 'size'
after_boot 'device_add pc-dimm id=d0 size=1G node=zero' 'zero'
after_boot 'device_del' 'device_del'
after_boot 'expect-error EWHATEVER write /sys/devices/system/memory/auto_online_blocks online' 'EWHATEVER'
after_boot 'expect-error EINVAL frobnicate /sys/devices/system/memory/memory1/state' 'frobnicate'
after_boot 'notifier-fail MEM_BOGUS' 'MEM_BOGUS'
after_boot 'notifier-fail MEM_GOING_ONLINE ENOTANERRNO' 'ENOTANERRNO'
after_boot 'notifier-fail MEM_GOING_ONLINE count=abc' 'abc'
after_boot 'trace maybe' 'maybe'
after_boot 'write /sys/devices/system/memory/auto_online_blocks' 'write'
after_boot 'read' 'read'
after_boot 'snapshot' 'snapshot'
after_boot 'boot' 'boot'
after_boot 'cmdline memhp_default_state=online' 'cmdline'
after_boot 'machine arch=x86_64 mem=2G slots=8 maxmem=32G' 'machine'
after_boot 'expect /proc/meminfo:MemTotal - @nosuchsnap == 0' 'nosuchsnap'
after_boot 'expect /sys/devices/system/memory/auto_online_blocks < "online"' '<'
after_boot 'expect /proc/meminfo:MemTotal - @boot == "big"' 'big'
after_boot 'expect /sys/devices/system/memory/memory1/state:foo == 1' 'memory1/state'
after_boot 'expect /proc/zoneinfo:0/Movable == 0' '0/Movable'
after_boot 'read sys/devices/system/memory/block_size_bytes' 'sys/devices/system/memory/block_size_bytes'

# Machine shape and command line problems, before boot.
before_boot 'numa node=x mem=1G' 'x'
before_boot 'write /sys/devices/system/memory/auto_online_blocks online' 'write'
before_boot 'device_add pc-dimm id=d0 size=1G node=0' 'device_add'
before_boot 'numa node=1 mem=2G' 'node=1'
before_boot 'cmdline memory_hotplug.memmap_on_memory=banana' 'banana'
first_line 'machine arch=x86_64 mem=lots slots=8 maxmem=32G' 'lots'
first_line 'machine arch=x86_64 mem=2G slots=8 maxmem=32G frob=1' 'frob'
first_line 'machine arch=x86_64 mem=2G slots=eight maxmem=32G' 'eight'

# An architecture without a profile is a malformed machine line, and
# a boot needs a machine line before it.
first_line 'machine arch=vax mem=2G' 'vax'

test_expect_success 'boot without a machine line is malformed' '
	printf "boot\necho AFTER-MARKER\n" >"$TRASH/nomachine.scn" &&
	run_hotmem run "$TRASH/nomachine.scn" &&
	expect_rc 2 &&
	expect_output "$TRASH/nomachine.scn:1: error:" "$TRASH/err" &&
	expect_output "machine" "$TRASH/err" &&
	expect_no_output AFTER-MARKER
'

# Everything is parsed before anything runs: a bad line far down a
# long, otherwise valid scenario still stops it all.
test_expect_success 'an error on the last line of a long scenario stops it all' '
	{
		echo "machine arch=x86_64 mem=2G slots=8 maxmem=32G"
		echo "cmdline memhp_default_state=offline"
		echo "boot"
		echo "echo BEFORE-MARKER"
		echo "device_add pc-dimm id=d0 size=1G node=0"
		echo "write /sys/devices/system/memory/memory32/state online_movable"
		echo "read /sys/devices/system/memory/memory32/valid_zones"
		echo "expect /proc/meminfo:MemTotal == 1"
		echo "expect /sys/devices/system/memory/memory32/state == \"online\""
		echo "bogus-command"
	} >"$TRASH/long.scn" &&
	run_hotmem run "$TRASH/long.scn" &&
	expect_rc 2 &&
	expect_output "$TRASH/long.scn:10: error:" &&
	expect_output "bogus-command" "$TRASH/err" &&
	expect_no_output BEFORE-MARKER &&
	expect_no_output "==> " &&
	expect_no_output "expect failed"
'

test_expect_success 'several bad lines are all reported' '
	{
		echo "machine arch=x86_64 mem=2G slots=8 maxmem=32G"
		echo "boot"
		echo "frobnicate"
		echo "echo fine"
		echo "expect /proc/meminfo:MemTotal =~ 3"
	} >"$TRASH/two.scn" &&
	run_hotmem run "$TRASH/two.scn" &&
	expect_rc 2 &&
	expect_output "$TRASH/two.scn:3: error:" &&
	expect_output "$TRASH/two.scn:5: error:" &&
	expect_no_output "fine" "$TRASH/out"
'

test_expect_success 'errors go to stderr, stdout stays empty' '
	run_hotmem run "$TRASH/a1.scn" &&
	expect_rc 2 &&
	test ! -s "$TRASH/out" &&
	expect_output "a1.scn:7: error:" "$TRASH/err"
'

test_expect_success 'hotmem check reports the same error without running' '
	run_hotmem check "$TRASH/a1.scn" &&
	expect_rc 2 &&
	expect_output "$TRASH/a1.scn:7: error:" &&
	expect_no_output BEFORE-MARKER
'

test_done
