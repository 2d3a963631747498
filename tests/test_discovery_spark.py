"""The Spark engine runs the same aggregation as DuckDB and gives the same numbers."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from rightsmarker.discovery import discover, discover_waves

pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("the Spark engine needs Java", allow_module_level=True)


@pytest.fixture(scope="module")
def small_csv(tmp_path_factory):
    rng = np.random.default_rng(21)
    n = 900
    df = pd.DataFrame({
        "region": rng.choice(["north", "south", "east"], n),
        "sex": rng.choice(["F", "M"], n),
        "age": rng.integers(18, 90, n),
        "year": rng.choice([2019, 2023], n),
        "w": rng.uniform(0.5, 3.0, n).round(3),
    })
    p = 0.25 + 0.2 * ((df["region"] == "east") & (df["year"] == 2023))
    df["poor"] = np.where(rng.random(n) < p, "yes", "no")
    path = tmp_path_factory.mktemp("spark") / "small.csv"
    df.to_csv(path, index=False)
    return path


def test_the_spark_engine_gives_the_same_numbers_as_duckdb(small_csv):
    args = dict(outcome="poor", attributes=["region", "sex", "age"], positive="yes", weight="w")
    spark = discover(small_csv, engine="spark", **args)
    duck = discover(small_csv, engine="duckdb", **args)
    pd.testing.assert_frame_equal(spark.all_groups, duck.all_groups)
    pd.testing.assert_frame_equal(spark.bins, duck.bins)
    spark_w = discover_waves(small_csv, "poor", ["region", "sex"], "year", (2019, 2023),
                             positive="yes", engine="spark")
    duck_w = discover_waves(small_csv, "poor", ["region", "sex"], "year", (2019, 2023),
                            positive="yes")
    pd.testing.assert_frame_equal(spark_w.groups, duck_w.groups)
