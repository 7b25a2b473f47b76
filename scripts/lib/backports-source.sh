# backports-source.sh - sourced by scripts/kernel-source.sh and
# scripts/qemu-setup.sh: make apt know Debian 12's bookworm-backports
# suite, reusing the URI (and Signed-By key) of the main-suite entry the
# machine already has, so that no host name is ever written into this
# repository.
#
# Contract: the caller defines die() and sets SRC_LIST (the deb822 file
# to read, /etc/apt/sources.list.d/debian.sources) and OUR_LIST (the file
# to write). ensure_backports_source writes OUR_LIST only when its
# content would change and sets BACKPORTS_WRITTEN to 1 then, else 0; it
# dies with a message naming the file when the machine is not bookworm
# or SRC_LIST has no usable entry. Runs in well under a second.

# "URI SIGNED-BY" of the first deb stanza whose Suites: lists the bare
# codename $1 (SIGNED-BY may be empty).
backports_main_entry() {
	awk -v want="$1" '
	function flush() {
		if (is_deb && has_suite && uri != "" && found == "")
			found = uri " " key_file
		is_deb = 0; has_suite = 0; uri = ""; key_file = ""
	}
	/^[ \t]*#/ { next }
	/^[ \t]*$/ { flush(); next }
	{
		key = $1; sub(/:$/, "", key); key = tolower(key)
		if (key == "types") {
			for (i = 2; i <= NF; i++) if ($i == "deb") is_deb = 1
		} else if (key == "uris") {
			uri = $2
		} else if (key == "signed-by") {
			key_file = $2
		} else if (key == "suites") {
			for (i = 2; i <= NF; i++) if ($i == want) has_suite = 1
		}
	}
	END { flush(); if (found != "") print found }
	' "$SRC_LIST"
}

ensure_backports_source() {
	_codename=
	if [ -r /etc/os-release ]; then
		# shellcheck disable=SC1091
		_codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	fi
	[ "$_codename" = bookworm ] ||
		die "expected Debian 12 (bookworm), found '${_codename:-unknown}'"
	[ -r "$SRC_LIST" ] || die "cannot read $SRC_LIST"
	_entry=$(backports_main_entry "$_codename")
	[ -n "$_entry" ] ||
		die "no 'Types: deb' entry with suite '$_codename' and a URIs: line in $SRC_LIST"
	_uri=${_entry%% *}
	_signed_by=${_entry#* }
	_want=$(
		echo "Types: deb"
		echo "URIs: $_uri"
		echo "Suites: $_codename-backports"
		echo "Components: main"
		[ -z "$_signed_by" ] || echo "Signed-By: $_signed_by"
	)
	BACKPORTS_WRITTEN=0
	if [ ! -f "$OUR_LIST" ] || [ "$(cat "$OUR_LIST")" != "$_want" ]; then
		printf '%s\n' "$_want" >"$OUR_LIST" || die "cannot write $OUR_LIST"
		echo "wrote $OUR_LIST" >&2
		BACKPORTS_WRITTEN=1
	fi
}
