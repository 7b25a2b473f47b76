#!/bin/sh
# qemu-setup.sh - install what the real-kernel backend needs.
#
# Contract: run as root on Debian 12 (bookworm).
#   scripts/qemu-setup.sh [-d DIR] [-g GUESTS]
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
#      the kernel the model's reference numbers were read from);
#   4. Debian's ndctl and daxctl for the guest, with their libraries,
#      fetched with `apt-get download` and unpacked into DIR/guest-tools
#      (scripts/lib/guest-tools.sh); kmod on the host, whose depmod
#      indexes the guest's modules for daxctl's libkmod. A failed
#      download is only a warning: the initramfs builds without them.
#   5. QEMU 10 from bookworm-backports, unpacked into DIR/qemu10 (never
#      installed), for the scenarios with CXL memory devices
#      (scripts/lib/qemu-cxl.sh).
#   6. only when asked (-g GUESTS or HOTMEM_GUESTS: "all" or names,
#      space- or comma-separated: ppc64-64k ppc64-4k arm64-4k arm64-16k
#      s390x riscv64), the guests of the other architectures: the host's
#      qemu-system-ppc, qemu-system-arm, qemu-efi-aarch64,
#      qemu-system-misc and Debian's cross compilers (step 1), then each
#      guest's kernel, busybox and tools through a private apt
#      configuration into DIR/guests/GUEST (scripts/lib/guest-arch.sh).
#      x86 alone is the default: the others cost about 300 MB and CI
#      runs x86 guests only.
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
# shellcheck source=scripts/lib/backports-source.sh
. "$(dirname "$0")/lib/backports-source.sh"
# shellcheck source=scripts/lib/guest-tools.sh
. "$(dirname "$0")/lib/guest-tools.sh"
# shellcheck source=scripts/lib/qemu-cxl.sh
. "$(dirname "$0")/lib/qemu-cxl.sh"
# shellcheck source=scripts/lib/guest-arch.sh
. "$(dirname "$0")/lib/guest-arch.sh"

GUESTS=${HOTMEM_GUESTS:-}
while getopts d:g:h opt; do
	case $opt in
	d) DIR=$OPTARG ;;
	g) GUESTS=$OPTARG ;;
	*) echo "usage: $0 [-d DIR] [-g all|GUEST,...]" >&2; exit 2 ;;
	esac
done
GUESTS=$(echo "$GUESTS" | tr ',' ' ')
[ "$GUESTS" != all ] || GUESTS=$(guest_arch_list | tr '\n' ' ')
for g in $GUESTS; do
	[ -n "$(guest_arch_field "$g" 2)" ] ||
		die "unknown guest '$g' (guests: all $(guest_arch_list | tr '\n' ' '))"
done
guests_ready() {
	for g in $GUESTS; do
		guest_arch_ready "$DIR" "$g" || return 1
	done
	[ -z "$(guest_arch_host_packages $GUESTS)" ]
}

PKG=linux-image-$KABI-amd64-unsigned
KDIR=$DIR/kernel
if command -v qemu-system-x86_64 >/dev/null 2>&1 &&
   [ -x /bin/busybox ] && busybox --list 2>/dev/null | grep -qx switch_root &&
   command -v cpio >/dev/null 2>&1 && command -v depmod >/dev/null 2>&1 &&
   guest_tools_ready "$DIR" &&
   [ -s "$KDIR/vmlinuz" ] && [ "$(cat "$KDIR/version" 2>/dev/null)" = "$PKG $KVER" ] &&
   qemu_cxl_ready && guests_ready; then
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
# depmod: the guest's modules.dep for daxctl's libkmod (build-initramfs.sh)
command -v depmod >/dev/null 2>&1 || need="$need kmod"
# the other architectures' QEMU, firmware and cross compilers (step 6)
# shellcheck disable=SC2086
[ -z "$GUESTS" ] || need="$need$(guest_arch_host_packages $GUESTS)"
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

# --- 2. the backports source entry (scripts/lib/backports-source.sh) ---
ensure_backports_source
[ "$BACKPORTS_WRITTEN" = 0 ] || updated=0

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

# --- 4. ndctl and daxctl for the guest (scripts/lib/guest-tools.sh) -----
ensure_guest_tools "$DIR" || say "continuing without ndctl/daxctl in the guest"

# --- 5. QEMU 10 for CXL (scripts/lib/qemu-cxl.sh) ----------------------
ensure_qemu_cxl
say "QEMU for CXL: $DIR/qemu10/root/usr/bin/qemu-system-x86_64"

# --- 6. the other architectures' guests (scripts/lib/guest-arch.sh) ----
for g in $GUESTS; do
	ensure_guest_arch "$DIR" "$g"
done
echo "$KDIR/vmlinuz"
