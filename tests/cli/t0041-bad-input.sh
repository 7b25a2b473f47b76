#!/bin/sh
# t0041-bad-input: the bad-input catalogue's CLI and scenario-line cases
# not already in t0003/t0004 (docs/testing.md lists them all). Bad
# arguments exit 2 with a message naming the argument and run nothing
# (no walk: no progress line, no file written); malformed lines exit 2
# with FILE:LINE: error: naming the token, and nothing runs. Bad sysfs
# writes are tests/scenarios/086-errors-bad-writes.scn.
. "$(dirname "$0")/lib.sh"

# bad_args 'ARGS' TOKEN: hotmem ARGS exits 2 naming TOKEN, runs nothing.
bad_args() {
	test_expect_success "bad arguments rejected: hotmem $1" "
		(cd \"\$TRASH\" && \"\$HOTMEM\" $1 >\"\$TRASH/out\" 2>\"\$TRASH/err\"; echo \$? >\"\$TRASH/rc\") &&
		test \"\$(cat \"\$TRASH/rc\")\" = 2 &&
		expect_output '$2' \"\$TRASH/err\" &&
		expect_no_output 'fuzz: phase' \"\$TRASH/err\" &&
		test ! -s \"\$TRASH/out\" &&
		test -z \"\$(ls \"\$TRASH\" | grep '^hotmem-fuzz-')\"
	"
}

bad_args 'fuzz --seed abc' "abc"
bad_args 'fuzz --seed -1' "-1"
bad_args 'fuzz --seed 18446744073709551616' "18446744073709551616"
bad_args 'fuzz --ops 0' "--ops:"
bad_args 'fuzz --ops 10x' "10x"
bad_args 'fuzz --ops' "needs a value"
bad_args 'fuzz --time 0' "--time:"
bad_args 'fuzz --time=-3' "-3"
bad_args 'fuzz --time soon' "soon"
bad_args 'fuzz --walk-len 0' "--walk-len:"
bad_args 'fuzz --walk x' "--walk:"
bad_args 'fuzz --inject-bug everything' "everything"
bad_args 'fuzz --frobnicate' "--frobnicate"
bad_args 'fuzz some.scn' "some.scn"
bad_args 'run --check' "no scenario file"
# the qemu backend exists: a missing file is what is wrong here
bad_args 'run --backend=qemu x.scn' "cannot read"
bad_args 'run --backend=kvm x.scn' "kvm"
bad_args 'run --check --backend=qemu x.scn' "cannot check invariants"
bad_args 'check --check x.scn' "--check"

# Malformed lines, after boot (line 3): each names its token.
n=0
malformed() {
	n=$((n + 1))
	f=$TRASH/m$n.scn
	{
		echo 'machine arch=x86_64 mem=2G slots=8 maxmem=32G'
		echo 'boot'
		printf '%s\n' "$1"
		echo 'echo AFTER-MARKER'
	} >"$f"
	test_expect_success "malformed line rejected: $1" "
		run_hotmem run --check '$f' &&
		expect_rc 2 &&
		expect_output '$f:3: error:' \"\$TRASH/err\" &&
		expect_output '$2' \"\$TRASH/err\" &&
		expect_no_output AFTER-MARKER
	"
}

malformed 'device_add pc-dimm id=a/b size=1G' "a/b"
malformed 'device_add pc-dimm id=d size=1G node=64' "64"
malformed 'device_add pc-dimm id=d size=-1G' "-1G"
malformed 'device_add pc-dimm id=d' 'size='
malformed 'device_del a/b' "a/b"
malformed 'notifier-fail MEM_GOING_ONLINE EPERM count=-1' "-1"
malformed 'notifier-fail' 'notifier-fail'
malformed 'expect /proc/meminfo:MemTotal == 1 2' "2"
malformed 'write relative/path x' "relative/path"
malformed 'write /sys/devices/system/memory/auto_online_blocks "online' 'unterminated quote'
malformed 'expect-error 22 write /sys/devices/system/memory/auto_online_blocks x' "22"
malformed 'map extra' "extra"
malformed 'dmesg now' "now"
malformed 'read /proc/meminfo /proc/vmstat' "/proc/vmstat"
malformed 'trace' 'trace on|off'

test_expect_success 'an unknown test-only bug name is a malformed cmdline' '
	printf "machine arch=x86_64 mem=2G\ncmdline hotmem.inject_bug=everything\nboot\necho AFTER-MARKER\n" >"$TRASH/inj.scn" &&
	run_hotmem run "$TRASH/inj.scn" &&
	expect_rc 2 &&
	expect_output "$TRASH/inj.scn:2: error:" "$TRASH/err" &&
	expect_output everything "$TRASH/err" &&
	expect_no_output AFTER-MARKER
'

test_done
