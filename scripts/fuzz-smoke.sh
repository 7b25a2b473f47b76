#!/bin/sh
# fuzz-smoke.sh SECONDS NAME... - run each libFuzzer harness
# build/fuzz/fuzz_NAME for SECONDS over its committed seed corpus
# fuzz/corpus/NAME (read only: new inputs go to a scratch directory).
# A crash, leak or sanitizer report fails; its reproducer is kept in
# build/fuzz/crashes/. Prints a line per harness and a summary.
T=${1:-20}
shift
fail=0
mkdir -p build/fuzz/crashes
for name in "$@"; do
	bin=build/fuzz/fuzz_$name
	work=$(mktemp -d "${TMPDIR:-/tmp}/hotmem-fuzz-$name.XXXXXX") || exit 1
	echo "fuzz-smoke: $name: ${T}s over fuzz/corpus/$name"
	if "$bin" -max_total_time="$T" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix=build/fuzz/crashes/"$name"- "$work" fuzz/corpus/"$name" \
		>"$work.log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work.log")
		echo "fuzz-smoke: $name: ok, $runs runs"
	else
		echo "fuzz-smoke: $name: FAILED (log: $work.log)"
		tail -n 30 "$work.log" | sed 's/^/    /'
		fail=1
	fi
	rm -rf "$work"
done
exit $fail
