"""Gap reports for the pages: who is left behind in one city, and the network at a glance.

Both run the library (:func:`rightsmarker.gaps.gaps`, ``gap_alerts``,
``disaggregation_coverage``, ``coverage_summary``) on :func:`.data.observations_from_db` and turn
the frames into plain rows (None for missing values) for templates and data twins. The
"current" situation of a city is its latest period with values: alerts and coverage are those
of that period; the gap table keeps every period (its CSV twin).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from rightsmarker.gaps import coverage_summary, disaggregation_coverage, gap_alerts, gaps
from rightsmarker.gaps.alerts import ALERT_COLUMNS

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


def analyse(obs: pd.DataFrame, fw) -> dict[str, pd.DataFrame]:
    """Gaps (with alert columns), alerts and coverage of ``obs`` (empty frames when no data)."""
    thresholds = {"worsen_threshold": WORSEN_THRESHOLD, "widen_threshold": WIDEN_THRESHOLD}
    if fw is None or obs.empty:
        return {"gaps": pd.DataFrame(columns=GAP_COLUMNS),
                "alerts": pd.DataFrame(columns=ALERT_COLUMNS),
                "coverage": pd.DataFrame(columns=["unit", "period", "indicator", "status"])}
    table = gaps(obs, fw, alert_thresholds=thresholds)
    alerts = gap_alerts(table, framework=fw, **thresholds)
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


def network_rows(obs: pd.DataFrame, fw, cities) -> list[dict]:
    """One row per city: its latest period, number of alerts then, and the coverage summary."""
    result = analyse(obs, fw)
    latest = latest_periods(obs)
    alerts = at_latest(result["alerts"], latest)
    counts = alerts.groupby("unit").size().to_dict() if not alerts.empty else {}
    coverage = at_latest(result["coverage"], latest)
    summary = {}
    if not coverage.empty:
        summary = {r["unit"]: r for r in records(coverage_summary(coverage))}
    rows = []
    for city in cities:
        cov = summary.get(city.code, {})
        rows.append({"code": city.code, "name": city.name, "region": city.region,
                     "period": latest.get(city.code), "alerts": int(counts.get(city.code, 0)),
                     **{k: cov.get(k) for k in SUMMARY_COLUMNS[5:]}})
    return rows


def city_report(obs: pd.DataFrame, fw, code: str, lang: str, monitored=()) -> dict:
    """Everything the city page shows: alerts, coverage and gaps per indicator, monitored groups.

    ``monitored``: canonical group strings whose gaps are listed separately.
    """
    result = analyse(obs, fw)
    latest = latest_periods(obs)
    table = result["gaps"]
    alerts = at_latest(result["alerts"], latest)
    labels = {n.code: n.label(lang) for n in fw.indicators} if fw is not None else {}
    coverage = result["coverage"]
    # each indicator's coverage at its own latest period (later rows win)
    status = ({r["indicator"]: r for r in records(coverage.sort_values("period"))}
              if not coverage.empty else {})
    present = set(obs["indicator"])
    indicators = []
    for node in (fw.indicators if fw is not None else []):
        if node.code in present and node.value_type != "text":
            block = indicator_block(obs, table, node.code, status.get(node.code))
            indicators.append({**block, "label": labels[node.code],
                               "direction": node.direction, "unit_of_measure": node.unit})
    gap_rows = records(table, GAP_COLUMNS) if not table.empty else []
    monitored_rows = [r for r in gap_rows if r["group"] in set(monitored)]
    return {"period": latest.get(code), "alerts": records(alerts) if not alerts.empty else [],
            "indicators": indicators, "gap_rows": gap_rows, "monitored_rows": monitored_rows,
            "labels": labels}


def indicator_block(obs: pd.DataFrame, table: pd.DataFrame, indicator: str,
                    coverage: dict | None) -> dict:
    """One indicator at its latest period: total, groups with gaps, coverage, bars."""
    mine = obs[obs["indicator"] == indicator]
    period = int(mine["period"].max())
    now = mine[mine["period"] == period]
    total = now.loc[now["group"] == "total", "value"]
    total_value = plain(total.iloc[0]) if len(total) else None
    rows = []
    if not table.empty:
        part = table[(table["indicator"] == indicator) & (table["period"] == period)]
        rows = records(part, GAP_COLUMNS)
    bars = bar_rows([("total", total_value)] + [(r["group"], r["value"]) for r in rows])
    return {"code": indicator, "period": period, "total": total_value, "rows": rows,
            "bars": bars, "coverage": coverage,
            "widened": sum(1 for r in rows if r["widened"])}
