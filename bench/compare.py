#!/usr/bin/env python3
"""Runs ember_bench_core and prints ember against LibTorch and against the machine's limits.

Each case runs --repetitions times (5 by default). For every workload and thread count the table
gives each implementation's median [min-max] over the repetitions, and speed ratios computed per
repetition (repetition i of ember against repetition i of the other side), as median [min-max].
A ratio above 1 means ember is faster (or closer to the limit).

    bench/compare.py build/bench/bench/ember_bench_core            # run, then print
    bench/compare.py --from-json build/bench/bench/bench_core.json # print a saved run
    bench/compare.py BINARY --benchmark_filter=mm_                 # other flags go to BINARY

Standard library only (any python3).
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys

# The limit each workload is compared with: BLAS itself for sgemm, a plain C++ loop with the
# same memory traffic for the memory-bound ops.
LIMITS = {"add_16M": "triad_loop", "add_16M_inplace": "triad_loop", "sum_16M": "read_loop",
          "mm_N256": "cblas_sgemm", "mm_N1024": "cblas_sgemm", "mm_N2048": "cblas_sgemm",
          "adam_10M": "traffic_loop"}
NAME = re.compile(r"^(?P<workload>[^/]+)/(?P<impl>[^/]+)/threads:(?P<threads>\d+)")


def run(binary, repetitions, min_time, extra, out_path):
    cmd = [binary, f"--benchmark_repetitions={repetitions}",
           "--benchmark_display_aggregates_only=true",
           f"--benchmark_out={out_path}", "--benchmark_out_format=json"]
    if min_time:
        cmd.append(f"--benchmark_min_time={min_time}")
    cmd += extra
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True)


class Samples:
    """One implementation of one workload at one thread count: a value per repetition."""

    def __init__(self, unit, higher_is_better):
        self.unit = unit
        self.higher_is_better = higher_is_better
        self.by_rep = {}

    def speed(self, rep):
        v = self.by_rep[rep]
        return v if self.higher_is_better else 1.0 / v

    def summary(self):
        vals = list(self.by_rep.values())
        return f"{fmt(statistics.median(vals))} [{fmt(min(vals))}-{fmt(max(vals))}] {self.unit}"


def fmt(v):
    return f"{v:.4g}"


def ratio(a, b):
    """Per-repetition speed ratios a/b: median [min-max]."""
    reps = sorted(set(a.by_rep) & set(b.by_rep))
    if not reps:
        return "-"
    r = [a.speed(i) / b.speed(i) for i in reps]
    return f"{statistics.median(r):.3g} [{min(r):.3g}-{max(r):.3g}]"


def load(path):
    with open(path) as f:
        data = json.load(f)
    table = {}  # (workload, threads) -> impl -> Samples
    for b in data["benchmarks"]:
        if b.get("run_type") != "iteration":
            continue
        m = NAME.match(b["name"])
        if not m:
            continue
        key = (m["workload"], int(m["threads"]))
        counter = next((c for c in ("GFLOP/s", "GB/s") if c in b), None)
        if counter:
            samples = table.setdefault(key, {}).setdefault(m["impl"], Samples(counter, True))
            value = b[counter]
        else:  # per-op time
            samples = table.setdefault(key, {}).setdefault(m["impl"], Samples("ns/op", False))
            scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[b.get("time_unit", "ns")]
            value = b["real_time"] * scale
        samples.by_rep[b.get("repetition_index", 0)] = value
    return data.get("context", {}), table


def report(context, table):
    print()
    print(f"host: {context.get('host_name', '?')}, {context.get('num_cpus', '?')} CPUs, "
          f"load average {context.get('load_avg', '?')}; LibTorch: {context.get('libtorch', '?')}")
    headers = ["workload", "thr", "ember", "LibTorch", "ember/LibTorch", "limit", "ember/limit"]
    rows = []
    for (workload, threads) in sorted(table, key=lambda k: (k[1], list(table).index(k))):
        impls = table[(workload, threads)]
        ember = impls.get("ember")
        torch = impls.get("libtorch")
        limit_name = LIMITS.get(workload)
        limit = impls.get(limit_name) if limit_name else None
        if ember is None:  # a limit-only row (copy bandwidth)
            for name, s in impls.items():
                rows.append([workload, str(threads), "-", "-", "-", f"{name}: {s.summary()}", "-"])
            continue
        rows.append([
            workload, str(threads), ember.summary(), torch.summary() if torch else "not built",
            ratio(ember, torch) if torch else "-",
            f"{limit_name}: {limit.summary()}" if limit else "-",
            ratio(ember, limit) if limit else "-"])
    widths = [max(len(r[i]) for r in rows + [headers]) for i in range(len(headers))]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths))
    print(line)
    print("-" * len(line))
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)))
    print("\nRatios are speeds (ember / other), per repetition: median [min-max]; "
          "> 1: ember faster.")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("binary", nargs="?", help="path to ember_bench_core")
    p.add_argument("--from-json", help="print a saved run instead of running")
    p.add_argument("--repetitions", type=int, default=5)
    p.add_argument("--min-time", type=float, default=None, help="seconds per repetition")
    p.add_argument("--json", help="where to save the run (default: next to the binary)")
    # Any other flag (--benchmark_filter=...) goes to the binary.
    args, extra = p.parse_known_args()
    if args.from_json:
        path = args.from_json
    else:
        if not args.binary:
            p.error("give the binary or --from-json")
        path = args.json or os.path.join(os.path.dirname(args.binary), "bench_core.json")
        run(args.binary, args.repetitions, args.min_time, extra, path)
    context, table = load(path)
    if not table:
        sys.exit("no results in " + path)
    report(context, table)


if __name__ == "__main__":
    main()
