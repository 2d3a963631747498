"""Ranks of every run and their summaries (nominal, mean, median, 5th and 95th percentile).

Ranks follow :func:`rightsmarker.engine.build.scores_long`: 1 = best, within a period and a
node, ties by the method's ``rank_ties`` (``min`` by default), missing scores unranked, and
rounded half to even as the engine rounds average ranks. Percentiles are linear
interpolations between order statistics (R's and COINr's default, type 7).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

STAT_COLUMNS = ["unit", "node", "period", "nominal", "mean", "median", "q05", "q95"]


def rank_last(S: np.ndarray, ties: str = "min") -> np.ndarray:
    """Descending ranks along the last axis (1 = highest); NaN stays NaN."""
    nan = np.isnan(S)
    key = np.where(nan, np.inf, -S)
    order = np.argsort(key, axis=-1, kind="stable")
    sk = np.take_along_axis(key, order, axis=-1)
    n = S.shape[-1]
    pos = np.broadcast_to(np.arange(1, n + 1, dtype=float), sk.shape)
    new = np.ones(sk.shape, dtype=bool)
    new[..., 1:] = sk[..., 1:] != sk[..., :-1]
    first = np.maximum.accumulate(np.where(new, pos, 0.0), axis=-1)
    end = np.ones(sk.shape, dtype=bool)
    end[..., :-1] = new[..., 1:]
    last = np.minimum.accumulate(np.where(end, pos, n + 1.0)[..., ::-1], axis=-1)[..., ::-1]
    r = {"min": first, "max": last, "average": (first + last) / 2.0, "first": pos,
         "dense": np.cumsum(new, axis=-1).astype(float)}[ties]
    ranks = np.empty(S.shape)
    np.put_along_axis(ranks, order, r, axis=-1)
    ranks[nan] = np.nan
    return np.round(ranks)


def rank_runs(S: np.ndarray, periods: np.ndarray, ties: str = "min") -> np.ndarray:
    """Ranks of ``S`` (``runs x rows x nodes``) over the rows of each period."""
    out = np.full(S.shape, np.nan)
    for p in pd.unique(periods):
        rows = np.flatnonzero(periods == p)
        block = np.moveaxis(S[:, rows, :], 1, 2)            # runs x nodes x units
        out[:, rows, :] = np.moveaxis(rank_last(block, ties), 2, 1)
    return out


def summarise(A: np.ndarray) -> dict[str, np.ndarray]:
    """Mean, median, 5th and 95th percentile over the runs axis (0), ignoring NaN."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)
        if np.isnan(A).any():
            q = np.nanquantile(A, [0.05, 0.5, 0.95], axis=0)
            mean = np.nanmean(A, axis=0)
        else:
            q = np.quantile(A, [0.05, 0.5, 0.95], axis=0)
            mean = A.mean(axis=0)
    return {"mean": mean, "median": q[1], "q05": q[0], "q95": q[2]}


def stats_table(A: np.ndarray, nominal: np.ndarray, index: pd.MultiIndex,
                nodes: list[str], keep: list[str]) -> pd.DataFrame:
    """Long table ``unit, node, period, nominal, mean, median, q05, q95`` for nodes ``keep``."""
    j = [nodes.index(c) for c in keep]
    s = summarise(A[:, :, j])
    rows = len(index)
    out = pd.DataFrame({
        "unit": np.tile(index.get_level_values(0).to_numpy(), len(j)),
        "node": np.repeat(np.asarray(keep, dtype=object), rows),
        "period": np.tile(index.get_level_values(1).to_numpy(), len(j)),
        "nominal": nominal[:, j].T.ravel(),
    })
    for name, values in s.items():
        out[name] = values.T.ravel()
    return out
