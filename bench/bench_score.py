"""Benchmark: `rightsmarker score` on synthetic data (issue target: 3 M observations).

Run:  .venv/bin/python bench/bench_score.py [--cities 1000 --indicators 300 --periods 10]
                                            [--repeat 3] [--data DIR]

For the default invocation (CSV tables and stages) and its variants (``--no-stages``,
``--format parquet``), prints per run: the whole CLI process wall time (target < 5 s), its CPU
time (user + sys; on a busy machine the wall time grows but the CPU time hardly does), the
engine time reported by the build (target < 1 s), the read + validate time, the write time,
the process's own peak memory (target < 2 GB) and the size of what it wrote. With ``--repeat``
the best wall time of the runs is printed last for each variant.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VARIANTS = (
    ("default: csv, all tables and stages", []),
    ("csv, no stages", ["--no-stages"]),
    ("parquet, all tables and stages", ["--format", "parquet"]),
)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cities", type=int, default=1000)
    ap.add_argument("--indicators", type=int, default=300)
    ap.add_argument("--periods", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--data", type=Path, help="reuse a synth folder (made there if missing)")
    args = ap.parse_args()
    exe = [sys.executable, "-m", "rightsmarker"]
    with tempfile.TemporaryDirectory() as tmp:
        data = args.data or Path(tmp) / "synth"
        if not (data / "observations.parquet").exists():
            subprocess.run(exe + ["synth", "--cities", str(args.cities), "--indicators",
                                  str(args.indicators), "--periods", str(args.periods),
                                  "--out", str(data)], check=True, capture_output=True)
        base = exe + ["score", "--framework", str(data / "framework.yaml"),
                      "--data", str(data / "observations.parquet"),
                      "--method", str(data / "method.yaml")]
        print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores; > 0.5 means busy)")
        for v, (label, extra) in enumerate(VARIANTS):
            walls = [run(base + ["--out", str(Path(tmp) / f"out{v}_{i}")] + extra, label)
                     for i in range(args.repeat)]
            if args.repeat > 1:
                print(f"=== {label}: best whole process {min(walls):.2f} s of {len(walls)}")


def run(cmd: list[str], label: str) -> float:
    """Run one CLI process; print its figures; return its wall time."""
    out = Path(cmd[cmd.index("--out") + 1])
    os.sync()  # the previous run's ~0.5 GB still being flushed to disk would slow this one
    with tempfile.TemporaryFile() as stderr:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=stderr)
        _, status, usage = os.wait4(proc.pid, 0)  # this process's own CPU time and peak memory
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        stderr.seek(0)
        text = stderr.read().decode("utf-8", "replace")
    if proc.returncode:
        print(text)
        raise SystemExit(proc.returncode)
    m = re.search(r"read ([\d,]+) observations in ([\d.]+) s, scored in ([\d.]+) s "
                  r"\(engine ([\d.]+) s\), wrote .* in ([\d.]+) s", " ".join(text.split()))
    rows, read_s, score_s, engine_s, write_s = m.groups() if m else ("?",) * 5
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 2**20
    print(f"--- {label}: {rows} observations")
    print(f"whole CLI process     {wall:.2f} s   (target < 5 s)")
    print(f"CPU user + sys        {usage.ru_utime + usage.ru_stime:.2f} s "
          f"({usage.ru_utime:.2f} + {usage.ru_stime:.2f})")
    print(f"read + validate       {read_s} s")
    print(f"score (incl. engine)  {score_s} s")
    print(f"engine                {engine_s} s   (target < 1 s)")
    print(f"write (after engine)  {write_s} s")
    print(f"peak memory           {usage.ru_maxrss / 1024:.0f} MB (target < 2048 MB)")
    print(f"written               {size:.0f} MB in {sum(1 for p in out.rglob('*.*'))} files")
    shutil.rmtree(out)
    return wall


if __name__ == "__main__":
    main()
