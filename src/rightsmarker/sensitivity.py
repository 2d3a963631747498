"""Sensitivity analysis: which uncertain choices drive the ranking, and which elements matter.

``sensitivity(...)`` runs the Saltelli design (``N (d + 2)`` runs for ``d`` factors; rows
``A, B, AB_1 .. AB_d``, see :mod:`rightsmarker.ua.design`) through the vectorised runner and
estimates, for the output ``y`` = mean absolute rank shift of a node against its nominal ranks
(as COINr), the first-order index (Saltelli et al. 2010) and the total-order index (Jansen
1999), with bootstrap percentile confidence intervals (the estimators SALib's ``sobol.analyze``
uses)::

    V    = Var([y_A, y_B])
    S_i  = mean(y_B * (y_ABi - y_A)) / V
    ST_i = mean((y_A - y_ABi) ** 2) / (2 V)

``remove_elements(...)`` drops each element of a level in turn (one run each) and reports the
mean absolute rank change of a node. See docs/guide/8-uncertainty.md.
"""

from __future__ import annotations

import sys
import types
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .ua.design import saltelli_design
from .uncertainty import UncertaintyResult, check_node, prepare, run_design

__all__ = ["sensitivity", "SensitivityResult", "sobol_indices", "remove_elements"]

INDEX_COLUMNS = ["factor", "Si", "STi", "Si_low", "Si_high", "STi_low", "STi_high"]


def _estimates(yA, yB, yAB):
    """First and total order indices; arrays with a leading bootstrap axis or none.

    Failed runs (NaN outputs) are left out of each mean.
    """
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        V = np.nanvar(np.concatenate([yA, yB], axis=-1), axis=-1)
        Si = np.nanmean(yB[..., None, :] * (yAB - yA[..., None, :]), axis=-1) / V[..., None]
        STi = 0.5 * np.nanmean((yA[..., None, :] - yAB) ** 2, axis=-1) / V[..., None]
    return Si, STi


def sobol_indices(y: np.ndarray, n: int, names: list[str], bootstrap: int = 100,
                  conf: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """Sobol' indices from the outputs ``y`` of an ``n (d + 2)`` Saltelli design.

    Returns ``factor, Si, STi, Si_low, Si_high, STi_low, STi_high``; the bounds are the
    ``(1 - conf) / 2`` and ``(1 + conf) / 2`` percentiles over ``bootstrap`` resamples of the
    ``n`` base rows (the same rows for ``A``, ``B`` and every ``AB_i``).
    """
    d = len(names)
    y = np.asarray(y, dtype=float)
    if y.shape[0] != n * (d + 2):
        raise ValueError(f"expected {n * (d + 2)} outputs for n = {n} and d = {d}, got {len(y)}")
    yA, yB, yAB = y[:n], y[n:2 * n], y[2 * n:].reshape(d, n)
    Si, STi = _estimates(yA, yB, yAB)
    out = pd.DataFrame({"factor": names, "Si": Si, "STi": STi})
    if bootstrap and bootstrap > 0:
        rows = np.random.default_rng(seed).integers(0, n, size=(int(bootstrap), n))
        bSi, bSTi = _estimates(yA[rows], yB[rows], np.moveaxis(yAB[:, rows], 0, 1))
        lo, hi = 100 * (1 - conf) / 2, 100 * (1 + conf) / 2
        out["Si_low"], out["Si_high"] = np.nanpercentile(bSi, [lo, hi], axis=0)
        out["STi_low"], out["STi_high"] = np.nanpercentile(bSTi, [lo, hi], axis=0)
    else:
        for c in INDEX_COLUMNS[3:]:
            out[c] = np.nan
    return out[INDEX_COLUMNS]


def mean_abs_rank_shift(result: UncertaintyResult, node: str) -> np.ndarray:
    """Per run: the mean over units (and periods) of ``|rank - nominal rank|`` of ``node``."""
    j = result.plan.agg_nodes.index(node)
    ranks = result.ranks_runs[:, :, j]
    nominal = result.nominal_wide[1][:, j]
    with np.errstate(invalid="ignore"):
        diff = np.abs(ranks - nominal[None, :])
    ok = ~np.isnan(diff)
    return np.where(ok.any(axis=1), np.where(ok, diff, 0).sum(axis=1) / np.maximum(
        ok.sum(axis=1), 1), np.nan)


@dataclass
class SensitivityResult:
    """Sensitivity indices, the output of every run, and the runs themselves."""

    indices: pd.DataFrame
    output: np.ndarray                   # y per run (mean absolute rank shift)
    n: int
    node: str
    runs_result: UncertaintyResult       # all N (d + 2) runs

    @property
    def uncertainty(self) -> UncertaintyResult:
        """The ``2N`` independent runs (rows ``A`` and ``B``), as an uncertainty analysis."""
        r = self.runs_result
        keep = slice(0, 2 * self.n)
        return UncertaintyResult(r.plan, r.design[keep], _subset(r.choices, keep),
                                 r.scores_runs[keep], r.failed[keep], r.node, r.robust_share)

    def write(self, out) -> list:
        """Write sensitivity.csv (the indices)."""
        from pathlib import Path

        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        path = out / "sensitivity.csv"
        self.indices.to_csv(path, index=False)
        return [path]


def _subset(choices, keep):
    from .ua.runner import Choices

    return Choices({k: v[keep] for k, v in choices.idx.items()}, choices.mult[keep],
                   choices.dropped[keep])


def sensitivity(framework, observations, method=None, factors=None, n: int = 100,
                seed: int = 0, units=None, node: str | None = None, bootstrap: int = 100,
                conf: float = 0.95, *, progress=None, threads=None) -> SensitivityResult:
    """Variance-based sensitivity of a node's mean absolute rank shift to each factor.

    ``n`` base samples give ``n (d + 2)`` runs. ``node`` defaults to the root. Failed runs
    (a geometric mean of a non-positive value, say) give NaN and are left out of the means.
    """
    nominal, resolved = prepare(framework, observations, method, factors, units=units)
    node = node or nominal.framework.root
    check_node(nominal.framework, node)
    design = saltelli_design(n, [f.width for f in resolved], seed)
    plan, choices, scores, failed = run_design(nominal, resolved, design, progress, threads)
    runs = UncertaintyResult(plan, design, choices, scores, failed, node)
    y = mean_abs_rank_shift(runs, node)
    indices = sobol_indices(y, n, [f.name for f in resolved], bootstrap, conf, seed)
    return SensitivityResult(indices, y, n, node, runs)


def remove_elements(framework, observations, method=None, level: int | None = 1, *,
                    depth: int | None = None, node: str | None = None,
                    units=None) -> pd.DataFrame:
    """Drop each element of a level (COINr-style, 1 = indicators) or ``depth`` in turn.

    Returns one row per element: ``element, mean_abs_rank_change, max_abs_rank_change`` of
    ``node`` (default the root) against the nominal ranks, most influential first.
    """
    spec = {"name": "drop", "type": "drop", "none": False}
    spec.update({"depth": depth} if depth is not None else {"level": level})
    nominal, (factor,) = prepare(framework, observations, method, [spec], units=units)
    node = node or nominal.framework.root
    check_node(nominal.framework, node)
    k = len(factor.alternatives)
    design = ((np.arange(k) + 0.5) / k)[:, None]
    plan, choices, scores, failed = run_design(nominal, [factor], design)
    res = UncertaintyResult(plan, design, choices, scores, failed, node)
    j = plan.agg_nodes.index(node)
    with np.errstate(invalid="ignore"):
        diff = np.abs(res.ranks_runs[:, :, j] - res.nominal_wide[1][None, :, j])
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        mean, top = np.nanmean(diff, axis=1), np.nanmax(diff, axis=1)
    out = pd.DataFrame({"element": factor.alternatives, "node": node,
                        "mean_abs_rank_change": mean, "max_abs_rank_change": top,
                        "failed": failed})
    return out.sort_values("mean_abs_rank_change", ascending=False, ignore_index=True)



class _CallableModule(types.ModuleType):
    """``rightsmarker.sensitivity`` is both this module and the function (see uncertainty)."""

    def __call__(self, *args, **kwargs):
        return sensitivity(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
