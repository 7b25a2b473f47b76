#!/bin/sh
# bench/bench-real.sh - `make bench-real`: how long the real-kernel
# conformance suite (tests/conformance/run-real.sh) takes with a cold and
# with a warm snapshot cache, and one `hotmem diff` restored.
#
# The CPU time (user + system of the suite and every QEMU it ran) says
# more than the wall time on a machine shared with other work.
#
# Contract: run from the repository root with QEMU, the kernel and the
# initramfs installed (`make conformance-real` does that). Uses a fresh
# cache folder of its own (removed at the end), so the figures do not
# depend on what build/qemu/cache holds. Prints, for each run: the
# suite's wall time, the accelerator, the guests booted, saved and
# restored, the median and maximum time per check, passed/failed; then
# the cache's size and the wall time of `hotmem diff` of one scenario
# from a warm cache. BENCH_REAL_BOOT=1 adds a first run with the cache
# off (every guest booted: the suite as it was before the cache).
# JOBS (default: the number of CPUs) is run-real.sh's -j. Figures, not
# a test: the exit status is 0 unless a run could not start.
#
# Expected workload: the whole suite two or three times (minutes).
set -u
HOTMEM=${HOTMEM:-build/hotmem}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 1)}
ONE=tests/scenarios/010-acceptance-memmap-on-memory.scn
export HOTMEM
[ -x "$HOTMEM" ] || { echo "bench-real: $HOTMEM not built" >&2; exit 2; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/hotmem-bench-real.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT
trap 'rm -rf "$TMP"; exit 130' INT TERM
export HOTMEM_QEMU_CACHE_DIR="$TMP/cache"

now_ms() { echo $(($(date +%s%N) / 1000000)); }

echo "bench-real: $(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)), load average $(cut -d' ' -f1-3 /proc/loadavg), -j $JOBS"

# run NAME [ENV=VALUE...]: the suite once, its figures
run() {
	name=$1
	shift
	echo "bench-real: $name run ..."
	t0=$(now_ms)
	# `times`: the CPU time of the subshell's children (the suite, each
	# hotmem and each QEMU), user and system, as "XmY.YYYs XmY.YYYs"
	(
		env "$@" sh tests/conformance/run-real.sh -j "$JOBS" >"$TMP/$name.log" 2>&1
		times >"$TMP/$name.cpu"
	)
	t=$(($(now_ms) - t0))
	cpu=$(sed -n 2p "$TMP/$name.cpu" | tr 'ms' '  ' |
		awk '{ printf "%.0f", $1 * 60 + $2 + $3 * 60 + $4 }')
	awk -v name="$name" -v ms="$t" -v cpu="$cpu" '
		/^(PASS|FAIL) / && match($0, /[0-9]+\.[0-9] s/) {
			v[++n] = substr($0, RSTART, RLENGTH - 2) + 0
		}
		/^accelerator:/ { acc = substr($0, 14) }
		/^guests:/ { guests = substr($0, 9) }
		/ passed, / { result = $0 }
		END {
			for (i = 1; i <= n; i++)	# insertion sort: some 70 values
				for (j = i; j > 1 && v[j - 1] > v[j]; j--) {
					t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
				}
			med = n ? (n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2) : 0
			printf "%-5s suite %6.1f s wall, %s s CPU  accel %s  guests: %s\n", name, ms / 1000, cpu, acc, guests
			printf "      per check: median %.1f s, max %.1f s (%d checks); %s\n", med, v[n], n, result
		}' "$TMP/$name.log"
}

if [ "${BENCH_REAL_BOOT:-0}" = 1 ]; then
	run boot HOTMEM_QEMU_CACHE=0
fi
run cold
run warm
echo "cache: $(du -sm "$HOTMEM_QEMU_CACHE_DIR" | cut -f1) MiB in $(ls "$HOTMEM_QEMU_CACHE_DIR" | grep -c '\.vm$') entries"
t0=$(now_ms)
"$HOTMEM" diff "$ONE" >/dev/null 2>&1
rc=$?
t=$(($(now_ms) - t0))
printf 'one scenario: hotmem diff %s restored: %d.%d s (exit %d)\n' "$ONE" $((t / 1000)) $((t % 1000 / 100)) "$rc"
