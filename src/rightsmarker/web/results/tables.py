"""Rows of the results pages and their twins, built from a run's stored tables and Result.

Every page builds its rows here once; the HTML page, the ``.json`` and ``.csv`` twins and the
API all read the same rows.
"""

from __future__ import annotations

import math

import pandas as pd
from django.utils.translation import gettext_lazy as _

from .services import read_table, uncertainty_tables

SIZE_BANDS = [  # (code, lowest population, label)
    ("small", 0, _("under 100,000")),
    ("medium", 100_000, _("100,000 to 1 million")),
    ("large", 1_000_000, _("1 to 5 million")),
    ("very-large", 5_000_000, _("5 million and more")),
]
NETWORK_COLUMNS = ["unit", "name", "region", "population", "size", "peer_group", "node",
                   "node_label", "score", "rank", "colour", "level", "level_label",
                   "level_share", "robust_level", "rank_q05", "rank_median", "rank_q95"]
INDICATOR_COLUMNS = ["theme", "theme_label", "indicator", "label", "kind", "value", "display",
                     "unit", "colour", "score", "arrow", "symbol", "change", "previous_period",
                     "previous_value"]
THEME_COLUMNS = ["node", "label", "score", "rank", "colour", "level", "level_label",
                 "q05", "median", "q95", "rank_q05", "rank_q95"]


def size_band(population) -> str:
    if population is None or (isinstance(population, float) and math.isnan(population)):
        return ""
    return [code for code, low, _label in SIZE_BANDS if population >= low][-1]


def clean(value):
    """A JSON- and CSV-friendly cell: NaN and NA become None, numpy scalars plain Python."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
        if isinstance(value, float) and math.isnan(value):
            return None
    if isinstance(value, float):
        return round(value, 4)
    return value


def clean_rows(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    present = [c for c in columns if c in frame.columns]
    return [{c: clean(v) for c, v in zip(present, row, strict=True)}
            for row in frame[present].itertuples(index=False, name=None)]


def label_of(fw, code: str, lang: str) -> str:
    labels = fw.node(code).labels
    return labels.get(lang) or labels.get("en") or code


def unit_table(run, filters: dict | None = None) -> pd.DataFrame:
    """The run's units with their size band, filtered by ``region``, ``size``, ``peer_group``."""
    units = read_table(run, "units").copy()
    units["size"] = [size_band(p) for p in units["population"]]
    for key, value in (filters or {}).items():
        if value:
            units = units[units[key].astype(str) == str(value)]
    return units


def network_frame(run, result, lang: str, filters: dict | None = None) -> pd.DataFrame:
    """Cities x index and themes: scores, ranks, colours, recognition levels and, when the run
    has uncertainty, the level's share of variants, the robust level and the rank interval."""
    from rightsmarker import charts

    units = unit_table(run, filters)
    if units.empty:
        return pd.DataFrame(columns=NETWORK_COLUMNS)
    cells = charts.heatmap_frame(result, run.period, units=list(units["unit"]))
    levels = read_table(run, "levels")
    levels = levels[levels["period"] == run.period][["unit", "node", "level", "label",
                                                      "label_ko"]]
    out = cells.merge(levels, on=["unit", "node"], how="left")
    out["level_label"] = out["label_ko"] if lang == "ko" else out["label"]
    out = out.drop(columns=["label", "label_ko"])
    out = out.merge(_uncertainty_columns(run), on=["unit", "node"], how="left")
    info = units[["unit", "region", "population", "size", "peer_group",
                  "name_ko" if lang == "ko" else "name_en"]]
    out = out.merge(info.rename(columns={"name_ko": "name", "name_en": "name"}), on="unit")
    out["node_label"] = [label_of(result.framework, c, lang) for c in out["node"]]
    for col in NETWORK_COLUMNS:
        if col not in out.columns:
            out[col] = None
    for col in ("level", "robust_level"):  # whole numbers, also beside nodes without one
        out[col] = pd.to_numeric(out[col]).round().astype("Int64")
    return out[NETWORK_COLUMNS]


def _uncertainty_columns(run) -> pd.DataFrame:
    columns = ["unit", "node", "level_share", "robust_level", "rank_q05", "rank_median",
               "rank_q95"]
    ua = uncertainty_tables(run)
    if ua is None:
        return pd.DataFrame(columns=columns)
    ranks = ua["rank_stats"]
    ranks = ranks[ranks["period"] == run.period].rename(
        columns={"q05": "rank_q05", "median": "rank_median", "q95": "rank_q95"})
    out = ranks[["unit", "node", "rank_q05", "rank_median", "rank_q95"]]
    levels = ua["levels"]
    if not levels.empty:
        levels = levels[levels["period"] == run.period].rename(columns={"share": "level_share"})
        out = out.merge(levels[["unit", "node", "level_share", "robust_level"]],
                        on=["unit", "node"], how="left")
    return out.reindex(columns=columns)


def level_matrix(frame: pd.DataFrame, nodes: list[str]) -> list[dict]:
    """One row per city (rank order) with the level of each node, for the levels table."""
    rows = []
    for unit, part in frame.groupby("unit", sort=False):
        by_node = {r["node"]: r for r in part.to_dict("records")}
        rows.append({"unit": unit, "name": part["name"].iloc[0],
                     "cells": [{k: clean(v) for k, v in by_node[n].items()} if n in by_node
                               else None for n in nodes]})
    return rows


def theme_rows(run, result, unit: str, lang: str) -> list[dict]:
    """The index and themes of a city: score, rank, colour, level, score and rank intervals."""
    from rightsmarker import charts

    ua = uncertainty_tables(run)
    frame = charts.theme_frame(result, unit, run.period,
                               score_stats=ua["score_stats"] if ua else None)
    frame["label"] = [label_of(result.framework, c, lang) for c in frame["node"]]
    levels = read_table(run, "levels")
    levels = levels[(levels["unit"] == unit) & (levels["period"] == run.period)]
    labels = dict(zip(levels["node"], levels["label_ko" if lang == "ko" else "label"],
                      strict=True))
    frame["level_label"] = [labels.get(n) for n in frame["node"]]
    if ua is not None:
        ranks = ua["rank_stats"]
        ranks = ranks[(ranks["unit"] == unit) & (ranks["period"] == run.period)]
        frame = frame.merge(ranks[["node", "q05", "q95"]].rename(
            columns={"q05": "rank_q05", "q95": "rank_q95"}), on="node", how="left")
    return clean_rows(frame, THEME_COLUMNS)


def indicator_rows(run, result, unit: str, lang: str) -> list[dict]:
    from rightsmarker import charts

    frame = charts.indicator_table(result, unit, run.period, lang=lang)
    return clean_rows(frame, INDICATOR_COLUMNS)


def gap_indicators(gaps: pd.DataFrame, unit: str, period: int, n: int = 3) -> list[str]:
    """The ``n`` indicators where a group of the city is furthest behind the total."""
    sub = gaps[(gaps["unit"].astype(str) == unit) & (gaps["period"] == period)
               & gaps["worse"].fillna(False).astype(bool)]
    if sub.empty:
        return []
    worst = sub.assign(size=sub["relative_gap"].abs()).groupby("indicator")["size"].max()
    return list(worst.sort_values(ascending=False).index[:n])
