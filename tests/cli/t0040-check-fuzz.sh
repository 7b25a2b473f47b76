#!/bin/sh
# t0040-check-fuzz: the model checks itself. `run --check` runs the
# invariant checker after every step (exit 3 and FILE:LINE of the step
# at the first violation); every bundled scenario keeps every invariant;
# `hotmem fuzz` is reproducible from its seed, finds a deliberately
# injected bug (a failed offline of a memmap_on_memory block that does
# not give its memmap pages back to present_pages) and shrinks the walk
# to a scenario of a handful of lines that reproduces it.
. "$(dirname "$0")/lib.sh"

scenario ok.scn <<'SCN'
machine arch=x86_64 mem=2G slots=8 maxmem=32G
cmdline memory_hotplug.memmap_on_memory=1
boot
device_add pc-dimm id=d0 size=128M node=0
notifier-fail MEM_GOING_OFFLINE
write /sys/devices/system/memory/memory32/state offline
echo after
SCN

# The same story with the test-only bug switched on.
sed 's/memmap_on_memory=1$/memmap_on_memory=1 hotmem.inject_bug=offline-vmemmap-present/' \
	"$TRASH/ok.scn" >"$TRASH/bug.scn"

test_expect_success 'run --check: a refused offline keeps every invariant' '
	run_hotmem run --check "$TRASH/ok.scn" &&
	expect_rc 0 &&
	expect_output after &&
	expect_no_output invariant
'

# 2 GiB q35: the DIMM at 4 GiB is node 0 Normal alone, 32768 pages of
# one 128 MiB block, 512 of them its memmap (mm/sparse-vmemmap.c); the bug leaves
# 32768 - 512 = 32256.
test_expect_success 'run --check stops at the step that breaks an invariant' '
	run_hotmem run --check "$TRASH/bug.scn" &&
	expect_rc 3 &&
	expect_output "$TRASH/bug.scn:6: invariant violated after: write /sys/devices/system/memory/memory32/state offline" "$TRASH/err" &&
	expect_output "zone-present: zone 0/Normal: present_pages 32256 != sum over its online blocks 32768" "$TRASH/err" &&
	! grep -qx after "$TRASH/out"
'

test_expect_success 'without --check the broken model runs on' '
	run_hotmem run "$TRASH/bug.scn" &&
	expect_rc 0 &&
	expect_output after
'

test_expect_success 'every bundled scenario keeps every invariant after every step' '
	for f in "$(dirname "$0")"/../scenarios/*.scn; do
		"$HOTMEM" run --check "$f" >"$TRASH/s.out" 2>&1
		st=$?
		if [ "$st" != 0 ]; then
			echo "$f: exit $st"; cat "$TRASH/s.out"; exit 1
		fi
	done
'

test_expect_success 'a fixed-seed fuzz campaign finds nothing' '
	run_hotmem fuzz --seed 1 --ops 3000 -q &&
	expect_rc 0 &&
	expect_match "^3000 operations on [0-9]+ machines" &&
	expect_line "no violation"
'

test_expect_success 'the same seed gives the same walks' '
	"$HOTMEM" fuzz --seed 9 --ops 2000 -q | sed "s/ in [0-9.]* s: [0-9]* ops\/s//" >"$TRASH/a" &&
	"$HOTMEM" fuzz --seed 9 --ops 2000 -q | sed "s/ in [0-9.]* s: [0-9]* ops\/s//" >"$TRASH/b" &&
	cmp "$TRASH/a" "$TRASH/b"
'

test_expect_success 'fuzz catches the injected bug and shrinks it to a handful of lines' '
	run_hotmem fuzz --seed 2 --ops 20000 --inject-bug offline-vmemmap-present \
		--out "$TRASH/found.scn" -q &&
	expect_rc 3 &&
	expect_output "zone-present:" &&
	expect_output "wrote $TRASH/found.scn" &&
	test -s "$TRASH/found.scn" &&
	lines=$(grep -vc "^#" "$TRASH/found.scn") &&
	test "$lines" -le 7 &&
	grep -Eq "^cmdline .*memmap_on_memory=(1|force)" "$TRASH/found.scn" &&
	grep -q "^cmdline hotmem.inject_bug=offline-vmemmap-present\$" "$TRASH/found.scn"
'

test_expect_success 'the shrunk scenario reproduces the violation with run --check' '
	run_hotmem run --check "$TRASH/found.scn" &&
	expect_rc 3 &&
	expect_output "invariant violated after:" "$TRASH/err" &&
	expect_output "zone-present:" "$TRASH/err"
'

test_expect_success 'without the bug the shrunk scenario is fine' '
	grep -v "^cmdline hotmem.inject_bug=" "$TRASH/found.scn" >"$TRASH/fixed.scn" &&
	run_hotmem run --check "$TRASH/fixed.scn" &&
	expect_rc 0
'

test_done
