#!/bin/sh
# build-initramfs.sh - the guest's initramfs for the real-kernel backend.
#
# Contract:
#   scripts/build-initramfs.sh AGENT OUT [MODULE...]
# Writes OUT, a gzip'ed newc cpio archive holding Debian's busybox-static
# (/bin/busybox and its applet links), AGENT (the statically linked
# guest/hotmem-agent, as /bin/hotmem-agent) and an /init that mounts
# proc, sysfs and devtmpfs and execs the agent. Each MODULE (a path
# relative to lib/modules/<version>/ of the kernel unpacked by
# scripts/qemu-setup.sh, e.g. kernel/drivers/dax/kmem.ko.xz) is copied,
# decompressed, and loaded by /init in the order given; none is needed
# yet. Needs busybox-static and cpio (scripts/qemu-setup.sh installs
# them). HOTMEM_QEMU_DIR overrides build/qemu. Exits non-zero with a
# message on any failure; OUT is replaced atomically.
#
# Expected workload: a few seconds, run by make when the agent changes.
set -eu

die() { echo "build-initramfs.sh: $*" >&2; exit 1; }
[ $# -ge 2 ] || die "usage: $0 AGENT OUT [MODULE...]"
agent=$1
out=$2
shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
qdir=${HOTMEM_QEMU_DIR:-$root/build/qemu}
[ -x /bin/busybox ] || die "no /bin/busybox (run scripts/qemu-setup.sh as root)"
command -v cpio >/dev/null 2>&1 || die "no cpio (run scripts/qemu-setup.sh as root)"
[ -x "$agent" ] || die "no agent at $agent"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hotmem-initramfs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/proc" "$tmp/sys" "$tmp/dev" "$tmp/lib/modules" "$tmp/tmp"
cp /bin/busybox "$tmp/bin/busybox"
for applet in $(/bin/busybox --list); do
	[ "$applet" = busybox ] || ln -s busybox "$tmp/bin/$applet"
done
cp "$agent" "$tmp/bin/hotmem-agent"

loads=
for m in "$@"; do
	src=$(ls -d "$qdir"/kernel/root/lib/modules/*/"$m" 2>/dev/null | head -n 1)
	[ -n "$src" ] || die "module $m not found under $qdir/kernel/root/lib/modules"
	base=$(basename "$m")
	case $base in
	*.xz) xz -dc "$src" >"$tmp/lib/modules/${base%.xz}"; base=${base%.xz} ;;
	*) cp "$src" "$tmp/lib/modules/$base" ;;
	esac
	loads="$loads
insmod /lib/modules/$base || echo \"init: insmod $base failed\""
done

cat >"$tmp/init" <<INIT
#!/bin/busybox sh
# The hotmem guest: mount the kernel's filesystems, then serve the host.
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
$loads
exec /bin/hotmem-agent
INIT
chmod 755 "$tmp/init"
(cd "$tmp" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) | gzip -1 >"$out.tmp" ||
	die "cpio failed"
mv "$out.tmp" "$out"
echo "build-initramfs.sh: wrote $out" >&2
