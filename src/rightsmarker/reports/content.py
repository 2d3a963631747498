"""What a report says, gathered from a Result and optional extras into plain dicts.

Kept apart from the HTML so that the web pages and other formats can reuse it: every value
here is a number, a string or a list/dict of them (no DataFrames, no figures).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from ..charts import indicator_table
from ..charts._common import COLOURS, colour_label, node_label, themes, unit_names
from ..charts.groups import group_label
from ..errors import DataError

GAP_COLUMNS = ["indicator", "label", "group", "group_label", "value", "reference_value", "gap",
               "gap_change"]


@dataclass
class Extras:
    """Optional inputs of a report: uncertainty tables and group gaps."""

    rank_stats: pd.DataFrame | None = None
    score_stats: pd.DataFrame | None = None
    robust_levels: pd.DataFrame | None = None
    gaps: pd.DataFrame | None = None

    @classmethod
    def from_inputs(cls, uncertainty=None, gaps=None) -> Extras:
        """``uncertainty``: an UncertaintyResult, or a dict with any of ``rank_stats``,
        ``score_stats``, ``levels``; ``gaps``: the table of :func:`rightsmarker.gaps`."""
        get = (uncertainty.get if isinstance(uncertainty, dict)
               else (lambda k: getattr(uncertainty, k, None)))
        if uncertainty is None:
            return cls(gaps=gaps)
        return cls(rank_stats=get("rank_stats"), score_stats=get("score_stats"),
                   robust_levels=get("levels"), gaps=gaps)


@dataclass
class ReportData:
    """Everything the templates read."""

    title: str
    period: int
    lang: str
    themes: list[dict]
    network: list[dict]
    cities: list[dict] = field(default_factory=list)
    fictional: bool = False
    part: int = 0          # a PDF is printed in parts; part 0 has the title and network
    links: bool = True     # links between sections (not across separately printed parts)


def _num(x, digits: int = 1):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) or pd.isna(x) \
        else round(float(x), digits)


def _lookup(df: pd.DataFrame | None, period: int, keys=("unit", "node")) -> dict:
    if df is None or df.empty:
        return {}
    sub = df[df["period"] == period] if "period" in df.columns else df
    return {tuple(str(v) for v in k): row for k, row in
            zip(zip(*(sub[c] for c in keys), strict=True), sub.to_dict("records"), strict=True)}


def gather(result, period: int, units: list[str], extras: Extras, lang: str,
           names: dict | None = None, gap_indicators: int = 2) -> ReportData:
    """The report's content for ``units`` in ``period``."""
    fw = result.framework
    shown = unit_names(result, lang, names)
    nodes = [fw.root, *themes(fw)]
    sc = _lookup(result.scores, period)
    dash = _lookup(result.dashboard, period)
    lv = _lookup(result.levels, period)
    rs = _lookup(extras.rank_stats, period)
    ss = _lookup(extras.score_stats, period)
    rob = _lookup(extras.robust_levels, period)
    network = []
    for u in units:
        cells = [_cell(sc, dash, lv, rs, rob, u, n, lang) | _interval(ss, u, n) for n in nodes]
        network.append({"unit": u, "name": shown.get(u, u), "cells": cells})
    network.sort(key=lambda r: (r["cells"][0]["rank"] is None, r["cells"][0]["rank"] or 0,
                                r["name"]))
    data = ReportData(
        title=node_label(fw, fw.root, lang), period=period, lang=lang,
        themes=[{"code": n, "label": node_label(fw, n, lang)} for n in nodes], network=network,
        fictional=_fictional(result))
    by_unit = _split_gaps(extras.gaps, period, units)
    for row in network:
        data.cities.append(_city(result, row, period, by_unit.get(row["unit"]), lang,
                                 gap_indicators))
    return data


def _split_gaps(gaps: pd.DataFrame | None, period: int, units: list[str]) -> dict:
    """The gap rows of ``period`` per unit (one pass over a table that may be large)."""
    if gaps is None or gaps.empty:
        return {}
    sub = gaps[gaps["period"] == period]
    return {str(u): df for u, df in sub.groupby(sub["unit"].astype(str), sort=False)
            if str(u) in set(units)}


def _fictional(result) -> bool:
    units = getattr(result, "units", None)
    return bool(units is not None and "fictional" in units.columns
                and units["fictional"].fillna(False).astype(bool).all())


def _interval(ss: dict, unit: str, node: str) -> dict:
    s = ss.get((unit, node))
    return {"score_interval": None if s is None else (_num(s["q05"]), _num(s["q95"]))}


def _cell(sc, dash, lv, rs, rob, unit: str, node: str, lang: str) -> dict:
    s, d, lev = sc.get((unit, node), {}), dash.get((unit, node), {}), lv.get((unit, node))
    colour = d.get("colour") if isinstance(d.get("colour"), str) else "grey"
    r, b = rs.get((unit, node)), rob.get((unit, node))
    rank = s.get("rank")
    return {
        "node": node, "score": _num(s.get("score")), "colour": colour,
        "hex": COLOURS.get(colour, COLOURS["grey"]), "colour_label": colour_label(colour, lang),
        "rank": None if rank is None or pd.isna(rank) else int(rank),
        "rank_interval": None if r is None else (_num(r["q05"], 0), _num(r["q95"], 0)),
        "level": None if lev is None else int(lev["level"]),
        "level_label": None if lev is None else (lev["label_ko"] if lang == "ko"
                                                  else lev["label"]),
        "reasons": [] if lev is None else [x for x in str(lev["reasons"]).split("; ") if x],
        "robust_share": None if b is None else _num(b["share"], 2),
        "robust_level": None if b is None or pd.isna(b["robust_level"])
        else int(b["robust_level"]),
    }


def _city(result, row: dict, period: int, gaps, lang: str, n_gaps: int) -> dict:
    unit = row["unit"]
    table = indicator_table(result, unit, period, lang=lang)
    by_theme: dict[str, dict] = {}
    for r in table.to_dict("records"):
        theme = by_theme.setdefault(r["theme"], {"label": r["theme_label"], "rows": []})
        theme["rows"].append({
            "label": r["label"], "code": r["indicator"], "display": r["display"],
            "colour": r["colour"], "hex": COLOURS.get(r["colour"]),
            "colour_label": r["colour_label"], "symbol": r["symbol"] or "",
            "arrow": (r["arrow"] or "").replace("_", " "), "change": _num(r["change"], 2)})
    return {"unit": unit, "name": row["name"], "cells": row["cells"],
            "overall": row["cells"][0], "dashboard": list(by_theme.values()),
            "gaps": _worst_gaps(result, gaps, lang), "gap_rows": gaps,
            "gap_indicators": _gap_indicators(gaps, n_gaps)}


def _worst_gaps(result, gaps: pd.DataFrame | None, lang: str, n: int = 8):
    """The ``n`` largest relative gaps of groups worse off than the total (one unit and
    period)."""
    if gaps is None or gaps.empty:
        return []
    fw = result.framework
    sub = gaps[gaps["worse"].fillna(False).astype(bool)]
    sub = sub.assign(_rel=sub["relative_gap"].abs()).sort_values("_rel", ascending=False).head(n)
    return [{"indicator": r["indicator"], "label": node_label(fw, r["indicator"], lang),
             "group": r["group"], "group_label": group_label(r["group"], fw, lang),
             "value": _num(r["value"], 2), "reference_value": _num(r["reference_value"], 2),
             "gap": _num(r["gap"], 2), "gap_change": _num(r["gap_change"], 2)}
            for r in sub.to_dict("records")]


def _gap_indicators(gaps: pd.DataFrame | None, n: int) -> list[str]:
    """The ``n`` indicators whose worst-off group is furthest behind (relative gap)."""
    if gaps is None or gaps.empty or n <= 0:
        return []
    worst = gaps.assign(_rel=gaps["relative_gap"]).groupby("indicator", observed=True)["_rel"].max()
    return [str(i) for i in worst.sort_values(ascending=False).head(n).index]


def choose_units(result, cities, period: int | None = None) -> list[str]:
    """The units of the report: ``cities`` (codes, checked) or every unit of the result; with
    ``period``, every unit scored in that period (a city without values in that cycle has no
    scores to report: asking for one is an error saying so)."""
    scores = result.scores
    known = list(dict.fromkeys(scores["unit"].astype(str)))
    scored = known
    if period is not None:
        rows = scores[(scores["period"].astype(int) == int(period)) & scores["score"].notna()]
        scored = [u for u in known if u in set(rows["unit"].astype(str))]
    if cities is None:
        return scored
    wanted = [str(c) for c in ([cities] if isinstance(cities, str) else cities)]
    missing = [c for c in wanted if c not in known]
    if missing:
        raise DataError(f"unknown city {', '.join(map(repr, missing))}; known: "
                        + ", ".join(known[:30]))
    unscored = [c for c in wanted if c not in scored]
    if unscored:
        raise DataError(f"no scores for {', '.join(map(repr, unscored))} in period {period}: "
                        "no values in that cycle; scored there: " + ", ".join(scored[:30]))
    return wanted
