"""Benchmark: discovery of worse-off groups on the Adult census extract (prints its figures).

1. Search time on the same loaded DataFrame (48,842 rows, 8 categorical attributes plus binned
   age and hours-per-week, depth 3, minimum 30 rows): ``rightsmarker.discovery.discover`` (full
   enumeration with every statistic) against DivExplorer (FP-growth, max length 3) and
   pysubgroup (Apriori, exhaustive over groups with at least 30 rows), with the overlap of the
   top-10 groups.
2. Adult replicated 20x (~1 M rows) and 205x (~10 M rows) as Parquet, each run as a whole
   ``rightsmarker discover`` process: wall time and peak memory (``/usr/bin/time -v``).

Run: ``.venv/bin/python bench/bench_discovery.py [--skip-peers] [--skip-scale] [--rows10m N]``.
Not a test; figures are recorded in docs/guide/discovery.md.
"""

from __future__ import annotations

import argparse
import functools
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "microdata"
CATEGORICAL = ["workclass", "education", "marital-status", "occupation", "relationship", "race",
               "sex", "native-country"]
NUMERIC = ["age", "hours-per-week"]
ATTRS = CATEGORICAL + NUMERIC
MIN_SIZE, DEPTH, OUTCOME, POSITIVE = 30, 3, "income", "<=50K"


def load_adult() -> pd.DataFrame:
    """adult.data + adult.test: spaces after commas skipped, '?' missing, labels without '.'."""
    frames = [pd.read_csv(DATA / name, skipinitialspace=True, na_values="?")
              for name in ("adult.data", "adult.test")]
    df = pd.concat(frames, ignore_index=True)
    df.columns = [c.strip() for c in df.columns]
    df[OUTCOME] = df[OUTCOME].str.rstrip(".")
    return df


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - start, out


def items(definition: str) -> frozenset:
    return frozenset(definition.split(";"))


def run_ours(df: pd.DataFrame):
    from rightsmarker.discovery import discover

    return discover(df, OUTCOME, ATTRS, positive=POSITIVE, max_depth=DEPTH, min_size=MIN_SIZE)


def peer_frame(df: pd.DataFrame, bins: pd.DataFrame) -> pd.DataFrame:
    """Attributes as strings, numeric ones cut at our bins, so every tool sees the same items."""
    out = pd.DataFrame({a: df[a].fillna("(missing)").astype(str) for a in CATEGORICAL})
    for a in NUMERIC:
        b = bins[bins["attribute"] == a]
        edges = b["upper"].dropna().to_numpy()
        codes = np.searchsorted(edges, df[a].to_numpy(), side="right")
        out[a] = b["bin"].to_numpy()[codes]
    out["bad"] = (df[OUTCOME] == POSITIVE).astype(int)
    return out


def run_divexplorer(frame: pd.DataFrame):
    import divexplorer.divexplorer as dx_module
    from divexplorer import DivergenceExplorer

    original = dx_module.fpgrowth_cm
    dx_module.fpgrowth_cm = functools.partial(original, max_len=DEPTH)  # no max length in API
    try:
        explorer = DivergenceExplorer(frame)
        patterns = explorer.get_pattern_divergence(
            min_support=MIN_SIZE / len(frame), boolean_outcomes=["bad"], attributes=ATTRS)
    finally:
        dx_module.fpgrowth_cm = original
    return patterns


def divexplorer_top(patterns: pd.DataFrame, k=10, weighted=True):
    p = patterns[patterns["length"] > 0] if "length" in patterns else patterns
    key = p["bad_div"] * (p["support"] if weighted else 1)
    top = p.loc[key.sort_values(ascending=False).index[:k], "itemset"]
    return [frozenset(str(i) for i in itemset) for itemset in top]


def run_pysubgroup(frame: pd.DataFrame):
    import pysubgroup as ps

    target = ps.BinaryTarget("bad", 1)
    space = ps.create_selectors(frame, ignore=["bad"])
    task = ps.SubgroupDiscoveryTask(
        frame, target, space, result_set_size=1_000_000, depth=DEPTH, qf=ps.WRAccQF(),
        constraints=[ps.MinSupportConstraint(MIN_SIZE)])
    return ps.Apriori(use_numba=False).execute(task)


def pysubgroup_top(result, k=10):
    out = []
    for _, sg in result.to_descriptions()[:k]:
        out.append(frozenset(re.sub(r"^(.*?)==\s*'?(.*?)'?$", r"\1=\2", str(s).strip())
                             for s in sg.selectors))
    return out


def overlap(ours: list, theirs: list) -> int:
    return len(set(ours) & set(theirs))


def bench_peers(df: pd.DataFrame) -> None:
    run_ours(df)  # warm up imports and the DuckDB database
    seconds, res = min((timed(run_ours, df) for _ in range(3)), key=lambda t: t[0])
    s = res.summary["counts"]
    print(f"rightsmarker discover: {seconds:.3f} s  ({s['groups_aggregated']:,} groups of "
          f">= {MIN_SIZE} rows, {s['groups_shown']:,} shown, {s['flagged']:,} flagged, "
          f"{s['redundant']:,} redundant)")
    ours_top = [items(d) for d in res.subgroups["definition"].head(10)]
    ours_all = [items(d) for d in res.all_groups["definition"].head(10)]
    print("  our top 10:", "; ".join(res.subgroups["definition"].head(10)))
    frame = peer_frame(df, res.bins)
    try:
        dx_seconds, patterns = timed(run_divexplorer, frame)
        top_w, top_raw = divexplorer_top(patterns), divexplorer_top(patterns, weighted=False)
        print(f"DivExplorer (FP-growth, max length {DEPTH}): {dx_seconds:.3f} s "
              f"({len(patterns) - 1:,} patterns) -> ours is {dx_seconds / seconds:.1f}x faster")
        print(f"  top-10 overlap: by support x divergence {overlap(ours_top, top_w)}/10 "
              f"(unpruned {overlap(ours_all, top_w)}/10); by raw divergence "
              f"{overlap(ours_top, top_raw)}/10")
    except ImportError as exc:
        print(f"DivExplorer not installed ({exc}); skipped")
    try:
        ps_seconds, found = timed(run_pysubgroup, frame)
        top = pysubgroup_top(found)
        print(f"pysubgroup (Apriori, WRAcc, min support {MIN_SIZE}): {ps_seconds:.3f} s "
              f"({len(found.to_descriptions()):,} groups) -> ours is "
              f"{ps_seconds / seconds:.1f}x faster")
        print(f"  top-10 overlap: {overlap(ours_top, top)}/10 "
              f"(unpruned {overlap(ours_all, top)}/10)")
    except ImportError as exc:
        print(f"pysubgroup not installed ({exc}); skipped")


def cli_command() -> list[str]:
    """``rightsmarker discover`` if the command is registered, else the same app with it added."""
    exe = shutil.which("rightsmarker") or str(Path(sys.executable).with_name("rightsmarker"))
    probe = subprocess.run([exe, "discover", "--help"], capture_output=True)
    if probe.returncode == 0:
        return [exe]
    code = ("import sys; from rightsmarker.cli import app, main; "
            "from rightsmarker.cli import discover_cmd; discover_cmd.register(app); main()")
    return [sys.executable, "-c", code]


def run_cli(path: Path, out: Path) -> tuple[float, float]:
    cmd = ["/usr/bin/time", "-v"] + cli_command() + [
        "discover", "--data", str(path), "--outcome", OUTCOME, "--positive", POSITIVE,
        "--attributes", ",".join(ATTRS), "--max-depth", str(DEPTH), "--min-size", str(MIN_SIZE),
        "--out", str(out)]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"CLI failed:\n{proc.stderr[-2000:]}")
    rss_kb = float(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)[1])
    return seconds, rss_kb / 1024 / 1024


def replicate(df: pd.DataFrame, times: int, path: Path) -> int:
    import duckdb

    con = duckdb.connect()
    con.register("adult", df)
    con.execute(f"COPY (SELECT adult.* FROM adult, range({times})) TO '{path}' (FORMAT parquet)")
    return len(df) * times


def bench_scale(df: pd.DataFrame, rows10m: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for times, target, mem in ((20, 5.0, None), (-(-rows10m // len(df)), 30.0, 4.0)):
            path = Path(tmp) / f"adult_x{times}.parquet"
            rows = replicate(df, times, path)
            seconds, gb = run_cli(path, Path(tmp) / f"out{times}")
            verdict = "met" if seconds < target and (mem is None or gb < mem) else "MISSED"
            limit = f"< {target:.0f} s" + (f", < {mem:.0f} GB" if mem else "")
            print(f"CLI on Adult x{times} ({rows:,} rows, Parquet): {seconds:.2f} s wall, "
                  f"peak RSS {gb:.2f} GB (target {limit}: {verdict})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--rows10m", type=int, default=10_000_000)
    args = parser.parse_args()
    df = load_adult()
    print(f"Adult: {len(df):,} rows; attributes {', '.join(ATTRS)}; depth {DEPTH}; "
          f"min size {MIN_SIZE}")
    if not args.skip_peers:
        bench_peers(df)
    if not args.skip_scale:
        bench_scale(df, args.rows10m)


if __name__ == "__main__":
    main()
