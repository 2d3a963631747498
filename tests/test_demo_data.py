"""The fictional demo data: deterministic, fictional, valid against the bundled framework."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import rightsmarker as rm
from rightsmarker.demo import DISTRICT_INDICATORS, GROUPS, demo_data
from rightsmarker.framework.io import load_framework

REAL_CITIES = [
    "Gwangju", "Seoul", "Busan", "Incheon", "Daegu", "Daejeon", "Ulsan", "Suwon", "Tokyo", "Osaka",
    "Kyoto", "Yokohama", "Sapporo", "Beijing", "Shanghai", "Shenzhen", "Guangzhou", "Hong Kong",
    "Taipei", "Kaohsiung", "Manila", "Quezon", "Cebu", "Jakarta", "Surabaya", "Bandung",
    "Bangkok", "Chiang Mai", "Hanoi", "Ho Chi Minh", "Kuala Lumpur", "Penang", "Singapore",
    "Phnom Penh", "Yangon", "Dhaka", "Delhi", "Mumbai", "Kolkata", "Chennai", "Bangalore",
    "Karachi", "Lahore", "Kathmandu", "Colombo", "Ulaanbaatar", "Almaty", "Sydney", "Melbourne",
    "Auckland", "Wellington", "Suva", "Vienna", "Graz", "Barcelona", "Utrecht", "York", "Paris",
    "Berlin", "London", "Montreal", "Rosario", "Bogota",
]


@pytest.fixture(scope="module")
def fw():
    return load_framework("social-inclusion-marker")


@pytest.fixture(scope="module")
def demo(fw):
    return demo_data(framework=fw)


def test_the_same_seed_gives_the_same_data(fw, demo):
    again = demo_data(framework=fw)
    pd.testing.assert_frame_equal(demo.cities, again.cities)
    pd.testing.assert_frame_equal(demo.observations, again.observations)
    assert demo.practices == again.practices
    pd.testing.assert_frame_equal(demo.district_values, again.district_values)
    assert demo.districts == again.districts


def test_another_seed_gives_other_data(fw, demo):
    other = demo_data(seed=7, framework=fw)
    assert not demo.observations["value"].equals(other.observations["value"])


def test_cities_are_fictional_and_plausible(demo):
    cities = demo.cities
    assert len(cities) == 12 and cities["unit"].is_unique
    assert cities["fictional"].all()
    assert cities["population"].between(50_000, 10_000_000).all()
    assert {"small", "large"} <= set(cities["peer_group"])
    assert cities["name_ko"].str.len().gt(0).all() and cities["profile"].str.len().gt(20).all()
    text = " ".join(cities[["name_en", "country"]].astype(str).to_numpy().ravel()).lower()
    for real in REAL_CITIES:
        assert real.lower() not in text, real


def test_cities_have_different_strengths(demo):
    strong = demo.cities["profile"].str.extract(r"strong on (\w+)")[0]
    assert strong.nunique() >= 3


def test_observations_are_valid_against_the_framework(fw, demo):
    obs = rm.read_observations(demo.observations, fw)
    assert len(obs) == len(demo.observations)
    assert set(obs.data["indicator"]) == set(fw.indicator_codes)
    assert obs.periods == [2023, 2024, 2025]


def test_values_stay_within_the_goalposts_and_types(fw, demo):
    obs = demo.observations.dropna(subset=["value"])
    for code, values in obs.groupby("indicator")["value"]:
        n = fw.node(code)
        lo, hi = sorted((n.lower, n.optimum))
        assert values.between(lo, hi).all(), code
        if n.value_type in ("yes_no", "stage"):
            assert (values == values.round()).all(), code


def test_qualitative_rows_carry_evidence_and_every_row_a_source(fw, demo):
    obs = demo.observations
    qual = obs["indicator"].map(lambda c: fw.node(c).value_type in ("yes_no", "stage"))
    assert obs.loc[qual, "text"].str.contains("fictional").all()
    assert obs["source"].notna().all()


def test_a_few_values_are_missing_and_flagged(demo):
    obs = demo.observations
    missing = obs["value"].isna()
    assert 0 < missing.mean() < 0.1
    assert (obs.loc[missing, "flag"] == "missing").all()


def test_disaggregated_rows_follow_the_expected_grounds(fw, demo):
    obs = demo.observations
    groups = obs.loc[obs["group"] != "total"]
    assert {"sex=female", "age=65+", "disability=yes", "migration-status=migrant"} <= set(
        groups["group"])
    for code, grp in groups.groupby("indicator")["group"]:
        grounds = {g.split("=")[0] for g in grp}
        assert grounds <= set(fw.node(code).disaggregations), code


def _grounds(fw, obs: pd.DataFrame) -> pd.DataFrame:
    """One row per unit, period, indicator and ground whose total and groups are all reported:
    the total, the groups' min, max and mean weighted by the shares of ``GROUPS``, the sum of
    those shares, and the tolerance of the values' rounding (two values, half a digit each)."""
    shares = {f"{g}={value}": share for g, groups in GROUPS.items() for value, share, _ in groups}
    keys = ["unit", "period", "indicator"]
    total = obs[obs["group"] == "total"].set_index(keys)["value"].rename("total")
    groups = obs[obs["group"] != "total"].assign(
        ground=lambda d: d["group"].str.split("=").str[0],
        share=lambda d: d["group"].map(shares),
        weighted=lambda d: d["value"] * d["share"])
    out = groups.groupby([*keys, "ground"]).agg(
        low=("value", "min"), high=("value", "max"), weighted=("weighted", "sum"),
        shares=("share", "sum"), reported=("value", "count"), groups=("value", "size"))
    out = out[out["reported"] == out["groups"]].join(total, on=keys).dropna(subset=["total"])
    span = out.index.get_level_values("indicator").map(
        lambda c: abs(fw.node(c).optimum - fw.node(c).lower))
    return out.assign(tol=np.where(span < 10, 0.01, 0.1) + 1e-9)


@pytest.mark.parametrize("seed", [2026, 7])
def test_every_total_lies_between_its_groups_and_is_their_weighted_mean(fw, seed):
    table = _grounds(fw, demo_data(seed=seed, framework=fw).observations)
    assert len(table) > 1000
    outside = table[(table["total"] < table["low"] - table["tol"])
                    | (table["total"] > table["high"] + table["tol"])]
    assert outside.empty, outside.head()
    whole = table[np.isclose(table["shares"], 1)]  # grounds whose groups cover everyone
    assert len(whole) > 500
    off = whole[(whole["weighted"] - whole["total"]).abs() > whole["tol"]]
    assert off.empty, off.head()


def test_no_group_is_pinned_to_a_goalpost(fw, demo):
    obs = demo.observations.dropna(subset=["value"])
    numbers = obs[obs["indicator"].map(lambda c: fw.node(c).value_type not in
                                        ("yes_no", "stage"))]
    on_goalpost = numbers[[v in (fw.node(c).lower, fw.node(c).optimum)
                           for c, v in zip(numbers["indicator"], numbers["value"], strict=True)]]
    assert on_goalpost.empty, on_goalpost.head()


def test_only_numbers_are_disaggregated(fw, demo):
    groups = demo.observations.loc[demo.observations["group"] != "total", "indicator"]
    assert {fw.node(c).value_type for c in groups} <= {"number", "percent", "rate"}


def _gap_changes(obs: pd.DataFrame) -> pd.Series:
    """Change (last - first period) of the worse-off vs reference gap per unit/indicator/ground."""
    parts = []
    for ground, groups in GROUPS.items():
        worse = next(value for value, _, position in groups if position == 1)
        ref = next(value for value, _, position in groups if position == 0)
        sel = obs["group"].isin([f"{ground}={worse}", f"{ground}={ref}"])
        wide = obs[sel].pivot_table(index=["unit", "indicator", "period"], columns="group",
                                    values="value")
        gap = (wide[f"{ground}={ref}"] - wide[f"{ground}={worse}"]).abs().unstack("period")
        parts.append((gap.iloc[:, -1] - gap.iloc[:, 0]).dropna())
    return pd.concat(parts)


def test_gaps_widen_for_some_cities_and_close_for_others(demo):
    change = _gap_changes(demo.observations)
    assert (change > 0.5).sum() > 10
    assert (change < -0.5).sum() > 10


def test_practices_are_fictional_drafts_of_demo_cities(demo):
    units = set(demo.cities["unit"])
    assert len(demo.practices) >= 3
    for p in demo.practices:
        assert p["city"] in units and p["fictional"] is True
        assert p["title"]["en"] and p["title"]["ko"] and p["summary"]["en"]
        assert set(p["themes"]) <= {"SPA", "SOC", "CUL", "ECO", "POL"} and p["groups"]


def test_write_creates_the_files_with_a_fictional_note(fw, demo, tmp_path):
    paths = demo.write(tmp_path / "demo")
    geojson = sorted(f"districts-{c}.geojson" for c in demo.districts)
    assert sorted(p.name for p in paths.values()) == [
        "README.md", "cities.csv", "district_values.csv", *geojson, "observations.csv",
        "practices.json"]
    assert all(p.exists() for p in paths.values())
    assert "FICTIONAL" in paths["README.md"].read_text(encoding="utf-8")
    back = rm.read_observations(paths["observations.csv"], fw)
    assert len(back) == len(demo.observations)
    cities = pd.read_csv(paths["cities.csv"])
    assert list(cities["name_ko"]) == list(demo.cities["name_ko"])
    assert json.loads(paths["practices.json"].read_text(encoding="utf-8")) == demo.practices


def test_it_accepts_other_sizes_and_periods(fw):
    small = demo_data(seed=1, n_cities=20, periods=(2030, 2031), framework=fw)
    assert len(small.cities) == 20 and small.cities["unit"].is_unique
    assert sorted(small.observations["period"].unique()) == [2030, 2031]
    assert np.isfinite(small.observations["value"].dropna()).all()


def test_the_cities_table_reads_as_a_unit_table(demo, tmp_path):
    from rightsmarker.units import read_units

    paths = demo.write(tmp_path)
    units = read_units(paths["cities.csv"])
    assert list(units.index) == list(demo.cities["unit"])
    assert units["population"].between(50_000, 10_000_000).all()


def test_the_most_populous_cities_have_fictional_districts_with_values(fw, demo):
    from rightsmarker.maps import check_geojson

    largest = demo.cities.nlargest(3, "population")["unit"]
    assert set(demo.districts) == set(largest)
    values = demo.district_values
    assert set(values["indicator"]) == set(DISTRICT_INDICATORS)
    assert values["group"].str.startswith("district=").all()
    assert sorted(values["period"].unique()) == [2023, 2024, 2025]
    for city, geojson in demo.districts.items():
        ids = values.loc[values["unit"] == city, "group"].str.slice(len("district="))
        check = check_geojson(geojson, "district", ids)
        assert check.matched and not check.districts_without_data, city
        assert 6 <= len(check.ids) <= 12
        props = [f["properties"] for f in geojson["features"]]
        assert all(p["fictional"] is True and p["population"] > 0 for p in props)


def test_district_values_average_to_the_city_total(fw, demo):
    people = {f["properties"]["district"]: f["properties"]["population"]
              for gj in demo.districts.values() for f in gj["features"]}
    values = demo.district_values.assign(
        people=lambda d: d["group"].str.slice(len("district=")).map(people))
    keys = ["unit", "period", "indicator"]
    table = values.assign(weighted=values["value"] * values["people"]).groupby(keys).agg(
        low=("value", "min"), high=("value", "max"), weighted=("weighted", "sum"),
        people=("people", "sum"))
    obs = demo.observations
    table = table.join(obs[obs["group"] == "total"].set_index(keys)["value"].rename("total"))
    assert table["total"].notna().all() and len(table) >= 40
    assert (table["high"] - table["low"] > 1).mean() > 0.8  # the districts differ
    assert ((table["total"] >= table["low"] - 0.1) & (table["total"] <= table["high"] + 0.1)).all()
    mean = table["weighted"] / table["people"]
    assert ((mean - table["total"]).abs() <= 0.1 + 1e-9).all()
    for code, vals in values.groupby("indicator")["value"]:
        lo, hi = sorted((fw.node(code).lower, fw.node(code).optimum))
        assert vals.between(lo, hi).all(), code


def test_district_values_stay_out_of_the_observations(fw, demo):
    assert not demo.observations["group"].str.startswith("district=").any()
    small = demo_data(seed=3, n_cities=2, framework=fw)
    assert len(small.districts) == 2
