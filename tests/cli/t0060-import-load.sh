#!/bin/sh
# t0060-import-load: a real machine's capture, loaded with `machine
# from-snapshot=PATH`, reads back every captured file exactly: the
# memory blocks' files (state, online, phys_index, phys_device,
# removable, valid_zones), the node files, meminfo, zoneinfo, vmstat,
# iomem, cmdline and the memory_hotplug parameters. The captures are
# real machines' (tests/fixtures/import): an x86-64 VM with 24 GiB
# under Linux 6.18 (a directory), and util-linux's lsmem test dumps of
# an s390x z/VM guest and an arm64 machine with 16K pages (tarballs).
# Bad captures are refused, naming the file, and nothing runs.
. "$(dirname "$0")/lib.sh"

FIX=$(pwd)/tests/fixtures/import

# readback NAME DIR MACHINE-WORDS: a scenario reading every captured
# regular file of DIR, and the output it must print.
readback() {
	{
		echo "machine $3"
		echo boot
		(cd "$2" && find sys proc -type f 2>/dev/null | LC_ALL=C sort) |
		grep -v '/memory[0-9]*/node[0-9]*$' | sed 's|^|read /|'
	} >"$TRASH/$1.scn"
	(cd "$2" && find sys proc -type f 2>/dev/null | LC_ALL=C sort) |
	grep -v '/memory[0-9]*/node[0-9]*$' >"$TRASH/$1.list"
	# one awk for all files (a process per file is minutes on a busy
	# machine); read ends what it prints with a newline, as awk does
	awk -v dir="$2" -v list="$TRASH/$1.list" 'BEGIN {
		while ((getline f < list) > 0) {
			print "==> /" f " <=="
			while ((getline line < (dir "/" f)) > 0)
				print line
			close(dir "/" f)
		}
	}' >"$TRASH/$1.want"
}

test_expect_success 'x86-64 VM, 24 GiB, Linux 6.18: every captured file reads back as captured' '
	readback x86 "$FIX/real-x86_64-6.18-24G" "from-snapshot=$FIX/real-x86_64-6.18-24G" &&
	run_hotmem run "$TRASH/x86.scn" &&
	expect_rc 0 &&
	diff -u "$TRASH/x86.want" "$TRASH/out" >"$TRASH/x86.diff" &&
	grep -c "^==> /sys/devices/system/memory/memory" "$TRASH/out" >"$TRASH/n" &&
	test "$(cat "$TRASH/n")" -gt 1000
'

test_expect_success 'it is recognised as x86_64 from its iomem, and says so' '
	expect_output "warning: snapshot: assumed: architecture x86_64 (no arch file; /proc/iomem has the PC'\''s System ROM)" "$TRASH/err"
'

test_expect_success 's390x z/VM tarball: blocks, removable and the old valid_zones read back' '
	mkdir -p "$TRASH/s390" && tar -xjf "$FIX/s390-zvm-6g.tar.bz2" -C "$TRASH/s390" &&
	readback s390 "$TRASH/s390/s390-zvm-6g" "from-snapshot=$FIX/s390-zvm-6g.tar.bz2" &&
	run_hotmem run "$TRASH/s390.scn" &&
	expect_rc 0 &&
	diff -u "$TRASH/s390.want" "$TRASH/out" &&
	expect_output "assumed: architecture s390x" "$TRASH/err"
'

test_expect_success 'arm64 16K tarball with page_size=16K: read back, no page-size guess' '
	mkdir -p "$TRASH/a64" && tar -xjf "$FIX/aarch64_16K_16g.tar.bz2" -C "$TRASH/a64" &&
	readback a64 "$TRASH/a64/aarch64_16K_16g" "from-snapshot=$FIX/aarch64_16K_16g.tar.bz2 page_size=16K" &&
	run_hotmem run "$TRASH/a64.scn" &&
	expect_rc 0 &&
	diff -u "$TRASH/a64.want" "$TRASH/out" &&
	expect_output "assumed: architecture arm64" "$TRASH/err" &&
	expect_no_output "assumed: 4K pages" "$TRASH/err"
'

test_expect_success 'without page_size= the arm64 dump loads with 4K pages, and says it assumed them' '
	printf "machine from-snapshot=%s\nboot\n" "$FIX/aarch64_16K_16g.tar.bz2" >"$TRASH/a4.scn" &&
	run_hotmem run "$TRASH/a4.scn" &&
	expect_rc 0 &&
	expect_output "assumed: 4K pages (the files do not tell the page size); override with page_size=" "$TRASH/err"
'

test_expect_success 'the machine behind the files is the model: MemTotal moves when a block goes offline' '
	cat >"$TRASH/off.scn" <<-EOT &&
	machine from-snapshot=$FIX/real-x86_64-6.18-24G
	boot
	snapshot s
	expect /proc/meminfo:MemTotal == 24684084
	write /sys/devices/system/memory/memory40/state offline
	expect /sys/devices/system/memory/memory40/state == offline
	expect /proc/meminfo:MemTotal - @s == -131072
	expect /sys/devices/system/node/node0/meminfo:MemTotal - @s == -131072
	EOT
	run_hotmem run "$TRASH/off.scn" &&
	expect_rc 0
'

test_expect_success 'run --check: the imported machines keep the model'\''s invariants through writes' '
	cat >"$TRASH/chk.scn" <<-EOT &&
	machine from-snapshot=$FIX/s390-zvm-6g.tar.bz2
	boot
	write /sys/devices/system/memory/memory20/state online
	write /sys/devices/system/memory/memory18/state offline
	expect /sys/devices/system/memory/memory18/state == offline
	EOT
	run_hotmem run --check "$TRASH/chk.scn" &&
	expect_rc 0
'

test_expect_success 'arm64 keeps its boot memory: offlining a captured boot block is EPERM' '
	cat >"$TRASH/a64b.scn" <<-EOT &&
	machine from-snapshot=$FIX/aarch64_16K_16g.tar.bz2 page_size=16K
	boot
	expect-error EPERM write /sys/devices/system/memory/memory8200/state offline
	EOT
	run_hotmem run "$TRASH/a64b.scn" &&
	expect_rc 0
'

# a private copy of the x86 capture to spoil
spoil() {
	rm -rf "$TRASH/bad" && cp -r "$FIX/real-x86_64-6.18-24G" "$TRASH/bad" && chmod -R u+w "$TRASH/bad"
}

test_expect_success 'a truncated tarball: an error naming it, nothing runs' '
	head -c 2000 "$FIX/s390-zvm-6g.tar.bz2" >"$TRASH/cut.tar.bz2" &&
	printf "machine from-snapshot=%s\nboot\necho ran\n" "$TRASH/cut.tar.bz2" >"$TRASH/cut.scn" &&
	run_hotmem run "$TRASH/cut.scn" &&
	expect_rc 2 &&
	expect_output "cut.scn:1: error: machine: from-snapshot: $TRASH/cut.tar.bz2: not a complete tarball (tar: " &&
	expect_no_output "ran" "$TRASH/out"
'

test_expect_success 'a block file that contradicts another: an error naming it' '
	spoil && echo 0 >"$TRASH/bad/sys/devices/system/memory/memory40/online" &&
	printf "machine from-snapshot=%s\nboot\n" "$TRASH/bad" >"$TRASH/b1.scn" &&
	run_hotmem run "$TRASH/b1.scn" &&
	expect_rc 2 &&
	expect_output "$TRASH/bad/sys/devices/system/memory/memory40/online: '\''0'\'' contradicts memory40/state '\''online'\''"
'

test_expect_success 'a phys_index that is not its block: an error naming it' '
	spoil && echo 00000029 >"$TRASH/bad/sys/devices/system/memory/memory40/phys_index" &&
	printf "machine from-snapshot=%s\nboot\n" "$TRASH/bad" >"$TRASH/b2.scn" &&
	run_hotmem run "$TRASH/b2.scn" &&
	expect_rc 2 &&
	expect_output "memory40/phys_index: '\''00000029'\'' is not memory40'\''s index (want 00000028)"
'

test_expect_success 'an unsupported architecture: an error naming the file' '
	spoil && echo mips64 >"$TRASH/bad/arch" &&
	printf "machine from-snapshot=%s\nboot\n" "$TRASH/bad" >"$TRASH/b3.scn" &&
	run_hotmem run "$TRASH/b3.scn" &&
	expect_rc 2 &&
	expect_output "$TRASH/bad/arch: unsupported architecture '\''mips64'\''"
'

test_expect_success 'no block size: an error naming the missing file' '
	spoil && rm "$TRASH/bad/sys/devices/system/memory/block_size_bytes" &&
	printf "machine from-snapshot=%s\nboot\n" "$TRASH/bad" >"$TRASH/b4.scn" &&
	run_hotmem run "$TRASH/b4.scn" &&
	expect_rc 2 &&
	expect_output "$TRASH/bad/sys/devices/system/memory/block_size_bytes: missing"
'

test_expect_success 'numa lines do not go with from-snapshot' '
	printf "machine from-snapshot=%s\nnuma node=0 mem=24G\nboot\n" "$FIX/real-x86_64-6.18-24G" >"$TRASH/b6.scn" &&
	run_hotmem run "$TRASH/b6.scn" &&
	expect_rc 2 &&
	expect_output "b6.scn:2: error: numa: a machine from-snapshot has the captured nodes; numa lines do not go with it"
'

test_expect_success 'not a capture at all' '
	mkdir -p "$TRASH/empty" &&
	printf "machine from-snapshot=%s\nboot\n" "$TRASH/empty" >"$TRASH/b5.scn" &&
	run_hotmem run "$TRASH/b5.scn" &&
	expect_rc 2 &&
	expect_output "$TRASH/empty: no sys/devices/system/memory in it"
'

test_done
