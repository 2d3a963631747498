"""Benchmark: the cycle report for 100 fictional cities as PDF (target: under 60 s).

    .venv/bin/python bench/bench_report.py [--cities 100] [--format pdf|html] [--out FILE]

Scores the fictional demo data of ``--cities`` cities (the demo's 16 invented names numbered
when repeated), computes the group gaps, then times ``build_report`` alone: gathering the
content, building every chart, rendering the page(s) and printing them with headless
Chromium. Prints one line per stage and the total.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cities", type=int, default=100)
    ap.add_argument("--format", default="pdf", choices=["pdf", "html"])
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()

    import rightsmarker as rm
    from rightsmarker.demo import demo_data
    from rightsmarker.reports import build_report

    t0 = time.perf_counter()
    fw = rm.load_framework("social-inclusion-marker")
    demo = demo_data(n_cities=args.cities, framework=fw)
    obs = rm.read_observations(demo.observations, fw)
    result = rm.score(fw, obs, units=demo.cities)
    gaps = rm.gaps(obs, fw)
    for table in ("scores", "dashboard", "trends", "levels"):
        getattr(result, table)
    t1 = time.perf_counter()
    report = build_report(result, gaps=gaps, format=args.format)
    t2 = time.perf_counter()
    out = args.out or Path(f"/tmp/rightsmarker-report-{args.cities}.{args.format}")
    out.write_bytes(report)
    pages = ""
    if args.format == "pdf":
        from pypdf import PdfReader

        pages = f", {len(PdfReader(str(out)).pages)} pages"
    print(f"data and scores for {args.cities} cities: {t1 - t0:.1f} s")
    print(f"report ({args.format}, {len(report) / 1e6:.1f} MB{pages}): {t2 - t1:.1f} s "
          f"-> {out}")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"target: under 60 s for 100 cities as PDF; {os.cpu_count()} CPUs, "
          f"load average {load:.1f}")


if __name__ == "__main__":
    main()
