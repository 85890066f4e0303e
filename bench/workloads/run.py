#!/usr/bin/env python3
"""Runs the seed's workloads (bench/README.md, "Workloads"), ember's program and LibTorch's
(or pandas') alternately, several times, and prints one table: each side's median [min-max],
the ember/LibTorch speed ratio (above 1: ember is faster) and each program's peak RSS; plus a
JSON file with every sample.

    bench/workloads/run.py BUILD_DIR [--rounds 3] [--threads 1,2] [--only w1,w4] [--quick]
                           [--json FILE]

BUILD_DIR holds the programs (build/bench/bench/workloads). A round runs every program once per
thread count, ember's first, then the reference's; each program repeats its measurement
internally (--reps). LibTorch runs at its best, as bench/README.md says: OMP and OpenBLAS thread
counts set, glibc's malloc tuned to keep big buffers (GLIBC_TUNABLES), and at two threads also
with OMP_WAIT_POLICY=PASSIVE, the better of the two modes counting. ember runs with the same
thread variables and nothing else.
"""
import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
TUNED = ("glibc.malloc.mmap_threshold=4294967296:"
         "glibc.malloc.trim_threshold=17179869184")

# name: (ember program, reference program, reference's name). A reference ending in .py runs
# with Debian's Python (pandas and NumPy are Debian's packages).
WORKLOADS = {
    "w1": ("w1_linreg", "w1_linreg_torch", "LibTorch"),
    "w2w3": ("w2w3_cnn", "w2w3_cnn_torch", "LibTorch"),
    "w4": ("w4_fashion_mlp", "w4_fashion_mlp_torch", "LibTorch"),
    "w5": ("w5_micro", "w5_micro_torch", "LibTorch"),
    "w6": ("w6_csv", str(HERE / "w6_csv_pandas.py"), "pandas"),
}


def run_program(command, threads, extra_env):
    """Runs one program; returns (its JSON records, peak RSS in MiB, wall seconds)."""
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads))
    env.update(extra_env)
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                               text=True)
    out, err = process.communicate()
    wall = time.perf_counter() - start
    if process.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({process.returncode}):\n{err}")
    records = [json.loads(line) for line in out.splitlines() if line.strip()]
    rss = peak_rss_mib(err)
    return records, rss, wall


def peak_rss_mib(stderr_text):
    """The peak RSS the program reported on stderr as `peak_rss_kib N` (its last line)."""
    for line in reversed(stderr_text.splitlines()):
        if line.startswith("peak_rss_kib "):
            return int(line.split()[1]) / 1024
    return None


def summary(values):
    return statistics.median(values), min(values), max(values)


def fmt(values, unit):
    if not values:
        return "-"
    med, lo, hi = summary(values)
    return f"{med:.4g} [{lo:.4g}-{hi:.4g}] {unit}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build_dir")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reps", type=int, default=0, help="--reps for each program (0: its own)")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--only", default="")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", default="")
    args = parser.parse_args()
    build = pathlib.Path(args.build_dir)
    threads = [int(t) for t in args.threads.split(",")]
    chosen = [w for w in WORKLOADS if not args.only or w in args.only.split(",")]
    missing = [p for w in chosen for p in WORKLOADS[w][:2]
               if not p.endswith(".py") and not (build / p).exists()]
    if missing:
        sys.exit(f"missing programs in {build}: {', '.join(missing)} (LibTorch's are built "
                 "only when CMake finds Debian's libtorch-dev: scripts/install-deps --bench)")
    if "w6" in chosen:  # the covtype-shaped file, made once
        csv = os.environ.setdefault("EMBER_BENCH_CSV", str(build / "covtype.csv"))
        if not os.path.exists(csv):
            subprocess.run(["/usr/bin/python3", str(HERE.parent / "make_covtype.py"), csv],
                           check=True)

    # results[(workload, metric, threads)] = {"ember": [...], "ref": {mode: [...]}, ...}
    results, checks, rss = {}, {}, {}
    for round_index in range(1 if args.quick else args.rounds):
        for key in chosen:
            ember_name, ref_name, ref_label = WORKLOADS[key]
            for t in threads:
                flags = ["--threads", str(t)] + (["--quick"] if args.quick else []) + \
                        (["--reps", str(args.reps)] if args.reps else [])
                ref_cmd = (["/usr/bin/python3", ref_name] if ref_name.endswith(".py")
                           else [str(build / ref_name)]) + flags
                ref_modes = {"tuned": {"GLIBC_TUNABLES": TUNED}}
                if t > 1 and ref_label == "LibTorch":
                    ref_modes["passive"] = {"GLIBC_TUNABLES": TUNED, "OMP_WAIT_POLICY": "PASSIVE"}
                runs = [("ember", "ember", [str(build / ember_name)] + flags, {})]
                runs += [("ref", mode, ref_cmd, env) for mode, env in ref_modes.items()]
                for side, mode, command, env in runs:
                    records, peak, wall = run_program(command, t, env)
                    print(f"round {round_index + 1}: {key} {side}/{mode} {t} thr: {wall:.1f} s",
                          file=sys.stderr)
                    if peak is not None:
                        rss.setdefault((key, side, t), []).append(peak)
                    for r in records:
                        if "check" in r:
                            checks.setdefault((r["workload"], r["check"], t), {}) \
                                  .setdefault(side, []).append(r["value"])
                            continue
                        entry = results.setdefault((r["workload"], r["metric"], t), {
                            "unit": r["unit"], "better": r["better"], "ember": [], "ref": {},
                            "ref_label": ref_label, "ember_runs": [], "ref_runs": {}})
                        if side == "ember":
                            entry["ember"] += r["samples"]
                            entry["ember_runs"].append(statistics.median(r["samples"]))
                        else:
                            entry["ref"].setdefault(mode, []).extend(r["samples"])
                            entry["ref_runs"].setdefault(mode, []).append(
                                statistics.median(r["samples"]))

    print("\n| workload | metric | thr | ember | reference (best mode) | ember/reference |")
    print("|---|---|---|---|---|---|")
    table = []
    for (workload, metric, t), e in results.items():
        lower = e["better"] == "lower"
        best_mode, best = None, None
        for mode, values in e["ref"].items():
            med = statistics.median(values)
            if best is None or (med < best if lower else med > best):
                best_mode, best = mode, med
        ratios = []
        if best_mode:
            for ember_run, ref_run in zip(e["ember_runs"], e["ref_runs"][best_mode]):
                ratios.append(ref_run / ember_run if lower else ember_run / ref_run)
        ref_values = e["ref"].get(best_mode, [])
        ratio = fmt(ratios, "").strip() if ratios else "-"
        print(f"| {workload} | {metric} | {t} | {fmt(e['ember'], e['unit'])} | "
              f"{e['ref_label']}: {fmt(ref_values, e['unit'])} ({best_mode}) | {ratio} |")
        table.append({"workload": workload, "metric": metric, "threads": t, "unit": e["unit"],
                      "better": e["better"], "ember": e["ember"], "reference": e["ref"],
                      "reference_name": e["ref_label"], "best_mode": best_mode,
                      "ratios": ratios})

    print("\n| workload | thr | peak RSS ember | peak RSS reference |")
    print("|---|---|---|---|")
    for key in chosen:
        for t in threads:
            ember_rss, ref_rss = rss.get((key, "ember", t)), rss.get((key, "ref", t))
            print(f"| {key} | {t} | {max(ember_rss):.1f} MiB | " if ember_rss else
                  f"| {key} | {t} | - | ", end="")
            print(f"{max(ref_rss):.1f} MiB |" if ref_rss else "- |")

    if checks:
        print("\n| workload | check | thr | ember | reference |")
        print("|---|---|---|---|---|")
        for (workload, what, t), sides in checks.items():
            def show(vs):
                return ", ".join(f"{v:.6g}" for v in sorted(set(vs))) if vs else "-"
            print(f"| {workload} | {what} | {t} | {show(sides.get('ember'))} | "
                  f"{show(sides.get('ref'))} |")

    out = args.json or str(build / "workloads.json")
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"date": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
                   "machine": os.uname().machine, "load_average": os.getloadavg(),
                   "results": table,
                   "peak_rss_mib": [{"workload": k, "side": s, "threads": t, "runs": v}
                                    for (k, s, t), v in rss.items()],
                   "checks": [{"workload": w, "check": c, "threads": t, "values": v}
                              for (w, c, t), v in checks.items()]}, f, indent=1)
    print(f"\nJSON: {out}")


if __name__ == "__main__":
    main()
