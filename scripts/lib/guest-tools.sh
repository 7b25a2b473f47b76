# guest-tools.sh - sourced by scripts/qemu-setup.sh: fetch Debian 12's
# ndctl and daxctl, with every shared library they load, for the
# real-kernel backend's guest (docs/real-kernel.md, "Tools in the guest").
#
# Contract: the caller defines die() and say() and sets NET_TIMEOUT.
# ensure_guest_tools DIR makes DIR/guest-tools/root hold the packages of
# GUEST_TOOLS_PKGS unpacked with `dpkg -x` (never installed on the
# host), fetched with `apt-get download`, and DIR/guest-tools/version
# name each package with its version. It does nothing when that file
# already names the same packages; it returns non-zero with a message
# when apt cannot fetch them (the caller decides whether that is fatal:
# the initramfs builds without the tools). scripts/build-initramfs.sh
# copies from the tree only what the tools' ELF dependencies reach.
# guest_tools_ready DIR: is the tree there and complete?
#
# The list is the closure of ndctl and daxctl 76.1 in bookworm, read
# with readelf -d (NEEDED) from the binaries down: libndctl6,
# libdaxctl1, libuuid1, libjson-c5, libkeyutils1, libiniparser1,
# libudev1, libkmod2 and its libzstd1, liblzma5, libssl3 (libcrypto),
# and libc6 for the loader and libc. build-initramfs.sh checks the
# closure again and names any library missing from the tree.
#
# Expected workload: one download of about 6 MB per machine, then a
# no-op in a few ms.

GUEST_TOOLS_PKGS="ndctl daxctl libndctl6 libdaxctl1 libuuid1 libjson-c5
libkeyutils1 libiniparser1 libudev1 libkmod2 libzstd1 liblzma5 libssl3 libc6"

guest_tools_ready() {
	# shellcheck disable=SC2086 # the list is split into words on purpose
	_want=$(printf '%s ' $GUEST_TOOLS_PKGS)
	[ -x "$1/guest-tools/root/usr/bin/ndctl" ] &&
		[ -x "$1/guest-tools/root/usr/bin/daxctl" ] &&
		[ "$(sed 's/=.*//' "$1/guest-tools/version" 2>/dev/null | tr '\n' ' ')" = "$_want" ]
}

ensure_guest_tools() {
	_gdir=$1/guest-tools
	if guest_tools_ready "$1"; then
		say "guest tools: $(grep -E '^(ndctl|daxctl)=' "$_gdir/version" | tr '\n' ' ')"
		return 0
	fi
	_gtmp=$_gdir/dl.$$
	rm -rf "$_gtmp"
	mkdir -p "$_gtmp" || return 1
	say "guest tools: downloading$(echo " $GUEST_TOOLS_PKGS" | tr '\n' ' ')"
	# shellcheck disable=SC2086
	if ! (cd "$_gtmp" && timeout "$NET_TIMEOUT" apt-get download -qq \
		-o APT::Sandbox::User=root $GUEST_TOOLS_PKGS >&2); then
		rm -rf "$_gtmp"
		say "guest tools: apt-get download failed (the guest will have no ndctl/daxctl)"
		return 1
	fi
	rm -rf "$_gdir/root" "$_gdir/version"
	mkdir -p "$_gdir/root"
	: >"$_gtmp/version"
	for _p in $GUEST_TOOLS_PKGS; do
		_deb=$(ls "$_gtmp/${_p}_"*.deb 2>/dev/null | head -n 1)
		if [ -z "$_deb" ]; then
			rm -rf "$_gtmp"
			say "guest tools: no .deb for $_p"
			return 1
		fi
		say "guest tools: unpacking $(basename "$_deb")"
		dpkg -x "$_deb" "$_gdir/root" || { rm -rf "$_gtmp"; return 1; }
		echo "$_p=$(dpkg-deb -f "$_deb" Version)" >>"$_gtmp/version"
	done
	mv "$_gtmp/version" "$_gdir/version"
	rm -rf "$_gtmp"
	say "guest tools: $(grep -E '^(ndctl|daxctl)=' "$_gdir/version" | tr '\n' ' ')"
}
