"""Benchmark: search over 10,000 practices and tag suggestion per practice (prints its figures).

1. Search: 10,000 synthetic bilingual practices (``synthetic_practices``) in an SQLite FTS5
   store on disk; queries in English and Korean (with particles), with and without filters,
   listings by filter alone, and "similar practices". Each query kind runs ``--repeat`` times;
   the 50th and 95th percentiles are printed. Target: p95 under 100 ms.
2. Tag suggestion: ``suggest_tags`` on practice-length texts (the 60 labelled English and
   Korean texts) and on the long SDG benchmark passages (~600 characters), after the model and
   the description embeddings are loaded once. Target: under 200 ms per practice on the CPU.

Run: ``.venv/bin/python bench/bench_practices.py [--n 10000] [--repeat 50]``.
Not a test; figures are recorded in docs/guide/practices.md.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from rightsmarker.practices import embed
from rightsmarker.practices.examples import synthetic_practices
from rightsmarker.practices.search import PracticeIndex
from rightsmarker.practices.tagging import suggest_tags

ROOT = Path(__file__).resolve().parents[1]
LABELLED = ROOT / "tests" / "data" / "practices_labelled.csv"
BENCHMARK = ROOT.parent / "shared" / "data" / "text" / "sdg_classification_benchmark.csv"

QUERIES = {
    "English word": dict(query="housing"),
    "English phrase, 3 words": dict(query="living wage contracts"),
    "English prefix": dict(query="counsel*"),
    "Korean word with particle": dict(query="노숙인을"),
    "Korean two words": dict(query="인권교육 공무원"),
    "word + theme + year filters": dict(query="housing", themes=["SPA"], year=2020),
    "Korean + group + region": dict(query="이주민", groups=["migrants"], regions=["Asia"]),
    "filters only (listing)": dict(query="", themes=["ECO"], cities=["C001", "C002", "C003"]),
}


def percentiles(times: list[float]) -> tuple[float, float]:
    ms = np.array(times) * 1000
    return float(np.percentile(ms, 50)), float(np.percentile(ms, 95))


def timed(fn, *args, **kwargs) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one call (CPU time leaves out waiting for a busy CPU)."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn(*args, **kwargs)
    return time.perf_counter() - wall, time.process_time() - cpu


def row(name: str, n: int, samples: list[tuple[float, float]], extra: str = "") -> float:
    p50, p95 = percentiles([w for w, _ in samples])
    _, cpu95 = percentiles([c for _, c in samples])
    print(f"{name:34s} {n:5d} {extra}{p50:8.1f} {p95:8.1f} {cpu95:12.1f}")
    return p95


def bench_search(n: int, repeat: int) -> None:
    practices = synthetic_practices(n)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "practices.sqlite"
        start = time.perf_counter()
        with PracticeIndex(str(db)) as index:
            index.add(practices)
        print(f"indexed {n:,} practices in {time.perf_counter() - start:.1f} s "
              f"({db.stat().st_size / 2**20:.1f} MB)")
        with PracticeIndex(str(db)) as index:
            print(f"{'query':34s} {'hits':>5s} {'p50 ms':>8s} {'p95 ms':>8s} {'p95 CPU ms':>12s}")
            worst = 0.0
            for name, q in QUERIES.items():
                args = dict(q)
                query = args.pop("query")
                hits = index.search(query, limit=20, **args)
                samples = [timed(index.search, query, limit=20, **args) for _ in range(repeat)]
                worst = max(worst, row(name, len(hits), samples))
            rng = np.random.default_rng(1)
            samples = [timed(index.similar, f"p{i:06d}", limit=5)
                       for i in rng.integers(0, n, repeat)]
            worst = max(worst, row("similar practices (5)", 5, samples))
    print(f"search: worst p95 {worst:.1f} ms (target < 100 ms): "
          f"{'met' if worst < 100 else 'NOT met'}")


def bench_tagging(limit: int) -> None:
    labelled = pd.read_csv(LABELLED, keep_default_na=False, dtype=str)
    sets = {"practice texts, English": list(labelled[labelled.lang == "en"].text),
            "practice texts, Korean": list(labelled[labelled.lang == "ko"].text)}
    if BENCHMARK.exists():
        sets["SDG benchmark passages (long)"] = list(pd.read_csv(BENCHMARK).text.head(limit))
    start = time.perf_counter()
    suggest_tags("warm-up: load the model and the description embeddings")
    model = "packaged all-MiniLM-L6-v2" if embed.available() else "NO MODEL: lexicon only"
    print(f"tagging with {model}; first call (loads) {time.perf_counter() - start:.2f} s")
    print(f"{'texts':34s} {'n':>5s} {'chars':>6s} {'p50 ms':>8s} {'p95 ms':>8s} "
          f"{'p95 CPU ms':>12s}")
    worst = 0.0
    for name, texts in sets.items():
        samples = [timed(suggest_tags, text) for text in texts]
        chars = int(np.mean([len(x) for x in texts]))
        p95 = row(name, len(texts), samples, extra=f"{chars:6d} ")
        if "practice" in name:
            worst = max(worst, p95)
    print(f"tagging: worst p95 on practice texts {worst:.1f} ms (target < 200 ms): "
          f"{'met' if worst < 200 else 'NOT met'}")


def main() -> None:
    import os

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=50)
    ap.add_argument("--long", type=int, default=100, help="SDG benchmark passages to tag")
    args = ap.parse_args()
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
    bench_search(args.n, args.repeat)
    print()
    bench_tagging(args.long)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
