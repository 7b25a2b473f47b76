#!/bin/sh
# t0055-serve-bad-args: `hotmem serve` refuses bad arguments, malformed
# machines and boot failures with a clear message and exit 2, mounting
# nothing; without libfuse 3 it says what is missing and how to get it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve-lib.sh"

not_mounted() {
	! grep -q " $MNT fuse" /proc/mounts
}

test_expect_success 'serve --help: usage, exit 0' '
	run_hotmem serve --help &&
	expect_rc 0 &&
	expect_output "Usage: hotmem serve [--scenario FILE"
'

test_expect_success 'no MOUNTPOINT: exit 2' '
	run_hotmem serve -m "arch=x86_64 mem=2G" &&
	expect_rc 2 &&
	expect_output "hotmem: serve: no MOUNTPOINT given" "$TRASH/err"
'

test_expect_success 'an unknown option, a second operand, an option without value: exit 2' '
	run_hotmem serve --bogus "$MNT" &&
	expect_rc 2 &&
	expect_output "hotmem: serve: unknown option '\''--bogus'\''" "$TRASH/err" &&
	run_hotmem serve "$MNT" "$MNT" &&
	expect_rc 2 &&
	expect_output "unexpected argument" "$TRASH/err" &&
	run_hotmem serve "$MNT" --machine &&
	expect_rc 2 &&
	expect_output "option '\''--machine'\'' needs an argument" "$TRASH/err" &&
	run_hotmem serve "$MNT" --step &&
	expect_rc 2 &&
	expect_output "option '\''--step'\'' needs a scenario step" "$TRASH/err"
'

test_expect_success '--scenario with machine words: exit 2' '
	run_hotmem serve --scenario x.scn --cmdline movable_node "$MNT" &&
	expect_rc 2 &&
	expect_output "--scenario describes the whole machine; '\''--cmdline'\'' cannot be added to it" "$TRASH/err"
'

if "$HOTMEM" serve "$TRASH/nowhere" 2>&1 | grep -q "built without FUSE"; then
	test_expect_success 'built without libfuse 3: says what is missing and how to install it' '
		run_hotmem serve "$MNT" &&
		expect_rc 2 &&
		expect_output "hotmem: serve: this hotmem was built without FUSE: libfuse 3'\''s headers were missing (\`pkg-config fuse3\` failed at build time); install them with \`sh scripts/serve-setup.sh\` (Debian packages libfuse3-dev, fuse3, pkg-config), then run make again" "$TRASH/err"
	'
	test_done
fi

test_expect_success 'a mount point that is missing or not a directory: exit 2' '
	run_hotmem serve "$TRASH/nowhere" &&
	expect_rc 2 &&
	expect_output "hotmem: serve: mount point '\''$TRASH/nowhere'\'': No such file or directory" "$TRASH/err" &&
	: >"$TRASH/file" &&
	run_hotmem serve "$TRASH/file" &&
	expect_rc 2 &&
	expect_output "hotmem: serve: mount point '\''$TRASH/file'\'': not a directory" "$TRASH/err"
'

test_expect_success 'malformed machine words get the scenario parser'\''s message: exit 2, nothing mounted' '
	run_hotmem serve -m "arch=vax mem=2G" "$MNT" &&
	expect_rc 2 &&
	expect_output "<command line>:1: error: machine: unknown arch '\''vax'\''" "$TRASH/err" &&
	not_mounted
'

test_expect_success 'a malformed scenario file: FILE:LINE, exit 2, nothing mounted' '
	printf "machine arch=x86_64 mem=2G\nboot\nwrite /sys/devices/system/memory/memory0/state\n" >"$TRASH/bad.scn" &&
	run_hotmem serve --scenario "$TRASH/bad.scn" "$MNT" &&
	expect_rc 2 &&
	expect_match "^$TRASH/bad.scn:3: error: " "$TRASH/err" &&
	not_mounted
'

test_expect_success 'a machine the model refuses to boot: exit 2, nothing mounted' '
	run_hotmem serve -m "arch=x86_64 mem=2G slots=2 maxmem=1G" "$MNT" &&
	expect_rc 2 &&
	expect_output "<command line>:2: error: boot: maxmem (1073741824) must not be smaller than mem (2147483648)" "$TRASH/err" &&
	not_mounted
'

serve_require

test_expect_success 'failed expectations are reported and the machine is served anyway' '
	printf "machine arch=x86_64 mem=2G\nboot\nexpect /proc/meminfo:MemTotal == 1 kB\n" >"$TRASH/fails.scn" &&
	serve_start --scenario "$TRASH/fails.scn" &&
	expect_output "$TRASH/fails.scn:3: expect failed" "$TRASH/serve.out" &&
	expect_output "hotmem: serve: $TRASH/fails.scn: serving the machine although 1 of 1 expectations failed" "$TRASH/serve.err" &&
	expect_output "MemTotal:        2021436 kB" "$MNT/proc/meminfo" &&
	serve_stop &&
	test "$serve_rc" = 0
'

test_expect_success 'SIGINT unmounts cleanly too' '
	test -n "$SERVE_ENV" &&
	serve_start -m "arch=x86_64 mem=2G" &&
	kill -INT "$(cat "$TRASH/serve.pid")" &&
	serve_wait &&
	test "$serve_rc" = 0 &&
	not_mounted
'

test_done
