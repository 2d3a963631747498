"""Gaps between population groups and a reference, and how they change over time.

For each unit, period, indicator and group (every row of the observations except the totals):

- ``gap = (reference_value - value) * direction``: positive when the group is worse off, for
  indicators where higher is better (direction 1) and where lower is better (direction -1);
- ``ratio = value / reference_value`` and ``relative_gap = gap / |reference_value|``;
- ``gap_change = gap_t - gap_{t'}`` with ``t'`` the group's previous period with a gap, and its
  z-test ``z = gap_change / sqrt(se(gap_t)^2 + se(gap_t')^2)`` where standard errors are known,
  with ``se(gap)^2 = se(value)^2 + se(reference_value)^2``.

The formulas, missing-value rules and examples are in ``docs/guide/gaps.md``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm

from ..errors import UnknownNameError
from ._input import plain, prepare

REFERENCES = ("total", "best")
COLUMNS = [
    "unit", "period", "indicator", "group", "grounds", "direction", "value", "se",
    "reference_group", "reference_value", "reference_se", "gap", "ratio", "relative_gap",
    "worse", "gap_se", "previous_period", "previous_value", "value_change",
    "value_change_significant", "previous_gap", "gap_change", "relative_gap_change",
    "gap_change_z", "gap_change_p", "gap_change_significant", "widened",
]


def gaps(
    observations,
    framework=None,
    *,
    reference: str = "total",
    periods=None,
    alert_thresholds: dict | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Gap of every group to a reference group, per unit, period and indicator.

    ``observations`` is an ``Observations`` object or a long DataFrame (then pass
    ``framework``, which gives each indicator's direction; without one, a ``direction``
    column is used, else higher is taken as better). ``reference`` is ``"total"`` (the
    group ``total``) or ``"best"`` (the best-off group over the same grounds, e.g. the best
    of the ``race=...`` groups). ``periods`` restricts the periods used (one or several).
    ``alpha`` is the level of the two-sided z-tests of changes. With ``alert_thresholds``
    (keyword arguments of :func:`gap_alerts`) the result gets ``alert`` and ``alert_reasons``.

    Returns one row per group observation with the columns in ``COLUMNS`` (plus the alert
    columns), sorted by unit, indicator, group and period.
    """
    if reference not in REFERENCES:
        raise UnknownNameError("gap reference", reference, REFERENCES)
    df, _ = prepare(observations, framework, periods)
    groups = df[(df["group"] != "total").to_numpy()].reset_index(drop=True)
    out = _with_reference(groups, df, reference)
    out = plain(_with_changes(_with_gaps(out), alpha)[COLUMNS])
    if alert_thresholds is not None:
        from .alerts import alert_masks

        masks = alert_masks(out, **alert_thresholds)
        out["alert"] = pd.DataFrame(masks, index=out.index).any(axis=1)
        out["alert_reasons"] = _join_flags(masks, out.index)
    return out


def _with_reference(groups: pd.DataFrame, df: pd.DataFrame, reference: str) -> pd.DataFrame:
    """Add ``reference_group, reference_value, reference_se`` (and the code ``_ref_g``):
    the ``total`` row of the same unit, period and indicator, or the best-off group."""
    if reference == "total":
        src = df[(df["group"] == "total").to_numpy()]
        key_src, key_out = src["_cell"].to_numpy(), groups["_cell"].to_numpy()
    else:
        src = _best_rows(groups)
        width = int(groups["_gr"].max()) + 1 if len(groups) else 1
        key_src = src["_cell"].to_numpy() * width + src["_gr"].to_numpy()
        key_out = groups["_cell"].to_numpy() * width + groups["_gr"].to_numpy()
    pos = pd.Index(key_src).get_indexer(key_out)
    found = pos >= 0
    pos = np.where(found, pos, 0)

    def pick(col: str, missing):
        values = src[col].to_numpy()
        return np.where(found, values[pos], missing) if len(values) else np.full(len(pos),
                                                                                 missing)

    ref_g = pick("_g", -1).astype(np.int64)
    names = groups["group"].cat.categories
    return groups.assign(
        reference_group=pd.Categorical.from_codes(ref_g, names) if reference == "best"
        else np.where(found, "total", None),
        reference_value=pick("value", np.nan).astype(float),
        reference_se=pick("se", np.nan).astype(float),
        _ref_g=ref_g if reference == "best" else -1,
    )


def _best_rows(groups: pd.DataFrame) -> pd.DataFrame:
    """The best-off group (highest ``value * direction``) among the groups over the same
    grounds; ties go to the first group in alphabetical order. Missing values never win."""
    ok = groups[groups["value"].notna().to_numpy()]
    oriented = (ok["value"] * ok["direction"]).to_numpy()
    cell, grounds = ok["_cell"].to_numpy(), ok["_gr"].to_numpy()
    order = np.lexsort((ok["_g"].to_numpy(), -oriented, grounds, cell))
    cell, grounds = cell[order], grounds[order]
    first = np.ones(len(order), bool)
    first[1:] = (cell[1:] != cell[:-1]) | (grounds[1:] != grounds[:-1])
    return ok.iloc[order[first]]


def _with_gaps(out: pd.DataFrame) -> pd.DataFrame:
    """Gap, ratio, relative gap, worse-off flag and standard error of the gap."""
    ref = out["reference_value"]
    nonzero = ref.where(ref != 0)
    out["gap"] = (ref - out["value"]) * out["direction"] + 0.0  # + 0.0: no -0.0
    out["ratio"] = out["value"] / nonzero
    out["relative_gap"] = out["gap"] / nonzero.abs()
    out["worse"] = _nullable(out["gap"] > 0, out["gap"].isna())
    same = out["_g"] == out["_ref_g"]
    gap_se = np.sqrt(out["se"] ** 2 + out["reference_se"] ** 2)
    out["gap_se"] = gap_se.where(~same, 0.0)
    return out


def _with_changes(out: pd.DataFrame, alpha: float) -> pd.DataFrame:
    """Changes since each group's previous period with a gap (value and gap), z-tests.
    ``out`` is sorted by series and period; the previous rows are aligned by index."""
    cols = ["period", "value", "se", "gap", "gap_se", "relative_gap"]
    hist = out.loc[out["gap"].notna(), ["_series", *cols]]
    prev = hist.groupby("_series", sort=False)[cols].shift(1)
    out[[f"_prev_{c}" for c in cols]] = prev.reindex(out.index).to_numpy(dtype=float)
    out["previous_period"] = out.pop("_prev_period").astype("Int64")
    out["previous_value"] = out.pop("_prev_value")
    out["previous_gap"] = out.pop("_prev_gap")
    out["value_change"] = out["value"] - out["previous_value"]
    out["gap_change"] = out["gap"] - out["previous_gap"]
    out["relative_gap_change"] = out["relative_gap"] - out.pop("_prev_relative_gap")
    _, value_sig = _z_test(out["value_change"], out["se"], out.pop("_prev_se"), alpha)
    out["value_change_significant"] = value_sig
    z, gap_sig = _z_test(out["gap_change"], out["gap_se"], out.pop("_prev_gap_se"), alpha)
    out["gap_change_z"] = z
    out["gap_change_p"] = 2 * norm.sf(np.abs(z))
    out["gap_change_significant"] = gap_sig
    out["widened"] = _nullable((out["gap"] > 0) & (out["gap_change"] > 0),
                               out["gap_change"].isna())
    return out


def _z_test(change: pd.Series, se_now: pd.Series, se_before: pd.Series, alpha: float):
    """Two-sided z-test of a change between two independent estimates: ``(z, significant)``.

    ``significant`` is missing where a standard error is missing; a change of exactly 0 is
    never significant (also when both standard errors are 0)."""
    se = np.sqrt(se_now**2 + se_before**2)
    z = (change / se.where(se > 0)).where(change != 0, 0.0).where(se.notna())
    significant = 2 * norm.sf(np.abs(z)) < alpha
    return z.astype(float), _nullable(pd.Series(significant, index=change.index), z.isna())


def _nullable(values: pd.Series, missing: pd.Series) -> pd.Series:
    """A nullable boolean column: ``values`` where known, ``<NA>`` where ``missing``."""
    return values.astype("boolean").mask(missing.to_numpy())


def _join_flags(masks: dict[str, pd.Series], index: pd.Index) -> pd.Series:
    """``"a;b"`` from named boolean masks (empty string when none holds)."""
    text = pd.Series("", index=index)
    for name, mask in masks.items():  # a loop over reasons (columns), not rows
        add = mask.fillna(False).to_numpy(bool)
        text = text.where(~add, text + np.where(text == "", "", ";") + name)
    return text
