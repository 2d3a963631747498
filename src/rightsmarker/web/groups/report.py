"""Gap reports for the pages: who is left behind in one city, and the network at a glance.

Both run the library (:func:`rightsmarker.gaps.gaps`, ``gap_alerts``,
``disaggregation_coverage``, ``coverage_summary``) on :func:`.data.observations_from_db` and turn
the frames into plain rows (None for missing values) for templates and data twins. The
"current" situation of a city is its latest period with values: alerts and coverage are those
of that period; the gap table keeps every period (its CSV twin).
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from rightsmarker.gaps import coverage_summary, disaggregation_coverage, gap_alerts, gaps
from rightsmarker.gaps.alerts import ALERT_COLUMNS

from .alert_text import group_text, localize
from .charts import bar_rows

WORSEN_THRESHOLD = 0.05  # a value 5% worse than in the previous period
WIDEN_THRESHOLD = 0.05  # a gap grown by 5% of the reference value
GAP_COLUMNS = ["unit", "period", "indicator", "group", "value", "reference_group",
               "reference_value", "gap", "ratio", "worse", "previous_period", "previous_gap",
               "gap_change", "gap_change_significant", "widened", "alert", "alert_reasons"]
SUMMARY_COLUMNS = ["code", "name", "region", "period", "alerts", "n", "fully", "partly", "not",
                   "share_fully", "missing_grounds"]


def plain(value):
    """A JSON- and template-friendly scalar: None for NaN / NA, Python numbers and booleans."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def records(frame: pd.DataFrame, columns: list[str] | None = None) -> list[dict]:
    cols = list(columns or frame.columns)
    return [{c: plain(v) for c, v in zip(cols, row, strict=True)}
            for row in frame[cols].itertuples(index=False, name=None)]


def analyse(obs: pd.DataFrame, fw, with_alerts: bool = True) -> dict[str, pd.DataFrame]:
    """Gaps (with alert columns), alerts (one row per reason, with a message; empty unless
    ``with_alerts``) and coverage of ``obs`` (empty frames when there are no data)."""
    thresholds = {"worsen_threshold": WORSEN_THRESHOLD, "widen_threshold": WIDEN_THRESHOLD}
    if fw is None or obs.empty:
        return {"gaps": pd.DataFrame(columns=GAP_COLUMNS),
                "alerts": pd.DataFrame(columns=ALERT_COLUMNS),
                "coverage": pd.DataFrame(columns=["unit", "period", "indicator", "status"])}
    table = gaps(obs, fw, alert_thresholds=thresholds)
    alerts = (gap_alerts(table, framework=fw, **thresholds) if with_alerts
              else pd.DataFrame(columns=ALERT_COLUMNS))
    coverage = disaggregation_coverage(obs, fw)
    return {"gaps": table, "alerts": alerts, "coverage": coverage}


def latest_periods(obs: pd.DataFrame) -> dict[str, int]:
    """Unit -> its latest period with any value."""
    if obs.empty:
        return {}
    return {str(k): int(v) for k, v in obs.groupby("unit")["period"].max().items()}


def at_latest(frame: pd.DataFrame, latest: dict[str, int]) -> pd.DataFrame:
    if frame.empty:
        return frame
    wanted = frame["unit"].astype(str).map(latest)
    return frame[frame["period"].astype("int64") == wanted]


def ground_names(fw, lang: str) -> dict[str, str]:
    """Ground code -> its label in ``lang`` (``place-of-residence`` -> ``Place of residence``)."""
    return {g.code: g.label(lang) for g in (getattr(fw, "grounds", None) or [])}


def named_grounds(text: str, names: dict[str, str]) -> str:
    """``place-of-residence (3), religion (2)`` with each ground code replaced by its label."""
    return re.sub(r"[\w-]+(?= \(\d+\))|^[\w-]+$",
                  lambda m: names.get(m.group(), m.group()), text or "")


def network_rows(obs: pd.DataFrame, fw, cities, lang: str = "en") -> list[dict]:
    """One row per city: its latest period, its groups with an alert then (a group counts once
    when both its value worsened and its gap widened), and the coverage summary (with
    ``missing_grounds_text``: the missing grounds by their labels in ``lang``)."""
    result = analyse(obs, fw, with_alerts=False)
    latest = latest_periods(obs)
    table = at_latest(result["gaps"], latest)
    counts = {}
    if not table.empty:
        flagged = table[table["alert"].fillna(False).astype(bool)]
        counts = flagged.groupby("unit", observed=True).size().to_dict()
    coverage = at_latest(result["coverage"], latest)
    summary = {}
    if not coverage.empty:
        summary = {r["unit"]: r for r in records(coverage_summary(coverage))}
    rows, names = [], ground_names(fw, lang)
    for city in cities:
        cov = summary.get(city.code, {})
        rows.append({"code": city.code, "name": city.name, "region": city.region,
                     "period": latest.get(city.code), "alerts": int(counts.get(city.code, 0)),
                     **{k: cov.get(k) for k in SUMMARY_COLUMNS[5:]},
                     "missing_grounds_text": named_grounds(cov.get("missing_grounds"), names)})
    return rows


def city_report(obs: pd.DataFrame, fw, code: str, lang: str, monitored=(),
                city_name: str | None = None) -> dict:
    """Everything the city page shows: alerts, coverage and gaps per indicator, monitored groups.

    ``obs`` holds the city's observations only; ``monitored``: canonical group strings whose
    gaps are listed separately. Alerts read in ``lang`` with the city's name
    (:func:`.alert_text.localize`).
    """
    result = analyse(obs, fw)
    latest = latest_periods(obs)
    alerts = at_latest(result["alerts"], latest)
    coverage = result["coverage"]
    # each indicator's coverage at its own latest period (later rows win)
    grounds = ground_names(fw, lang)
    status = ({r["indicator"]: with_lists(r, grounds)
               for r in records(coverage.sort_values("period"))} if not coverage.empty else {})
    gap_rows = records(result["gaps"], GAP_COLUMNS) if not result["gaps"].empty else []
    names = {n.code: n.label(lang) for n in fw.indicators} if fw is not None else {}
    shown = [{**r, "group_label": group_text(r["group"], fw, lang),
              "indicator_label": names.get(r["indicator"], r["indicator"])} for r in gap_rows]
    blocks = indicator_blocks(obs, shown)
    indicators = []
    for node in (fw.indicators if fw is not None else []):
        if node.code in blocks and node.value_type != "text":
            indicators.append({**blocks[node.code], "coverage": status.get(node.code),
                               "label": node.label(lang), "direction": node.direction,
                               "unit_of_measure": node.unit_label(lang)})
    wanted = set(monitored)
    alerts = [localize(a, city_name or code, names.get(a["indicator"], a["indicator"]), fw, lang)
              for a in (records(alerts) if not alerts.empty else [])]
    return {"period": latest.get(code), "alerts": alerts,
            "indicators": indicators, "gap_rows": gap_rows,
            "monitored_rows": [r for r in shown if r["group"] in wanted]}


def with_lists(coverage: dict, names: dict[str, str] | None = None) -> dict:
    """A coverage row with its ground lists also as Python lists of labels (for display)."""
    names = names or {}
    return {**coverage, **{f"{k}_list": [names.get(g, g) for g in (coverage.get(k) or "")
                                         .split(";") if g]
                           for k in ("expected", "reported", "missing")}}


def indicator_blocks(obs: pd.DataFrame, gap_rows: list[dict]) -> dict[str, dict]:
    """Per indicator, at its latest period: the total, the groups with their gaps, the bars."""
    if obs.empty:
        return {}
    periods = obs.groupby("indicator")["period"].max().to_dict()
    totals = obs[(obs["group"] == "total")
                 & (obs["period"] == obs["indicator"].map(periods))]
    total_of = {i: plain(v) for i, v in zip(totals["indicator"], totals["value"], strict=True)}
    rows_of: dict[str, list[dict]] = {code: [] for code in periods}
    for row in gap_rows:
        if row["period"] == periods.get(row["indicator"]):
            rows_of[row["indicator"]].append(row)
    blocks = {}
    for code, period in periods.items():
        rows, total = rows_of[code], total_of.get(code)
        bars = bar_rows([("total", total)] + [(r.get("group_label", r["group"]), r["value"])
                                              for r in rows])
        for bar, row in zip(bars[1:], rows, strict=True):
            bar["worse"] = bool(row["worse"])
        blocks[code] = {"code": code, "period": int(period), "total": total, "rows": rows,
                        "bars": bars, "widened": sum(1 for r in rows if r["widened"])}
    return blocks
