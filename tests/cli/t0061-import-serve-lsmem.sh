#!/bin/sh
# t0061-import-serve-lsmem: `hotmem serve --snapshot` of an imported
# machine, and util-linux's lsmem on it prints exactly what the same
# lsmem prints on the original: util-linux's own s390x z/VM and arm64
# 16K dumps (every invocation of their expected outputs), the real
# x86-64 VM, and this test machine itself (`hotmem snapshot` of the
# live host, then lsmem without --sysroot against lsmem on the mount).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve-lib.sh"
serve_require lsmem

FIX=$(pwd)/tests/fixtures/import

# same_lsmem ORIGINAL-SYSROOT EXPECTED-FILE: every `$ lsmem ARGS` of the
# expected file gives the same output on the original and on $MNT
same_lsmem() {
	grep '^\$ lsmem' "$2" | sed 's/^\$ lsmem *//' >"$TRASH/invocations" &&
	test -s "$TRASH/invocations" &&
	while read -r args; do
		# shellcheck disable=SC2086
		lsmem --sysroot "$1" $args >"$TRASH/a" 2>&1
		# shellcheck disable=SC2086
		lsmem --sysroot "$MNT" $args >"$TRASH/b" 2>&1
		diff -u "$TRASH/a" "$TRASH/b" || { echo "differs: lsmem $args"; return 1; }
	done <"$TRASH/invocations"
}

for dump in s390-zvm-6g aarch64_16K_16g; do
	test_expect_success "$dump: lsmem on the served import = lsmem on the dump, every invocation" '
		mkdir -p "$TRASH/$dump" && tar -xjf "$FIX/$dump.tar.bz2" -C "$TRASH/$dump" &&
		serve_start --snapshot "$FIX/$dump.tar.bz2" &&
		same_lsmem "$TRASH/$dump/$dump" "$FIX/lsmem-expected-$dump.txt" &&
		serve_stop && test "$serve_rc" = 0
	'
done

test_expect_success 'the real x86-64 VM: lsmem on the served import = lsmem on the capture' '
	serve_start --snapshot "$FIX/real-x86_64-6.18-24G" &&
	same_lsmem "$FIX/real-x86_64-6.18-24G" "$FIX/lsmem-expected-s390-zvm-6g.txt" &&
	serve_stop
'

test_expect_success 'hotmem snapshot of this machine writes the trees and the facts files' '
	run_hotmem snapshot "$TRASH/live" &&
	expect_rc 0 &&
	expect_match "^hotmem: snapshot: [0-9]+ files of this machine written to $TRASH/live$" "$TRASH/err" &&
	test -f "$TRASH/live/sys/devices/system/memory/block_size_bytes" &&
	test "$(cat "$TRASH/live/arch")" = "$(uname -m)" &&
	test "$(cat "$TRASH/live/pagesize")" = "$(getconf PAGESIZE)"
'

test_expect_success 'a second snapshot into the same directory is refused' '
	run_hotmem snapshot "$TRASH/live" &&
	expect_rc 2 &&
	expect_output "hotmem: snapshot: $TRASH/live: exists and is not empty"
'

test_expect_success 'this machine: lsmem on the served snapshot = the machine'\''s own lsmem' '
	serve_start --snapshot "$TRASH/live" &&
	for args in "" "-a" "--output-all" "-P -b -o RANGE,SIZE,STATE,REMOVABLE,BLOCK,NODE,ZONES" "--summary=only" "-J"; do
		# shellcheck disable=SC2086
		lsmem $args >"$TRASH/a" 2>&1
		# shellcheck disable=SC2086
		lsmem --sysroot "$MNT" $args >"$TRASH/b" 2>&1
		diff -u "$TRASH/a" "$TRASH/b" || { echo "differs: lsmem $args"; exit 1; }
	done &&
	serve_stop
'

test_expect_success 'the one-liner of docs/import-and-plan.md makes a tarball that serves the same lsmem' '
	sed -n "/^    (d=\$(mktemp/,/rm -rf \"\$d\")\$/p" docs/import-and-plan.md |
		sed "s|/tmp/snapshot.tar.gz|$TRASH/one.tar.gz|" >"$TRASH/oneliner.sh" &&
	test "$(wc -l <"$TRASH/oneliner.sh")" = 6 &&
	sh "$TRASH/oneliner.sh" && test -s "$TRASH/one.tar.gz" &&
	serve_start --snapshot "$TRASH/one.tar.gz" &&
	lsmem -a >"$TRASH/a" && lsmem --sysroot "$MNT" -a >"$TRASH/b" &&
	diff -u "$TRASH/a" "$TRASH/b" &&
	serve_stop
'

test_done
