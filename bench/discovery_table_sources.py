"""Discovery on Adult read from a CSV file, a SQLite table and a PostgreSQL table.

    .venv/bin/python bench/discovery_table_sources.py [--pg postgresql://postgres@127.0.0.1:5432/test]

Prints wall and CPU seconds of ``discover`` (depth 3, all categorical attributes plus binned age
and hours) per source; the table sources add the reading of the needed columns through DB-API.
"""

from __future__ import annotations

import argparse
import secrets
import sqlite3
import tempfile
import time
from pathlib import Path

import pandas as pd

from rightsmarker.discovery import discover

ADULT = Path(__file__).resolve().parents[2] / "shared/data/microdata/adult.data"
NAMES = ["age", "workclass", "fnlwgt", "education", "education-num", "marital-status",
         "occupation", "relationship", "race", "sex", "capital-gain", "capital-loss",
         "hours-per-week", "native-country", "income"]
ATTRS = ["age", "workclass", "education", "marital-status", "occupation", "relationship",
         "race", "sex", "hours-per-week", "native-country"]


def timed(label: str, source) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    result = discover(source, "income", ATTRS, positive="<=50K", max_depth=3, na_values=["?"])
    print(f"{label:10s} wall {time.perf_counter() - wall:6.2f} s  cpu "
          f"{time.process_time() - cpu:6.2f} s  groups {len(result.all_groups):,}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default=None)
    args = parser.parse_args()
    frame = pd.read_csv(ADULT, names=NAMES, skipinitialspace=True)
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "adult.csv"
        frame.to_csv(csv, index=False)
        db = Path(tmp) / "adult.db"
        with sqlite3.connect(db) as con:
            frame.to_sql("adult", con, index=False)
        timed("warm-up", str(csv))
        timed("csv", str(csv))
        timed("sqlite", f"sqlite:{db}::adult")
        if args.pg:
            import psycopg

            name = f"rm_adult_{secrets.token_hex(3)}"
            with psycopg.connect(args.pg, autocommit=True) as con:
                cols = ", ".join(f'"{c}" {"bigint" if frame[c].dtype.kind == "i" else "text"}'
                                 for c in NAMES)
                con.execute(f"CREATE TABLE {name} ({cols})")
                with con.cursor().copy(f"COPY {name} FROM STDIN") as copy:
                    for row in frame.itertuples(index=False):
                        copy.write_row(row)
                try:
                    timed("postgresql", f"{args.pg}::{name}")
                finally:
                    con.execute(f"DROP TABLE {name}")


if __name__ == "__main__":
    main()
