#!/usr/bin/env python3
"""Runs each libFuzzer harness of a fuzz build (the fuzz preset) for a fixed time over a copy of
its seed corpus, one at a time (or --parallel N at once), and reports per fuzzer: executions per
second, total executions, findings (crash, leak, timeout and out-of-memory inputs) and the
corpus size at the end.

  fuzz/run_fuzzers.py [--build build/fuzz] [--seconds 600] [--only csv,npy] [--parallel 2]

The working corpora live in <build>/fuzz/corpus/<format>/ (the seeds of fuzz/corpus/<format>/
are copied in first; what a run adds is kept for the next run), findings in
<build>/fuzz/findings/<format>/, logs in <build>/fuzz/logs/; the figures are printed and written
to <build>/fuzz/fuzz_results.json. The exit status is 1 when any fuzzer found something."""
import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import time

SOURCE = os.path.dirname(os.path.abspath(__file__))
# A header can claim any size: an allocation beyond these is a finding, as is an input that
# takes longer than the timeout.
LIMITS = ["-rss_limit_mb=2048", "-malloc_limit_mb=1024", "-timeout=10"]
# Images are refused beyond Pillow's decompression-bomb limit (178,956,970 pixels), which a
# compressed header may claim honestly: stb decodes such a 16-bit RGBA PNG in 1.4 GB.
LIMITS_BY_FORMAT = {"image": ["-rss_limit_mb=4096", "-malloc_limit_mb=2048", "-timeout=10"]}
FINDING_PREFIXES = ("crash-", "leak-", "timeout-", "oom-")
SYMBOLIZER = "/usr/bin/llvm-symbolizer-14"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", default="build/fuzz", help="the fuzz preset's build folder")
    parser.add_argument("--seconds", type=int,
                        default=int(os.environ.get("FUZZ_SECONDS", "600")),
                        help="how long each fuzzer runs (default: $FUZZ_SECONDS or 600)")
    parser.add_argument("--only", default="", help="comma-separated formats (default: all)")
    parser.add_argument("--parallel", type=int, default=1,
                        help="fuzzers run at the same time (one per core at most)")
    parser.add_argument("--seed", type=int, default=0,
                        help="libFuzzer's random seed (0: a new one each run; CI fixes one so "
                             "that its runs can be replayed)")
    args = parser.parse_args()

    binaries = os.path.join(args.build, "fuzz")
    formats = sorted(name[len("fuzz_"):] for name in os.listdir(binaries)
                     if name.startswith("fuzz_") and os.access(os.path.join(binaries, name), os.X_OK)
                     and os.path.isfile(os.path.join(binaries, name))) if os.path.isdir(binaries) else []
    if args.only:
        wanted = args.only.split(",")
        missing = [f for f in wanted if f not in formats]
        if missing:
            sys.exit(f"run_fuzzers: no fuzzer for {', '.join(missing)} in {binaries}")
        formats = wanted
    if not formats:
        sys.exit(f"run_fuzzers: no fuzz_* binaries in {binaries} (build the fuzz preset first)")

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.parallel)) as pool:
        results = list(pool.map(lambda fmt: run(binaries, fmt, args.seconds, args.seed),
                                formats))
    for fmt, r in zip(formats, results):
        print(f"{fmt:14s} {r['executions_per_second']:8d} exec/s {r['executions']:10d} execs "
              f"corpus {r['corpus_files']:5d}  findings {len(r['findings'])}"
              + ("" if r["exit_code"] == 0 else f"  (exit {r['exit_code']})"), flush=True)
        for f in r["findings"]:
            print(f"    {f}")
    out = os.path.join(binaries, "fuzz_results.json")
    with open(out, "w") as f:
        json.dump({"seconds_per_fuzzer": args.seconds, "parallel": args.parallel,
                   "seed": args.seed, "fuzzers": results}, f, indent=2)
    print(f"results: {out}")
    return 1 if any(r["findings"] or r["exit_code"] != 0 for r in results) else 0


def run(binaries, fmt, seconds, seed):
    corpus = os.path.join(binaries, "corpus", fmt)
    findings = os.path.join(binaries, "findings", fmt)
    logs = os.path.join(binaries, "logs")
    for d in (corpus, findings, logs):
        os.makedirs(d, exist_ok=True)
    seeds = os.path.join(SOURCE, "corpus", fmt)
    if os.path.isdir(seeds):
        for name in os.listdir(seeds):
            shutil.copyfile(os.path.join(seeds, name), os.path.join(corpus, name))
    before = set(os.listdir(findings))
    log = os.path.join(logs, fmt + ".log")
    command = [os.path.join(binaries, "fuzz_" + fmt), corpus, f"-max_total_time={seconds}",
               *LIMITS_BY_FORMAT.get(fmt, LIMITS), "-print_final_stats=1", f"-artifact_prefix={findings}/",
               f"-seed={seed}"]
    started = time.monotonic()
    env = dict(os.environ)
    if os.path.exists(SYMBOLIZER):  # stack traces with file and line
        env.setdefault("ASAN_SYMBOLIZER_PATH", SYMBOLIZER)
    with open(log, "w") as f:
        proc = subprocess.Popen(command, stdout=f, stderr=subprocess.STDOUT, env=env)
        try:
            proc.wait(timeout=seconds + 300)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    # A harness that crashed left its scratch folder (fuzz_support.h) behind.
    shutil.rmtree(f"/dev/shm/ember_fuzz_{proc.pid}", ignore_errors=True)
    elapsed = time.monotonic() - started
    text = open(log, errors="replace").read()
    stats = dict(re.findall(r"^stat::(\w+):\s+(\d+)", text, re.M))
    new = sorted(set(os.listdir(findings)) - before)
    return {
        "fuzzer": "fuzz_" + fmt,
        "seconds": round(elapsed, 1),
        "executions": int(stats.get("number_of_executed_units", 0)),
        "executions_per_second": int(stats.get("average_exec_per_sec", 0)),
        "new_units": int(stats.get("new_units_added", 0)),
        "peak_rss_mb": int(stats.get("peak_rss_mb", 0)),
        "corpus_files": len(os.listdir(corpus)),
        "findings": [os.path.join(findings, n) for n in new if n.startswith(FINDING_PREFIXES)],
        "exit_code": proc.returncode,
        "log": log,
    }


if __name__ == "__main__":
    sys.exit(main())
