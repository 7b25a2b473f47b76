#!/bin/sh
# t0062-plan: `hotmem plan` on the imported real x86-64 VM (24 GiB,
# 128 MiB blocks, auto_online_blocks offline, memmap_on_memory off as
# captured): what-if steps compared before and after, as text and JSON.
# The facts are the kernel's rules: a 128 MiB block of 4K pages has a
# 2 MiB memmap (32768 struct pages of 64 B = 512 pages), which
# memmap_on_memory puts on the block itself; with auto-movable a DIMM
# (one static memory group) goes Movable only if the whole DIMM fits in
# auto_movable_ratio (301%) of the early kernel pages.
. "$(dirname "$0")/lib.sh"

FIX=$(pwd)/tests/fixtures/import/real-x86_64-6.18-24G

test_expect_success 'a DIMM with memmap_on_memory, and a boot block offlined' '
	run_hotmem plan --snapshot "$FIX" -c memory_hotplug.memmap_on_memory=1 \
		--step "device_add pc-dimm id=d1 size=4G" \
		--step "write /sys/devices/system/memory/memory40/state offline" &&
	expect_rc 0 &&
	expect_match "^  MemTotal +24684084 kB +24553012 kB +-131072 kB$" &&
	expect_match "^memmap \(struct pages\): \+16384 pages \(\+65536 kB\): \+65536 kB on the new blocks themselves" &&
	expect_line "  memory40 [0x140000000-0x147ffffff] boot RAM: online Normal node0 -> offline node0" &&
	expect_line "  memory4096-4127 [0x8000000000-0x80ffffffff] d1: absent -> offline node0, memmap on the block: 512 pages each"
'

test_expect_success 'the same plan as JSON' '
	run_hotmem plan --snapshot "$FIX" -c memory_hotplug.memmap_on_memory=1 --json \
		--step "device_add pc-dimm id=d1 size=4G" &&
	expect_rc 0 &&
	expect_output "\"memtotal_kb\":{\"before\":24684084,\"after\":24684084,\"change\":0}" &&
	expect_output "{\"block\":4096,\"start\":\"0x8000000000\",\"owner\":\"d1\",\"before\":{\"state\":\"absent\",\"zone\":null,\"node\":-1},\"after\":{\"state\":\"offline\",\"zone\":null,\"node\":0},\"memmap_in_node_pages\":0,\"memmap_on_block_pages\":512" &&
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert len(d[\"blocks\"])==32" "$TRASH/out"
'

test_expect_success 'onlined Movable: can be offlined again; Normal: only without unmovable allocations' '
	run_hotmem plan --snapshot "$FIX" \
		--step "device_add pc-dimm id=d1 size=1G" \
		--step "write /sys/devices/system/memory/memory4096/state online_movable" \
		--step "write /sys/devices/system/memory/memory4097/state online_kernel" &&
	expect_rc 0 &&
	expect_line "  memory4096 [0x8000000000-0x8007ffffff] d1: absent -> online Movable node0, memmap in node0'\''s memory: 512 pages each" &&
	expect_line "    offline later: yes: ZONE_MOVABLE holds only movable pages, which can migrate away" &&
	expect_line "    offline later: only while no unmovable kernel allocation lands in it: Normal is a kernel zone"
'

test_expect_success 'auto-movable: a DIMM beyond 301% of the kernel memory goes Normal, block by block, with the reason' '
	run_hotmem plan --snapshot "$FIX" \
		-c "memory_hotplug.online_policy=auto-movable memhp_default_state=online" \
		--step "device_add pc-dimm id=big size=96G" &&
	expect_rc 0 &&
	expect_line "  memory4096-4863 [0x8000000000-0x97ffffffff] big: absent -> online Normal node0, memmap in node0'\''s memory: 512 pages each" &&
	expect_output "auto-movable decisions (memory_hotplug.online_policy=auto-movable):" &&
	expect_match "^  auto-movable memory4096: kernel zone: movable 0 \+ 25165824 pages would exceed 301% of [0-9]+ early kernel pages$" &&
	test "$(grep -c "auto-movable memory[0-9]*: kernel zone" "$TRASH/out")" = 768
'

test_expect_success 'a DIMM within the ratio goes Movable, and the plan says why' '
	run_hotmem plan --snapshot "$FIX" \
		-c "memory_hotplug.online_policy=auto-movable memhp_default_state=online" \
		--step "device_add pc-dimm id=small size=8G" &&
	expect_rc 0 &&
	expect_match "^  auto-movable memory4096: Movable: movable 0 \+ 2097152 pages <= 301% of [0-9]+ early kernel pages$"
'

# two nodes: the same capture with memory120-199 linked to node1
two_nodes() {
	cp -r "$FIX" "$TRASH/two" && chmod -R u+w "$TRASH/two" &&
	(cd "$TRASH/two/sys/devices/system" &&
	 for i in $(seq 120 199); do
		rm memory/memory$i/node0 && ln -s ../../node/node1 memory/memory$i/node1 || exit 1
	 done &&
	 mkdir node/node1 && echo 0-1 >node/has_cpu) &&
	rm "$TRASH/two/proc/zoneinfo"
}

test_expect_success 'two nodes: a 256 GiB CXL card on node1 with memmap_on_memory, onlined movable' '
	two_nodes &&
	run_hotmem plan --snapshot "$TRASH/two" \
		-c "memory_hotplug.memmap_on_memory=1 memhp_default_state=online_movable" \
		--step "device_add cxl-type3 id=c0 size=256G node=1" &&
	expect_rc 0 &&
	expect_output "x86_64, 128 MiB blocks, 2 nodes" &&
	expect_match "^  node0 MemTotal +[0-9]+ kB +[0-9]+ kB +\+0 kB$" &&
	expect_match "^  node1 MemTotal +[0-9]+ kB +[0-9]+ kB +\+264241152 kB$" &&
	expect_match "^  node1 Movable present +0 kB +268435456 kB +\+268435456 kB$" &&
	expect_match "^  memory[0-9]+-[0-9]+ \[0x[0-9a-f]+-0x[0-9a-f]+\] c0: absent -> online Movable node1, memmap on the block: 512 pages each$"
'

test_expect_success 'without memmap_on_memory a DIMM'\''s memmap comes from its node'\''s memory' '
	run_hotmem plan --snapshot "$TRASH/two" --step "device_add pc-dimm id=d1 size=1G node=1" &&
	expect_rc 0 &&
	expect_match "^  memory[0-9]+-[0-9]+ \[0x[0-9a-f]+-0x[0-9a-f]+\] d1: absent -> offline node1, memmap in node1.s memory: 512 pages each$"
'

test_expect_success 'bad input: no --snapshot, a malformed step, a bad snapshot' '
	run_hotmem plan --step "device_add pc-dimm id=d1 size=1G" &&
	expect_rc 2 && expect_output "plan: --snapshot PATH is required" &&
	run_hotmem plan --snapshot "$FIX" --step "device_add pc-dimm id=d1 size=banana" &&
	expect_rc 2 && expect_output "<plan>:4: error:" &&
	run_hotmem plan --snapshot "$TRASH/nowhere" &&
	expect_rc 2 && expect_output "$TRASH/nowhere: No such file or directory"
'

test_done
