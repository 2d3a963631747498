"""Benchmark: `rightsmarker score` on synthetic data (issue target: 3 M observations).

Run:  .venv/bin/python bench/bench_score.py [--cities 1000 --indicators 300 --periods 10]

Prints, for CSV and Parquet output: the whole CLI process time (target < 5 s), the engine
time reported by the build (target < 1 s), the read+validate time, and the peak memory of the
process (target < 2 GB).
"""

from __future__ import annotations

import argparse
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cities", type=int, default=1000)
    ap.add_argument("--indicators", type=int, default=300)
    ap.add_argument("--periods", type=int, default=10)
    args = ap.parse_args()
    exe = [sys.executable, "-m", "rightsmarker"]
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "synth"
        subprocess.run(exe + ["synth", "--cities", str(args.cities), "--indicators",
                              str(args.indicators), "--periods", str(args.periods),
                              "--out", str(data)], check=True, capture_output=True)
        base = exe + ["score", "--framework", str(data / "framework.yaml"),
                      "--data", str(data / "observations.parquet"),
                      "--method", str(data / "method.yaml")]
        for label, extra in (("csv, all tables and stages", []),
                             ("parquet, all tables and stages", ["--format", "parquet"]),
                             ("csv, no stages", ["--no-stages"])):
            run(base + ["--out", str(Path(tmp) / label.replace(" ", "_"))] + extra, label)


def run(cmd: list[str], label: str) -> None:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode:
        print(proc.stderr)
        raise SystemExit(proc.returncode)
    peak_mb = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    m = re.search(r"read ([\d,]+) observations in ([\d.]+) s, scored in ([\d.]+) s "
                  r"\(engine ([\d.]+) s\)", proc.stderr.replace("\n", " "))
    rows, read_s, score_s, engine_s = m.groups() if m else ("?", "?", "?", "?")
    print(f"--- {label}: {rows} observations")
    print(f"whole CLI process     {wall:.2f} s   (target < 5 s)")
    print(f"read + validate       {read_s} s")
    print(f"score (incl. engine)  {score_s} s")
    print(f"engine                {engine_s} s   (target < 1 s)")
    print(f"peak memory (max so far) {peak_mb:.0f} MB (target < 2048 MB)")


if __name__ == "__main__":
    main()
