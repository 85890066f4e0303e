"""ember::io::read_csv against pandas.read_csv on the same file, in one run: seconds (best of a
few runs), MB/s and peak RSS, each reader in its own process so the peaks don't mix.

    /usr/bin/python3 bench/make_covtype.py /tmp/covtype.csv
    /usr/bin/python3 bench/bench_csv.py /tmp/covtype.csv build/bench/bench/read_csv_bench [RUNS]
"""
import json
import os
import subprocess
import sys

PANDAS = r"""
import json, resource, sys, time
import pandas as pd
path, runs = sys.argv[1], int(sys.argv[2])
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
best = 1e30
for _ in range(runs):
    start = time.perf_counter()
    frame = pd.read_csv(path)
    best = min(best, time.perf_counter() - start)
    del frame
print(json.dumps({"seconds": best, "rows": 0, "mb_per_s": 0,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "baseline_rss_mb": baseline}))
"""


def main():
    path, binary = sys.argv[1], sys.argv[2]
    runs = sys.argv[3] if len(sys.argv) > 3 else "3"
    mb = os.path.getsize(path) / 1e6
    ember = json.loads(subprocess.run([binary, path, runs], check=True, capture_output=True,
                                      text=True).stdout)
    pandas = json.loads(subprocess.run(["/usr/bin/python3", "-c", PANDAS, path, runs], check=True,
                                       capture_output=True, text=True).stdout)
    pandas["mb_per_s"] = mb / pandas["seconds"]
    print(f"file: {path} ({mb:.1f} MB), {ember['rows']} rows x {ember['columns']} columns, "
          f"best of {runs}")
    print(f"{'reader':<18}{'seconds':>9}{'MB/s':>9}{'peak RSS MB':>13}")
    print(f"{'ember (' + str(ember['threads']) + ' thr)':<18}{ember['seconds']:>9.3f}"
          f"{ember['mb_per_s']:>9.1f}{ember['peak_rss_mb']:>13.1f}")
    print(f"{'pandas':<18}{pandas['seconds']:>9.3f}{pandas['mb_per_s']:>9.1f}"
          f"{pandas['peak_rss_mb']:>13.1f}  (after import: {pandas['baseline_rss_mb']:.1f})")
    print(f"ember speed-up over pandas: {pandas['seconds'] / ember['seconds']:.2f}x")


if __name__ == "__main__":
    main()
