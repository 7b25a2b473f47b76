#!/bin/sh
# t0056-accel: the accelerator of the qemu backend. --accel=auto|kvm|tcg
# (run and diff) and $HOTMEM_ACCEL; bad values are usage errors. On a
# host where /dev/kvm opens but KVM cannot run the guest (nested
# virtualisation), QEMU aborts at once; "auto" then says so once and
# boots with TCG, an explicit "kvm" is an error.
#
# This machine has no /dev/kvm, so the host is a stand-in: a plain file
# as the KVM device (HOTMEM_KVM_DEVICE) and, as QEMU, a small script
# that prints the abort message a real QEMU 7.2 printed on such a host
# when given `-accel kvm`, and otherwise records its argv and exits (or
# execs the real QEMU, in the last case, when it is installed). It
# tests our fallback logic, not KVM.
. "$(dirname "$0")/lib.sh"

scenario ok.scn <<'SCN'
machine arch=x86_64 mem=2G slots=4 maxmem=8G
cmdline memhp_default_state=offline
boot
read /sys/devices/system/memory/block_size_bytes
SCN

: >"$TRASH/kvm" && : >"$TRASH/vmlinuz" && : >"$TRASH/initrd"
# the stand-in QEMU: REAL (or nothing) runs when not given -accel kvm
cat >"$TRASH/qemu" <<'SH'
#!/bin/sh
echo "$*" >>"$TRASH/qemu.argv"
case " $* " in
*" -accel kvm "*)
	echo "qemu-system-x86_64: error: failed to set MSR 0x10a to 0x0" >&2
	echo "qemu-system-x86_64: ../../target/i386/kvm/kvm.c:3218: kvm_buf_set_msrs: Assertion \`ret == cpu->kvm_msr_buf->nmsrs' failed." >&2
	kill -ABRT $$ ;;
esac
[ -n "${REAL:-}" ] && exec "$REAL" "$@"
echo "stand-in QEMU: no real QEMU to run" >&2
exit 1
SH
chmod +x "$TRASH/qemu"
standin() {	# the stand-in host for run_hotmem
	HOTMEM_QEMU=$TRASH/qemu HOTMEM_KVM_DEVICE=$TRASH/kvm HOTMEM_QEMU_CACHE=0 \
		HOTMEM_QEMU_TIMEOUT=${HOTMEM_QEMU_TIMEOUT:-20} "$@"
}

test_expect_success '--accel: a value other than auto, kvm, tcg is a usage error' '
	run_hotmem run --backend=qemu --accel=hvf "$TRASH/ok.scn" &&
	expect_rc 2 &&
	expect_output "hotmem: --accel: '\''hvf'\'' is not auto, kvm or tcg" "$TRASH/err" &&
	run_hotmem diff --accel= "$TRASH/ok.scn" &&
	expect_rc 2 &&
	expect_output "is not auto, kvm or tcg" "$TRASH/err"
'

test_expect_success 'HOTMEM_ACCEL: a bad value is a boot error naming it' '
	HOTMEM_ACCEL=fast standin run_hotmem run --backend=qemu "$TRASH/ok.scn" &&
	expect_rc 2 &&
	expect_output "error: boot: HOTMEM_ACCEL='\''fast'\'': not auto, kvm or tcg" "$TRASH/err"
'

test_expect_success 'explicit kvm without a KVM device: an error, nothing started' '
	rm -f "$TRASH/qemu.argv" &&
	HOTMEM_QEMU=$TRASH/qemu HOTMEM_KVM_DEVICE=$TRASH/no-kvm HOTMEM_KERNEL=$TRASH/vmlinuz \
		HOTMEM_INITRD=$TRASH/initrd run_hotmem run --backend=qemu --accel=kvm "$TRASH/ok.scn" &&
	expect_rc 2 &&
	expect_output "KVM was asked for (accel kvm) but $TRASH/no-kvm does not open" "$TRASH/err" &&
	test ! -e "$TRASH/qemu.argv"
'

test_expect_success 'auto, KVM aborts: said once, then the same machine with TCG' '
	rm -f "$TRASH/qemu.argv" &&
	HOTMEM_KERNEL=$TRASH/vmlinuz HOTMEM_INITRD=$TRASH/initrd \
		standin run_hotmem run --backend=qemu "$TRASH/ok.scn" &&
	expect_rc 2 &&
	test "$(grep -c "KVM does not work here" "$TRASH/err")" = 1 &&
	expect_line "hotmem: qemu backend: KVM does not work here (qemu-system-x86_64: ../../target/i386/kvm/kvm.c:3218: kvm_buf_set_msrs: Assertion \`ret == cpu->kvm_msr_buf->nmsrs'\'' failed.): using TCG" "$TRASH/err" &&
	test "$(wc -l <"$TRASH/qemu.argv")" = 2 &&
	sed -n 1p "$TRASH/qemu.argv" | grep -q -e "-accel kvm -cpu host,la57=off " &&
	sed -n 2p "$TRASH/qemu.argv" | grep -q -e "-accel tcg -cpu max,la57=off " &&
	expect_output "stand-in QEMU: no real QEMU to run" "$TRASH/err"
'

test_expect_success 'explicit kvm that aborts: an error, no TCG, no fallback line' '
	rm -f "$TRASH/qemu.argv" &&
	HOTMEM_KERNEL=$TRASH/vmlinuz HOTMEM_INITRD=$TRASH/initrd \
		standin run_hotmem diff --accel=kvm "$TRASH/ok.scn" &&
	expect_rc 2 &&
	expect_no_output "KVM does not work here" "$TRASH/err" &&
	expect_output "kvm_buf_set_msrs: Assertion" "$TRASH/err" &&
	test "$(wc -l <"$TRASH/qemu.argv")" = 1
'

test_expect_success 'tcg: KVM is not even tried' '
	rm -f "$TRASH/qemu.argv" &&
	HOTMEM_KERNEL=$TRASH/vmlinuz HOTMEM_INITRD=$TRASH/initrd \
		standin run_hotmem run --backend=qemu --accel=tcg "$TRASH/ok.scn" &&
	expect_rc 2 &&
	test "$(wc -l <"$TRASH/qemu.argv")" = 1 &&
	grep -q -e "-accel tcg" "$TRASH/qemu.argv"
'

# With the real QEMU and guest installed, the fallback boots the guest
# for real: the scenario runs to the end.
real=$(command -v qemu-system-x86_64 || true)
guest=$(dirname "$HOTMEM")/qemu
if [ -n "$real" ] && [ -r "$guest/kernel/vmlinuz" ] && [ -r "$guest/initramfs.cpio.gz" ]; then
	# a guest that crashes while booting under TCG on a loaded host (a
	# flake run-real.sh retries too) is booted once more
	real_run() {
		REAL=$real HOTMEM_QEMU_TIMEOUT=120 standin run_hotmem run --backend=qemu "$TRASH/ok.scn"
		if [ "$rc" = 2 ] && grep -q "the guest did not come up" "$TRASH/err"; then
			echo "RETRY: the guest crashed while booting"
			REAL=$real HOTMEM_QEMU_TIMEOUT=120 standin run_hotmem run --backend=qemu "$TRASH/ok.scn"
		fi
	}
	test_expect_success 'auto, KVM aborts, the real QEMU with TCG: the scenario runs' '
		real_run &&
		expect_rc 0 &&
		test "$(grep -c "KVM does not work here" "$TRASH/err")" = 1 &&
		expect_line 8000000 "$TRASH/out"
	'
else
	echo "# SKIP the fallback's real boot: no qemu-system-x86_64, or no guest kernel and initramfs in $guest (scripts/qemu-setup.sh, make initramfs)"
fi

test_done
