"""Data helpers for tables: every indicator of a city with value, colour, arrow and change."""

from __future__ import annotations

import math

import pandas as pd

from ._common import colour_label, pick_period, rows_for, text

COLUMNS = ["theme", "theme_label", "indicator", "label", "kind", "value", "display", "unit",
           "colour", "colour_label", "score", "arrow", "symbol", "change", "previous_period",
           "previous_value"]


def format_value(ind, value, lang: str = "en") -> str:
    """A measured value as a person reads it: yes/no, the stage's label, or the number with
    its unit; ``–`` when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if ind.value_type == "yes_no":
        return text("yes" if value >= 0.5 else "no", lang)
    if ind.value_type == "stage" and ind.stages:
        i = min(max(int(round(value)), 0), len(ind.stages) - 1)
        st = ind.stages[i]
        return st.labels.get(lang) or st.labels.get("en") or st.code
    number = f"{value:,.0f}" if abs(value) >= 1000 else f"{value:,.4g}"
    unit = ind.unit or ""
    return f"{number}{unit}" if unit == "%" else f"{number} {unit}".strip()


def indicator_table(result, unit, period=None, *, lang: str = "en") -> pd.DataFrame:
    """Every indicator of ``unit`` in ``period`` (latest by default), in framework order.

    Columns: ``theme, theme_label, indicator, label, kind, value, display, unit, colour,
    colour_label, score, arrow, symbol, change, previous_period, previous_value``. ``value``
    is the measured value (NaN when not reported: never an imputed one), ``display`` the same
    formatted for people (yes/no, stage label, number with unit), ``colour`` the dashboard
    colour, ``arrow``/``symbol`` the trend against the previous compared period and ``change``
    the direction-aware change (positive = better), all empty in the first period.
    """
    fw = result.framework
    period = pick_period(result.scores, period)
    dash = rows_for(result.dashboard, unit, period, "dashboard rows").set_index("node")
    tr = result.trends
    tr = tr[(tr["unit"].astype(str) == str(unit)) & (tr["period"] == period)].set_index(
        "indicator")
    rows = []
    for ind in fw.indicators:
        theme = fw.ancestors(ind.code)[-2] if len(fw.ancestors(ind.code)) >= 2 else fw.root
        d = dash.loc[ind.code] if ind.code in dash.index else None
        t = tr.loc[ind.code] if ind.code in tr.index else None
        value = float(d["value"]) if d is not None else float("nan")
        colour = str(d["colour"]) if d is not None else "grey"
        rows.append({
            "theme": theme, "theme_label": fw.node(theme).label(lang), "indicator": ind.code,
            "label": ind.label(lang), "kind": ind.kind, "value": value,
            "display": format_value(ind, value, lang), "unit": ind.unit or "",
            "colour": colour, "colour_label": colour_label(colour, lang),
            "score": float(d["score"]) if d is not None else float("nan"),
            "arrow": None if t is None else t["arrow"],
            "symbol": None if t is None else t["symbol"],
            "change": float("nan") if t is None else float(t["change"]),
            "previous_period": None if t is None else t["previous_period"],
            "previous_value": float("nan") if t is None else float(t["previous_value"]),
        })
    return pd.DataFrame(rows, columns=COLUMNS)
