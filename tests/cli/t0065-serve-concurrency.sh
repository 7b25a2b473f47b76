#!/bin/sh
# t0065-serve-concurrency: `hotmem serve` under 16 concurrent clients.
# A 2 GiB DIMM (memory32..memory47, memmap in boot RAM) is plugged
# offline; client i owns block 32+i and, for HOTMEM_CONCURRENCY_TIME
# seconds (default 20; longer by hand for a soak), onlines and offlines
# it, reading its state back after every write and /proc/meminfo in
# between. Checked, not just survived: every write succeeds and its
# effect reads back at once, every MemTotal a client sees is boot plus a
# whole number of 128 MiB blocks (each onlined block adds 131072 kB:
# memmap_on_memory is off), and at the end MemTotal, the blocks' states
# and every client's count of onlines agree.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve-lib.sh"

serve_require

DURATION=${HOTMEM_CONCURRENCY_TIME:-20}
CLIENTS=16

memtotal() {
	sed -n 's/^MemTotal: *\([0-9]*\) kB$/\1/p' "$MNT/proc/meminfo"
}

# client I: toggle memory(32+I) until the deadline; one line per
# problem on stdout, a final "count N" line
client() {
	blk=$MNT/sys/devices/system/memory/memory$((32 + $1))/state
	end=$(($(date +%s) + DURATION))
	n=0
	while [ "$(date +%s)" -lt "$end" ]; do
		echo online_movable >"$blk" || echo "write online_movable failed"
		s=$(cat "$blk")
		[ "$s" = online ] || echo "after online: state '$s'"
		m=$(memtotal)
		d=$((m - BOOT))
		if [ "$d" -lt 0 ] || [ $((d % 131072)) -ne 0 ] ||
		   [ "$d" -gt $((CLIENTS * 131072)) ]; then
			echo "MemTotal $m: not boot $BOOT plus whole blocks"
		fi
		echo offline >"$blk" || echo "write offline failed"
		s=$(cat "$blk")
		[ "$s" = offline ] || echo "after offline: state '$s'"
		n=$((n + 1))
	done
	# leave it online: the final tally must see it
	echo online_movable >"$blk" || echo "final write failed"
	echo "count $n"
}

test_expect_success "$CLIENTS clients for ${DURATION}s: nothing lost, nothing inconsistent" '
	serve_start -c memhp_default_state=offline \
		-e "device_add pc-dimm id=d0 size=2G node=0" &&
	BOOT=$(memtotal) &&
	test -n "$BOOT" &&
	i=0 && pids= &&
	while [ $i -lt $CLIENTS ]; do
		client $i >"$TRASH/client.$i" 2>&1 &
		pids="$pids $!"
		i=$((i + 1))
	done &&
	# the clients only: a bare wait would wait for the server too
	for p in $pids; do wait $p; done &&
	cat "$TRASH"/client.* >"$TRASH/all-clients" &&
	! grep -v "^count [0-9]*$" "$TRASH/all-clients" &&
	test "$(grep -c "^count" "$TRASH/all-clients")" -eq $CLIENTS &&
	total=$(awk "/^count/ { s += \$2 } END { print s }" "$TRASH/all-clients") &&
	echo "# $total online/offline cycles by $CLIENTS clients in ${DURATION}s" >"$TRASH/cycles" &&
	test "$total" -ge $CLIENTS &&
	# every block online at the end, and MemTotal says exactly that
	i=0 &&
	while [ $i -lt $CLIENTS ]; do
		test "$(cat $MNT/sys/devices/system/memory/memory$((32 + i))/state)" = online || exit 1
		i=$((i + 1))
	done &&
	test "$(memtotal)" -eq $((BOOT + CLIENTS * 131072)) &&
	serve_stop
'

cat "$TRASH/cycles" 2>/dev/null
test_done
