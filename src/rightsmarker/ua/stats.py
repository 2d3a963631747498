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
    order = np.argsort(key, axis=-1, kind="stable" if ties == "first" else "quicksort")
    n = S.shape[-1]
    pos = np.broadcast_to(np.arange(1, n + 1, dtype=float), S.shape)
    r = pos
    if ties != "first":
        sk = np.take_along_axis(key, order, axis=-1)
        new = np.ones(sk.shape, dtype=bool)
        np.not_equal(sk[..., 1:], sk[..., :-1], out=new[..., 1:])
        new |= np.isinf(sk)                  # missing values: no ties, dropped below
        if not new.all():
            r = _tie_ranks(new, pos, n, ties)
    ranks = np.empty(S.shape)
    np.put_along_axis(ranks, order, r, axis=-1)
    ranks[nan] = np.nan
    return np.round(ranks) if ties == "average" else ranks


def _tie_ranks(new: np.ndarray, pos: np.ndarray, n: int, ties: str) -> np.ndarray:
    """Ranks of sorted values from the start-of-a-tie-group mask ``new``."""
    if ties == "dense":
        return np.cumsum(new, axis=-1, dtype=float)
    first = np.maximum.accumulate(np.where(new, pos, 0.0), axis=-1)
    if ties == "min":
        return first
    end = np.ones(new.shape, dtype=bool)
    end[..., :-1] = new[..., 1:]
    last = np.minimum.accumulate(np.where(end, pos, n + 1.0)[..., ::-1], axis=-1)[..., ::-1]
    return last if ties == "max" else (first + last) / 2.0


def rank_runs(S: np.ndarray, periods: np.ndarray, ties: str = "min") -> np.ndarray:
    """Ranks of ``S`` (``runs x rows x nodes``) over the rows of each period."""
    T = np.ascontiguousarray(np.moveaxis(S, 1, 2))          # runs x nodes x rows
    out = np.full(T.shape, np.nan)
    for p in pd.unique(periods):
        rows = np.flatnonzero(periods == p)
        block = T if len(rows) == T.shape[2] else T[:, :, rows]
        out[:, :, rows] = rank_last(block, ties)
    return np.moveaxis(out, 2, 1)


def _count_quantiles(A: np.ndarray, probs) -> np.ndarray:
    """Type-7 quantiles over axis 0 of whole numbers 1..k (ranks), by counting, NaN ignored."""
    k = int(np.nanmax(A)) if np.isfinite(A).any() else 1
    cells = A.shape[1:]
    flat = A.reshape(A.shape[0], -1)
    ok = ~np.isnan(flat)
    idx = np.where(ok, flat, 0).astype(np.int64) + np.arange(flat.shape[1]) * (k + 1)
    counts = np.bincount(idx[ok], minlength=flat.shape[1] * (k + 1)).reshape(-1, k + 1)
    cum = np.cumsum(counts, axis=1)                          # cells x values
    N = cum[:, -1]
    out = []
    for p in probs:
        h = (N - 1) * p
        lo = np.floor(h).astype(np.int64)
        a = np.argmax(cum > lo[:, None], axis=1)
        b = np.argmax(cum > np.minimum(lo + 1, N - 1)[:, None], axis=1)
        q = np.where(N > 0, a + (h - lo) * (b - a), np.nan)
        out.append(q.reshape(cells))
    return np.stack(out)


def summarise(A: np.ndarray, whole: bool = False) -> dict[str, np.ndarray]:
    """Mean, median, 5th and 95th percentile over the runs axis (0), ignoring NaN.

    ``whole``: the values are whole numbers from 1 (ranks), counted instead of sorted.
    """
    probs = [0.05, 0.5, 0.95]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)
        if whole:
            q, mean = _count_quantiles(A, probs), np.nanmean(A, axis=0)
        elif np.isnan(A).any():
            q, mean = np.nanquantile(A, probs, axis=0), np.nanmean(A, axis=0)
        else:
            q, mean = np.quantile(A, probs, axis=0), A.mean(axis=0)
    return {"mean": mean, "median": q[1], "q05": q[0], "q95": q[2]}


def stats_table(A: np.ndarray, nominal: np.ndarray, index: pd.MultiIndex,
                nodes: list[str], keep: list[str], whole: bool = False) -> pd.DataFrame:
    """Long table ``unit, node, period, nominal, mean, median, q05, q95`` for nodes ``keep``."""
    j = [nodes.index(c) for c in keep]
    s = summarise(A[:, :, j], whole)
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
