"""Convert COINr's ASEM example (every pipeline stage, exported as CSV) into rightsmarker inputs.

Reads ``../shared/data/composite/coinr_asem/`` (or the folder given as the first argument) and
writes ``examples/asem/``: ``framework.yaml`` (Index -> Conn/Sust -> 8 pillars -> 49 indicators,
weights, directions, denominators; goalposts from the observed range of the denominated
values), ``units.csv`` (groups and denominators), ``observations.csv`` (the raw values, long)
and ``method.yaml`` (COINr's settings for this example, as recorded in ``Method.json``).

Usage: ``.venv/bin/python scripts/convert_asem.py [SOURCE_DIR] [OUT_DIR]``
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "data" / "composite" / "coinr_asem"
OUT = ROOT / "examples" / "asem"
PERIOD = 2018
DEPTH_NAMES = ["index", "sub-index", "pillar", "indicator"]

METHOD = {
    "name": "coinr-asem",
    "description": "COINr's ASEM example build: denominate, group-mean imputation, COINr "
    "outlier treatment, min-max 0-100, framework weights, weighted arithmetic means.",
    "steps": [
        {"step": "denominate"},
        {"step": "impute", "params": {"method": "group_mean", "group": "Group_EurAsia"}},
        {
            "step": "treat",
            "params": {
                "method": "winsorise",
                "skew_limit": 2.0,
                "kurt_limit": 3.5,
                "winmax": 6,
                "winchange": True,
                "deflog": "ctlog",
            },
        },
        {"step": "normalise", "params": {"method": "minmax", "low": 0, "high": 100}},
        {"step": "weight", "params": {"method": "framework"}},
        {"step": "aggregate", "params": {"method": "arithmetic"}},
    ],
}


def _labels(text: str) -> dict[str, str]:
    return {"en": text, "ko": text}


def _clean(value):
    """Plain Python scalars for YAML (no numpy types, whole numbers as int)."""
    value = float(value)
    return int(value) if value.is_integer() else value


def framework(src: Path) -> dict:
    """The ASEM framework as a dict in rightsmarker's framework form."""
    ind = pd.read_csv(src / "Input_IndMeta.csv")
    agg = pd.read_csv(src / "Input_AggMeta.csv")
    weights = pd.read_csv(src / "Weights_Original.csv").set_index("Code")["Weight"]
    den = pd.read_csv(src / "Data_Denominated.csv").set_index("UnitCode")
    parent_of = {}
    for _, row in ind.iterrows():  # indicator -> Agg1 -> Agg2 -> Agg3 (Index)
        parent_of[row["Agg1"]] = row["Agg2"]
        parent_of[row["Agg2"]] = row["Agg3"]
    nodes = []
    for _, row in agg.sort_values("AgLevel", ascending=False, kind="stable").iterrows():
        code = row["Code"]
        node = {"code": code, "parent": parent_of.get(code), "labels": _labels(row["Name"])}
        node["weight"] = _clean(weights[code])
        nodes.append(node)
    for _, row in ind.iterrows():
        code, direction = row["IndCode"], int(row["Direction"])
        observed = den[code].dropna()
        worst, best = (observed.min(), observed.max())[::direction]
        node = {
            "code": code,
            "parent": row["Agg1"],
            "labels": _labels(row["IndName"]),
            "weight": _clean(row["IndWeight"]),
            "value_type": "number",
            "unit": str(row["IndUnit"]) if pd.notna(row["IndUnit"]) else None,
            "direction": direction,
            "lower": _clean(worst),
            "optimum": _clean(best),
        }
        if pd.notna(row["Denominator"]):
            node["denominator"] = row["Denominator"]
        nodes.append({k: v for k, v in node.items() if v is not None})
    return {
        "code": "coinr-asem",
        "version": "1",
        "labels": _labels("ASEM Sustainable Connectivity (COINr example)"),
        "description": _labels(
            "The ASEM Sustainable Connectivity index of COINr's example data (EC JRC), "
            "51 countries, 49 indicators. Goalposts are the observed range of the "
            "denominated values (worst scores 0, best 100)."
        ),
        "languages": ["en", "ko"],
        "depth_names": DEPTH_NAMES,
        "nodes": nodes,
    }


def units(src: Path) -> pd.DataFrame:
    """One row per unit: code, name, grouping columns and denominators."""
    table = pd.read_csv(src / "Input_Denominators.csv")
    table = table.rename(columns={"UnitCode": "unit", "UnitName": "name"}).drop(columns="Year")
    return table


def observations(src: Path, indicators: list[str]) -> pd.DataFrame:
    """The raw values as a long table (missing values left out)."""
    raw = pd.read_csv(src / "Data_Raw.csv").set_index("UnitCode")[indicators]
    long = raw.stack().rename("value").reset_index()
    long.columns = ["unit", "indicator", "value"]
    long.insert(1, "period", PERIOD)
    long.insert(3, "group", "total")
    return long


def main(src: Path = SOURCE, out: Path = OUT) -> None:
    out.mkdir(parents=True, exist_ok=True)
    fw = framework(src)
    header = "# Generated by scripts/convert_asem.py from COINr's ASEM example (MIT licence).\n"
    text = yaml.safe_dump(fw, sort_keys=False, allow_unicode=True, width=100)
    (out / "framework.yaml").write_text(header + text, encoding="utf-8")
    units(src).to_csv(out / "units.csv", index=False)
    codes = [n["code"] for n in fw["nodes"] if "value_type" in n]
    observations(src, codes).to_csv(out / "observations.csv", index=False)
    method = yaml.safe_dump(METHOD, sort_keys=False, width=100)
    (out / "method.yaml").write_text(header + method, encoding="utf-8")


if __name__ == "__main__":
    args = [Path(a) for a in sys.argv[1:3]]
    main(*args)
