# SPDX-License-Identifier: GPL-2.0
# Scenario isolation (sourced by the guest runner). `isolate_save DIR`
# records the guest's state before the first scenario; `isolate_restore DIR`
# puts it back after each one, passed or failed, once `end_scenario` has
# killed what the scenario left running: links (names, up/down; extra ones
# deleted, a deleted dummy re-created), addresses, IPv4 routes, sysctls
# under net/, kernel/ and vm/, l3ns's parameters (reloaded if they differ
# or it is not loaded), failslab's knobs, and /tmp emptied. It prints one
# line naming what it restored, so a scenario's leak shows where it began
# and never fails the scenarios after it.

# The sysctls a scenario may change (value files only, one line each);
# counters and one-shot triggers are left out.
isolate_sysctls() {
	grep -rs '' /proc/sys/net /proc/sys/kernel /proc/sys/vm |
		grep -v -e '^/proc/sys/kernel/random/' -e '^/proc/sys/kernel/ns_last_pid:' \
			-e '^/proc/sys/kernel/tainted:' -e '^/proc/sys/vm/stat_refresh:' \
			-e '^/proc/sys/vm/drop_caches:' -e '^/proc/sys/kernel/pty/nr:' |
		awk -F: '{ n[$1]++; v[$1] = substr($0, length($1) + 2) }
			END { for (f in n) if (n[f] == 1) print f ":" v[f] }' | sort
}

# Knob files outside /proc/sys ("FILE:VALUE").
isolate_knobs() {
	for f in /sys/module/l3ns/parameters/* /sys/kernel/debug/failslab/* \
		/sys/kernel/slab/l3ns_tag/failslab; do
		[ -f "$f" ] && [ -r "$f" ] && echo "$f:$(head -1 "$f" 2>/dev/null)"
	done
}

isolate_links() { ip -o link show | sed -n 's/^\([0-9]*\): \([^:@]*\)[:@].*<\([^>]*\)>.*/\1 \2 \3/p' |
	while read -r i n f; do case ",$f," in *,UP,*) echo "$i $n up" ;; *) echo "$i $n down" ;; esac; done; }
isolate_addrs() { ip -o addr show | awk '$4 !~ /^fe80:/ { print $2, $4 }' | sort; }
isolate_routes() { ip -4 route show table main | sort; }

# only_in A B: the lines of file A that are not in file B (busybox has no comm).
only_in() { grep -vxF -f "$2" "$1"; }

isolate_save() {
	mkdir -p "$1"
	isolate_links >"$1/links"
	isolate_addrs >"$1/addrs"
	isolate_routes >"$1/routes"
	isolate_sysctls >"$1/sysctls"
	isolate_knobs >"$1/knobs"
	[ -d /sys/kernel/debug/net_ns ] && echo loaded >"$1/module" || : >"$1/module"
}

# isolate_restore DIR [LOADER]: LOADER (a command) loads l3ns if needed.
isolate_restore() {
	b=$1 done=""
	# The module first: a reload resets its parameters and tables.
	want=$(grep '^/sys/module/l3ns/' "$b/knobs")
	have=$(isolate_knobs | grep '^/sys/module/l3ns/')
	if [ -s "$b/module" ] && { [ ! -d /sys/kernel/debug/net_ns ] || [ "$want" != "$have" ]; }; then
		rmmod l3ns 2>/dev/null
		${2:-false} && done="$done module" || echo "isolation: could not reload l3ns"
	fi
	# Links: extra ones go, known ones get their name and state back.
	isolate_links >"$b/now"
	while read -r i n s; do
		grep -q "^$i " "$b/links" || { ip link del "$n" 2>/dev/null; done="$done link-$n"; }
	done <"$b/now"
	while read -r i n s; do
		cur=$(sed -n "s/^$i \([^ ]*\) \([a-z]*\)$/\1 \2/p" "$b/now")
		if [ -z "$cur" ]; then
			case $n in dummy*) ip link add "$n" type dummy && done="$done recreated-$n" ;; esac
			continue
		fi
		[ "${cur% *}" = "$n" ] || { ip link set dev "${cur% *}" down; ip link set dev "${cur% *}" name "$n"; done="$done name-$n"; }
		[ "$(isolate_links | sed -n "s/^$i [^ ]* //p")" = "$s" ] || { ip link set dev "$n" "$s"; done="$done $s-$n"; }
	done <"$b/links"
	case $done in *recreated-*) isolate_links >"$b/links" ;; esac
	# Addresses (and with them their routes), then any other route.
	isolate_addrs >"$b/now"
	only_in "$b/now" "$b/addrs" >"$b/extra"
	[ -s "$b/extra" ] && done="$done addrs"
	# (A primary's secondaries go with it: later deletes may find nothing.)
	while read -r dev a; do ip addr del "$a" dev "$dev" 2>/dev/null; done <"$b/extra"
	only_in "$b/addrs" "$b/now" | while read -r dev a; do ip addr add "$a" dev "$dev"; done
	isolate_addrs >"$b/now"
	cmp -s "$b/now" "$b/addrs" || done="$done addrs(left: $(only_in "$b/now" "$b/addrs" | tr '\n' ' '))"
	isolate_routes >"$b/now"
	only_in "$b/now" "$b/routes" >"$b/extra"
	[ -s "$b/extra" ] && done="$done routes"
	while read -r r; do eval "ip route del $r"; done <"$b/extra"
	# Values: sysctls, then the other knobs (files that still exist).
	for kind in sysctls knobs; do
		"isolate_$kind" >"$b/now"
		only_in "$b/$kind" "$b/now" | while IFS= read -r line; do
			f=${line%%:*}
			[ -w "$f" ] && echo "${line#*:}" >"$f" 2>/dev/null && echo "$f"
		done >"$b/changed"
		[ -s "$b/changed" ] && done="$done $(sed 's|^/proc/sys/||' "$b/changed" | tr '\n' ' ')"
	done
	find /tmp -mindepth 1 -maxdepth 1 -exec rm -rf {} +
	[ -z "$done" ] || echo "isolation: restored$done"
}
