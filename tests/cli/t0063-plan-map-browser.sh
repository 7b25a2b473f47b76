#!/bin/sh
# t0063-plan-map-browser: the plan's HTML map, opened in a real headless
# Chromium (Debian's; sh scripts/browser-setup.sh installs it): what the
# browser drew after the page's script ran (--dump-dom) has a block per
# memory block before and after, the DIMM's band by name, the memmap
# part of each DIMM block, only the zones present in the legend; and a
# screenshot is kept as build/plan-map.png for people to look at.
# SKIPPED when chromium is missing.
. "$(dirname "$0")/lib.sh"

command -v chromium >/dev/null 2>&1 || {
	echo "# SKIP chromium is missing (sh scripts/browser-setup.sh installs it)"
	echo "# passed 0, failed 0"
	exit 0
}
FIX=$(pwd)/tests/fixtures/import/real-x86_64-6.18-24G
SHOT=$(pwd)/build/plan-map.png

chrome() {
	rm -rf "$TRASH/profile" && mkdir "$TRASH/profile" &&
	timeout 90 chromium --headless --no-sandbox --disable-gpu --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$TRASH/profile" "$@" 2>>"$TRASH/chrome.err"
}

test_expect_success 'hotmem plan --html writes one self-contained page' '
	run_hotmem plan --snapshot "$FIX" -c memory_hotplug.memmap_on_memory=1 \
		--step "device_add pc-dimm id=d1 size=4G" \
		--step "write /sys/devices/system/memory/memory40/state offline" \
		--html "$TRASH/plan.html" &&
	expect_rc 0 &&
	expect_output "hotmem: plan: map written to $TRASH/plan.html" &&
	! grep -E "(src|href)=\"(https?:|//)" "$TRASH/plan.html"
'

test_expect_success 'what Chromium drew: blocks, the DIMM band, memmap parts, the script ran' '
	chrome --dump-dom "file://$TRASH/plan.html" >"$TRASH/dom.html" &&
	expect_output "drawn: 192 blocks before, 224 after, 33 changed" "$TRASH/dom.html" &&
	test "$(grep -o "class=\"block [^\"]*\" data-block=\"[0-9]*\" data-zone=\"[A-Za-z0-9]*\" data-node=\"0\" data-when=\"after\"" "$TRASH/dom.html" | wc -l)" = 224 &&
	expect_output "<div class=\"device\" data-owner=\"d1\"><div class=\"devlabel\">d1 <span class=\"addr\">memory4096 @ 0x8000000000</span>" "$TRASH/dom.html" &&
	test "$(grep -o "data-memmap=\"512\"" "$TRASH/dom.html" | wc -l)" = 32 &&
	expect_output "data-block=\"40\" data-zone=\"offline\" data-node=\"0\" data-when=\"after\"" "$TRASH/dom.html" &&
	expect_output "data-block=\"0\" data-zone=\"several\"" "$TRASH/dom.html"
'

test_expect_success 'the legend shows the zones present and no others' '
	for z in DMA32 Normal several offline memmap; do
		expect_output "data-legend=\"$z\"" "$TRASH/dom.html" || exit 1
	done &&
	expect_no_output "data-legend=\"Movable\"" "$TRASH/dom.html" &&
	expect_no_output "data-legend=\"DMA\"" "$TRASH/dom.html"
'

test_expect_success 'two nodes are drawn side by side, the CXL card in node1 by name' '
	cp -r "$FIX" "$TRASH/two" && chmod -R u+w "$TRASH/two" &&
	(cd "$TRASH/two/sys/devices/system" &&
	 for i in $(seq 120 199); do
		rm memory/memory$i/node0 && ln -s ../../node/node1 memory/memory$i/node1 || exit 1
	 done && mkdir node/node1) &&
	run_hotmem plan --snapshot "$TRASH/two" -c memory_hotplug.memmap_on_memory=1 \
		--step "device_add cxl-type3 id=c0 size=16G node=1" --html "$TRASH/two.html" &&
	expect_rc 0 &&
	chrome --dump-dom "file://$TRASH/two.html" >"$TRASH/two-dom.html" &&
	test "$(grep -o "<div class=\"node\" data-node=\"[01]\" data-when=\"[a-z]*\">" "$TRASH/two-dom.html" | wc -l)" = 4 &&
	expect_output "<div class=\"device\" data-owner=\"c0\"><div class=\"devlabel\">c0 " "$TRASH/two-dom.html" &&
	expect_output "drawn: 192 blocks before, 320 after, 128 changed" "$TRASH/two-dom.html" &&
	test "$(grep -o "data-node=\"1\" data-when=\"after\" data-memmap=\"512\"" "$TRASH/two-dom.html" | wc -l)" = 128
'

test_expect_success 'a screenshot is kept in build/plan-map.png' '
	rm -f "$SHOT" &&
	chrome --window-size=1400,1000 --screenshot="$SHOT" "file://$TRASH/plan.html" >/dev/null &&
	test -s "$SHOT" &&
	test "$(head -c 4 "$SHOT" | tail -c 3)" = PNG
'

test_done
