#!/bin/sh
# kernel-source.sh - fetch selected files of Debian's Linux 6.12 source.
#
# Contract: run as root on Debian 12 (bookworm).
#   scripts/kernel-source.sh [-d DIR] PATH...
# PATH are files or folders inside the kernel tree (e.g. mm/vmstat.c, mm). The script
#   1. makes sure apt knows the bookworm-backports suite, by writing
#      /etc/apt/sources.list.d/hotmem-backports.sources with the URI of
#      the main-suite entry of /etc/apt/sources.list.d/debian.sources
#      (no host name is written into this repository);
#   2. runs `apt-get update` only when that file was just (re)written or
#      the wanted package is not known to apt yet;
#   3. `apt-get download linux-source-6.12=VER` into DIR (default
#      build/kernel-src of this repository) unless VER is cached there;
#      VER is $HOTMEM_KVER if set, else the newest version already
#      cached, else apt's candidate; it must be 6.12.x;
#   4. keeps only the linux-source-6.12.tar.xz of the .deb (about
#      150 MB, in DIR/VER/usr/src/), extracts only the requested PATHs
#      into DIR/VER/linux-source-6.12/ and prints each absolute path on
#      stdout (progress goes to stderr).
# Also: `-c` fetches Debian's amd64 kernel config of the same version
# (the .config inside linux-headers-<abi>-amd64) as DIR/VER/config-amd64
# and prints where it is. HOTMEM_KVER=<debian version> pins a version.
# Note: bookworm-security also carries linux-source-6.12 (newer than
# backports), so apt's candidate may come from there; both are Debian's
# 6.12 builds. Idempotent (a re-run reuses the cache and needs no
# network), bounded (each network step under `timeout`, default 900 s,
# HOTMEM_NET_TIMEOUT), exits non-zero with a message on any failure.
#
# Expected workload: a developer reading a handful of kernel files.
set -eu

PKG=linux-source-6.12
SRC_LIST=/etc/apt/sources.list.d/debian.sources
OUR_LIST=/etc/apt/sources.list.d/hotmem-backports.sources
DIR=$(cd "$(dirname "$0")/.." && pwd)/build/kernel-src
WANT_CONFIG=0
NET_TIMEOUT=${HOTMEM_NET_TIMEOUT:-900}

die() { echo "kernel-source.sh: $*" >&2; exit 1; }
# shellcheck source=scripts/lib/backports-source.sh
. "$(dirname "$0")/lib/backports-source.sh"

usage() {
	echo "usage: $0 [-d DIR] [-c] PATH..." >&2
	echo "  PATH  a path inside the kernel tree, e.g. mm/vmstat.c" >&2
	echo "  -d    cache directory (default build/kernel-src)" >&2
	echo "  -c    also fetch Debian's amd64 .config of the same version" >&2
	exit 2
}

while getopts d:ch opt; do
	case $opt in
	d) DIR=$OPTARG ;;
	c) WANT_CONFIG=1 ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || [ "$WANT_CONFIG" = 1 ] || usage

for p in "$@"; do
	case $p in
	/*|*..*) die "path must be relative inside the tree: $p" ;;
	esac
done

[ "$(id -u)" = 0 ] || die "must run as root (apt sources and apt-get update)"
for tool in apt-get apt-cache dpkg-deb tar xz timeout awk; do
	command -v "$tool" >/dev/null 2>&1 || die "missing tool: $tool"
done

# --- 1. the backports source entry (scripts/lib/backports-source.sh) ---
ensure_backports_source
need_update=$BACKPORTS_WRITTEN

# --- 2. apt-get update only when needed ---------------------------------
has_version() {	# $1 package, $2 version: does apt know it?
	apt-cache madison "$1" 2>/dev/null |
		awk -F'|' -v v="$2" '{ gsub(/ /, "", $2) } v == "" || $2 == v { ok = 1 } END { exit !ok }'
}
apt_ready=0
ensure_apt() {	# $1 package, $2 version (or "" for any) that must be known
	[ "$apt_ready" = 1 ] && return 0
	if [ "$need_update" = 1 ] || ! has_version "$1" "$2"; then
		echo "running apt-get update" >&2
		timeout "$NET_TIMEOUT" apt-get update -qq >&2 || die "apt-get update failed"
		need_update=0
	fi
	apt_ready=1
}

# --- 3. which version, and its .deb -------------------------------------
mkdir -p "$DIR" || die "cannot create $DIR"
DIR=$(cd "$DIR" && pwd)
if [ -n "${HOTMEM_KVER:-}" ]; then
	ver=$HOTMEM_KVER
else
	# Reuse a cached version (no network); else apt's candidate.
	ver=$(for d in "$DIR"/6.12.*/usr/src/"$PKG".tar.xz; do
		[ -s "$d" ] || continue
		d=${d%/usr/src/*}
		echo "${d##*/}"
	done | sort -V | tail -n 1)
	if [ -z "$ver" ]; then
		ensure_apt "$PKG" ""
		ver=$(apt-cache policy "$PKG" 2>/dev/null | awk '/Candidate:/ { print $2; exit }')
		if [ -z "$ver" ] || [ "$ver" = "(none)" ]; then
			die "$PKG not available (bookworm-backports or bookworm-security)"
		fi
	fi
fi
case $ver in
6.12.*) ;;
*) die "unexpected $PKG version '$ver' (want 6.12.x)" ;;
esac
vdir=$DIR/$ver
tarball=$vdir/usr/src/$PKG.tar.xz
deb=$DIR/${PKG}_${ver}_all.deb
if [ ! -s "$tarball" ] && [ ! -s "$deb" ]; then
	ensure_apt "$PKG" "$ver"
	has_version "$PKG" "$ver" || die "$PKG version $ver not available"
	echo "downloading $PKG $ver" >&2
	(cd "$DIR" && timeout "$NET_TIMEOUT" apt-get download -qq \
		-o APT::Sandbox::User=root "$PKG=$ver" >&2) ||
		die "apt-get download $PKG=$ver failed"
	[ -s "$deb" ] || die "download produced no $deb"
fi

# --- 4. the tarball inside the .deb, then the wanted files --------------
# Only the tarball is kept (DIR/VER/usr/src/), the .deb is removed.
if [ ! -s "$tarball" ]; then
	got=$(dpkg-deb -f "$deb" Version) || die "cannot read $deb"
	[ "$got" = "$ver" ] || die "$deb has version $got, expected $ver"
	echo "unpacking $deb" >&2
	rm -rf "$vdir"
	mkdir -p "$vdir"
	dpkg-deb -x "$deb" "$vdir" || die "dpkg-deb -x $deb failed"
	[ -s "$tarball" ] || die "no usr/src/$PKG.tar.xz inside $deb"
	rm -f "$deb"
fi
echo "$PKG version $ver" >&2

tree=$vdir/$PKG
mkdir -p "$tree"
missing=
for p in "$@"; do
	[ -e "$tree/$p" ] || missing="$missing $PKG/$p"
done
if [ -n "$missing" ]; then
	# shellcheck disable=SC2086
	tar -xJf "$tarball" -C "$vdir" $missing || die "extracting from $tarball failed (wrong path?)"
fi
for p in "$@"; do
	[ -e "$tree/$p" ] || die "not in the tree: $p"
	echo "$tree/$p"
done

if [ "$WANT_CONFIG" = 1 ]; then
	# linux-source carries no Debian config; the matching
	# linux-headers-<abi>-amd64 package ships the exact .config.
	cfg_out=$vdir/config-amd64
	if [ ! -s "$cfg_out" ]; then
		ensure_apt "$PKG" "$ver"
		hdr=
		upstream=$(echo "${ver%%-*}" | sed 's/\./\\./g')
		for name in $(apt-cache search --names-only "^linux-headers-$upstream\\+[a-z0-9]+-amd64\$" |
			      awk '{ print $1 }'); do
			if has_version "$name" "$ver"; then
				hdr=$name
				break
			fi
		done
		[ -n "$hdr" ] || die "no linux-headers-6.12.*-amd64 package of version $ver"
		hdeb=$DIR/${hdr}_${ver}_amd64.deb
		if [ ! -s "$hdeb" ]; then
			echo "downloading $hdr $ver" >&2
			(cd "$DIR" && timeout "$NET_TIMEOUT" apt-get download -qq \
				-o APT::Sandbox::User=root "$hdr=$ver" >&2) ||
				die "apt-get download $hdr failed"
			[ -s "$hdeb" ] || die "download produced no $hdeb"
		fi
		tmp=$DIR/hdr.$$
		trap 'rm -rf "$tmp"' EXIT
		rm -rf "$tmp"
		mkdir -p "$tmp"
		dpkg-deb --fsys-tarfile "$hdeb" |
			tar -x -C "$tmp" --wildcards '*/.config' ||
			{ rm -rf "$tmp"; die "no .config inside $hdeb"; }
		found=$(find "$tmp" -name .config -type f | head -n 1)
		[ -n "$found" ] || { rm -rf "$tmp"; die "no .config inside $hdeb"; }
		mv "$found" "$cfg_out"
		rm -rf "$tmp" "$hdeb"
	fi
	echo "$cfg_out"
fi
