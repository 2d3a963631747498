"""Precision and recall of rightsmarker's tag suggestions.

Two test sets:

* ``../shared/data/text/sdg_classification_benchmark.csv`` (MIT): text, one SDG, true/false.
  A row counts as predicted true when that SDG is among the suggestions. Rows are split by
  ``crc32(id) % 2`` into a calibration half (even, used to choose the embedding calibration
  in lexicon.yaml) and a test half (odd); figures are given for each.
* ``tests/data/practices_labelled.csv``: 60 short English and Korean texts (practices, UN
  treaty-body and UPR-style recommendations) with gold theme / group / SDG codes labelled by
  the rightsmarker developers. Micro-averaged over (text, code) pairs, per kind and language.

Usage: python scripts/eval_tagging.py [--limit N] [--no-embeddings] [--threshold T]
"""

from __future__ import annotations

import argparse
import sys
import time
import zlib
from pathlib import Path

import pandas as pd

from rightsmarker.practices import embed
from rightsmarker.practices.tagging import DEFAULT_THRESHOLD, KINDS, suggest_tags

ROOT = Path(__file__).resolve().parents[1]
BENCHMARK = ROOT.parent / "shared" / "data" / "text" / "sdg_classification_benchmark.csv"
LABELLED = ROOT / "tests" / "data" / "practices_labelled.csv"


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def eval_benchmark(path: Path, limit: int | None, embeddings: bool, threshold: float) -> list[dict]:
    data = pd.read_csv(path)
    if limit:
        data = data.head(limit)
    data["half"] = ["calibration" if zlib.crc32(str(i).encode()) % 2 == 0 else "test"
                    for i in data["id"]]
    data["pred"] = [
        str(sdg) in {s["code"] for s in suggest_tags(text, kinds=("sdg",), threshold=threshold,
                                                      embeddings=embeddings)}
        for text, sdg in zip(data["text"], data["sdg"], strict=True)]
    rows = []
    for half, part in [("all", data), *data.groupby("half")]:
        gold = part["label"].astype(bool)
        tp = int((part["pred"] & gold).sum())
        fp = int((part["pred"] & ~gold).sum())
        fn = int((~part["pred"] & gold).sum())
        p, r, f = prf(tp, fp, fn)
        rows.append({"set": f"benchmark ({half})", "kind": "sdg", "n": len(part),
                     "precision": p, "recall": r, "f1": f})
    return rows


def eval_labelled(path: Path, limit: int | None, embeddings: bool, threshold: float) -> list[dict]:
    data = pd.read_csv(path, keep_default_na=False, dtype=str)
    if limit:
        data = data.groupby("lang", sort=False).head(limit)
    counts: dict[tuple[str, str], list[int]] = {}
    gold_col = {"theme": "themes", "group": "groups", "sdg": "sdgs"}
    for row in data.itertuples(index=False):
        suggested = suggest_tags(row.text, threshold=threshold, embeddings=embeddings)
        for kind in KINDS:
            gold = {c for c in getattr(row, gold_col[kind]).split(";") if c}
            pred = {s["code"] for s in suggested if s["kind"] == kind}
            for lang in (row.lang, "all"):
                c = counts.setdefault((kind, lang), [0, 0, 0])
                c[0] += len(gold & pred)
                c[1] += len(pred - gold)
                c[2] += len(gold - pred)
    rows = []
    for (kind, lang), (tp, fp, fn) in sorted(counts.items()):
        p, r, f = prf(tp, fp, fn)
        n = len(data) if lang == "all" else int((data["lang"] == lang).sum())
        rows.append({"set": f"labelled ({lang})", "kind": kind, "n": n,
                     "precision": p, "recall": r, "f1": f})
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None,
                    help="first N rows of the benchmark and of each language of the labelled set")
    ap.add_argument("--no-embeddings", action="store_true", help="lexicon only")
    ap.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    ap.add_argument("--benchmark", type=Path, default=BENCHMARK)
    ap.add_argument("--labelled", type=Path, default=LABELLED)
    args = ap.parse_args(argv)
    use_emb = not args.no_embeddings and embed.available()
    start = time.perf_counter()
    rows = []
    if args.benchmark.exists():
        rows += eval_benchmark(args.benchmark, args.limit, use_emb, args.threshold)
    else:
        print(f"benchmark not found at {args.benchmark}; skipped", file=sys.stderr)
    rows += eval_labelled(args.labelled, args.limit, use_emb, args.threshold)
    table = pd.DataFrame(rows)
    source = "lexicon + embeddings" if use_emb else "lexicon only"
    print(f"tag suggestions, {source}, threshold {args.threshold}")
    print(table.to_string(index=False, float_format=lambda x: f"{x:.2f}"))
    print(f"({time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
