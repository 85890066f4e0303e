"""W6 csv, the reference side: pandas.read_csv of the covtype-shaped file, then
torch.from_numpy(df.to_numpy()) (int64, no copy) and torch.tensor(df.values, dtype=float32)
(a copy), as bench/workloads/w6_csv.cpp does with ember. Reports through the same JSON lines
(bench/workloads/report.h). Run with Debian's Python (pandas, NumPy, torch are its packages).

    /usr/bin/python3 bench/workloads/w6_csv_pandas.py --threads T [--reps N] [--quick]
"""
import argparse
import json
import os
import resource
import sys
import time

import pandas as pd
import torch


def emit(metric, unit, samples, better="lower"):
    print(json.dumps({"workload": "W6 csv", "metric": metric, "unit": unit, "better": better,
                      "samples": samples}), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    reps = 1 if args.quick else args.reps
    torch.set_num_threads(args.threads)
    path = os.environ.get("EMBER_BENCH_CSV", "/tmp/covtype.csv")
    mb = os.path.getsize(path) / 1e6
    read_s, as_int64_s, as_float32_s, total = [], [], [], []
    rows, checksum = 0, 0.0
    for rep in range(-2, reps):  # -2: page cache, -1: warm-up
        start = time.perf_counter()
        frame = pd.read_csv(path)
        read = time.perf_counter() - start
        start = time.perf_counter()
        ints = torch.from_numpy(frame.to_numpy())
        as_int64 = time.perf_counter() - start
        start = time.perf_counter()
        floats = torch.tensor(frame.values, dtype=torch.float32)
        as_float32 = time.perf_counter() - start
        if rep < 0:
            continue
        read_s.append(read)
        as_int64_s.append(as_int64)
        as_float32_s.append(as_float32)
        total.append(mb / (read + as_float32))
        rows, checksum = len(frame), float(ints.sum())  # exact on both sides
        del ints
    emit("read_csv", "s", read_s)
    emit("table to int64 tensor (no copy)", "s", as_int64_s)
    emit("table to float32 tensor (copy)", "s", as_float32_s)
    emit("read_csv + float32 tensor", "MB/s", total, "higher")
    for what, value in (("rows", rows), ("sum of all values", checksum)):
        print(json.dumps({"workload": "W6 csv", "check": what, "value": value}), flush=True)
    print(f"peak_rss_kib {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", file=sys.stderr)


if __name__ == "__main__":
    main()
