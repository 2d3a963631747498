"""Emerging vulnerable groups: the change of a group's gap between two waves."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rightsmarker.discovery import DiscoveryError, discover_waves
from rightsmarker.discovery.waves import WAVE_COLUMNS


def two_waves(n=8000, seed=1):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({
        "wave": rng.choice(["2019", "2023"], n),
        "sex": rng.choice(["F", "M"], n),
        "region": rng.choice(list("ABCD"), n),
        "age": rng.integers(18, 90, n),
    })
    p = np.full(n, 0.2)
    p[(df["region"] == "D").to_numpy()] = 0.35  # worse off, but the same in both waves
    planted = ((df["sex"] == "F") & (df["region"] == "B") & (df["wave"] == "2023")).to_numpy()
    p[planted] = 0.45  # newly worse off in 2023
    df["bad"] = (rng.random(n) < p).astype(int)
    return df


def test_waves_detect_a_planted_emerging_group_and_do_not_flag_a_stable_one():
    res = discover_waves(two_waves(), "bad", ["sex", "region", "age"], "wave", ("2019", "2023"))
    emerging = res.emerging
    assert emerging.iloc[0]["definition"] == "sex=F;region=B"
    assert emerging.iloc[0]["status"] == "new"
    groups = res.groups.set_index("definition")
    assert not groups.loc["region=D", "flagged"]
    assert groups.loc["region=D", "gap_1"] > 0.1 and groups.loc["region=D", "gap_2"] > 0.1
    assert list(res.groups.columns) == WAVE_COLUMNS


def test_near_duplicates_of_an_emerging_group_are_folded_into_it():
    res = discover_waves(two_waves(), "bad", ["sex", "region", "age"], "wave", ("2019", "2023"))
    top = res.emerging.set_index("definition").loc["sex=F;region=B"]
    folded = top["folded"].split(" | ")
    assert all(f.startswith("sex=F;region=B;age=") for f in folded)
    groups = res.groups.set_index("definition")
    for f in folded:
        assert groups.loc[f, "folded_into"] == "sex=F;region=B"


def test_waves_without_any_change_flag_nothing():
    df = two_waves(seed=3)
    df["bad"] = (np.random.default_rng(4).random(len(df)) < 0.2).astype(int)
    res = discover_waves(df, "bad", ["sex", "region", "age"], "wave", ("2019", "2023"))
    assert not res.groups["flagged"].any()


def test_waves_respect_min_size_and_write_their_files(tmp_path):
    res = discover_waves(two_waves(n=3000), "bad", ["sex", "region", "age"], "wave",
                         ("2019", "2023"), min_size=60)
    res.write(tmp_path)
    out = pd.read_csv(tmp_path / "waves.csv")
    assert (out["n_1"] >= 60).all() and (out["n_2"] >= 60).all()
    assert {"waves.csv", "emerging.csv", "bins.csv", "summary.json"} <= {
        p.name for p in tmp_path.iterdir()}


def test_it_names_the_wave_values_found_when_a_wave_is_missing():
    with pytest.raises(DiscoveryError) as err:
        discover_waves(two_waves(n=500), "bad", ["sex"], "wave", ("2019", "2021"))
    assert "'2021'" in str(err.value) and "'2023'" in str(err.value)
