#!/bin/sh
# t0031-tools: ndctl and daxctl lines as a user writes them. A command
# line the tools (76.1) would reject, or that hotmem does not model, is
# refused at parse time as FILE:LINE: error: ... with the tool's own
# complaint, exit status 2, and nothing runs. A tool that fails at run
# time prints what the real tool prints and "TOOL: exit status N"; the
# run goes on. expect-status checks the status (the scenario fails with
# "wanted: exit status N").
. "$(dirname "$0")/lib.sh"

PREFIX='machine arch=x86_64 mem=4G
cmdline memmap=1G!4G memory_hotplug.memmap_on_memory=1 memhp_default_state=offline
boot
echo BEFORE-MARKER'

# bad LINE MESSAGE: LINE is line 5 of a scenario; it is refused.
bad() {
	printf "%s\n%s\necho AFTER-MARKER\n" "$PREFIX" "$1" | scenario bad.scn &&
	run_hotmem run "$TRASH/bad.scn" &&
	expect_rc 2 &&
	expect_line "$TRASH/bad.scn:5: error: $2" "$TRASH/err" &&
	expect_no_output BEFORE-MARKER &&
	expect_no_output AFTER-MARKER
}

test_expect_success 'an unknown option is the tool'"'"'s own complaint, at FILE:LINE' '
	bad "ndctl list --bogus" "ndctl list: unknown option \`bogus'"'"'"
'

test_expect_success 'a bad mode, map, size, align or uuid is refused before anything runs' '
	bad "ndctl create-namespace -m foo" "ndctl create-namespace: invalid mode '"'"'foo'"'"'" &&
	bad "ndctl create-namespace -M disk" "ndctl create-namespace: invalid map location '"'"'disk'"'"'" &&
	bad "ndctl create-namespace -s 12Q" "ndctl create-namespace: failed to parse namespace size '"'"'12Q'"'"'" &&
	bad "ndctl create-namespace -a 3M" "ndctl create-namespace: align must be a power-of-2 greater than 4096" &&
	bad "ndctl create-namespace -u 1234" "ndctl create-namespace: failed to parse uuid: '"'"'1234'"'"'"
'

test_expect_success 'daxctl: a mode, size or align is required; devdax cannot take --no-online' '
	bad "daxctl reconfigure-device dax0.0" "daxctl reconfigure-device: error: a '"'"'align'"'"', '"'"'mode'"'"' or '"'"'size'"'"' option is required" &&
	bad "daxctl reconfigure-device -m devdax --no-online dax0.0" "daxctl reconfigure-device: --no-online is incompatible with --mode=devdax"
'

test_expect_success 'a missing or extra operand, an ambiguous prefix' '
	bad "daxctl online-memory" "daxctl online-memory: specify a device to online memory for, or \"all\" (usage: daxctl online-memory <device> [<options>])" &&
	bad "ndctl destroy-namespace namespace0.0 namespace0.1" "ndctl destroy-namespace: unknown extra parameter \"namespace0.1\"" &&
	bad "ndctl create-namespace --re region0" "ndctl create-namespace: Ambiguous option: re (could be --region or --reconfig)"
'

test_expect_success 'what hotmem does not model is refused with the reason' '
	bad "ndctl list -D -H" "ndctl list: option --health is not modelled by hotmem (DIMM health (ioctls) is not modelled)" &&
	bad "ndctl disable-region region0" "ndctl: '"'"'disable-region'"'"' is not a command hotmem models (see docs/scenario-language.md)" &&
	bad "expect-status 256 ndctl list" "expect-status: '"'"'256'"'"' is not an exit status (0..255)" &&
	bad "expect-status 0 cxl list" "expect-status: cannot run '"'"'cxl'"'"' (want ndctl, daxctl or chmem)"
'

test_expect_success 'a tool that fails says so, with its exit status, and the run goes on' '
	printf "%s\nndctl create-namespace -e namespace0.0 -m devdax\necho AFTER-MARKER\n" "$PREFIX" |
		scenario busy.scn &&
	run_hotmem run "$TRASH/busy.scn" &&
	expect_rc 0 &&
	expect_line "  Error: namespace0.0 is active, specify --force for re-configuration" &&
	expect_line "failed to reconfigure namespace: Device or resource busy" &&
	expect_line "ndctl: exit status 240" &&
	expect_output AFTER-MARKER
'

test_expect_success 'create-namespace prints the namespace as JSON; daxctl an array of its devices' '
	printf "%s\nndctl create-namespace -f -e namespace0.0 -m devdax\ndaxctl reconfigure-device -m system-ram dax0.0\n" "$PREFIX" |
		scenario ok.scn &&
	run_hotmem run "$TRASH/ok.scn" &&
	expect_rc 0 &&
	expect_line "  \"mode\":\"devdax\"," &&
	expect_line "  \"map\":\"dev\"," &&
	expect_line "        \"chardev\":\"dax0.0\"," &&
	expect_line "[" &&
	expect_line "    \"mode\":\"system-ram\"," &&
	expect_line "    \"online_memblocks\":7," &&
	expect_line "    \"movable\":true" &&
	expect_line "reconfigured 1 device" &&
	expect_no_output "exit status"
'

test_expect_success 'expect-status fails the scenario when the status differs' '
	printf "%s\nexpect-status 0 ndctl create-namespace -e namespace0.0 -m devdax\n" "$PREFIX" |
		scenario st.scn &&
	run_hotmem run "$TRASH/st.scn" &&
	expect_rc 1 &&
	expect_line "$TRASH/st.scn:5: expect failed: expect-status 0 ndctl create-namespace -e namespace0.0 -m devdax" &&
	expect_line "  wanted: exit status 0" &&
	expect_line "  got:    exit status 240"
'

test_done
