#!/bin/sh
# t0050-backends-diff: choosing a backend, and `hotmem diff`, where no
# guest boots: unknown backends, a missing QEMU or kernel give a clear
# error and exit 2; diff against a recorded golden (the conformance
# suite's way) reports each difference and exits 1, or 0 on agreement.
. "$(dirname "$0")/lib.sh"

cat >"$TRASH/ok.scn" <<'SCN'
machine arch=x86_64 mem=2G slots=8 maxmem=32G
cmdline memhp_default_state=offline memory_hotplug.memmap_on_memory=1
boot
snapshot boot
device_add pc-dimm id=d1 size=256M node=0
write /sys/devices/system/memory/memory32/state online_movable
expect /proc/meminfo:MemTotal - @boot == 129024 kB
read /sys/devices/system/memory/memory32/valid_zones
SCN

test_expect_success 'unknown backend: exit 2, the known ones are listed' '
	run_hotmem run --backend=xen "$TRASH/ok.scn" &&
	expect_rc 2 &&
	expect_output "unknown backend '\''xen'\'' (available: model, qemu)" "$TRASH/err"
'

test_expect_success 'qemu backend without QEMU: exit 2, says how to install it' '
	HOTMEM_QEMU=$TRASH/no-such-qemu run_hotmem run --backend=qemu "$TRASH/ok.scn" &&
	expect_rc 2 &&
	expect_output "ok.scn:3: error: boot: $TRASH/no-such-qemu not found (install it with scripts/qemu-setup.sh, as root)" "$TRASH/err"
'

test_expect_success 'qemu backend without a kernel: exit 2, names the file' '
	printf "#!/bin/sh\nexit 0\n" >"$TRASH/fake-qemu" && chmod +x "$TRASH/fake-qemu" &&
	HOTMEM_QEMU=$TRASH/fake-qemu HOTMEM_KERNEL=$TRASH/no-vmlinuz \
		run_hotmem run --backend=qemu "$TRASH/ok.scn" &&
	expect_rc 2 &&
	expect_output "no guest kernel at $TRASH/no-vmlinuz" "$TRASH/err"
'

test_expect_success 'a QEMU that exits at once: exit 2 quickly, no hang' '
	printf "#!/bin/sh\necho qemu says no >&2\nexit 1\n" >"$TRASH/bad-qemu" &&
	chmod +x "$TRASH/bad-qemu" && : >"$TRASH/vmlinuz" && : >"$TRASH/initrd" &&
	HOTMEM_QEMU=$TRASH/bad-qemu HOTMEM_KERNEL=$TRASH/vmlinuz HOTMEM_INITRD=$TRASH/initrd \
		HOTMEM_QEMU_TIMEOUT=20 run_hotmem run --backend=qemu "$TRASH/ok.scn" &&
	expect_rc 2 &&
	expect_output "error: boot: QEMU did not start" "$TRASH/err" &&
	expect_output "qemu says no" "$TRASH/err"
'

# A golden as the kernel would record it: one entry per observation,
# "@ STEP RC PASSED PATH LEN" and LEN bytes of content (steps count from
# 0: boot, snapshot, device_add, write, expect, read).
entry() {	# STEP RC PASSED PATH [CONTENT]
	if [ $# -ge 5 ]; then
		printf '@ %s %s %s %s %s\n%s\n' "$1" "$2" "$3" "$4" \
			"$(printf '%s' "$5" | wc -c)" "$5"
	else
		printf '@ %s %s %s %s -\n' "$1" "$2" "$3" "$4"
	fi
}
meminfo() {	# MEMTOTAL: free and available as a live kernel shows them
	printf 'MemTotal:        %s kB\nMemFree:         %s kB\nMemAvailable:    %s kB\nBuffers:         %s kB\n' \
		"$1" $(($1 - 30000)) $(($1 - 90000)) "$2"
}
golden() {	# MEMTOTAL_AT_BOOT MEMTOTAL_LATER WRITE_RC ZONES
	echo "hotmem-golden 1"
	entry 1 0 0 /proc/meminfo "$(meminfo "$1" 0)
"
	entry 2 0 0 -
	entry 3 "$3" 0 /sys/devices/system/memory/memory32/state
	entry 4 0 1 /proc/meminfo "$(meminfo "$2" 12)
"
	entry 5 0 0 /sys/devices/system/memory/memory32/valid_zones "$4
"
	echo "end 0"
}

test_expect_success 'diff --golden: MemTotal compared as a change, so they agree' '
	golden 1953108 2082132 15 Movable >"$TRASH/g1" &&
	run_hotmem diff --golden="$TRASH/g1" "$TRASH/ok.scn" &&
	expect_rc 0
'

test_expect_success 'diff --golden: a differing field is one line, exit 1' '
	golden 1953108 2082132 15 Normal >"$TRASH/g2" &&
	run_hotmem diff --golden="$TRASH/g2" "$TRASH/ok.scn" &&
	expect_rc 1 &&
	expect_line "$TRASH/ok.scn:8: /sys/devices/system/memory/memory32/valid_zones:line 1: model Movable, kernel Normal" "$TRASH/out"
'

test_expect_success 'diff --golden: a change of MemTotal that differs is reported' '
	golden 1953108 2082128 15 Movable | sed "s/^@ 4 0 1 /@ 4 0 0 /" >"$TRASH/g3" &&
	run_hotmem diff --golden="$TRASH/g3" "$TRASH/ok.scn" &&
	expect_rc 1 &&
	expect_line "$TRASH/ok.scn:7: /proc/meminfo:MemTotal: model +129024 since first read, kernel +129020 since first read" "$TRASH/out" &&
	expect_line "$TRASH/ok.scn:7: expect /proc/meminfo:MemTotal - @boot == 129024 kB: model holds, kernel fails" "$TRASH/out"
'

test_expect_success 'diff --golden: a write the kernel refused is reported with both errnos' '
	golden 1953108 2082132 -22 Movable >"$TRASH/g4" &&
	run_hotmem diff --golden="$TRASH/g4" "$TRASH/ok.scn" &&
	expect_rc 1 &&
	expect_line "$TRASH/ok.scn:6: /sys/devices/system/memory/memory32/state: model success (15), kernel EINVAL" "$TRASH/out"
'

test_expect_success 'diff --golden of a malformed file: exit 2, names file and line' '
	printf "hotmem-golden 1\n@ bogus\n" >"$TRASH/bad.golden" &&
	run_hotmem diff --golden="$TRASH/bad.golden" "$TRASH/ok.scn" &&
	expect_rc 2 &&
	expect_output "bad.golden:2: malformed golden line" "$TRASH/err"
'

test_expect_success 'diff with --golden and --record together: exit 2' '
	run_hotmem diff --golden=a --record=b "$TRASH/ok.scn" &&
	expect_rc 2 &&
	expect_output "exclude each other" "$TRASH/err"
'

# tests/conformance/check-diffs.sh: the conformance suite's judge of
# which differences a scenario may show.
printf '%s\n' '# a comment' 'x.scn:3: /proc/a' '~ x.scn:4: /proc/b' >"$TRASH/known"
check() {	# DIFF-LINES...
	printf '%s\n' "$@" >"$TRASH/diff.out"
	KNOWN=$TRASH/known sh "$(dirname "$0")/../conformance/check-diffs.sh" \
		x.scn "$TRASH/diff.out" >"$TRASH/out" 2>"$TRASH/err"
}

test_expect_success 'check-diffs: required shown, optional absent: match' '
	check "x.scn:3: /proc/a: model 1, kernel 2"
'

test_expect_success 'check-diffs: required and optional both shown: match' '
	check "x.scn:3: /proc/a: model 1, kernel 2" "x.scn:4: /proc/b: model 1, kernel 2"
'

test_expect_success 'check-diffs: an unlisted difference fails and is named' '
	! check "x.scn:3: /proc/a: model 1, kernel 2" "x.scn:5: /proc/c: model 1, kernel 2" &&
	expect_line "  x.scn:5: /proc/c" "$TRASH/out"
'

test_expect_success 'check-diffs: a required difference that went away fails' '
	! check "x.scn:4: /proc/b: model 1, kernel 2" &&
	expect_line "  x.scn:3: /proc/a" "$TRASH/out"
'

# The tools' standard output, compared against what Linux 6.12.95 with
# Debian's ndctl/daxctl 76.1 printed for scenario 225 (its golden).
T225=tests/scenarios/225-tools-list-json.scn
G225=tests/conformance/golden/225-tools-list-json.golden

test_expect_success 'diff --golden: the tools print what the real ones printed' '
	run_hotmem diff --golden="$G225" "$T225" &&
	expect_rc 0 &&
	expect_output "$T225: 0 differences between model and kernel (0 fields not compared by the tolerance rules)" "$TRASH/err"
'

test_expect_success 'diff --golden: uuid values are not compared, other output lines and exit statuses are' '
	sed "/^@ 7 /,/^@ 8 /s/\"online_memblocks\":7/\"online_memblocks\":6/; s/^@ 11 1 1 - 0\$/@ 11 0 1 - 0/; s/\"uuid\":\"[0-9a-f-]*\"/\"uuid\":\"aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa\"/" "$G225" >"$TRASH/g225" &&
	grep -q "\"uuid\":\"aaaaaaaa-aaaa" "$TRASH/g225" &&
	run_hotmem diff --golden="$TRASH/g225" "$T225" &&
	expect_rc 1 &&
	expect_line "$T225:20: expect-status 0 daxctl reconfigure-device -m system-ram dax0.0: stdout line 8: model     \"online_memblocks\":7,, kernel     \"online_memblocks\":6," "$TRASH/out" &&
	expect_line "$T225:27: expect-status 1 daxctl online-memory dax0.0: model exit status 1, kernel exit status 0" "$TRASH/out" &&
	test "$(wc -l <"$TRASH/out")" -eq 2
'

test_expect_success 'diff --golden: a golden without the tools output compares exit statuses only' '
	awk "/^@ / { if (\$5 == \"-\" && \$6 != \"-\") { left = \$6 + 1; \$6 = \"-\"; print; next } }
	     left > 0 { left -= length(\$0) + 1; next } { print }" "$G225" |
		sed "s/^@ 11 1 1 - -\$/@ 11 0 1 - -/" >"$TRASH/old225" &&
	run_hotmem diff --golden="$TRASH/old225" "$T225" &&
	expect_rc 1 &&
	expect_line "$T225:27: expect-status 1 daxctl online-memory dax0.0: model exit status 1, kernel exit status 0" "$TRASH/out" &&
	test "$(wc -l <"$TRASH/out")" -eq 1
'

test_done
