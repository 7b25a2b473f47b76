#!/bin/sh
# check-diffs.sh - are these the differences tests/conformance/known-diffs
# allows for this scenario?
#
# Contract: check-diffs.sh SCENARIO DIFF-OUTPUT
# DIFF-OUTPUT is `hotmem diff` standard output for SCENARIO (one
# "FILE:LINE: WHAT: model ..., kernel ..." line per difference). Each
# known-diffs line "FILE:LINE: WHAT" must appear (required); a line
# "~ FILE:LINE: WHAT" may appear (a live kernel shows it on some runs
# only); any other difference fails. Exit 0 when they match, 1 (with
# the unexpected and the missing differences on stdout) otherwise.
#
# Expected workload: a few lines per scenario.
set -u
KNOWN=${KNOWN:-tests/conformance/known-diffs}
scn=$1
out=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hotmem-check.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

sed 's/: model .*//' "$out" | sort -u >"$tmp/got"
grep -F "$scn:" "$KNOWN" | grep -v '^#' | sed 's/[[:space:]]*$//' >"$tmp/known" || true
grep -v '^~ ' "$tmp/known" | sort -u >"$tmp/required"
sed -n 's/^~ //p' "$tmp/known" | sort -u >"$tmp/optional"
sort -u "$tmp/required" "$tmp/optional" >"$tmp/allowed"

rc=0
unexpected=$(comm -23 "$tmp/got" "$tmp/allowed")
missing=$(comm -13 "$tmp/got" "$tmp/required")
if [ -n "$unexpected" ]; then
	echo "differences tests/conformance/known-diffs does not list:"
	printf '%s\n' "$unexpected" | sed 's/^/  /'
	rc=1
fi
if [ -n "$missing" ]; then
	echo "differences known-diffs requires but the run did not show:"
	printf '%s\n' "$missing" | sed 's/^/  /'
	rc=1
fi
exit $rc
