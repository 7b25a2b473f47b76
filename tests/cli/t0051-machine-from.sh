#!/bin/sh
# t0051-machine-from: `machine ... from=DIR` starts the model from the
# inputs `hotmem capture` measured on a real boot (DIR/model-inputs.txt),
# and a missing or malformed capture is a malformed machine line.
. "$(dirname "$0")/lib.sh"

mkdir -p "$TRASH/cap"
# As hotmem capture writes it for -m 2G with the backend's command line:
# the guest showed MemTotal 1953108 kB and MemFree 1919544 kB.
cat >"$TRASH/cap/model-inputs.txt" <<'TXT'
# MemTotal: kernel 1953108 kB, model 1953112 kB with boot_reserved=40568K
boot_reserved=40572K
boot_used=33564K
TXT
cat >"$TRASH/from.scn" <<'SCN'
machine arch=x86_64 mem=2G slots=8 maxmem=32G from=cap
boot
expect /proc/meminfo:MemTotal == 1953108 kB
expect /proc/meminfo:MemFree == 1919544 kB
SCN

test_expect_success 'from=DIR (relative to the scenario) sets boot_reserved and boot_used' '
	run_hotmem run "$TRASH/from.scn" &&
	expect_rc 0
'

test_expect_success 'a later boot_reserved= on the line wins over from=' '
	sed "s/from=cap/from=cap boot_reserved=40568K/; s/1953108/1953112/; s/1919544/1919548/" \
		"$TRASH/from.scn" >"$TRASH/later.scn" &&
	run_hotmem run "$TRASH/later.scn" &&
	expect_rc 0
'

test_expect_success 'from= of a folder without a capture: exit 2, names the file' '
	sed "s/from=cap/from=nothing/" "$TRASH/from.scn" >"$TRASH/missing.scn" &&
	run_hotmem run "$TRASH/missing.scn" &&
	expect_rc 2 &&
	expect_output "missing.scn:1: error: machine: from=nothing: cannot read $TRASH/nothing/model-inputs.txt: No such file or directory" "$TRASH/err"
'

test_expect_success 'a capture with a foreign line: exit 2, names file and line' '
	mkdir -p "$TRASH/bad" &&
	printf "boot_reserved=40572K\nmin_free_kbytes=67584\n" >"$TRASH/bad/model-inputs.txt" &&
	sed "s/from=cap/from=bad/" "$TRASH/from.scn" >"$TRASH/bad.scn" &&
	run_hotmem run "$TRASH/bad.scn" &&
	expect_rc 2 &&
	expect_output "bad/model-inputs.txt:2: unknown line '\''min_free_kbytes=67584'\''" "$TRASH/err"
'

test_done
