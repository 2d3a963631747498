"""Trends per indicator: SDG Index arrows and the Gwangju improvement rate.

For unit ``u``, indicator with direction ``d``, value ``x_t`` in period ``t`` and ``x_s`` in the
period ``s`` that lies ``trend_window`` reported periods earlier (method option)::

    change            = d * (x_t - x_s)
    improvement_rate  = d * (x_t - x_s) / |x_s| * 100          (Gwangju; NaN when x_s = 0)
    annual_change     = change / (t - s)
    target            = green threshold (else the optimum; for yes/no and stages the top)
    needed_annual     = d * (target - x_t) / max(target_year - t, 1)

Arrows (SDG Index): ``no_data`` (•) when either value is missing; ``decreasing`` (↓) when
change < 0; ``on_track`` (↑) when the target is already met and not worsening, or when
annual_change >= needed_annual; ``moderately_improving`` (➚) when annual_change >= half the
needed pace; ``stagnating`` (→) otherwise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .tables import long_frame

ARROW_NAMES = ["on_track", "moderately_improving", "stagnating", "decreasing", "no_data"]
ARROWS = {
    "on_track": "↑",
    "moderately_improving": "➚",
    "stagnating": "→",
    "decreasing": "↓",
    "no_data": "•",
}
ARROW_SYMBOLS = [ARROWS[a] for a in ARROW_NAMES]


def _indicator_params(fw, codes):
    direction, target = [], []
    for c in codes:
        n = fw.node(c)
        direction.append(n.direction)
        t = n.green if n.green is not None else n.optimum
        if t is None and n.value_type in ("yes_no", "stage"):
            t = n.scale_max()
        target.append(np.nan if t is None else t)
    return np.array(direction, dtype=float), np.array(target, dtype=float)


def trends(result) -> pd.DataFrame:
    """Long table ``unit, period, indicator, value, previous_period, previous_value, change,
    improvement_rate, annual_change, needed_annual, arrow, symbol`` (one row per unit, period
    and indicator that has an earlier period to compare with)."""
    return trend_table(result.framework, result.method.options, result.measured)


def trend_table(fw, opts, measured: pd.DataFrame) -> pd.DataFrame:
    """:func:`trends` from the measured stage alone (it can run before the build ends)."""
    if not measured.index.is_monotonic_increasing:
        measured = measured.sort_index()
    codes = [c for c in measured.columns if c in fw]
    if measured.empty or not codes:
        return pd.DataFrame(columns=["unit", "period", "indicator", "arrow"])
    k = opts.trend_window
    unit_codes = pd.factorize(measured.index.get_level_values(0))[0]
    periods = measured.index.get_level_values(1).to_numpy()
    # rows are sorted by unit then period: the comparison row lies k rows earlier, same unit
    rows = np.arange(len(measured))
    keep = rows >= k
    keep[k:] &= unit_codes[k:] == unit_codes[:-k]  # trend_window >= 1 (MethodOptions)
    if not keep.any():
        return pd.DataFrame(columns=["unit", "period", "indicator", "arrow"])
    values = measured[codes].to_numpy(dtype=float)
    x = values[keep]
    xs = values[rows[keep] - k]
    t = periods[keep].astype(float)[:, None]
    s = periods[rows[keep] - k].astype(float)[:, None]
    d, target = _indicator_params(fw, codes)
    change = d * (x - xs)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(xs != 0, change / np.abs(xs) * 100.0, np.nan)
        annual = change / (t - s)
        needed = d * (target - x) / np.maximum(opts.target_year - t, 1.0)
    arrow = _arrows(x, xs, change, annual, needed)
    index = measured.index[keep]
    out = long_frame(index, codes, {
        "value": x, "previous_period": np.broadcast_to(s, x.shape).astype(int),
        "previous_value": xs, "change": change, "improvement_rate": rate,
        "annual_change": annual, "needed_annual": needed}, node_name="indicator")
    out["arrow"] = pd.Categorical.from_codes(arrow.ravel(), categories=ARROW_NAMES)
    out["symbol"] = pd.Categorical.from_codes(arrow.ravel(), categories=ARROW_SYMBOLS)
    return out


def _arrows(x, xs, change, annual, needed) -> np.ndarray:
    """Arrow codes, indexes into ARROW_NAMES."""
    code = {name: i for i, name in enumerate(ARROW_NAMES)}
    missing = np.isnan(x) | np.isnan(xs)
    met = needed <= 0
    out = np.full(x.shape, code["stagnating"], dtype=np.int8)
    has_target = ~np.isnan(needed)
    with np.errstate(invalid="ignore"):
        out[has_target & (annual >= 0.5 * needed)] = code["moderately_improving"]
        out[has_target & (annual >= needed)] = code["on_track"]
        out[~has_target & (change > 0)] = code["moderately_improving"]
        out[met & (change >= 0)] = code["on_track"]
        out[change < 0] = code["decreasing"]
    out[missing] = code["no_data"]
    return out


def trend_summary(tr: pd.DataFrame) -> pd.DataFrame:
    """Per unit and period, the Gwangju score: how many indicators improved, and by how much.

    ``share_improved = improved / compared`` counts indicators with a value in both periods;
    ``mean_improvement_rate`` averages the finite improvement rates.
    """
    if tr.empty:
        return pd.DataFrame(columns=["unit", "period", "compared", "improved", "worsened",
                                     "share_improved", "mean_improvement_rate"])
    valid = tr[tr["arrow"] != "no_data"]
    rate = valid["improvement_rate"].where(np.isfinite(valid["improvement_rate"]))
    frame = pd.DataFrame({
        "unit": valid["unit"].astype(object), "period": valid["period"],
        "improved": (valid["change"] > 0).astype(int),
        "worsened": (valid["change"] < 0).astype(int),
        "rate": rate})
    g = frame.groupby(["unit", "period"], sort=True)
    out = g.agg(compared=("improved", "size"), improved=("improved", "sum"),
                worsened=("worsened", "sum"), mean_improvement_rate=("rate", "mean")).reset_index()
    out["share_improved"] = out["improved"] / out["compared"]
    return out[["unit", "period", "compared", "improved", "worsened", "share_improved",
                "mean_improvement_rate"]]
