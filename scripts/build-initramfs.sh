#!/bin/sh
# build-initramfs.sh - the guest's initramfs for the real-kernel backend.
#
# Contract:
#   scripts/build-initramfs.sh [-g GUEST] AGENT OUT [MODULE...]
# Writes OUT, a gzip'ed newc cpio archive holding Debian's busybox-static
# (/bin/busybox and its applet links), AGENT (the statically linked
# guest/hotmem-agent, as /bin/hotmem-agent) and an /init that mounts
# proc, sysfs and devtmpfs, loads the kernel modules and execs the agent.
# Each MODULE is a module name (nd_pmem) or a path relative to
# lib/modules/<version>/ of the kernel unpacked by scripts/qemu-setup.sh
# (kernel/drivers/dax/kmem.ko.xz). Without MODULEs, the device-memory
# drivers the 2xx scenarios use (docs/device-memory.md) are loaded:
# the legacy pmem, NFIT, nd/dax, kmem and CXL drivers, which Debian
# builds as modules. The package ships no modules.dep (depmod makes it
# at install time), so each module's dependencies come from its own
# modinfo "depends=" field; they are loaded first, each module once, in
# the order given otherwise (the drivers bind as they register, as
# udev's coldplug would have them). /init loads them only on a machine
# with device memory (legacy pmem on the command line, an NVDIMM or CXL
# root in ACPI). With the tree scripts/qemu-setup.sh unpacks into
# build/qemu/guest-tools, Debian's ndctl and daxctl go in as
# /usr/bin/ndctl and /usr/bin/daxctl, with the glibc loader and every
# shared library their ELF NEEDED entries reach (a library missing from
# the tree is an error); without it the initramfs has no tools and says
# so. The host's util-linux chmem and lsmem go in as /usr/sbin/chmem and
# /usr/bin/lsmem, with their libraries from the host. The copied modules are also laid out as lib/modules/<version>/
# kernel/... and indexed by the host's depmod, so that daxctl's libkmod
# finds kmem and device_dax as on an installed system. Needs busybox-static, cpio and xz
# (scripts/qemu-setup.sh installs them). HOTMEM_QEMU_DIR overrides
# build/qemu. Exits non-zero with a message on any failure; OUT is
# replaced atomically.
# With -g GUEST (a guest of another architecture, scripts/lib/
# guest-arch.sh) everything comes from build/qemu/guests/GUEST instead:
# the arch's busybox (busybox/root), its kernel's modules (kernel/root;
# on arm64 the device-memory drivers that exist there, NVDIMM and
# dax/kmem, elsewhere none), and from tools/root util-linux's lsmem and
# chmem, plus ndctl and daxctl when the tree has them, each with the
# arch's program interpreter and libraries (library folders named by
# the guest's triplet file). AGENT is then the guest's cross-built agent.
#
# Expected workload: a few seconds, run by make when the agent or this
# script changes.
set -eu

die() { echo "build-initramfs.sh: $*" >&2; exit 1; }
guest=
if [ "${1:-}" = -g ]; then
	[ $# -ge 2 ] || die "usage: $0 [-g GUEST] AGENT OUT [MODULE...]"
	guest=$2
	shift 2
fi
[ $# -ge 2 ] || die "usage: $0 [-g GUEST] AGENT OUT [MODULE...]"
agent=$1
out=$2
shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
qdir=${HOTMEM_QEMU_DIR:-$root/build/qemu}
busybox=/bin/busybox
gtroot=$qdir/guest-tools/root
libdirs="lib/x86_64-linux-gnu usr/lib/x86_64-linux-gnu"
tools="usr/bin/ndctl usr/bin/daxctl"
if [ -n "$guest" ]; then
	qdir=$qdir/guests/$guest
	[ -d "$qdir" ] || die "no guest '$guest' under $qdir (scripts/qemu-setup.sh -g $guest fetches it)"
	busybox=$qdir/busybox/root/bin/busybox
	# Debian 13's packages are merged into /usr
	[ -e "$busybox" ] || busybox=$qdir/busybox/root/usr/bin/busybox
	gtroot=$qdir/tools/root
	triplet=$(cat "$qdir/triplet" 2>/dev/null) || die "no $qdir/triplet (scripts/qemu-setup.sh -g $guest)"
	libdirs="lib/$triplet usr/lib/$triplet"
	tools="usr/bin/lsmem usr/sbin/chmem"
	[ ! -x "$gtroot/usr/bin/ndctl" ] || tools="$tools usr/bin/ndctl usr/bin/daxctl"
fi
[ -x "$busybox" ] || die "no $busybox (run scripts/qemu-setup.sh as root)"
# the applets: Debian's busybox-static is configured alike on every arch
[ -x /bin/busybox ] || die "no /bin/busybox (run scripts/qemu-setup.sh as root)"
command -v cpio >/dev/null 2>&1 || die "no cpio (run scripts/qemu-setup.sh as root)"
[ -x "$agent" ] || die "no agent at $agent"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hotmem-initramfs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/proc" "$tmp/sys" "$tmp/dev" "$tmp/lib/modules" "$tmp/tmp"
cp "$busybox" "$tmp/bin/busybox"
for applet in $(/bin/busybox --list); do
	[ "$applet" = busybox ] || ln -s busybox "$tmp/bin/$applet"
done
cp "$agent" "$tmp/bin/hotmem-agent"

# The device-memory drivers, bus and region drivers before the drivers
# of the devices they create.
mdir=$(ls -d "$qdir"/kernel/root/lib/modules/* 2>/dev/null | head -n 1)
if [ $# -eq 0 ] && [ -z "$guest" ]; then
	set -- libnvdimm nd_btt nd_pmem dax_pmem device_dax kmem \
		nd_e820 nfit cxl_acpi cxl_pci cxl_mem cxl_pmem dax_cxl dax_hmem
elif [ $# -eq 0 ]; then
	# the same drivers, those the guest's kernel builds as modules
	for m in libnvdimm nd_btt nd_pmem dax_pmem device_dax kmem nfit; do
		[ -z "$mdir" ] || [ -z "$(find "$mdir/kernel" -name "$m.ko*" | head -n 1)" ] ||
			set -- "$@" "$m"
	done
fi
[ $# -eq 0 ] || [ -n "$mdir" ] || die "no kernel modules under $qdir/kernel/root/lib/modules (run scripts/qemu-setup.sh)"
loads=
added=" "
# add_module NAME-OR-PATH: copy it decompressed, after its dependencies.
add_module() {
	local src base name deps d
	case $1 in
	*/*) src=$mdir/$1 ;;
	*) src=$(find "$mdir/kernel" -name "$1.ko*" | head -n 1) ;;
	esac
	[ -n "$src" ] && [ -f "$src" ] || die "module $1 not found under $mdir"
	base=$(basename "$src")
	base=${base%.xz}
	name=${base%.ko}
	case $added in *" $name "*) return 0 ;; esac
	case $src in
	*.xz) xz -dc "$src" >"$tmp/lib/modules/$base" || die "cannot decompress $src" ;;
	*) cp "$src" "$tmp/lib/modules/$base" ;;
	esac
	added="$added$name "
	deps=$(tr '\000' '\n' <"$tmp/lib/modules/$base" | sed -n 's/^depends=//p' | head -n 1)
	for d in $(echo "$deps" | tr ',' ' '); do
		add_module "$d"
	done
	loads="$loads
insmod /lib/modules/$base || echo \"init: insmod $base failed\""
}
for m in "$@"; do
	add_module "$m"
done

# --- the tools: ndctl and daxctl (scripts/lib/guest-tools.sh); a guest's
# lsmem and chmem too (scripts/lib/guest-arch.sh) -------------------------
# gt_copy REL: REL of the unpacked tree, then every library it needs.
gt_copy() {
	local need d found
	[ ! -e "$tmp/$1" ] || return 0
	mkdir -p "$tmp/$(dirname "$1")"
	cp -L "$gtroot/$1" "$tmp/$1" || die "cannot copy $gtroot/$1"
	for need in $(readelf -d "$gtroot/$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
		found=
		for d in $libdirs; do
			if [ -e "$gtroot/$d/$need" ]; then
				found=$d/$need
				break
			fi
		done
		[ -n "$found" ] || die "guest tools: $need (needed by $1) is not in $gtroot (scripts/lib/guest-tools.sh GUEST_TOOLS_PKGS)"
		gt_copy "$found"
	done
}
add_guest_tools() {
	local interp t src
	for t in $tools; do
		if [ ! -x "$gtroot/$t" ]; then
			echo "build-initramfs.sh: no $t under $gtroot: the guest has none (scripts/qemu-setup.sh fetches it)" >&2
			return 0
		fi
	done
	command -v readelf >/dev/null 2>&1 || die "no readelf (binutils) to find the tools' libraries"
	for t in $tools; do
		gt_copy "$t"
		interp=$(readelf -l "$gtroot/$t" | sed -n 's/.*program interpreter: \(.*\)\]/\1/p')
		[ -n "$interp" ] || die "guest tools: $t names no loader"
		src=$gtroot$interp
		# an absolute link (ppc64el's /lib64/ld64.so.2) points into the tree
		[ ! -L "$src" ] || case $(readlink "$src") in /*) src=$gtroot$(readlink "$src") ;; esac
		# merged /usr (Debian 13): /lib/ld-... is usr/lib/ld-... in the tree
		[ -e "$src" ] || src=$gtroot/usr$interp
		[ -e "$src" ] || die "guest tools: no loader $interp in $gtroot"
		if [ ! -e "$tmp$interp" ]; then
			mkdir -p "$tmp$(dirname "$interp")"
			cp -L "$src" "$tmp$interp"
		fi
	done
	# their configuration folders, as the packages install them
	for t in etc/ndctl.conf.d etc/daxctl.conf.d; do
		[ ! -d "$gtroot/$t" ] || { mkdir -p "$tmp/$t"; cp -R "$gtroot/$t/." "$tmp/$t/"; }
	done
	echo "build-initramfs.sh: $(for t in $tools; do basename "$t"; done | tr '\n' ' ')with $(find "$tmp/lib" "$tmp/usr/lib" -name '*.so*' 2>/dev/null | wc -l) libraries" >&2
}
# index_modules_for_kmod: lib/modules/<version>/ as an installed system
# has it (the modules in their kernel/ paths, hard links to the copies
# /init loads, and depmod's index), for libkmod's lookups of kmem and
# device_dax. Skipped, with a note, without depmod on the host.
index_modules_for_kmod() {
	local ver f base rel
	[ -n "$mdir" ] || return 0
	ver=$(basename "$mdir")
	if ! command -v depmod >/dev/null 2>&1; then
		echo "build-initramfs.sh: no depmod (package kmod): daxctl in the guest cannot look modules up" >&2
		return 0
	fi
	for f in "$tmp"/lib/modules/*.ko; do
		[ -e "$f" ] || continue
		base=$(basename "$f")
		rel=$(cd "$mdir" && find kernel \( -name "$base" -o -name "$base.xz" \) | head -n 1)
		[ -n "$rel" ] || continue
		rel=${rel%.xz}
		mkdir -p "$tmp/lib/modules/$ver/$(dirname "$rel")"
		ln "$f" "$tmp/lib/modules/$ver/$rel"
	done
	for f in modules.builtin modules.builtin.modinfo modules.order; do
		[ ! -f "$mdir/$f" ] || cp "$mdir/$f" "$tmp/lib/modules/$ver/"
	done
	depmod -b "$tmp" "$ver" || die "depmod -b $tmp $ver failed"
}
add_guest_tools
# x86: util-linux's chmem and lsmem are the host's own (Debian 12's
# util-linux, essential, so always there), with the libraries they need
# from the host's /lib/x86_64-linux-gnu (scenario steps `chmem ...` run
# the real one in the guest).
if [ -z "$guest" ]; then
	if [ -x /usr/sbin/chmem ] && [ -x /usr/bin/lsmem ]; then
		_saved=$gtroot
		gtroot=
		gt_copy usr/sbin/chmem
		gt_copy usr/bin/lsmem
		interp=/lib64/ld-linux-x86-64.so.2
		[ -e "$tmp$interp" ] || { mkdir -p "$tmp/lib64"; cp -L "$interp" "$tmp$interp"; }
		gtroot=$_saved
		echo "build-initramfs.sh: chmem lsmem (the host's util-linux)" >&2
	else
		echo "build-initramfs.sh: no /usr/sbin/chmem or /usr/bin/lsmem on the host: the guest has none" >&2
	fi
fi
index_modules_for_kmod

cat >"$tmp/init" <<INIT
#!/bin/busybox sh
# The hotmem guest: mount the kernel's filesystems, then serve the host.
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# Device-memory drivers only on a machine with device memory: a legacy
# pmem range (memmap=SIZE!START), an NVDIMM root (ACPI0012, nvdimm=on)
# or a CXL root (ACPI0017). Loaded on a plain machine they make a block
# onlined to Normal refuse to go offline more often (EBUSY; 083: 3 runs
# of 3 with them, 0 of 3 without).
if grep -q 'memmap=[^ ]*!' /proc/cmdline ||
   ls /sys/bus/acpi/devices 2>/dev/null | grep -q -e ACPI0012 -e ACPI0017; then
:$loads
fi
exec /bin/hotmem-agent
INIT
chmod 755 "$tmp/init"
# Reproducible: the same inputs give the same bytes (fixed dates, inode
# numbers and no gzip time stamp), so that a rebuild does not make new
# entries in the qemu backend's snapshot cache, keyed on this file's
# contents (docs/real-kernel.md).
find "$tmp" -exec touch -h -d @0 {} +
(cd "$tmp" && find . | LC_ALL=C sort | cpio -o -H newc --quiet --reproducible) |
	gzip -1 -n >"$out.tmp" || die "cpio failed"
mv "$out.tmp" "$out"
echo "build-initramfs.sh: wrote $out" >&2
