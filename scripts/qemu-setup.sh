#!/bin/sh
# qemu-setup.sh - install what the real-kernel backend needs.
#
# Contract: run as root on Debian 12 (bookworm).
#   scripts/qemu-setup.sh [-d DIR]
# Makes sure of, in order (each step skipped when already done):
#   1. the Debian packages qemu-system-x86, busybox-static, cpio and
#      xz-utils (apt-get install --no-install-recommends);
#   2. apt knows bookworm-backports: /etc/apt/sources.list.d/
#      hotmem-backports.sources, written from the URI of the main-suite
#      entry of /etc/apt/sources.list.d/debian.sources, as
#      scripts/kernel-source.sh does (no host name is ever committed);
#   3. Debian's Linux 6.12 kernel image, fetched with `apt-get download`
#      and unpacked with `dpkg-deb -x` into DIR (default build/qemu of
#      this repository) - never installed into the host's /boot.
#      The package is linux-image-$HOTMEM_KABI-amd64-unsigned, version
#      $HOTMEM_KIMAGE_VER (defaults: 6.12.95+deb12 and 6.12.95-1~bpo12+1,
#      the kernel the model's reference numbers were read from).
# Prints the kernel image path (DIR/kernel/vmlinuz) on stdout; progress
# goes to stderr, one line per phase. Idempotent; every network step is
# bounded by `timeout` (HOTMEM_NET_TIMEOUT, default 900 s).
#
# Expected workload: once per machine, then a no-op in a few ms.
set -eu

DIR=$(cd "$(dirname "$0")/.." && pwd)/build/qemu
KABI=${HOTMEM_KABI:-6.12.95+deb12}
KVER=${HOTMEM_KIMAGE_VER:-6.12.95-1~bpo12+1}
SRC_LIST=/etc/apt/sources.list.d/debian.sources
OUR_LIST=/etc/apt/sources.list.d/hotmem-backports.sources
NET_TIMEOUT=${HOTMEM_NET_TIMEOUT:-900}

die() { echo "qemu-setup.sh: $*" >&2; exit 1; }
say() { echo "qemu-setup.sh: $*" >&2; }

while getopts d:h opt; do
	case $opt in
	d) DIR=$OPTARG ;;
	*) echo "usage: $0 [-d DIR]" >&2; exit 2 ;;
	esac
done

PKG=linux-image-$KABI-amd64-unsigned
KDIR=$DIR/kernel
if command -v qemu-system-x86_64 >/dev/null 2>&1 &&
   [ -x /bin/busybox ] && busybox --list 2>/dev/null | grep -qx switch_root &&
   command -v cpio >/dev/null 2>&1 &&
   [ -s "$KDIR/vmlinuz" ] && [ "$(cat "$KDIR/version" 2>/dev/null)" = "$PKG $KVER" ]; then
	echo "$KDIR/vmlinuz"
	exit 0
fi
[ "$(id -u)" = 0 ] || die "must run as root (apt-get install, apt sources)"

# --- 1. host packages ----------------------------------------------------
need=
command -v qemu-system-x86_64 >/dev/null 2>&1 || need="$need qemu-system-x86"
dpkg -s busybox-static >/dev/null 2>&1 || need="$need busybox-static"
command -v cpio >/dev/null 2>&1 || need="$need cpio"
# the kernel's modules are .ko.xz; build-initramfs.sh decompresses them
command -v xz >/dev/null 2>&1 || need="$need xz-utils"
updated=0
if [ -n "$need" ]; then
	say "apt-get update"
	timeout "$NET_TIMEOUT" apt-get update -qq >&2 || die "apt-get update failed"
	updated=1
	say "installing$need"
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive timeout "$NET_TIMEOUT" \
		apt-get install -y -qq --no-install-recommends $need >&2 ||
		die "apt-get install$need failed"
fi

# --- 2. the backports source entry (same rule as kernel-source.sh) ------
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
[ "$codename" = bookworm ] || die "expected Debian 12 (bookworm), found '${codename:-unknown}'"
[ -r "$SRC_LIST" ] || die "cannot read $SRC_LIST"
entry=$(awk -v want="$codename" '
	function flush() {
		if (is_deb && has_suite && uri != "" && found == "")
			found = uri " " key_file
		is_deb = 0; has_suite = 0; uri = ""; key_file = ""
	}
	/^[ \t]*#/ { next }
	/^[ \t]*$/ { flush(); next }
	{
		key = $1; sub(/:$/, "", key); key = tolower(key)
		if (key == "types") { for (i = 2; i <= NF; i++) if ($i == "deb") is_deb = 1 }
		else if (key == "uris") uri = $2
		else if (key == "signed-by") key_file = $2
		else if (key == "suites") { for (i = 2; i <= NF; i++) if ($i == want) has_suite = 1 }
	}
	END { flush(); if (found != "") print found }' "$SRC_LIST")
[ -n "$entry" ] || die "no deb entry for suite '$codename' in $SRC_LIST"
uri=${entry%% *}
signed_by=${entry#* }
want_list=$(
	echo "Types: deb"
	echo "URIs: $uri"
	echo "Suites: $codename-backports"
	echo "Components: main"
	[ -z "$signed_by" ] || echo "Signed-By: $signed_by"
)
if [ ! -f "$OUR_LIST" ] || [ "$(cat "$OUR_LIST")" != "$want_list" ]; then
	printf '%s\n' "$want_list" >"$OUR_LIST" || die "cannot write $OUR_LIST"
	say "wrote $OUR_LIST"
	updated=0
fi

# --- 3. the kernel image ------------------------------------------------
if [ ! -s "$KDIR/vmlinuz" ] || [ "$(cat "$KDIR/version" 2>/dev/null)" != "$PKG $KVER" ]; then
	if ! apt-cache madison "$PKG" 2>/dev/null | grep -q "| $KVER |"; then
		[ "$updated" = 1 ] || {
			say "apt-get update (for $PKG)"
			timeout "$NET_TIMEOUT" apt-get update -qq >&2 || die "apt-get update failed"
		}
	fi
	apt-cache madison "$PKG" 2>/dev/null | grep -q "| $KVER |" ||
		die "$PKG version $KVER is not available from apt (set HOTMEM_KABI/HOTMEM_KIMAGE_VER)"
	mkdir -p "$DIR"
	tmp=$DIR/dl.$$
	trap 'rm -rf "$tmp"' EXIT
	rm -rf "$tmp"; mkdir -p "$tmp"
	say "downloading $PKG $KVER"
	(cd "$tmp" && timeout "$NET_TIMEOUT" apt-get download -qq \
		-o APT::Sandbox::User=root "$PKG=$KVER" >&2) || die "apt-get download $PKG=$KVER failed"
	deb=$(ls "$tmp"/*.deb 2>/dev/null | head -n 1)
	[ -n "$deb" ] || die "download produced no .deb"
	say "unpacking $(basename "$deb")"
	rm -rf "$KDIR"; mkdir -p "$KDIR"
	dpkg-deb -x "$deb" "$KDIR/root" || die "dpkg-deb -x failed"
	img=$(ls "$KDIR"/root/boot/vmlinuz-* 2>/dev/null | head -n 1)
	[ -n "$img" ] || die "no boot/vmlinuz-* in $deb"
	ln -sf "root/boot/$(basename "$img")" "$KDIR/vmlinuz"
	echo "$PKG $KVER" >"$KDIR/version"
	rm -rf "$tmp"
fi
say "kernel $(cat "$KDIR/version")"
echo "$KDIR/vmlinuz"
