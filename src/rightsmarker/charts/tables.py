"""Data helpers for tables: every indicator of a city with value, colour, arrow and change."""

from __future__ import annotations

import math

import pandas as pd

from ._common import colour_label, pick_period, rows_for, text, unit_mask

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
    unit = ind.unit_label(lang) or ""
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
    dash = rows_for(result.dashboard, unit, period, "dashboard rows")
    dash = {str(r["node"]): r for r in dash.to_dict("records")}
    tr = result.trends
    tr = tr[unit_mask(tr, unit) & (tr["period"] == period).to_numpy()] if len(tr) else tr
    tr = {str(r["indicator"]): r for r in tr.to_dict("records")}
    nan = float("nan")
    rows = []
    for ind in fw.indicators:
        up = fw.ancestors(ind.code)
        theme = up[-2] if len(up) >= 2 else fw.root
        d, t = dash.get(ind.code), tr.get(ind.code)
        value = nan if d is None or pd.isna(d["value"]) else float(d["value"])
        colour = str(d["colour"]) if d is not None else "grey"
        rows.append({
            "theme": theme, "theme_label": fw.node(theme).label(lang), "indicator": ind.code,
            "label": ind.label(lang), "kind": ind.kind, "value": value,
            "display": format_value(ind, value, lang), "unit": ind.unit_label(lang) or "",
            "colour": colour, "colour_label": colour_label(colour, lang),
            "score": nan if d is None or pd.isna(d["score"]) else float(d["score"]),
            "arrow": None if t is None else t["arrow"],
            "symbol": None if t is None else t["symbol"],
            "change": nan if t is None or pd.isna(t["change"]) else float(t["change"]),
            "previous_period": None if t is None else t["previous_period"],
            "previous_value": nan if t is None or pd.isna(t["previous_value"])
            else float(t["previous_value"]),
        })
    return pd.DataFrame(rows, columns=COLUMNS)
