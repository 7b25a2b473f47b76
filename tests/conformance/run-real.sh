#!/bin/sh
# tests/conformance/run-real.sh - the conformance suite on the real kernel.
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
# A guest that crashes while booting, before any step, is booted once
# more (RETRY line) - a TCG flake, not a disagreement.
# Prints `PASS name (Ns)` or `FAIL name` with the diff, then the total
# time and `N passed, N failed`; exit 1 if anything failed.
# REGOLD=1 also copies each run's kernel observations to
# tests/conformance/golden/NAME.golden (what `make test` compares the
# model with, without QEMU). HOTMEM selects the binary (build/hotmem).
#
# Expected workload: about 5-15 s per scenario under TCG, one guest at
# a time.
set -u
HOTMEM=${HOTMEM:-build/hotmem}
LIST=tests/conformance/scenarios.list
KNOWN=tests/conformance/known-diffs
GOLDEN=tests/conformance/golden
[ -x "$HOTMEM" ] || { echo "run-real.sh: $HOTMEM not built" >&2; exit 2; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/hotmem-conformance.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT
trap 'rm -rf "$TMP"; exit 130' INT TERM

passed=0
failed=0
t0=$(date +%s)
for name in $(grep -v '^#' "$LIST"); do
	scn=tests/scenarios/$name
	base=${name%.scn}
	t1=$(date +%s)
	"$HOTMEM" diff --record="$TMP/$base.golden" "$scn" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	# A guest that crashed before the scenario's first step (seen once
	# in many runs: a panic in sched_clock_cpu under TCG with 2 vCPUs
	# on a loaded host) says nothing about the model: say so and boot it
	# once more. A second crash, or any other error, fails.
	if [ "$rc" -eq 2 ] && grep -q 'the guest did not come up' "$TMP/err" &&
	   grep -q ', 0 on the kernel)' "$TMP/err"; then
		echo "RETRY conformance/$base: the guest crashed while booting (console tail below)"
		grep -E 'RIP:|Kernel panic' "$TMP/err" | head -n 3 | sed 's/^/    /'
		"$HOTMEM" diff --record="$TMP/$base.golden" "$scn" >"$TMP/out" 2>"$TMP/err"
		rc=$?
	fi
	t2=$(date +%s)
	if [ "$rc" -ne 2 ] &&
	   KNOWN=$KNOWN sh tests/conformance/check-diffs.sh "$scn" "$TMP/out" >"$TMP/check"; then
		echo "PASS conformance/$base ($((t2 - t1)) s)"
		passed=$((passed + 1))
		if [ "${REGOLD:-0}" = 1 ]; then
			cp "$TMP/$base.golden" "$GOLDEN/$base.golden"
		fi
	else
		echo "FAIL conformance/$base ($((t2 - t1)) s, exit status $rc)"
		failed=$((failed + 1))
		cat "$TMP/check" "$TMP/out" "$TMP/err" | tail -n 40 | sed 's/^/    /'
		if [ "${REGOLD:-0}" = 1 ] && [ "$rc" -ne 2 ]; then
			cp "$TMP/$base.golden" "$GOLDEN/$base.golden"
		fi
	fi
done
# tests/conformance/*.scn print the same on both backends: deliberately
# wrong expectations (exit 1 on both) and QEMU's refusals (exit 0).
for same in tests/conformance/*.scn; do
	base=$(basename "$same" .scn)
	"$HOTMEM" run --backend=model "$same" >"$TMP/model.out" 2>&1
	mrc=$?
	"$HOTMEM" run --backend=qemu "$same" >"$TMP/qemu.out" 2>&1
	qrc=$?
	if [ "$mrc" -eq "$qrc" ] && [ "$mrc" -ne 2 ] && cmp -s "$TMP/model.out" "$TMP/qemu.out"; then
		echo "PASS conformance/$base (same output on both backends, exit $mrc)"
		passed=$((passed + 1))
	else
		echo "FAIL conformance/$base (model exit $mrc, qemu exit $qrc)"
		diff -u "$TMP/model.out" "$TMP/qemu.out" | sed 's/^/    /'
		failed=$((failed + 1))
	fi
done
echo "conformance-real: $(($(date +%s) - t0)) s in all"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
