"""Worse-off groups in the UCI Adult census extract (1994 CPS), with rightsmarker.discovery.

Reads ``adult.data`` and ``adult.test`` from ../shared/data/microdata (not copied here; CC BY 4.0,
Becker & Kohavi 1996), finds the groups with a significantly higher share earning <=50K, and, as
a check of the waves method, compares the two files as if they were two waves (they are random
parts of one sample, so no group should come out as newly worse off).

    .venv/bin/python examples/adult/run.py [--data-dir ../shared/data/microdata] [--out DIR]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from rightsmarker.discovery import discover, discover_waves

ROOT = Path(__file__).resolve().parents[2]
ATTRIBUTES = ["workclass", "education", "marital-status", "occupation", "relationship", "race",
              "sex", "native-country", "age", "hours-per-week"]


def load(data_dir: Path) -> pd.DataFrame:
    """Both files, spaces after commas skipped, '?' as missing, labels without a trailing '.'."""
    parts = []
    for name in ("adult.data", "adult.test"):
        part = pd.read_csv(data_dir / name, skipinitialspace=True, na_values="?")
        part.columns = [c.strip() for c in part.columns]
        parts.append(part.assign(file=name.split(".")[1]))
    df = pd.concat(parts, ignore_index=True)
    df["income"] = df["income"].str.rstrip(".")
    return df


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description="Worse-off groups in Adult")
    parser.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared/data/microdata")
    parser.add_argument("--out", type=Path, default=ROOT / "examples/adult/build")
    args = parser.parse_args(argv)
    df = load(args.data_dir)

    result = discover(df, "income", ATTRIBUTES, positive="<=50K", max_depth=3, min_size=30)
    result.write(args.out / "discover")
    cols = ["definition", "n", "estimate", "ci_low", "ci_high", "rest_estimate", "q_value"]
    print(f"{len(df):,} people; {result.summary['counts']['flagged_not_redundant']:,} groups "
          f"flagged worse off (not redundant); top 10 by excess share:")
    print(result.top(10)[cols].to_string(index=False, float_format="{:.3f}".format))
    print("bins:", result.summary["learned"]["bins_"])

    waves = discover_waves(df, "income", ATTRIBUTES, "file", ("data", "test"), positive="<=50K")
    waves.write(args.out / "waves")
    print(f"data vs test split: {len(waves.emerging)} emerging groups "
          f"(expected none: both files sample the same population)")
    return {"discover": result, "waves": waves}


if __name__ == "__main__":
    main()
