# SPDX-License-Identifier: GPL-2.0
"""`make bench`'s report: reads the guests' L3NS-BENCH / L3NS-SCALE lines
(scripts/guest/bench.sh) from the icount boot's console log (and the
wall-clock boot's, if given), prints one table and writes it as text, CSV
and JSON, with a PNG plot, under OUT.

  bench_report.py ICOUNT_LOG [WALL_LOG|-] OUT [--plot] [--check]

--check (make test's quick pass): exit 1 unless every workload has a row
in every configuration (a number or "n/a (...)") and the scaling lines
are there. Speed is never asserted.
"""
import csv
import json
import os
import re
import statistics
import sys

WORKLOADS = ["tcp_rr", "tcp_crr", "tcp_stream", "udp_rr", "udp_oneway"]
LABELS = {
    "a": "l3ns not loaded",
    "b": "loaded, no L3 namespace",
    "c": "L3 ns -> L3 ns",
    "d": "parent -> L3 ns",
    "e": "netns + veth",
    "f": "netns + ipvlan L3S",
    "g": "netns + netkit",
}
MAIN = list(LABELS)


def parse(path):
    """Per (config, workload): list of values (int) or n/a reasons; scale lines."""
    cells, scale = {}, []
    if not path or path == "-" or not os.path.exists(path):
        return cells, scale
    with open(path, errors="replace") as f:
        for line in f:
            line = line.strip()
            m = re.match(r"^L3NS-BENCH (\S+) (\S+) (\d+) ?(.*)$", line)
            if m:
                cfg, w, _, v = m.groups()
                v = v.strip()
                cells.setdefault((cfg, w), []).append(int(v) if v.isdigit() else v or "missing")
                continue
            m = re.match(r"^L3NS-SCALE (.*)$", line)
            if m:
                d = dict(re.findall(r'(\w+)=("[^"]*"|\S+)', m.group(1)))
                d = {k: v.strip('"') for k, v in d.items()}
                d["na"] = " n/a " in (line + " ")
                d["text"] = m.group(1)
                scale.append(d)
    return cells, scale


def stats(vals):
    """median, min, max of the numbers in vals (None if there are none)."""
    nums = [v for v in vals if isinstance(v, int)]
    if not nums:
        return None
    return statistics.median(nums), min(nums), max(nums), len(nums)


def configs(cells):
    hs = sorted({c for c, _ in cells if c.startswith("h")}, key=lambda c: int(c[1:]))
    return [c for c in MAIN if any((c, w) in cells for w in WORKLOADS)] + hs


def label(cfg, scale):
    if cfg in LABELS:
        return LABELS[cfg]
    n = int(cfg[1:])
    hosts = next((s.get("count") for s in scale if s.get("step") == "host_addrs"), "?")
    if n == 2:
        return f"(c), {hosts} host addrs"
    hold = next((s for s in scale if s.get("step") == "hold" and s.get("n") == str(n)), {})
    return f"(c), {n} ns, {hold.get('owned', '?')} owned"


def pct(x, ref):
    if x is None or ref is None:
        return "-"
    return f"{100.0 * (x / ref - 1):+.1f}%"


def build(icount, wall):
    cells, scale = icount
    wcells, _ = wall
    rows = []
    for w in WORKLOADS:
        ref = {c: stats(cells.get((c, w), [])) for c in ("a", "c")}
        for c in configs(cells):
            vals = cells.get((c, w), [])
            s = stats(vals)
            ws = stats(wcells.get((c, w), []))
            na = next((v for v in vals if isinstance(v, str)), None)
            rows.append({
                "workload": w, "config": c, "label": label(c, scale),
                "median": s[0] if s else None, "min": s[1] if s else None,
                "max": s[2] if s else None, "rounds": s[3] if s else 0,
                "vs_a": pct(s[0] if s else None, ref["a"][0] if ref["a"] else None),
                "vs_c": pct(s[0] if s else None, ref["c"][0] if ref["c"] else None)
                if c[0] in "dh" else "",
                "wall_median": ws[0] if ws else None,
                "na": None if s else (na or "missing"),
            })
    return rows


def fmt_table(rows, scale, icount_log):
    head = next((s for s in scale if "module_args" in s), {})
    out = [
        "l3ns bench: guest instructions per operation (QEMU icount, one vCPU; "
        "median of the rounds, spread min-max), ratio to (a) and, for (d) and the (h)"
        " series, to (c); wall: plain TCG ns/op (one vCPU), median",
        f"module: {head.get('module_args', '?')} (limits max_namespaces="
        f"{head.get('max_namespaces', '?')} max_addrs={head.get('max_addrs', '?')})",
        "",
        f"{'workload':<11} {'configuration':<30} {'instr/op':>9} {'spread (min-max)':>19}"
        f" {'vs (a)':>7} {'vs (c)':>7} {'wall ns/op':>10}",
    ]
    last = None
    for r in rows:
        if last and r["workload"] != last:
            out.append("")
        last = r["workload"]
        cfg = f"{r['config'][0]} {r['label']}"
        if r["median"] is None:
            out.append(f"{r['workload']:<11} {cfg:<30} {r['na'][:48]}")
            continue
        spread = f"{r['min']}-{r['max']}"
        wall = "-" if r["wall_median"] is None else f"{r['wall_median']:.0f}"
        out.append(f"{r['workload']:<11} {cfg:<30} {r['median']:>9.0f} {spread:>19}"
                   f" {r['vs_a']:>7} {r['vs_c']:>7} {wall:>10}")
    out += ["", "scaling and memory (l3ns loaded; times in guest ms under icount):"]
    for s in scale:
        if "module_args" not in s:
            out.append("  " + s["text"])
    return "\n".join(out) + "\n"


def plot(rows, scale, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("l3ns bench: no matplotlib: no plot", file=sys.stderr)
        return False
    fig, ax = plt.subplots(1, 3, figsize=(16, 4.8))
    width = 0.8 / len(MAIN)
    for k, c in enumerate(MAIN):
        ys, lo, hi = [], [], []
        for w in WORKLOADS:
            r = next((r for r in rows if r["workload"] == w and r["config"] == c), None)
            a = next((r for r in rows if r["workload"] == w and r["config"] == "a"), None)
            ok = r and a and r["median"] is not None and a["median"]
            ys.append(r["median"] / a["median"] if ok else 0)
            lo.append(ys[-1] - r["min"] / a["median"] if ok else 0)
            hi.append(r["max"] / a["median"] - ys[-1] if ok else 0)
        xs = [i + (k - len(MAIN) / 2 + 0.5) * width for i in range(len(WORKLOADS))]
        ax[0].bar(xs, ys, width, yerr=[lo, hi], label=f"({c}) {LABELS[c]}", capsize=2)
    ax[0].axhline(1.0, color="k", lw=0.5)
    ax[0].set_xticks(range(len(WORKLOADS)), WORKLOADS, rotation=15)
    ax[0].set_ylabel("instructions/op relative to (a)")
    ax[0].set_ylim(bottom=0.8)
    ax[0].legend(fontsize=7)
    ax[0].set_title("cost per operation, by configuration")
    for w in WORKLOADS:
        pts = []
        for r in rows:
            c = next((x for x in rows if x["workload"] == w and x["config"] == "c"), None)
            if r["workload"] == w and r["config"].startswith("h") and r["median"] and c and c["median"]:
                pts.append((int(r["config"][1:]), r["median"] / c["median"]))
        if pts:
            ax[1].plot(*zip(*sorted(pts)), marker="o", label=w)
    ax[1].set_xscale("log", base=2)
    ax[1].axhline(1.0, color="k", lw=0.5)
    ax[1].set_xlabel("L3 namespaces alive (N)")
    ax[1].set_ylabel("instructions/op relative to (c)")
    ax[1].set_title("(h): cost against N")
    ax[1].legend(fontsize=7)
    holds = [s for s in scale if s.get("step") == "hold" and not s["na"] and s.get("held")]
    rel = {s["n"]: s for s in scale if s.get("step") == "release" and s.get("release_ms")}
    if holds:
        ns = [int(s["n"]) for s in holds]
        ax[2].plot(ns, [float(s["create_ms"]) * 1000 / int(s["held"]) for s in holds], marker="o",
                   label="create, us/namespace")
        ax[2].plot(ns, [float(rel[s["n"]]["release_ms"]) * 1000 / int(s["held"]) if s["n"] in rel else 0
                        for s in holds], marker="o", label="release, us/namespace")
        ax[2].plot(ns, [int(s["slab_kb"]) * 1024 / int(s["held"]) / 1000 for s in holds], marker="s",
                   label="slab, kB/namespace (incl. addresses)")
        ax[2].set_xscale("log", base=2)
        ax[2].legend(fontsize=7)
    ax[2].set_xlabel("L3 namespaces alive (N)")
    ax[2].set_title("creating, releasing, memory")
    fig.tight_layout()
    fig.savefig(path, dpi=72)
    return True


def check(rows, scale):
    bad = [f"{r['config']}/{r['workload']}: {r['na']}" for r in rows
           if r["median"] is None and not str(r["na"]).startswith("n/a")]
    for c in MAIN:
        for w in WORKLOADS:
            if not any(r["config"] == c and r["workload"] == w for r in rows):
                bad.append(f"{c}/{w}: no row")
    if not any(r["config"].startswith("h") for r in rows):
        bad.append("no (h) rows")
    for step in ("host_addrs", "owned_addrs", "hold"):
        if not any(s.get("step") == step for s in scale):
            bad.append(f"no scaling line {step}")
    for b in bad:
        print(f"l3ns bench: missing: {b}", file=sys.stderr)
    return not bad


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    if len(args) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    icount, wall = parse(args[0]), parse(args[1])
    out = args[2]
    os.makedirs(out, exist_ok=True)
    rows = build(icount, wall)
    text = fmt_table(rows, icount[1], args[0])
    sys.stdout.write(text)
    with open(os.path.join(out, "table.txt"), "w") as f:
        f.write(text)
    with open(os.path.join(out, "results.csv"), "w", newline="") as f:
        wr = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else ["workload"])
        wr.writeheader()
        wr.writerows(rows)
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump({"rows": rows, "scale": icount[1]}, f, indent=1)
    if "--plot" in argv and plot(rows, icount[1], os.path.join(out, "bench.png")):
        print(f"l3ns bench: plot in {os.path.join(out, 'bench.png')}")
    if "--check" in argv and not check(rows, icount[1]):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
