#!/bin/sh
# t0020-explain: `hotmem explain` answers "would memmap_on_memory work
# here?" for ppc64 with 64 KiB pages (radix and hash), as a user would ask it
# new user tried it, with the kernel's numbers (memmap sizing, memory_block_memmap_on_memory_pages: V = block /
# 64K x 64 B / 64K, force rounds V up to the pageblock: 32 pages on
# radix, 256 on hash), and rejects bad arguments with exit 2.
. "$(dirname "$0")/lib.sh"

explain() {
	run_hotmem explain --arch ppc64 "$@"
}

test_expect_success 'radix 16M on: refused, memmap of 16 KiB is not a whole 64 KiB page' '
	explain --mmu radix --page-size 64K --block-size 16M --memmap-on-memory on &&
	expect_rc 0 &&
	expect_output "verdict: refused: mhp_supports_memmap_on_memory: the memmap of a block (16 KiB) is not a whole number of 64 KiB pages" "$TRASH/out" &&
	expect_output "one 64 KiB vmemmap page describes 1024 struct pages = 64 MiB of memory, more than this 16 MiB block: it is shared by 4 blocks" "$TRASH/out"
'

test_expect_success 'radix 16M force: refused by the same rule (force does not help)' '
	explain --block-size 16M --memmap-on-memory force &&
	expect_output "is not a whole number of 64 KiB pages" "$TRASH/out"
'

test_expect_success 'radix 256M on: 4 vmemmap pages are not a 32-page pageblock' '
	explain --block-size 256M &&
	expect_line "  vmemmap pages per block  4" "$TRASH/out" &&
	expect_output "verdict: refused: mhp_supports_memmap_on_memory: 4 vmemmap pages do not fill whole pageblocks of 32 pages" "$TRASH/out"
'

test_expect_success 'radix 256M force: accepted, 28 pages wasted, 4064 usable (254 MiB)' '
	explain --block-size 256M --memmap-on-memory force &&
	expect_output "vmemmap pages per block  4, 32 after force rounding" "$TRASH/out" &&
	expect_output "wasted in force mode     28 pages (1792 KiB) per block" "$TRASH/out" &&
	expect_output "usable per block         4064 pages = 254 MiB (present 4096)" "$TRASH/out" &&
	expect_output "verdict: accepted" "$TRASH/out"
'

test_expect_success 'radix 1G force: accepted, 16 wasted, 16352 usable' '
	explain --block-size 1G --memmap-on-memory force --json &&
	expect_output "\"wasted_pages\": 16," "$TRASH/out" &&
	expect_output "\"usable_pages\": 16352," "$TRASH/out" &&
	expect_output "\"accepted\": true," "$TRASH/out"
'

test_expect_success 'radix 2G on: accepted without waste, 32736 usable (2046 MiB)' '
	explain --block-size 2G --memmap-on-memory on &&
	expect_output "usable per block         32736 pages = 2046 MiB" "$TRASH/out" &&
	expect_output "verdict: accepted" "$TRASH/out"
'

test_expect_success 'hash 256M force: refused for the hash MMU, so nothing is wasted' '
	explain --mmu hash --page-size 64K --block-size 256M --memmap-on-memory force &&
	! grep -q "wasted in force mode" "$TRASH/out" &&
	expect_output "memmap elsewhere" "$TRASH/out" &&
	expect_output "verdict: refused: arch_supports_memmap_on_memory: powerpc allows memmap_on_memory only when the radix MMU is in use" "$TRASH/out"
'

test_expect_success 'hash 2G on: 32 vmemmap pages are not a 256-page pageblock' '
	explain --mmu hash --block-size 2G --json &&
	expect_output "\"check\": \"pageblock\"," "$TRASH/out" &&
	expect_output "\"usable_pages\": 32768," "$TRASH/out"
'

test_expect_success 'hash 1G force: refused for the hash MMU, 240 wasted' '
	explain --mmu=hash --block-size=1G --memmap-on-memory=force --json &&
	expect_output "\"wasted_pages\": 240," "$TRASH/out" &&
	expect_output "\"check\": \"arch\"," "$TRASH/out"
'

# The whole list (memmap sizing, memory_block_memmap_on_memory_pages; V = 4 pages per 256M, 16 per 1G,
# 32 per 2G; pageblock 32 radix / 256 hash; force rounds V up to it):
#   radix 16M  on/force: page_multiple (memmap 16K < one 64K page)
#   radix 256M on: pageblock (4)     force: ok (32)
#   radix 1G   on: pageblock (16)    force: ok (32)
#   radix 2G   on: ok (32)           force: ok (32)
#   hash  16M  on/force: page_multiple
#   hash  256M/1G/2G on: pageblock (4, 16, 32 < 256)  force: arch (hash MMU)
test_expect_success 'ppc64 64K: every block size x on/force x radix/hash' '
	for mmu in radix hash; do
		for b in 16M 256M 1G 2G; do
			for mode in on force; do
				"$HOTMEM" explain --arch ppc64 --mmu $mmu --page-size 64K \
					--block-size $b --memmap-on-memory $mode --json |
				sed -n "s/^  \"check\": \"\(.*\)\",$/$mmu $b $mode \1/p"
			done
		done
	done >"$TRASH/matrix" &&
	cat >"$TRASH/want" <<-EOF &&
	radix 16M on page_multiple
	radix 16M force page_multiple
	radix 256M on pageblock
	radix 256M force ok
	radix 1G on pageblock
	radix 1G force ok
	radix 2G on ok
	radix 2G force ok
	hash 16M on page_multiple
	hash 16M force page_multiple
	hash 256M on pageblock
	hash 256M force arch
	hash 1G on pageblock
	hash 1G force arch
	hash 2G on pageblock
	hash 2G force arch
	EOF
	diff -u "$TRASH/want" "$TRASH/matrix"
'

test_expect_success 'no --arch: exit 2, the option is named' '
	run_hotmem explain --block-size 1G &&
	expect_rc 2 &&
	expect_output "--arch" "$TRASH/err" &&
	test ! -s "$TRASH/out"
'

test_expect_success 'unknown arch: exit 2, the known ones are listed' '
	run_hotmem explain --arch vax &&
	expect_rc 2 &&
	expect_output "unknown architecture" "$TRASH/err" && expect_output "vax" "$TRASH/err" &&
	expect_output "ppc64-hash-64k" "$TRASH/err"
'

test_expect_success 'page size the arch lacks: exit 2, the profiles are listed' '
	run_hotmem explain --arch arm64 --page-size 8K &&
	expect_rc 2 &&
	expect_output "arm64 has no profile with page size 8K" "$TRASH/err" &&
	expect_output "arm64-64k" "$TRASH/err"
'

test_expect_success 'block smaller than a section: exit 2, the section size is named' '
	run_hotmem explain --arch arm64 --page-size 64K --block-size 128M &&
	expect_rc 2 &&
	expect_output "at least one section (512 MiB on arm64-64k)" "$TRASH/err"
'

test_expect_success 'bad mode, bad size, missing value, stray argument: exit 2 each' '
	run_hotmem explain --arch ppc64 --memmap-on-memory maybe &&
	expect_rc 2 && expect_output "maybe" "$TRASH/err" &&
	run_hotmem explain --arch ppc64 --block-size lots &&
	expect_rc 2 && expect_output "lots" "$TRASH/err" &&
	run_hotmem explain --arch &&
	expect_rc 2 && expect_output "--arch needs a value" "$TRASH/err" &&
	run_hotmem explain --arch ppc64 extra &&
	expect_rc 2 && expect_output "unexpected argument" "$TRASH/err" && expect_output "extra" "$TRASH/err"
'

test_expect_success '--help shows the usage and exits 0' '
	run_hotmem explain --help &&
	expect_rc 0 &&
	expect_output "Usage: hotmem explain" "$TRASH/out"
'

test_done
