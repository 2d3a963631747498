"""Alerts: groups whose value worsens or whose gap widens beyond a threshold.

Two reasons, each tested on the output of :func:`rightsmarker.gaps.gaps`:

- ``value_worsened``: the group's value moved in the bad direction since its previous period
  by at least ``worsen_threshold`` (relative: a share of the previous value, 0.05 = 5%;
  absolute: in the indicator's unit);
- ``gap_widened``: the group is worse off than the reference and its gap grew by at least
  ``widen_threshold`` (relative: as a share of the current reference value, 0.05 = the gap
  grew by 5% of the reference value; absolute: in the indicator's unit).

With ``require_significance`` an alert also needs the change to be significant (z-test on
the change where standard errors are known; rows without them give no alert).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._input import labels

REASONS = ("value_worsened", "gap_widened")
ALERT_COLUMNS = [
    "unit", "period", "indicator", "group", "reason", "severity", "measure", "threshold",
    "value", "previous_value", "previous_period", "reference_group", "reference_value",
    "gap", "previous_gap", "gap_change", "significant", "message",
]


def alert_masks(
    gaps_df: pd.DataFrame,
    worsen_threshold: float = 0.05,
    widen_threshold: float = 0.05,
    *,
    relative: bool = True,
    require_significance: bool = False,
) -> dict[str, pd.Series]:
    """Boolean mask per reason over the rows of ``gaps_df`` (see the module docstring)."""
    measures = _measures(gaps_df, relative)
    worsened = measures["value_worsened"] >= worsen_threshold
    widened = gaps_df["widened"].fillna(False).astype(bool)
    widened &= measures["gap_widened"] >= widen_threshold
    if require_significance:
        worsened &= gaps_df["value_change_significant"].fillna(False).astype(bool)
        widened &= gaps_df["gap_change_significant"].fillna(False).astype(bool)
    return {"value_worsened": worsened.fillna(False), "gap_widened": widened.fillna(False)}


def gap_alerts(
    gaps_df: pd.DataFrame,
    worsen_threshold: float = 0.05,
    widen_threshold: float = 0.05,
    *,
    relative: bool = True,
    require_significance: bool = False,
    framework=None,
    lang: str = "en",
) -> pd.DataFrame:
    """One row per alert (a group and period may raise both reasons), most severe first.

    ``severity`` is ``measure / threshold`` (how many times the threshold was reached; the
    measure itself when the threshold is 0). ``message`` is a sentence in English naming the
    unit, indicator (its label when ``framework`` is given), group and the change.
    """
    measures = _measures(gaps_df, relative)
    masks = alert_masks(gaps_df, worsen_threshold, widen_threshold,
                        relative=relative, require_significance=require_significance)
    thresholds = {"value_worsened": worsen_threshold, "gap_widened": widen_threshold}
    sig_col = {"value_worsened": "value_change_significant",
               "gap_widened": "gap_change_significant"}
    names = labels(framework, lang)
    parts = []
    for reason in REASONS:  # two reasons: a loop over columns, not rows
        rows = gaps_df[masks[reason].to_numpy(bool)]
        measure = measures[reason][masks[reason].to_numpy(bool)]
        threshold = thresholds[reason]
        part = rows.assign(
            reason=reason, measure=measure, threshold=threshold,
            severity=measure / threshold if threshold else measure,
            significant=rows[sig_col[reason]],
        )
        part["message"] = _messages(part, reason, names, relative)
        parts.append(part[ALERT_COLUMNS])
    alerts = pd.concat(parts, ignore_index=True)
    if alerts.empty:
        return pd.DataFrame(columns=ALERT_COLUMNS)
    alerts = alerts.sort_values(["severity", "unit", "indicator", "group", "period"],
                                ascending=[False, True, True, True, True], kind="stable")
    return alerts.reset_index(drop=True)


def _measures(df: pd.DataFrame, relative: bool) -> dict[str, pd.Series]:
    """How much the value worsened and how much the gap grew, oriented (positive = worse)."""
    worsening = -df["value_change"] * df["direction"]
    if relative:
        prev = df["previous_value"].abs()
        worsening = worsening / prev.where(prev > 0)
        ref = df["reference_value"].abs()
        widening = df["gap_change"] / ref.where(ref > 0)
    else:
        widening = df["gap_change"]
    return {"value_worsened": worsening.astype(float), "gap_widened": widening.astype(float)}


def _fmt(values: pd.Series, spec: str = "{:.4g}") -> pd.Series:
    """Numbers as text (``n/a`` when missing); each distinct value is formatted once."""
    codes, uniques = pd.factorize(values.astype(float), use_na_sentinel=True)
    texts = np.array([spec.format(v) for v in uniques] + ["n/a"], dtype=object)
    return pd.Series(texts[codes], index=values.index)  # code -1 (missing) -> "n/a"


def _messages(rows: pd.DataFrame, reason: str, names: dict[str, str],
              relative: bool) -> pd.Series:
    """English sentences for the alerts of one reason, built column-wise."""
    if rows.empty:
        return pd.Series([], index=rows.index, dtype=object)
    label = rows["indicator"].map(names).fillna(rows["indicator"]).astype(str)
    head = rows["unit"].astype(str) + ", " + label + ", " + rows["group"].astype(str) + ": "
    then = " (" + _fmt(rows["previous_period"], "{:.0f}") + ")"
    now = " (" + _fmt(rows["period"], "{:.0f}") + ")"
    if reason == "value_worsened":
        moved = _fmt(rows["measure"], "{:.1%} worse") if relative else (
            "worse by " + _fmt(rows["measure"]))
        text = (head + "worsened from " + _fmt(rows["previous_value"]) + then + " to "
                + _fmt(rows["value"]) + now + ", " + moved)
    else:
        share = (" (" + _fmt(rows["measure"], "{:.1%}") + " of the reference value)"
                 if relative else "")
        text = (head + "gap to " + rows["reference_group"].astype(str) + " widened from "
                + _fmt(rows["previous_gap"]) + then + " to " + _fmt(rows["gap"]) + now
                + ", by " + _fmt(rows["gap_change"]) + share)
    sig = rows["significant"].map({True: "; the change is statistically significant",
                                   False: "; the change is not statistically significant"})
    return text + sig.astype(object).fillna("")
