# qemu-cxl.sh - sourced by scripts/qemu-setup.sh: the QEMU that runs
# scenarios with CXL memory devices.
#
# Debian 12's QEMU 7.2 has no volatile cxl-type3 memory (volatile-memdev
# arrived in QEMU 8.0). bookworm-backports has QEMU 10.0, which runs on
# bookworm's own libraries when unpacked (never installed) and started
# with `-L DIR/usr/share/qemu`; its firmware wants the backports SeaBIOS.
#
# Contract: the caller defines die() and say(), sets NET_TIMEOUT and has
# apt knowing bookworm-backports (ensure_backports_source). DIR is the
# build/qemu folder. ensure_qemu_cxl fetches the packages below with
# `apt-get download` and unpacks them with `dpkg-deb -x` into
# DIR/qemu10/root, then writes DIR/qemu10/version; it does nothing when
# that file already names these versions. qemu_cxl_ready answers whether
# that is the case (for the setup's fast path).
#
# Expected workload: once per machine (about 15 MB of packages), then a
# no-op in a few ms.

QEMU_CXL_VER=${HOTMEM_QEMU_CXL_VER:-1:10.0.2+ds-2+deb13u1~bpo12+1}
QEMU_CXL_SEABIOS_VER=${HOTMEM_QEMU_CXL_SEABIOS_VER:-1.16.3-2~bpo12+1}

qemu_cxl_want() {
	echo "qemu-system-x86=$QEMU_CXL_VER qemu-system-common=$QEMU_CXL_VER qemu-system-data=$QEMU_CXL_VER seabios=$QEMU_CXL_SEABIOS_VER"
}

qemu_cxl_ready() {
	[ -x "$DIR/qemu10/root/usr/bin/qemu-system-x86_64" ] &&
		[ "$(cat "$DIR/qemu10/version" 2>/dev/null)" = "$(qemu_cxl_want)" ]
}

ensure_qemu_cxl() {
	qemu_cxl_ready && return 0
	_q=$DIR/qemu10
	_tmp=$DIR/dl-qemu10.$$
	rm -rf "$_tmp"
	mkdir -p "$_tmp"
	if ! apt-cache madison qemu-system-x86 2>/dev/null | grep -q "| $QEMU_CXL_VER |"; then
		say "apt-get update (for qemu-system-x86 $QEMU_CXL_VER)"
		timeout "$NET_TIMEOUT" apt-get update -qq >&2 || die "apt-get update failed"
	fi
	say "downloading QEMU $QEMU_CXL_VER and SeaBIOS $QEMU_CXL_SEABIOS_VER (bookworm-backports, for CXL)"
	# shellcheck disable=SC2046
	(cd "$_tmp" && timeout "$NET_TIMEOUT" apt-get download -qq \
		-o APT::Sandbox::User=root $(qemu_cxl_want) >&2) ||
		die "apt-get download $(qemu_cxl_want) failed"
	say "unpacking QEMU $QEMU_CXL_VER into $_q/root"
	rm -rf "$_q"
	mkdir -p "$_q/root"
	for _deb in "$_tmp"/*.deb; do
		dpkg-deb -x "$_deb" "$_q/root" || die "dpkg-deb -x $_deb failed"
	done
	rm -rf "$_tmp"
	"$_q/root/usr/bin/qemu-system-x86_64" -L "$_q/root/usr/share/qemu" \
		-device cxl-type3,help 2>/dev/null | grep -q volatile-memdev ||
		die "$_q/root/usr/bin/qemu-system-x86_64 does not run or has no cxl-type3 volatile-memdev"
	qemu_cxl_want >"$_q/version"
}
