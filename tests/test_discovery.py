"""Discovery of worse-off groups: estimates, intervals, tests, FDR, weights, privacy, errors."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rightsmarker.discovery import COLUMNS, DiscoveryError, discover
from rightsmarker.discovery.core import group_statistics, rolled_up
from rightsmarker.discovery.groups import build_groups
from rightsmarker.discovery.prepare import labelled, ordered_values, prepare
from rightsmarker.discovery.stats import benjamini_hochberg
from rightsmarker.discovery.sums import aggregation_sql, cells_sql
from rightsmarker.errors import DataError, RightsMarkerError

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "microdata"
NHIS = DATA / "stevedata__mm_nhis.csv"


def small_frame(n=600, seed=0, effect=0.0):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({
        "region": rng.choice(["north", "south", "east"], n),
        "sex": rng.choice(["F", "M"], n),
        "tenure": rng.choice(["own", "rent", "social", "other"], n),
    })
    p = 0.3 + effect * (df["tenure"] == "social")
    df["poor"] = np.where(rng.random(n) < p, "yes", "no")
    df["income"] = rng.normal(100, 20, n) - 30 * effect * (df["sex"] == "F")
    return df


def pandas_reference(df, attrs, outcome_values):
    """n, mean and rest mean of every conjunction of up to 2 attributes, by pandas groupby."""
    out = {}
    for d in (1, 2):
        for combo in itertools.combinations(attrs, d):
            for key, g in df.groupby(list(combo)):
                key = key if isinstance(key, tuple) else (key,)
                definition = ";".join(f"{a}={v}" for a, v in zip(combo, key, strict=True))
                rest = outcome_values[~df.index.isin(g.index)]
                out[definition] = (len(g), outcome_values[g.index].mean(), rest.mean())
    return out


def test_estimates_equal_a_pandas_groupby_on_small_data():
    df = small_frame()
    attrs = ["region", "sex", "tenure"]
    res = discover(df, "poor", attrs, positive="yes", max_depth=2, min_size=1)
    ref = pandas_reference(df, attrs, (df["poor"] == "yes").astype(float))
    got = res.all_groups.set_index("definition")
    assert set(got.index) == set(ref)
    for definition, (n, est, rest) in ref.items():
        row = got.loc[definition]
        assert row["n"] == n
        assert row["estimate"] == pytest.approx(est)
        assert row["rest_estimate"] == pytest.approx(rest)
        assert row["difference"] == pytest.approx(est - rest)
    assert list(res.subgroups.columns[: len(COLUMNS)]) == COLUMNS


def test_numeric_outcome_means_equal_a_pandas_groupby():
    df = small_frame()
    attrs = ["region", "sex", "tenure"]
    res = discover(df, "income", attrs, max_depth=2, min_size=1, higher_is_worse=False)
    ref = pandas_reference(df, attrs, df["income"])
    got = res.all_groups.set_index("definition")
    for definition, (_n, est, rest) in ref.items():
        assert got.loc[definition, "estimate"] == pytest.approx(est)
        assert got.loc[definition, "rest_estimate"] == pytest.approx(rest)
    assert res.summary["learned"]["outcome_type_"] == "numeric"


def test_the_numpy_rollup_equals_the_engine_grouping_sets():
    df = small_frame()
    prep = prepare(df, "poor", ["region", "sex", "tenure"], positive="yes", min_size=5)
    try:
        cells = prep.engine.query(cells_sql(prep.query))
        engine_rolled = prep.engine.query(aggregation_sql(prep.query))
    finally:
        prep.engine.close()
    ours = rolled_up(cells, prep, 3, 5)
    values = ordered_values(labelled(cells, prep), prep)
    theirs = build_groups(labelled(engine_rolled, prep), prep.attributes, values)
    a = pd.DataFrame(dict(ours.sums), index=ours.definitions()).sort_index()
    b = pd.DataFrame(dict(theirs.sums), index=theirs.definitions()).sort_index()
    pd.testing.assert_frame_equal(a, b)


def test_wilson_intervals_are_not_degenerate_for_groups_with_zero_positives():
    df = small_frame(n=400, seed=3)
    df.loc[df["tenure"] == "social", "poor"] = "no"
    res = discover(df, "poor", ["tenure"], positive="yes", min_size=10)
    row = res.all_groups.set_index("definition").loc["tenure=social"]
    assert row["estimate"] == 0
    assert row["ci_low"] == 0
    n = row["n"]
    assert row["ci_high"] == pytest.approx(1.959964**2 / (n + 1.959964**2), rel=1e-4)
    assert np.isfinite(res.all_groups["ci_high"]).all()


def test_bh_q_values_equal_a_reference_implementation():
    rng = np.random.default_rng(7)
    p = np.concatenate([rng.uniform(size=200), rng.uniform(0, 0.001, size=20), [np.nan] * 3])
    q = benjamini_hochberg(p)
    stats = pytest.importorskip("scipy.stats")
    finite = np.isfinite(p)
    np.testing.assert_allclose(q[finite], stats.false_discovery_control(p[finite]))
    assert np.isnan(q[~finite]).all()


def test_the_share_of_false_flags_stays_within_alpha_without_a_true_effect():
    """200 data sets without any effect: one engine scan (rep as a key), then per data set the
    same roll-up and statistics as ``discover``."""
    alpha, reps, n = 0.05, 200, 300
    frames = [small_frame(n=n, seed=1000 + rep).assign(rep=str(rep)) for rep in range(reps)]
    data = pd.concat(frames, ignore_index=True)
    attrs = ["region", "sex", "tenure"]
    prep = prepare(data, "poor", attrs, positive="yes", max_depth=2, min_size=20,
                   wave="rep", waves=[str(r) for r in range(reps)])
    try:
        cells = prep.engine.query(cells_sql(prep.query))
    finally:
        prep.engine.close()
    shares, any_flag = [], []
    for _rep, part in cells.groupby("k0"):
        table = rolled_up(part.reset_index(drop=True), prep, 2, 20)
        groups = group_statistics(table, True, 1.0, alpha, 20)
        shares.append(groups["flagged"].sum() / groups["p_value"].notna().sum())
        any_flag.append(groups["flagged"].any())
    assert len(shares) == reps
    assert np.mean(shares) <= alpha
    # with no true effect every flag is false: BH keeps P(any flag) near alpha (2 s.e. slack)
    assert np.mean(any_flag) <= alpha + 2 * np.sqrt(alpha * (1 - alpha) / reps)


def test_discover_flags_nothing_on_one_data_set_without_effect():
    res = discover(small_frame(n=2000, seed=99), "poor", ["region", "sex", "tenure"],
                   positive="yes")
    assert not res.subgroups["flagged"].any()


def test_a_planted_worse_off_group_is_flagged_and_ranked_first():
    df = small_frame(n=3000, seed=5, effect=0.4)
    res = discover(df, "poor", ["region", "sex", "tenure"], positive="yes")
    assert res.subgroups.iloc[0]["definition"] == "tenure=social"
    assert res.subgroups.iloc[0]["flagged"]


def test_a_child_that_adds_nothing_to_its_parent_is_redundant():
    df = small_frame(n=3000, seed=5, effect=0.4)
    res = discover(df, "poor", ["region", "sex", "tenure"], positive="yes")
    groups = res.all_groups.set_index("definition")
    child = groups.loc["sex=F;tenure=social"]
    assert child["redundant"] and child["best_parent"] == "tenure=social"
    assert "sex=F;tenure=social" not in set(res.subgroups["definition"])


def test_weighted_estimates_equal_numpy_weighted_means_on_nhis():
    df = pd.read_csv(NHIS)
    res = discover(NHIS, "hi", ["fml", "nwhite", "empl"], positive=0, weight="perweight",
                   max_depth=2)
    got = res.all_groups.set_index("definition")
    y = (df["hi"] == 0).astype(float)
    w = df["perweight"].astype(float)
    for attr in ("fml", "nwhite", "empl"):
        for value in (0, 1):
            mask = df[attr] == value
            row = got.loc[f"{attr}={value}"]
            assert row["estimate"] == pytest.approx(np.average(y[mask], weights=w[mask]))
            assert row["rest_estimate"] == pytest.approx(np.average(y[~mask], weights=w[~mask]))
            assert row["n_eff"] == pytest.approx(w[mask].sum() ** 2 / (w[mask] ** 2).sum())
            assert row["weight_share"] == pytest.approx(w[mask].sum() / w.sum())
    assert (got["n_eff"] < got["n"]).all()


def test_weighted_numeric_means_equal_numpy_on_nhis():
    df = pd.read_csv(NHIS)
    res = discover(df, "inc", ["nwhite", "age"], weight="perweight", higher_is_worse=False)
    got = res.all_groups.set_index("definition")
    mask = df["nwhite"] == 1
    expected = np.average(df.loc[mask, "inc"], weights=df.loc[mask, "perweight"])
    assert got.loc["nwhite=1", "estimate"] == pytest.approx(expected)
    assert list(res.bins["attribute"].unique()) == ["age"]


def assert_min_size(frame: pd.DataFrame, total: int, min_size: int, n_cols=("n",)):
    for col in n_cols:
        values = frame[col].dropna()
        assert (values >= min_size).all(), col
        assert (total - values >= min_size).all(), col


def test_min_size_is_respected_in_every_output(tmp_path):
    df = small_frame(n=500, seed=11)
    df["age"] = np.random.default_rng(1).integers(18, 90, len(df))
    min_size = 40
    res = discover(df, "poor", ["region", "sex", "tenure", "age"], positive="yes",
                   min_size=min_size)
    res.write(tmp_path)
    for name in ("subgroups.csv", "all_groups.csv"):
        out = pd.read_csv(tmp_path / name)
        assert_min_size(out, len(df), min_size)
    bins = pd.read_csv(tmp_path / "bins.csv")
    assert (bins["n"].dropna() >= min_size).all()
    # no group differs from one of its parents by a small cell
    groups = res.all_groups.set_index("definition")["n"]
    for definition, n in groups.items():
        parts = definition.split(";")
        for drop in range(len(parts) if len(parts) > 1 else 0):
            parent = ";".join(p for i, p in enumerate(parts) if i != drop)
            if parent in groups.index:
                diff = groups[parent] - n
                assert diff == 0 or diff >= min_size


def test_numeric_attributes_are_binned_and_the_bins_reported():
    df = small_frame(n=800, seed=2)
    df["age"] = np.random.default_rng(2).integers(18, 90, len(df))
    df["kids"] = np.random.default_rng(3).integers(0, 3, len(df))  # few levels: categories
    res = discover(df, "poor", ["age", "kids"], positive="yes", bins=4)
    assert list(res.bins["bin"])[0].startswith("<") and list(res.bins["bin"])[-1].startswith(">=")
    assert len(res.bins) == 4
    assert {"kids=0", "kids=1", "kids=2"} <= set(res.all_groups["definition"])


def test_missing_attribute_values_form_their_own_group():
    df = small_frame(n=400, seed=4)
    df.loc[:79, "region"] = None
    res = discover(df, "poor", ["region"], positive="yes", min_size=10)
    assert "region=(missing)" in set(res.all_groups["definition"])


def test_it_reads_csv_parquet_and_duckdb_tables_alike(tmp_path):
    import duckdb

    df = small_frame(n=300, seed=8)
    df.to_csv(tmp_path / "d.csv", index=False)
    df.to_parquet(tmp_path / "d.parquet")
    con = duckdb.connect(str(tmp_path / "d.duckdb"))
    con.execute("CREATE TABLE people AS SELECT * FROM df")
    con.close()
    db = f"duckdb:{tmp_path}/d.duckdb::people"
    sources = [df, tmp_path / "d.csv", tmp_path / "d.parquet", db]
    results = [discover(s, "poor", ["region", "sex"], positive="yes").all_groups for s in sources]
    for other in results[1:]:
        pd.testing.assert_frame_equal(results[0], other)


def test_it_names_a_missing_column_and_the_columns_found():
    with pytest.raises(DiscoveryError) as err:
        discover(small_frame(), "poor", ["region", "gender"], positive="yes")
    text = str(err.value)
    assert "'gender'" in text and "region" in text and "tenure" in text


def test_it_rejects_a_text_outcome_without_positive_and_lists_the_values():
    with pytest.raises(DiscoveryError) as err:
        discover(small_frame(), "poor", ["region"])
    assert "'poor'" in str(err.value) and "'yes'" in str(err.value) and "'no'" in str(err.value)


def test_it_rejects_a_positive_value_that_never_occurs():
    with pytest.raises(DiscoveryError) as err:
        discover(small_frame(), "poor", ["region"], positive="Yes")
    assert "'yes'" in str(err.value)


def test_it_rejects_negative_weights_and_bad_settings():
    df = small_frame()
    df["w"] = 1.0
    df.loc[3, "w"] = -1
    with pytest.raises(DiscoveryError, match="negative"):
        discover(df, "poor", ["region"], positive="yes", weight="w")
    with pytest.raises(DiscoveryError):
        discover(df, "poor", [], positive="yes")
    with pytest.raises(RightsMarkerError):
        discover(df, "poor", ["region"], positive="yes", engine="nosuch")
    with pytest.raises(DataError):
        discover("no/such/file.csv", "poor", ["region"], positive="yes")


def test_p_values_equal_scipy_chi_square_and_welch_tests_without_weights():
    stats = pytest.importorskip("scipy.stats")
    df = small_frame(n=900, seed=12, effect=0.2)
    binary = discover(df, "poor", ["tenure"], positive="yes", min_size=10).all_groups
    numeric = discover(df, "income", ["sex"], min_size=10, higher_is_worse=False).all_groups
    for definition, p in zip(binary["definition"], binary["p_value"], strict=True):
        inside = df["tenure"] == definition.split("=")[1]
        table = pd.crosstab(inside, df["poor"] == "yes")
        expected = stats.chi2_contingency(table, correction=False).pvalue
        assert p == pytest.approx(expected, rel=1e-9)
    for definition, p in zip(numeric["definition"], numeric["p_value"], strict=True):
        inside = df["sex"] == definition.split("=")[1]
        expected = stats.ttest_ind(df.loc[inside, "income"], df.loc[~inside, "income"],
                                   equal_var=False).pvalue
        assert p == pytest.approx(expected, rel=1e-9)
