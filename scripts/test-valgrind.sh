#!/bin/sh
# test-valgrind.sh - the unit tests and every scenario (run --check)
# under valgrind, on builds without sanitizers (make test-valgrind).
# Any memory error or definitely/indirectly lost block fails the test:
# valgrind exits 99 then. Prints PASS/FAIL per program and a summary.
VG="valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect"
passed=0
failed=0
out=$(mktemp "${TMPDIR:-/tmp}/hotmem-vg.XXXXXX") || exit 1
trap 'rm -f "$out"' EXIT

one() {
	name=$1
	shift
	"$@" >"$out" 2>&1
	rc=$?
	# scenario tests pass with 0; valgrind's own verdict is 99
	if [ "$rc" -eq 99 ] || grep -q '^==[0-9]*==' "$out"; then
		echo "FAIL $name (valgrind)"
		grep '^==[0-9]*==' "$out" | head -n 30 | sed 's/^/    /'
		failed=$((failed + 1))
	elif [ "$rc" -ne 0 ]; then
		echo "FAIL $name (exit $rc)"
		tail -n 10 "$out" | sed 's/^/    /'
		failed=$((failed + 1))
	else
		echo "PASS $name"
		passed=$((passed + 1))
	fi
}

one unit $VG build/unit-tests-vg
for f in tests/scenarios/*.scn; do
	one "scenario/$(basename "$f" .scn)" $VG build/hotmem-vg run --check "$f"
done
one fuzz-campaign $VG build/hotmem-vg fuzz --seed 1 --ops 2000 -q
one fuzz-shrink sh -c "$VG build/hotmem-vg fuzz --seed 2 --ops 20000 -q --inject-bug offline-vmemmap-present --out \"$out.scn\"; test \$? = 3 && rm -f \"$out.scn\""
echo "valgrind: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
