# SPDX-License-Identifier: GPL-2.0
# Guest side of `make test`: load l3ns (its KUnit suite runs on load), dump
# the KTAP results, then run every scenario. The host parses the markers.
. /guest/lib.sh
. /guest/isolate.sh
# Debian's stock kernel: modprobe, as a real host would (it loads
# nf_reject_ipv4 first). The test kernel has everything built in.
load() { if [ -d /lib/modules/$(uname -r) ]; then modprobe l3ns; else insmod $KO; fi; }
echo "l3ns-guest: kernel $(uname -r), l3ns $(tr '\0' '\n' <$KO | sed -n 's/^vermagic=//p')"
# Where l3ns's code is (each load), so that kmemleak backtraces printed after
# rmmod can still be told to be l3ns's.
modrange() { [ -f $KMEMLEAK ] && sed -n 's/^l3ns \([0-9]*\) .* \(0x[0-9a-f]*\)$/L3NS-MODRANGE \2 \1/p' /proc/modules; }
# The debug kernel: leaks are what l3ns leaves behind, so start clean.
KMEMLEAK=/sys/kernel/debug/kmemleak
[ -f $KMEMLEAK ] && echo clear >$KMEMLEAK
if ! load; then
	echo "L3NS-FATAL loading l3ns failed"
	dmesg | tail -20
	exit 1
fi
modrange
if [ -d /sys/kernel/debug/kunit ]; then
	echo "L3NS-KTAP-BEGIN"
	cat /sys/kernel/debug/kunit/l3ns/results
	echo "L3NS-KTAP-END"
fi
echo "l3ns-guest: first scenario at $(cut -d' ' -f1 /proc/uptime)s"
# Each scenario starts from this state and leaves it (scripts/guest/isolate.sh).
R=/run/l3ns
isolate_save $R/baseline
only=$(sed -n 's/.*l3ns_only=\([0-9,]*\).*/\1/p' /proc/cmdline)
# make soak: the whole suite l3ns_repeat=N times in this boot.
rounds=$(sed -n 's/.*l3ns_repeat=\([0-9]*\).*/\1/p' /proc/cmdline)
round=1
while [ $round -le "${rounds:-1}" ]; do
[ -n "$rounds" ] && echo "L3NS-ROUND $round"
for s in /scenarios/*.sh; do
	name=$(basename "$s" .sh)
	# L3NS_ONLY=83,86 make test: only those scenarios (a development aid).
	[ -z "$only" ] || case ",$only," in *",${name%%-*},"*) ;; *) continue ;; esac
	echo "L3NS-SCENARIO-START $name"
	# 120 s each, unless the scenario says "# l3ns-timeout: SECONDS".
	limit=$(sed -n 's/^# l3ns-timeout: \([0-9]*\)$/\1/p' "$s")
	# ns_cleanup: members started with ns_with never outlive their scenario.
	if timeout "${limit:-120}" sh -c ". /guest/lib.sh; trap ns_cleanup EXIT; . $s" >$R/out 2>&1 &&
		end_scenario >>$R/out 2>&1; then
		isolate_restore $R/baseline load >>$R/out 2>&1
		sed 's/^/  | /' $R/out
		echo "L3NS-SCENARIO $name PASS"
	else
		end_scenario >>$R/out 2>&1
		isolate_restore $R/baseline load >>$R/out 2>&1
		sed 's/^/  | /' $R/out
		echo "  | --- dmesg tail ---"
		dmesg | tail -15 | sed 's/^/  | /'
		echo "L3NS-SCENARIO $name FAIL"
	fi
	modrange
done
round=$((round + 1))
done
echo "l3ns-guest: scenarios done at $(cut -d' ' -f1 /proc/uptime)s"
# Debug kernel: unload, let RCU and work items finish, then scan twice
# (kmemleak reports an object only once it has stayed unreferenced).
if [ -f $KMEMLEAK ]; then
	[ -d $D ] && { rmmod l3ns || echo "l3ns-guest: rmmod failed"; }
	sleep 5
	echo scan >$KMEMLEAK; sleep 5; echo scan >$KMEMLEAK
	echo "L3NS-KMEMLEAK-BEGIN"
	cat $KMEMLEAK
	echo "L3NS-KMEMLEAK-END"
fi
