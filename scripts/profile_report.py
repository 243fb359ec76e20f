#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make profile: the tables of Documentation/performance.rst, "Where the
cost is", from the console log of scripts/guest/profile.sh.

Per workload and function: calls per operation and guest instructions per
call and per operation in (a) and (c), and the difference per operation
as a share of what (c) adds over (a) untraced. A traced call costs the
tracer about OVH instructions ((traced - untraced) / traced calls, per
run); an inclusive duration is corrected by OVH for every traced call it
contains (its own entry and exit partly remain: about the same in (a) and
(c), so they cancel in the difference).

    profile_report.py CONSOLE_LOG
"""
import re
import sys

# What a traced call of an empty function measures (its own entry and exit):
# security_locked_down(), a one-line LSM hook, measured 793 in every run.
FLOOR = 790


def parse(path):
    runs, funcs = {}, {}
    with open(path, errors="replace") as f:
        for line in f:
            line = line.strip()
            m = re.match(r"L3NS-PROF-RUN (\S+) (\S+) (\d+) (\d+) (\d+)$", line)
            if m:
                runs[(m[1], m[2])] = tuple(int(x) for x in m.groups()[2:])
                continue
            m = re.match(r"L3NS-PROF-CALLS (\S+) (\S+) (\d+)$", line)
            if m:
                funcs.setdefault((m[1], m[2]), {})["__calls__"] = int(m[3])
                continue
            m = re.match(r"L3NS-PROF (\S+) (\S+) (\S+)(?: \[l3ns\])? (\d+) (\d+) (\d+) (\d+)$", line)
            if m:
                funcs.setdefault((m[1], m[2]), {})[m[3]] = tuple(int(x) for x in m.groups()[3:])
    return runs, funcs


def table(w, runs, funcs):
    out = []
    per = {}
    for cfg in "ac":
        ops, untraced, traced = runs[(cfg, w)]
        fs = funcs.get((cfg, w), {})
        calls = fs.get("__calls__", 1)
        ovh = (traced - untraced) * ops / calls
        per[cfg] = (ops, untraced, ovh, fs)
    added = per["c"][1] - per["a"][1]
    out.append(f"{w}: untraced (a) {per['a'][1]} (c) {per['c'][1]} instr/op, (c) adds {added} "
               f"(+{100 * added / per['a'][1]:.1f} %); tracer cost per traced call "
               f"(a) {per['a'][2]:.0f} (c) {per['c'][2]:.0f}")
    rows = []
    names = set(per["a"][3]) | set(per["c"][3])
    names.discard("__calls__")
    for n in names:
        r = {}
        for cfg in "ac":
            ops, _, ovh, fs = per[cfg]
            c, incl, _self, desc = fs.get(n, (0, 0, 0, 0))
            corr = incl - desc * ovh - c * FLOOR
            r[cfg] = (c / ops, corr / c if c else 0, corr / ops)
        rows.append((r["c"][2] - r["a"][2], n, r))
    rows.sort(reverse=True)
    out.append(f"{'function':34} {'calls/op a':>10} {'c':>6} {'instr/call a':>12} {'c':>7} "
               f"{'instr/op a':>10} {'c':>7} {'delta/op':>8} {'share':>6}")
    for d, n, r in rows:
        out.append(f"{n:34} {r['a'][0]:10.2f} {r['c'][0]:6.2f} {r['a'][1]:12.0f} {r['c'][1]:7.0f} "
                   f"{r['a'][2]:10.0f} {r['c'][2]:7.0f} {d:8.0f} {100 * d / added:5.0f}%")
    return "\n".join(out)


def main():
    runs, funcs = parse(sys.argv[1])
    for w in ("udp_rr", "tcp_crr", "tcp_rr", "udp_oneway"):
        if ("a", w) in runs and ("c", w) in runs:
            print(table(w, runs, funcs))
            print()


if __name__ == "__main__":
    main()
