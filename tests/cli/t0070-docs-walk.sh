#!/bin/sh
# t0070-docs-walk: every shell session shown in README.md and docs/*.md
# runs and prints what the doc shows.
#
# The convention (docs/testing.md, "Sessions in the docs"): in a code
# block, fenced or indented by four spaces, a line starting `$ ` is a
# command (a trailing `\` continues it on the next line) and the lines
# after it, up to the next `$ ` or the end of the block, are its output,
# standard output and standard error together, exactly; a line `...`
# stands for any number of lines, a line ending in `...` for any line
# starting with the text before it; blank lines ending an output are
# separators, not output. `hotmem` and `./build/hotmem` are the
# hotmem under test; commands run in one shell per block, from the
# repository root (so `echo $?` sees the previous command). A block
# that cannot run without more than the build (a served tree at
# /mnt/hm, root, the real tools) follows a line
# `<!-- doc-test: skip REASON -->`: it is listed with its reason, and
# the story it tells has its own test (t0052..t0054 for hotmem serve).
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$TRASH/bin" "$TRASH/s"
ln -s "$HOTMEM" "$TRASH/bin/hotmem"

# Extract sessions: $TRASH/s/N.sh (the commands, each followed by an end
# marker), $TRASH/s/N.want (outputs, each closed by the marker line),
# $TRASH/s/N.name (FILE:LINE), or $TRASH/s/N.skip (the reason).
for doc in README.md docs/*.md; do
	awk -v doc="$doc" -v dir="$TRASH/s" '
	function flush_block(   i, line, n, cmd, inout, started, cont) {
		if (nb == 0) return
		started = 0
		for (i = 1; i <= nb; i++) if (b[i] ~ /[^ \t]/) { started = (b[i] ~ /^\$ /); break }
		if (!started) { nb = 0; return }
		n = ++nsess
		f = dir "/" sprintf("%03d", n)
		print doc ":" bstart > (f ".name")
		if (skip != "") { print skip > (f ".skip"); close(f ".skip"); nb = 0; skip = ""; close(f ".name"); return }
		inout = 0; cont = 0
		for (i = 1; i <= nb; i++) {
			line = b[i]
			if (cont) {
				cont = (line ~ /\\$/)
				print line (cont ? "" : " 2>&1") > (f ".sh")
				if (!cont) print "__rc=$?; echo @@@END; (exit $__rc)" > (f ".sh")
				continue
			}
			if (line ~ /^\$ /) {
				if (inout) print "@@@END" > (f ".want")
				cmd = substr(line, 3)
				gsub(/\.\/build\/hotmem/, "hotmem", cmd)
				print cmd (cmd ~ /\\$/ ? "" : " 2>&1") > (f ".sh")
				if (cmd ~ /\\$/) {
					# the 2>&1 goes after the last continuation line
					cont = 1
				} else {
					print "__rc=$?; echo @@@END; (exit $__rc)" > (f ".sh")
				}
				inout = 1
				continue
			}
			if (inout) print line > (f ".want")
		}
		if (inout) print "@@@END" > (f ".want")
		close(f ".sh"); close(f ".want"); close(f ".name")
		nb = 0; skip = ""
	}
	BEGIN { nsess = 0; while ((getline x < (dir "/count")) > 0) nsess = x; close(dir "/count") }
	/^<!-- doc-test: skip .* -->$/ { s = $0; sub(/^<!-- doc-test: skip /, "", s); sub(/ -->$/, "", s); skip = s; next }
	/^```/ {
		if (fenced) { flush_block(); fenced = 0 } else { fenced = 1; nb = 0; bstart = NR + 1 }
		next
	}
	fenced { b[++nb] = $0; next }
	/^    / { if (!nb) bstart = NR; b[++nb] = substr($0, 5); next }
	/^[ \t]*$/ { if (nb) b[++nb] = ""; next }
	{ if (nb) { while (nb && b[nb] == "") nb--; flush_block() } if ($0 !~ /^[ \t]*$/) skip = (skip != "" && prev_comment ? skip : ""); prev_comment = 0 }
	END { if (nb) { while (nb && b[nb] == "") nb--; flush_block() } print nsess > (dir "/count") }
	' "$ROOT/$doc"
done

# match WANT GOT: GOT's lines against WANT's: a line `...` (indented or
# not) matches any run of lines, a line ending in `...` any line that
# starts with what comes before it, any other line itself
match_lines() {
	awk '
	function same(a, b) {
		if (a !~ /\.\.\.$/) return a == b
		a = substr(a, 1, length(a) - 3)
		return substr(b, 1, length(a)) == a
	}
	NR == FNR { w[++nw] = $0; if ($0 ~ /^[ \t]*\.\.\.$/) w[nw] = "..."; next }
	{ g[++ng] = $0 }
	END {
		# a blank line closing a shown output only separates it
		while (nw && w[nw] == "") nw--
		while (ng && g[ng] == "") ng--
		i = 1; j = 1; star = 0
		while (j <= ng) {
			if (i <= nw && w[i] == "...") { star = i; mark = j; i++; continue }
			if (i <= nw && same(w[i], g[j])) { i++; j++; continue }
			if (star) { i = star + 1; mark++; j = mark; continue }
			exit 1
		}
		while (i <= nw && w[i] == "...") i++
		exit (i <= nw)
	}' "$1" "$2"
}

test_expect_success 'the docs show sessions' '
	test "$(cat "$TRASH/s/count")" -ge 5
'

for name in "$TRASH"/s/*.name; do
	base=${name%.name}
	where=$(cat "$name")
	if [ -e "$base.skip" ]; then
		echo "# not walked: $where: $(cat "$base.skip")"
		continue
	fi
	test_expect_success "$where: runs and prints what the doc shows" '
		(cd "$ROOT" && PATH="$TRASH/bin:$PATH" sh "$base.sh") >"$base.got" 2>&1
		# one command at a time, for a readable report
		k=1 ok=0
		while :; do
			awk -v k=$k "/^@@@END\$/ { n++; next } n == k - 1" "$base.want" >"$base.w$k"
			awk -v k=$k "/^@@@END\$/ { n++; next } n == k - 1" "$base.got" >"$base.g$k"
			nwant=$(grep -c "^@@@END\$" "$base.want")
			[ $k -le "$nwant" ] || break
			if ! match_lines "$base.w$k" "$base.g$k"; then
				echo "command $k of $where: the doc shows"
				cat "$base.w$k"
				echo "it printed"
				cat "$base.g$k"
				ok=1
			fi
			k=$((k + 1))
		done
		test "$(grep -c "^@@@END\$" "$base.got")" -eq "$nwant" && test $ok -eq 0
	'
done

test_done
