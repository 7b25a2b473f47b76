#!/bin/sh
# t0058-serve-selftest: the kernel's own memory-hotplug selftest,
# tools/testing/selftests/memory-hotplug/mem-on-off-test.sh of Debian's
# linux-source-6.12, run as-is on a served tree: both halves, the
# notifier error injection included. Its debugfs files
# (notifier-error-inject/memory/actions/MEM_GOING_{ONLINE,OFFLINE}/error)
# are the model's, backed by its memory notifier chain.
#
# In a private mount namespace: the served /sys over /sys, a debugfs
# mounted at /sys/kernel/debug (the script finds debugfs with
# `mount -t debugfs`) with the served debug directory bound over it,
# and /bin/true over /sbin/modprobe (the script loads and unloads
# memory-notifier-error-inject; on the served tree it is always there).
# Nothing runs unless /sys/devices/system/memory is the served one.
#
# The verdict is the script's: exit status 0 (kselftest's PASS; it
# exits 1 when an online or offline it expects does not happen), with
# the error-injection half run (no "skip extra tests") and no
# "unexpected" line on its standard error. It runs twice: with its
# defaults, as kselftest runs it (2% of the blocks offlined), and with
# -r 50, so that the injected MEM_GOING_ONLINE error meets offline
# blocks and the MEM_GOING_OFFLINE one online blocks for sure.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve-lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SELFTEST=$(ls "$ROOT"/build/kernel-src/*/linux-source-6.12/tools/testing/selftests/memory-hotplug/mem-on-off-test.sh 2>/dev/null | tail -n 1)

serve_require
serve_require_ns
command -v bash >/dev/null 2>&1 || serve_skip "bash is missing (the selftest is a bash script)"
[ -n "$SELFTEST" ] ||
	serve_skip "the selftest is not fetched (sh scripts/serve-setup.sh, or sh scripts/kernel-source.sh tools/testing/selftests/memory-hotplug)"
unshare -m sh -c 'mount -t debugfs none /mnt 2>/dev/null || mount -t debugfs none /tmp' 2>"$TRASH/dbg.err" ||
	serve_skip "debugfs cannot be mounted here: $(cat "$TRASH/dbg.err")"

# selftest ARGS: run it in the namespace, output in $TRASH/selftest.out
selftest() {
	in_ns "set -e
		mount --bind $MNT/sys /sys
		mount -t debugfs none /sys/kernel/debug
		mount --bind $MNT/sys/kernel/debug /sys/kernel/debug
		if [ -e /sbin/modprobe ]; then mount --bind /bin/true /sbin/modprobe; fi
		case \$(stat -f -c %T /sys/devices/system/memory) in
		fuse*) ;;
		*) echo not the served tree; exit 1 ;;
		esac
		test -e /sys/kernel/debug/notifier-error-inject/memory/actions/MEM_GOING_ONLINE/error
		bash $SELFTEST $*" >"$TRASH/selftest.out" 2>&1
	rc=$?
	sed "s/^/# selftest $*: /" "$TRASH/selftest.out" >>"$TRASH/selftest.log"
	echo "# selftest $*: exit status $rc" >>"$TRASH/selftest.log"
	test $rc -eq 0 &&
	grep -q "Test with memory notifier error injection" "$TRASH/selftest.out" &&
	! grep -q "skip extra tests\|unexpected\|FAILED" "$TRASH/selftest.out"
}

test_expect_success 'mem-on-off-test.sh as kselftest runs it, then with -r 50' '
	serve_start -c memhp_default_state=offline \
		-e "device_add pc-dimm id=d0 size=1G" \
		-e "device_add pc-dimm id=d1 size=1G" &&
	selftest &&
	selftest -r 50 &&
	# the script leaves every block online and the injectors at 0
	test "$(cat "$MNT/sys/kernel/debug/notifier-error-inject/memory/actions/MEM_GOING_OFFLINE/error")" = 0 &&
	! grep -q offline "$MNT"/sys/devices/system/memory/memory3[2-9]/state &&
	serve_stop
'

# the whole output, for the record, and the verdict
[ -s "$TRASH/selftest.log" ] && cat "$TRASH/selftest.log"
[ "$test_failed" -eq 0 ] && echo "# PASS: mem-on-off-test.sh, error injection included"
test_done
