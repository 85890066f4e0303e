"""Runs the Python twin of each seed example (tools/golden/seed/<name>.py) under PyTorch and
keeps what it prints as tests/golden/seed/<name>.out, the output that examples/seed/<name>.cpp
must reproduce (tests/examples/compare_output.py compares them in CTest).

Each twin runs in an empty folder of its own with one argument, the seed's data folder
(examples/seed/data), exactly as CTest runs the C++ program. Run with the golden venv's Python
(`make golden`): the metrics twin needs torchmetrics. `seed_outputs.py NAME...` runs only those.
"""
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
TWINS = ROOT / "tools" / "golden" / "seed"
DATA = ROOT / "examples" / "seed" / "data"
OUT = ROOT / "tests" / "golden" / "seed"


def main():
    names = sys.argv[1:] or sorted(p.stem for p in TWINS.glob("[0-9][0-9]_*.py"))  # not make_data.py
    OUT.mkdir(parents=True, exist_ok=True)
    for name in names:
        with tempfile.TemporaryDirectory() as run_dir:
            run = subprocess.run([sys.executable, str(TWINS / f"{name}.py"), str(DATA)],
                                 cwd=run_dir, capture_output=True, text=True, check=False)
        if run.returncode != 0:
            sys.exit(f"{name}.py failed:\n{run.stderr}")
        (OUT / f"{name}.out").write_text(run.stdout, encoding="utf-8")
        print(f"{name}: {len(run.stdout.splitlines())} lines")


if __name__ == "__main__":
    main()
