"""Vectorised statistics on the aggregated sums (numpy arrays, one element per group).

Formulas (see docs/guide/discovery.md):

* estimate ``m = swy / sw``; Kish's effective size ``n_eff = sw^2 / sw2`` (``= n`` unweighted);
* a proportion's interval is Wilson's score interval with ``n_eff`` in place of ``n``;
* a mean's interval is ``m +/- t(n_eff - 1) * s / sqrt(n_eff)`` with the weighted variance
  ``s^2 = (swy2 / sw - m^2) * n_eff / (n_eff - 1)``;
* two disjoint sets of rows (a group and everyone else, or a group and the rest of its parent)
  are compared by a two-sided z test of proportions with the pooled proportion and ``n_eff`` of
  each side, or by Welch's t test for means with ``n_eff`` and Welch–Satterthwaite degrees of
  freedom;
* q-values by the Benjamini–Hochberg step-up procedure over all tested groups.
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np

from .sums import SUMS


class Sums(dict):
    """The six sums of ``sums.SUMS`` as float arrays; supports subtraction."""

    @classmethod
    def of(cls, frame, prefix: str = "") -> Sums:
        return cls({s: frame[prefix + s].to_numpy(dtype=float) for s in SUMS})

    def __sub__(self, other: Sums) -> Sums:
        return Sums({s: self[s] - other[s] for s in SUMS})

    def take(self, index) -> Sums:
        return Sums({s: self[s][index] for s in SUMS})

    def broadcast(self, size: int) -> Sums:
        return Sums({s: np.broadcast_to(self[s], (size,)).astype(float) for s in SUMS})


def _div(a, b):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b > 0, a / np.where(b > 0, b, 1.0), np.nan)


def estimate(s: Sums) -> np.ndarray:
    return _div(s["swy"], s["sw"])


def n_eff(s: Sums) -> np.ndarray:
    """Kish's effective sample size ``(sum w)^2 / sum w^2``."""
    return _div(s["sw"] ** 2, s["sw2"])


def variance(s: Sums) -> np.ndarray:
    """Weighted unit variance of y with the ``n_eff / (n_eff - 1)`` correction."""
    m = estimate(s)
    ne = n_eff(s)
    raw = np.clip(_div(s["swy2"], s["sw"]) - m**2, 0.0, None)
    return _div(raw * ne, ne - 1.0)


_ERFC = np.frompyfunc(math.erfc, 1, 1)


def normal_p(z) -> np.ndarray:
    """Two-sided p-value of a standard normal statistic: ``erfc(|z| / sqrt(2))``."""
    z = np.asarray(z, dtype=float)
    p = np.full(z.shape, np.nan)
    ok = np.isfinite(z)
    p[ok] = _ERFC(np.abs(z[ok]) / math.sqrt(2)).astype(float)
    p[np.isinf(z)] = 0.0
    return p


def _student():
    from scipy import special  # only numeric outcomes need the t distribution

    return special


def z_value(alpha: float) -> float:
    return NormalDist().inv_cdf(1 - alpha / 2)


def wilson(p: np.ndarray, n: np.ndarray, alpha: float = 0.05):
    """Wilson score interval for proportions ``p`` with (effective) sizes ``n``."""
    z = z_value(alpha)
    z2 = z * z
    with np.errstate(divide="ignore", invalid="ignore"):
        denom = 1.0 + z2 / n
        centre = (p + z2 / (2 * n)) / denom
        half = z / denom * np.sqrt(np.clip(p * (1 - p), 0, None) / n + z2 / (4 * n * n))
    lo = np.where(p <= 0, 0.0, np.clip(centre - half, 0.0, 1.0))  # exact at the bounds
    hi = np.where(p >= 1, 1.0, np.clip(centre + half, 0.0, 1.0))
    return lo, hi


def mean_interval(m: np.ndarray, var: np.ndarray, n: np.ndarray, alpha: float = 0.05):
    """t interval for weighted means with ``n_eff - 1`` degrees of freedom."""
    with np.errstate(divide="ignore", invalid="ignore"):
        df = np.where(n > 1, n - 1.0, np.nan)
        t = _student().stdtrit(df, 1 - alpha / 2)
        half = t * np.sqrt(var / n)
    return m - half, m + half


def interval(s: Sums, binary: bool, alpha: float):
    m, ne = estimate(s), n_eff(s)
    if binary:
        return wilson(m, ne, alpha)
    return mean_interval(m, variance(s), ne, alpha)


def compare(a: Sums, b: Sums, binary: bool) -> np.ndarray:
    """Two-sided p-values of "a and b (disjoint rows) have the same mean/proportion"."""
    ma, mb = estimate(a), estimate(b)
    na, nb = n_eff(a), n_eff(b)
    with np.errstate(divide="ignore", invalid="ignore"):
        if binary:
            pooled = (a["swy"] + b["swy"]) / (a["sw"] + b["sw"])
            se = np.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb))
            z = (ma - mb) / se
            p = normal_p(z)
        else:
            va, vb = variance(a) / na, variance(b) / nb
            se2 = va + vb
            df = se2**2 / (va**2 / (na - 1) + vb**2 / (nb - 1))
            t = (ma - mb) / np.sqrt(se2)
            p = 2 * _student().stdtr(df, -np.abs(t))
    same = np.isclose(ma, mb, rtol=0, atol=1e-12)
    p = np.where(np.isnan(p) & same & np.isfinite(ma) & np.isfinite(mb), 1.0, p)
    valid = (na > 1) & (nb > 1)
    return np.where(valid, p, np.nan)


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (q-values); NaN stays NaN and is not counted."""
    p = np.asarray(p, dtype=float)
    q = np.full(p.shape, np.nan)
    ok = np.flatnonzero(np.isfinite(p))
    m = ok.size
    if m == 0:
        return q
    order = ok[np.argsort(p[ok], kind="mergesort")]
    ranked = p[order] * m / np.arange(1, m + 1)
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    q[order] = np.clip(ranked, 0.0, 1.0)
    return q


def adjusted_variance(s: Sums, binary: bool) -> np.ndarray:
    """Variance of a group's estimate for tests of change between waves.

    Proportions use ``p~(1 - p~) / n_eff`` with ``p~ = (n_eff p + 1) / (n_eff + 2)`` (one success
    and one failure added, as in the Agresti–Caffo interval), so a group with no positive cases
    still has a positive variance; means use ``s^2 / n_eff``.
    """
    m, ne = estimate(s), n_eff(s)
    if binary:
        pt = (ne * m + 1.0) / (ne + 2.0)
        return _div(pt * (1 - pt), ne)
    return _div(variance(s), ne)
