#!/bin/sh
# tests/conformance/run-real.sh - the conformance suite on the real kernel.
#
# Usage: sh tests/conformance/run-real.sh [-j N]
#
# Contract: run from the repository root after `make conformance-real`
# has installed QEMU and the kernel (scripts/qemu-setup.sh) and built
# the initramfs. For each scenario listed in tests/conformance/
# scenarios.list it runs `hotmem diff --record` (model against Linux
# 6.12 under QEMU) and requires the differences tests/conformance/
# known-diffs lists for that file (usually none) and no others
# (tests/conformance/check-diffs.sh; "~" lines may or may not appear).
# Then each tests/conformance/*.scn must give byte-identical output and
# the same exit status on both backends (wrong-expectations.scn: 1).
# Then each tests/conformance/restore/ARCH.scn must give byte-identical
# output with the snapshot cache off and from a restored guest (one
# scenario per architecture; docs/real-kernel.md "Booted once,
# restored").
# A guest that crashes while booting, before any step, is booted once
# more (RETRY line) - a TCG flake, not a disagreement.
# Up to N checks run at once (-j N or $JOBS, default: the number of
# CPUs); each check's lines are kept together and printed in list order
# as soon as it and those before it are done:
#   PASS name (4.2 s, restored) [12/71]
# or `FAIL name ...` with the diff; at the end the accelerator, the
# guests booted, saved and restored, the total time and
# `N passed, N failed`; exit 1 if anything failed.
# REGOLD=1 also copies each run's kernel observations to
# tests/conformance/golden/NAME.golden (what `make test` compares the
# model with, without QEMU). HOTMEM selects the binary (build/hotmem),
# LIST another list of scenarios (a subset);
# HOTMEM_QEMU_CACHE=0 boots every guest (no snapshot cache).
#
# Expected workload: under TCG about 5-15 s per scenario booting, 1-5 s
# restored; N guests at a time.
set -u
HOTMEM=${HOTMEM:-build/hotmem}
LIST=${LIST:-tests/conformance/scenarios.list}	# another list: a subset
KNOWN=tests/conformance/known-diffs
GOLDEN=tests/conformance/golden
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 1)}
while [ $# -gt 0 ]; do
	case $1 in
	-j) JOBS=${2:-}; shift 2 || break ;;
	-j*) JOBS=${1#-j}; shift ;;
	*) echo "run-real.sh: unknown argument '$1' (usage: run-real.sh [-j N])" >&2; exit 2 ;;
	esac
done
case $JOBS in
''|*[!0-9]*|0) echo "run-real.sh: -j wants a positive number, not '$JOBS'" >&2; exit 2 ;;
esac
[ -x "$HOTMEM" ] || { echo "run-real.sh: $HOTMEM not built" >&2; exit 2; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/hotmem-conformance.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$TMP"; exit 130' INT TERM

now_ms() { echo $(($(date +%s%N) / 1000000)); }
secs() { printf '%d.%d' $(($1 / 1000)) $(($1 % 1000 / 100)); }	# MS as S.D

# How the guests of check $1 started: "restored", "saved", "booted"
# (several words when the check started several guests).
boots() {
	[ -s "$TMP/$1.boots" ] || { echo "no guest"; return; }
	awk '{ n[$1]++ } END { s = ""; for (k in n) s = s (s ? ", " : "") (n[k] > 1 ? n[k] " " : "") k; print s }' \
		"$TMP/$1.boots"
}

# check I NAME: one conformance scenario; its lines into $TMP/I.report,
# PASS or FAIL into $TMP/I.result.
check_scenario() {
	i=$1 name=$2
	scn=tests/scenarios/$name
	base=${name%.scn}
	t1=$(now_ms)
	export HOTMEM_QEMU_BOOT_LOG="$TMP/$i.boots"
	"$HOTMEM" diff --record="$TMP/$base.golden" "$scn" >"$TMP/$i.out" 2>"$TMP/$i.err"
	rc=$?
	# A guest that crashed before the scenario's first step (seen once
	# in many runs: a panic in sched_clock_cpu under TCG with 2 vCPUs
	# on a loaded host) says nothing about the model: say so and boot it
	# once more. A second crash, or any other error, fails.
	if [ "$rc" -eq 2 ] && grep -q 'the guest did not come up' "$TMP/$i.err" &&
	   grep -q ', 0 on the kernel)' "$TMP/$i.err"; then
		{
			echo "RETRY conformance/$base: the guest crashed while booting (console tail below)"
			grep -E 'RIP:|Kernel panic' "$TMP/$i.err" | head -n 3 | sed 's/^/    /'
		} >>"$TMP/$i.report"
		"$HOTMEM" diff --record="$TMP/$base.golden" "$scn" >"$TMP/$i.out" 2>"$TMP/$i.err"
		rc=$?
	fi
	t=$(secs $(($(now_ms) - t1)))
	if [ "$rc" -ne 2 ] &&
	   KNOWN=$KNOWN sh tests/conformance/check-diffs.sh "$scn" "$TMP/$i.out" >"$TMP/$i.check"; then
		echo "PASS conformance/$base ($t s, $(boots "$i"))" >>"$TMP/$i.report"
		echo PASS >"$TMP/$i.result"
		if [ "${REGOLD:-0}" = 1 ]; then
			cp "$TMP/$base.golden" "$GOLDEN/$base.golden"
		fi
	else
		{
			echo "FAIL conformance/$base ($t s, exit status $rc, $(boots "$i"))"
			cat "$TMP/$i.check" "$TMP/$i.out" "$TMP/$i.err" | tail -n 40 | sed 's/^/    /'
		} >>"$TMP/$i.report"
		echo FAIL >"$TMP/$i.result"
		if [ "${REGOLD:-0}" = 1 ] && [ "$rc" -ne 2 ]; then
			cp "$TMP/$base.golden" "$GOLDEN/$base.golden"
		fi
	fi
}

# Both backends' output without the accelerator's one-line notice
# (a machine where KVM opens but does not work says it once).
run_backend() {	# BACKEND FILE OUT
	"$HOTMEM" run --backend="$1" "$2" 2>&1 | grep -v '^hotmem: qemu backend: KVM does not work here' >"$3"
}

# check I FILE: tests/conformance/*.scn print the same on both
# backends: deliberately wrong expectations (exit 1 on both) and
# QEMU's refusals (exit 0).
check_same() {
	i=$1 same=$2
	base=$(basename "$same" .scn)
	t1=$(now_ms)
	export HOTMEM_QEMU_BOOT_LOG="$TMP/$i.boots"
	"$HOTMEM" run --backend=model "$same" >"$TMP/$i.model" 2>&1
	mrc=$?
	"$HOTMEM" run --backend=qemu "$same" >"$TMP/$i.qemu" 2>&1
	qrc=$?
	grep -v '^hotmem: qemu backend: KVM does not work here' "$TMP/$i.qemu" >"$TMP/$i.qemu2"
	t=$(secs $(($(now_ms) - t1)))
	report_same "$i" "$base" "$mrc" "$qrc" "$TMP/$i.model" "$TMP/$i.qemu2" \
		"on both backends" model qemu
}

# report_same I NAME RC1 RC2 OUT1 OUT2 HOW WHAT1 WHAT2: PASS when both
# runs exited alike (not 2) with byte-identical output, else FAIL with
# the exit statuses and the diff.
report_same() {
	if [ "$3" -eq "$4" ] && [ "$3" -ne 2 ] && cmp -s "$5" "$6"; then
		echo "PASS conformance/$2 (same output $7, exit $3; $t s, $(boots "$1"))" >"$TMP/$1.report"
		echo PASS >"$TMP/$1.result"
	else
		{
			echo "FAIL conformance/$2 ($8 exit $3, $9 exit $4; $t s)"
			diff -u "$5" "$6" | sed 's/^/    /'
		} >"$TMP/$1.report"
		echo FAIL >"$TMP/$1.result"
	fi
}

# check I FILE: tests/conformance/restore/ARCH.scn shows the same with
# the snapshot cache off (a full boot) and from a restored guest. When
# the cached run had to boot (and save), a third run restores.
check_restore() {
	i=$1 scn=$2
	base=restore-$(basename "$scn" .scn)
	t1=$(now_ms)
	HOTMEM_QEMU_CACHE=0 HOTMEM_QEMU_BOOT_LOG="$TMP/$i.boots" \
		"$HOTMEM" run --backend=qemu "$scn" >"$TMP/$i.boot" 2>&1
	brc=$?
	for try in 1 2; do
		: >"$TMP/$i.cached.boots"
		HOTMEM_QEMU_BOOT_LOG="$TMP/$i.cached.boots" \
			"$HOTMEM" run --backend=qemu "$scn" >"$TMP/$i.restored" 2>&1
		rrc=$?
		cat "$TMP/$i.cached.boots" >>"$TMP/$i.boots"
		grep -q '^restored ' "$TMP/$i.cached.boots" && break
	done
	t=$(secs $(($(now_ms) - t1)))
	if ! grep -q '^restored ' "$TMP/$i.cached.boots"; then
		{
			echo "FAIL conformance/$base: no run was restored ($t s, $(boots "$i"))"
			sed 's/^/    /' "$TMP/$i.boots"
		} >"$TMP/$i.report"
		echo FAIL >"$TMP/$i.result"
	fi
	# the boot log differs between any two boots (TSC calibration), and
	# so does the page count a zonelist rebuild logs, by a page as
	# MemTotal does (the restored guest was saved from another boot)
	for f in boot restored; do
		sed -e '/^---- boot log ----$/,/^---- end of boot log ----$/d' \
		    -e 's/Total pages: [0-9]*$/Total pages: N/' "$TMP/$i.$f" >"$TMP/$i.$f.cmp"
	done
	grep -q '^restored ' "$TMP/$i.cached.boots" &&
		report_same "$i" "$base" "$brc" "$rrc" "$TMP/$i.boot.cmp" \
			"$TMP/$i.restored.cmp" "booted and restored" booted restored
}

# The whole run is one function, read in full before it starts: an
# edit of this file while it runs cannot change what it does.
main() {
# The checks, in the order they are printed: "KIND ARG" lines.
{
	for name in $(grep -v '^#' "$LIST"); do echo "scenario $name"; done
	for same in tests/conformance/*.scn; do echo "same $same"; done
	for scn in tests/conformance/restore/*.scn; do
		[ -e "$scn" ] && echo "restore $scn"
	done
} >"$TMP/checks"
total=$(wc -l <"$TMP/checks")

echo "conformance-real: $total checks, up to $JOBS at a time"
t0=$(now_ms)
started=0	# checks started
finished=0	# checks done (their .done file exists)
printed=0	# checks printed, in list order
passed=0
failed=0
while [ "$printed" -lt "$total" ]; do
	while [ $((started - finished)) -lt "$JOBS" ] && [ "$started" -lt "$total" ]; do
		started=$((started + 1))
		set -- $(sed -n "${started}p" "$TMP/checks")
		(
			: >"$TMP/$started.report"
			case $1 in
			scenario) check_scenario "$started" "$2" ;;
			same) check_same "$started" "$2" ;;
			restore) check_restore "$started" "$2" ;;
			esac
			: >"$TMP/$started.done"
		) &
	done
	progressed=false
	while [ "$printed" -lt "$started" ] && [ -e "$TMP/$((printed + 1)).done" ]; do
		printed=$((printed + 1))
		sed "1s|\$| [$printed/$total]|" "$TMP/$printed.report"
		if [ "$(cat "$TMP/$printed.result" 2>/dev/null)" = PASS ]; then
			passed=$((passed + 1))
		else
			failed=$((failed + 1))
		fi
		progressed=true
	done
	finished=$(find "$TMP" -maxdepth 1 -name '*.done' | wc -l)
	$progressed || sleep 0.2
done
wait
# the boot logs: one line per guest start (docs/real-kernel.md)
cat "$TMP"/*.boots 2>/dev/null | awk '
	{ n[$1]++ }
	$1 ~ /^(booted|saved|save-failed|restored)$/ {
		for (f = 2; f <= NF; f++) if ($f ~ /^accel=/) a[substr($f, 7)]++
	}
	END {
		s = ""; for (k in a) s = s (s ? ", " : "") k " (" a[k] " guests)"
		printf "accelerator: %s%s\n", s ? s : "none",
			n["kvm-failed"] ? ", after KVM failed " n["kvm-failed"] " times" : ""
		printf "guests: %d booted, %d booted and saved, %d restored%s\n",
			n["booted"], n["saved"] + n["save-failed"], n["restored"],
			n["restore-failed"] ? " (" n["restore-failed"] " restores failed and booted)" : ""
	}'
echo "conformance-real: $(secs $(($(now_ms) - t0))) s in all"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
}
main
exit $?
