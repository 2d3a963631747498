"""Convert Philadelphia's "Health of the City" long table into a rightsmarker framework and
observations, at city and planning-district level, by sex, race/ethnicity and age.

    python examples/philadelphia/convert.py \
        --source ../shared/data/cities/philadelphia_health_of_the_city.csv \
        --out examples/philadelphia/build

writes ``framework.yaml`` (also kept in this folder) and ``observations.csv`` (not kept in the
repository: the data stay under the City of Philadelphia's open data terms and are read from
their source at run time). The rules are in this folder's README.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

HERE = Path(__file__).resolve().parent
DEFAULT_SOURCE = HERE.parents[1] / ".." / "shared" / "data" / "cities" / (
    "philadelphia_health_of_the_city.csv")
MISSING = -99999.0
GEOGRAPHIES = {"County": "city", "Planning district": "district"}
# columns that split a metric further (a cause of death, fatal / nonfatal, a lead threshold)
SUBDIMENSIONS = ["leading_cause_death", "fatal_nonfatal_shootings", "blood_lead_level",
                 "drug_category", "aqi_category", "candida_auris_case_type",
                 "syphilis_transmission_category"]
# counts (and years of life lost) depend on group size; population shares and birth rates
# have no better direction
EXCLUDED = re.compile(r"^(count_|years_of_potential_life_lost|live_births$|age_distribution$|"
                      r"percent_of_population$|crude_birth_rate|percent_pregnancy-related)")
HIGHER_IS_BETTER = {"life_expectancy_at_birth", "percent_graduating_in_four_years",
                    "percent_childhood_immunizations",
                    "percent_viral_suppression_among_diagnosed_HIV"}
SEX = {"Male": "male", "Female": "female", "Assigned male at birth": "male",
       "Assigned female at birth": "female"}
RACE = {"White (NH)": "white", "Black (NH)": "black", "Black": "black", "Hispanic": "hispanic",
        "Asian/PI (NH)": "asian-pacific-islander", "Asian (NH)": "asian", "Asian": "asian",
        "Multiracial (NH)": "multiracial", "Other (NH)": "other", "Other Races": "other"}
# node codes are at most 64 characters: shorten the long metric names (labels keep them whole)
SHORT = [(r"^percent_screened_three_year_olds_ever_tested_positive_elevated_blood_lead_levels",
          "percent_3yo_ever_elevated_blood_lead"),
         (r"^percent_newly_identified_lead_exposure_among_children_less_than_six_years_old",
          "percent_new_lead_exposure_under_6"),
         (r"hospitalization", "hosp"), (r"over-three\.five-ug-per-dl", "over-3.5ug"),
         (r"over-five-ug-per-dl", "over-5ug"), (r"over-ten-ug-per-dl", "over-10ug")]
ALL = {"sex": "All sexes", "race": "All races/ethnicities"}
Z = {"95% Confidence Interval": 1.959964, "Margin of Error": 1.644854}  # ACS MOE: 90%


def slug(text: pd.Series) -> pd.Series:
    text = text.astype(str).str.replace("μ", "u").str.lower()
    return text.str.replace(r"[^a-z0-9.+]+", "-", regex=True).str.strip("-")


def read_source(path: Path) -> pd.DataFrame:
    """The table with the sentinel -99999 as missing, city and district rows only, the
    excluded metrics dropped and sub-dimensions (cause of death, ...) folded into the metric."""
    df = pd.read_csv(path, encoding="utf-8-sig", dtype={"year": str})
    for col in ("metric_value", "lower_bound", "upper_bound"):
        df[col] = df[col].where(df[col] != MISSING)
    df = df[df["geography"].isin(GEOGRAPHIES) & ~df["metric_name"].str.match(EXCLUDED)].copy()
    df["indicator"] = df["metric_name"]
    df["sub"] = ""
    for col in SUBDIMENSIONS:
        has = df[col].notna()
        # a metric with rows outside the sub-dimension keeps those (all causes); else split
        keeps_all = (~has).groupby(df["metric_name"]).transform("any")
        df = df[~(has & keeps_all)]
        split = df[col].notna()
        df.loc[split, "sub"] = df.loc[split, col].astype(str)
        df.loc[split, "indicator"] += "." + slug(df.loc[split, col])
    for pattern, short in SHORT:
        df["indicator"] = df["indicator"].str.replace(pattern, short, regex=True)
    return df


def _period(df: pd.DataFrame) -> pd.DataFrame:
    """Period = the last year of ``year`` (``2017-2021`` -> 2021); where an indicator has both
    single years and ranges, range rows become their own indicator (``...-5y``)."""
    years = df["year"].str.extract(r"^(\d{4})(?:-(\d{4}))?$").astype(float)
    first, last = years[0], years[1].fillna(years[0])
    is_range = years[1].notna()
    mixed = is_range.groupby(df["indicator"]).transform("nunique") > 1
    span = (last - first + 1).astype("Int64").astype(str)
    df = df.assign(period=last.astype(int))
    df.loc[is_range & mixed, "indicator"] += "-" + span[is_range & mixed] + "y"
    df["note"] = np.where(is_range, "period " + df["year"], "")
    return df


def _age(df: pd.DataFrame) -> pd.Series:
    """Age group, or '' where the row has the indicator's own age band (``All ages`` if the
    indicator has it, else its most frequent band, e.g. ``At birth``, ``15-19``)."""
    has_all = (df["age_category"] == "All ages").groupby(df["indicator"]).transform("any")
    mode = df.groupby("indicator")["age_category"].transform(lambda s: s.mode().iloc[0])
    base = mode.where(~has_all, "All ages")
    under = df["age_category"].str.extract(r"^<(\d+)$")[0].astype(float)
    band = df["age_category"].where(under.isna(), "0-" + (under - 1).astype("Int64").astype(str))
    return band.where(df["age_category"] != base, "").fillna("")


def to_observations(df: pd.DataFrame) -> pd.DataFrame:
    """Long observations: unit, period, indicator, group, value, source, note, ci_low,
    ci_high, se (se from the bounds at their level: 95% CI, or the ACS 90% margin)."""
    df = _period(df[df["metric_value"].notna()])
    unit = np.where(df["geography"] == "County", "philadelphia", slug(df["geography_name"]))
    parts = pd.DataFrame({
        "age": _age(df),
        "race": df["race_ethnicity"].map(RACE).fillna(""),
        "sex": df["sex"].map(SEX).fillna(""),
    }, index=df.index)
    keep = (df["race_ethnicity"].isin([*RACE, ALL["race"]])
            & df["sex"].isin([*SEX, ALL["sex"]]))
    group = ("age=" + parts["age"]).where(parts["age"] != "", "")
    for ground in ("race", "sex"):
        part = (ground + "=" + parts[ground]).where(parts[ground] != "", "")
        group = (group + ";" + part).str.strip(";")
    z = df["uncertainty_type"].map(Z)
    obs = pd.DataFrame({
        "unit": unit, "period": df["period"], "indicator": df["indicator"],
        "group": group.replace("", "total"), "value": df["metric_value"],
        "source": df["source"],
        "note": (df["note"] + "; " + df["quality_flag"].fillna("")).str.strip("; "),
        "ci_low": df["lower_bound"], "ci_high": df["upper_bound"],
        "se": (df["upper_bound"] - df["lower_bound"]) / (2 * z),
    })[keep.to_numpy()]
    obs = obs.drop_duplicates(["unit", "period", "indicator", "group"], keep="first")
    return obs.sort_values(["indicator", "unit", "period", "group"]).reset_index(drop=True)


def _label(df: pd.DataFrame) -> pd.Series:
    text = df["metric_name"].str.replace("_", " ").str.replace(r"\bper (\d+)k\b", r"per \1,000",
                                                                regex=True)
    text = text.str.slice(0, 1).str.upper() + text.str.slice(1)
    return text + np.where(df["sub"] != "", " (" + df["sub"].str.replace("_", " ") + ")", "")


def to_framework(obs: pd.DataFrame, source: pd.DataFrame) -> dict:
    """The framework: root -> one theme per source category -> indicators, with direction,
    goalposts from the range of the values, expected grounds = the grounds ever reported."""
    meta = _period(source).drop_duplicates("indicator").set_index("indicator")
    meta = meta.loc[meta.index.isin(obs["indicator"])]
    stats = obs.groupby("indicator")["value"].agg(["min", "max"])
    grounds = obs.assign(ground=obs["group"].str.split(";")).explode("ground")
    grounds = grounds[grounds["ground"] != "total"]
    grounds[["ground", "val"]] = grounds["ground"].str.split("=", n=1, expand=True)
    disagg = grounds.groupby("indicator")["ground"].agg(lambda s: sorted(set(s)))
    themes = meta["category"].drop_duplicates().sort_values()
    nodes = [{"code": "health-of-the-city", "labels": {"en": "Philadelphia health of the city"}}]
    nodes += [{"code": c, "parent": "health-of-the-city", "labels": {"en": t}}
              for c, t in zip(slug(themes), themes, strict=True)]
    meta = meta.assign(label=_label(meta.reset_index()).to_numpy(),
                       theme=slug(meta["category"]).to_numpy())
    nodes += [_indicator(code, m, stats.loc[code], disagg.get(code, []))
              for code, m in meta.sort_values(["theme", "metric_name"]).iterrows()]
    values = grounds.groupby("ground")["val"].agg(lambda s: sorted(set(s)))
    return {
        "code": "philadelphia-health", "version": "1",
        "labels": {"en": "Philadelphia: Health of the City (converted)"},
        "languages": ["en"],
        "grounds": [{"code": "age", "labels": {"en": "Age"}, "values": _ages(values)},
                    {"code": "race", "labels": {"en": "Race/ethnicity"},
                     "values": values.get("race", [])},
                    {"code": "sex", "labels": {"en": "Sex"}, "values": ["female", "male"]}],
        "nodes": nodes,
    }


def _ages(values: pd.Series) -> list[str]:
    """The data's age bands and the default vocabulary's (so its groups stay valid)."""
    from rightsmarker.framework.vocabulary import DEFAULT_GROUNDS

    default = next(g.values for g in DEFAULT_GROUNDS if g.code == "age")
    return sorted(set(values.get("age", [])) | set(default))


def _indicator(code: str, m: pd.Series, stat: pd.Series, disagg: list[str]) -> dict:
    direction = 1 if m["metric_name"] in HIGHER_IS_BETTER else -1
    worst, best = (stat["min"], stat["max"]) if direction == 1 else (stat["max"], stat["min"])
    name = m["metric_name"]
    value_type = "percent" if name.startswith("percent") else (
        "rate" if "rate" in name else "number")
    node = {"code": code, "parent": m["theme"], "labels": {"en": m["label"]},
            "definitions": {"en": f"Source metric {name!r}" + (
                f" ({m['sub']})" if m["sub"] else "") + " of Philadelphia's Health of the City."},
            "kind": "outcome", "value_type": value_type, "direction": direction,
            "disaggregations": disagg, "sources": [str(m["source"])]}
    if worst != best:
        node.update(lower=round(float(worst), 3), optimum=round(float(best), 3))
    return node


def convert(source: Path = DEFAULT_SOURCE, out: Path = HERE / "build") -> tuple[Path, Path]:
    """Write ``framework.yaml`` and ``observations.csv`` into ``out``; return both paths."""
    raw = read_source(Path(source))
    obs = to_observations(raw)
    fw = to_framework(obs, raw)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    fw_path, obs_path = out / "framework.yaml", out / "observations.csv"
    fw_path.write_text(yaml.safe_dump(fw, sort_keys=False, allow_unicode=True), encoding="utf-8")
    obs.to_csv(obs_path, index=False)
    return fw_path, obs_path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=HERE / "build")
    args = parser.parse_args(argv)
    fw_path, obs_path = convert(args.source, args.out)
    print(f"wrote {fw_path} and {obs_path}")


if __name__ == "__main__":
    main()
