# guest-arch.sh - sourced by scripts/qemu-setup.sh: the real guests of
# the other architectures (ppc64el, arm64, s390x, riscv64), each under
# DIR/guests/GUEST (docs/real-kernel.md "Guests of other architectures").
#
# Contract: the caller defines die() and say(), sets NET_TIMEOUT and
# SRC_LIST (the host's deb822 sources, whose bookworm URI and Signed-By
# are reused: no host name is ever written into this repository).
#   guest_arch_list               every guest name, one per line
#   guest_arch_host_packages G... the host packages the guests need that
#                                 are missing (QEMU, firmware, cross gcc)
#   ensure_guest_arch DIR G       fetch guest G's files into DIR/guests/G
#   guest_arch_ready DIR G        are they all there?
# A guest's tree: kernel/root (the kernel package unpacked), kernel/
# vmlinuz (a link to its image), kernel/version; busybox/root (the
# arch's busybox-static); tools/root (util-linux's lsmem and chmem with
# their libraries; on arm64 also ndctl/daxctl 76.1 with theirs) and
# tools/version. Foreign packages are fetched by a PRIVATE apt
# configuration per Debian architecture under DIR/guests/.apt/ARCH (its
# own Dir::State, Dir::Cache, sources list and empty dpkg status,
# APT::Architecture=ARCH), `apt-get download`, then `dpkg-deb -x`: the
# host's dpkg and apt state are never touched, nothing is installed.
# Every step is skipped when done (version files name what is there).
#
# Expected workload: once per machine, about 500 MB of packages for all
# six guests (the kernels are most of it, kept under DIR/guests/.apt);
# then a no-op in milliseconds.

# The guests: NAME DEBIAN-ARCH SUITE KERNEL-PACKAGE KERNEL-VERSION.
# A version "-" takes the newest the suite has (riscv64: Debian 12 has
# no riscv64, its kernel comes from trixie).
GUEST_ARCH_TABLE="ppc64-64k ppc64el bookworm-backports linux-image-6.12.95+deb12-powerpc64le-64k 6.12.95-1~bpo12+1
ppc64-4k ppc64el bookworm-backports linux-image-6.12.95+deb12-powerpc64le 6.12.95-1~bpo12+1
arm64-4k arm64 bookworm-backports linux-image-6.12.95+deb12-arm64-unsigned 6.12.95-1~bpo12+1
arm64-16k arm64 bookworm-backports linux-image-6.12.95+deb12-arm64-16k-unsigned 6.12.95-1~bpo12+1
s390x s390x bookworm-backports linux-image-6.12.95+deb12-s390x 6.12.95-1~bpo12+1
riscv64 riscv64 trixie linux-image-6.12.*+deb13-riscv64 -"

# The guest's tools: util-linux (lsmem, chmem) and the libraries they
# load; on arm64 Debian's ndctl and daxctl 76.1 and theirs (the list of
# scripts/lib/guest-tools.sh).
GUEST_ARCH_UTIL_PKGS="util-linux libsmartcols1 libc6"

guest_arch_list() {
	echo "$GUEST_ARCH_TABLE" | awk '{ print $1 }'
}

# guest_arch_field GUEST N: field N of the guest's table line.
guest_arch_field() {
	echo "$GUEST_ARCH_TABLE" | awk -v g="$1" -v n="$2" '$1 == g { print $n }'
}

# The Debian cross compiler's triplet for a Debian architecture.
guest_arch_triplet() {
	case $1 in
	ppc64el) echo powerpc64le-linux-gnu ;;
	arm64) echo aarch64-linux-gnu ;;
	s390x) echo s390x-linux-gnu ;;
	riscv64) echo riscv64-linux-gnu ;;
	*) return 1 ;;
	esac
}

guest_arch_tool_pkgs() {
	case $1 in
	arm64) echo "$GUEST_ARCH_UTIL_PKGS $GUEST_TOOLS_PKGS" | tr '\n' ' ' |
		awk '{ for (i = 1; i <= NF; i++) if (!seen[$i]++) printf "%s ", $i }' ;;
	*) echo "$GUEST_ARCH_UTIL_PKGS" ;;
	esac
}

# Missing host packages for guests "$@": the QEMU system emulator,
# firmware and the cross compiler with its libc.
guest_arch_host_packages() {
	_need=
	for _g in "$@"; do
		_arch=$(guest_arch_field "$_g" 2)
		_tr=$(guest_arch_triplet "$_arch")
		case $_arch in
		ppc64el) _pk="qemu-system-ppc:qemu-system-ppc64" ;;
		arm64) _pk="qemu-system-arm:qemu-system-aarch64 qemu-efi-aarch64:/usr/share/qemu-efi-aarch64/QEMU_EFI.fd" ;;
		s390x) _pk="qemu-system-misc:qemu-system-s390x" ;;
		riscv64) _pk="qemu-system-misc:qemu-system-riscv64" ;;
		esac
		_pk="$_pk gcc-$_tr:$_tr-gcc libc6-dev-$_arch-cross:/usr/$_tr/lib/libc.a"
		for _p in $_pk; do
			_name=${_p%%:*}
			_file=${_p#*:}
			case $_file in
			/*) [ -e "$_file" ] && continue ;;
			*) command -v "$_file" >/dev/null 2>&1 && continue ;;
			esac
			case " $_need " in *" $_name "*) ;; *) _need="$_need $_name" ;; esac
		done
	done
	echo "$_need"
}

# The private apt of a Debian architecture: DIR/guests/.apt/ARCH.
# apt_private ARCH apt-get|apt-cache ARGS...: that command with ARCH's
# configuration, bounded by NET_TIMEOUT.
apt_private() {
	_a=$1
	_cmd=$2
	shift 2
	_ad=$GUEST_ARCH_APT/$_a
	timeout "$NET_TIMEOUT" "$_cmd" -q -o Dir::State="$_ad/state" -o Dir::State::status="$_ad/state/status" \
		-o Dir::Cache="$_ad/cache" -o Dir::Etc::sourcelist="$_ad/sources.list" \
		-o Dir::Etc::sourceparts="$_ad/none" -o Dir::Etc::preferencesparts="$_ad/none" \
		-o Dir::Etc::preferences="$_ad/none/preferences" \
		-o APT::Architecture="$_a" -o APT::Architectures::="$_a" \
		-o APT::Sandbox::User=root "$@"
}

# Write ARCH's sources (bookworm, bookworm-backports, trixie on the
# host's URI) and fetch its indexes once.
apt_private_setup() {
	_ad=$GUEST_ARCH_APT/$1
	_entry=$(backports_main_entry bookworm)
	[ -n "$_entry" ] || die "no bookworm entry with a URIs: line in $SRC_LIST"
	_uri=${_entry%% *}
	_key=${_entry#* }
	_opt="arch=$1"
	[ -z "$_key" ] || _opt="$_opt signed-by=$_key"
	_want=$(for _s in bookworm bookworm-backports trixie; do
		echo "deb [$_opt] $_uri $_s main"
	done)
	mkdir -p "$_ad/state/lists/partial" "$_ad/cache/archives/partial" "$_ad/none" "$_ad/debs"
	[ -f "$_ad/state/status" ] || : >"$_ad/state/status"
	if [ ! -f "$_ad/sources.list" ] || [ "$(cat "$_ad/sources.list")" != "$_want" ] ||
	   [ ! -f "$_ad/updated" ]; then
		printf '%s\n' "$_want" >"$_ad/sources.list"
		say "guests: apt-get update for $1 (private apt under $_ad)"
		apt_private "$1" apt-get update -qq >&2 ||
			die "apt-get update for $1 failed"
		: >"$_ad/updated"
	fi
}

# apt_private_fetch ARCH SUITE PKG...: the .deb of each into
# GUEST_ARCH_APT/ARCH/debs (kept: a second guest of the arch reuses it).
# PKG is NAME (SUITE's candidate) or NAME=VERSION. Prints each .deb's
# path.
apt_private_fetch() {
	_a=$1
	_suite=$2
	shift 2
	_ad=$GUEST_ARCH_APT/$_a
	# every candidate in one apt-cache run: "NAME VERSION" lines
	_cands=$(apt_private "$_a" apt-cache -t "$_suite" policy $(for _p in "$@"; do echo "${_p%%=*}"; done) 2>/dev/null |
		awk '/^[^ ].*:$/ { pkg = substr($0, 1, length($0) - 1) }
		     /^  Candidate:/ { print pkg, $2 }')
	_want=
	_get=
	for _p in "$@"; do
		_pv=${_p%%=*}
		if [ "${_p#*=}" != "$_p" ]; then
			_v=${_p#*=}
		else
			_v=$(echo "$_cands" | awk -v p="$_pv" '$1 == p { print $2 }')
		fi
		[ -n "$_v" ] && [ "$_v" != "(none)" ] ||
			die "$_pv is not available for $_a in $_suite"
		_want="$_want $_pv=$_v"
		ls "$_ad/debs/${_pv}_$(echo "$_v" | sed 's/:/%3a/')_"*.deb >/dev/null 2>&1 ||
			_get="$_get $_pv=$_v"
	done
	if [ -n "$_get" ]; then
		say "guests: downloading for $_a:$_get"
		# shellcheck disable=SC2086
		(cd "$_ad/debs" && apt_private "$_a" apt-get -t "$_suite" \
			download -qq $_get >&2) || die "apt-get download for $_a failed:$_get"
	fi
	for _p in $_want; do
		ls "$_ad/debs/${_p%%=*}_$(echo "${_p#*=}" | sed 's/:/%3a/')_"*.deb | head -n 1
	done
}

guest_arch_ready() {
	_gd=$1/guests/$2
	[ -s "$_gd/kernel/vmlinuz" ] && [ -s "$_gd/kernel/version" ] &&
		{ [ -x "$_gd/busybox/root/bin/busybox" ] || [ -x "$_gd/busybox/root/usr/bin/busybox" ]; } &&
		[ -f "$_gd/tools/version" ]
}

# The newest kernel package matching a pattern in ARCH's indexes.
guest_arch_kernel_pkg() {
	apt_private "$1" apt-cache pkgnames linux-image-6.12 2>/dev/null |
		grep -x -e "$(echo "$3" | sed 's/\./\\./g; s/\*/.*/g')" |
		grep -v -e '-dbg$' | sort -V | tail -n 1
}

ensure_guest_arch() {
	_dir=$1
	_g=$2
	_gd=$_dir/guests/$_g
	GUEST_ARCH_APT=$_dir/guests/.apt
	_arch=$(guest_arch_field "$_g" 2)
	[ -n "$_arch" ] || die "unknown guest '$_g' (guests: $(guest_arch_list | tr '\n' ' '))"
	if guest_arch_ready "$_dir" "$_g"; then
		say "guest $_g: $(cat "$_gd/kernel/version")"
		return 0
	fi
	_suite=$(guest_arch_field "$_g" 3)
	_kpkg=$(guest_arch_field "$_g" 4)
	_kver=$(guest_arch_field "$_g" 5)
	apt_private_setup "$_arch"
	case $_kpkg in
	*'*'*)
		_pat=$_kpkg
		_kpkg=$(guest_arch_kernel_pkg "$_arch" "$_suite" "$_kpkg")
		[ -n "$_kpkg" ] || die "no package $_pat for $_arch in $_suite"
		;;
	esac
	mkdir -p "$_gd"
	# kernel
	if [ ! -s "$_gd/kernel/vmlinuz" ] || [ ! -s "$_gd/kernel/version" ]; then
		if [ "$_kver" = - ]; then _spec=$_kpkg; else _spec=$_kpkg=$_kver; fi
		_deb=$(apt_private_fetch "$_arch" "$_suite" "$_spec")
		say "guest $_g: unpacking $(basename "$_deb")"
		rm -rf "$_gd/kernel"
		mkdir -p "$_gd/kernel"
		dpkg-deb -x "$_deb" "$_gd/kernel/root" || die "dpkg-deb -x $_deb failed"
		_img=$(ls "$_gd"/kernel/root/boot/vmlinu[xz]-* 2>/dev/null | head -n 1)
		[ -n "$_img" ] || die "no boot/vmlinu[xz]-* in $_deb"
		ln -sf "root/boot/$(basename "$_img")" "$_gd/kernel/vmlinuz"
		echo "$_kpkg $(dpkg-deb -f "$_deb" Version)" >"$_gd/kernel/version"
	fi
	# busybox (the bookworm one, also for riscv64: trixie's)
	if [ ! -x "$_gd/busybox/root/bin/busybox" ] && [ ! -x "$_gd/busybox/root/usr/bin/busybox" ]; then
		_bs=bookworm
		[ "$_arch" != riscv64 ] || _bs=trixie
		_deb=$(apt_private_fetch "$_arch" "$_bs" busybox-static)
		say "guest $_g: unpacking $(basename "$_deb")"
		rm -rf "$_gd/busybox"
		mkdir -p "$_gd/busybox"
		dpkg-deb -x "$_deb" "$_gd/busybox/root" || die "dpkg-deb -x $_deb failed"
	fi
	# tools
	if [ ! -f "$_gd/tools/version" ]; then
		_ts=bookworm
		[ "$_arch" != riscv64 ] || _ts=trixie
		# shellcheck disable=SC2046
		_debs=$(apt_private_fetch "$_arch" "$_ts" $(guest_arch_tool_pkgs "$_arch"))
		rm -rf "$_gd/tools"
		mkdir -p "$_gd/tools/root"
		: >"$_gd/tools/version.tmp"
		for _deb in $_debs; do
			dpkg-deb -x "$_deb" "$_gd/tools/root" || die "dpkg-deb -x $_deb failed"
			echo "$(dpkg-deb -f "$_deb" Package)=$(dpkg-deb -f "$_deb" Version)" >>"$_gd/tools/version.tmp"
		done
		mv "$_gd/tools/version.tmp" "$_gd/tools/version"
		say "guest $_g: tools $(tr '\n' ' ' <"$_gd/tools/version")"
	fi
	echo "$(guest_arch_triplet "$_arch")" >"$_gd/triplet"
	say "guest $_g: $(cat "$_gd/kernel/version")"
}
