"""Uncertainty analysis: how much of a ranking comes from methodological choices?

``uncertainty(framework, observations, method, factors, runs=1000)`` re-runs the recorded
build ``runs`` times with the uncertain choices sampled (see :mod:`rightsmarker.ua.factors`):
alternative normalisations, imputations, aggregations, winsorisation limits, noisy weights
``w * (1 + U(-f, f))`` and dropped elements. Runs are computed as arrays over a runs axis
(:mod:`rightsmarker.ua.runner`), never as a loop of full pipeline re-runs, and equal such a loop
exactly (``UncertaintyResult.replay``). Per unit, period and aggregate node it reports the
nominal, mean, median, 5th and 95th percentile of the rank and of the score, and whether each
recognition level holds in at least ``robust_share`` of the runs. See docs/guide/8-uncertainty.md.
"""

from __future__ import annotations

import json
import sys
import types
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from .ua.design import column_groups, uniform_design
from .ua.factors import Factor, describe, load_factors
from .ua.robust import robust_levels
from .ua.runner import Choices, Plan, decode, make_plan, run
from .ua.stats import rank_runs, stats_table

__all__ = ["uncertainty", "UncertaintyResult", "prepare", "plot_rank_intervals"]


@dataclass
class UncertaintyResult:
    """Runs of one build; tables are long DataFrames computed on first access."""

    plan: Plan
    design: np.ndarray                   # runs x width uniform numbers
    choices: Choices
    scores_runs: np.ndarray              # runs x rows x aggregate nodes
    failed: np.ndarray                   # runs
    node: str | None = None
    robust_share: float = 0.9
    seconds: float = 0.0
    _cache: dict = field(default_factory=dict, repr=False)

    # ---- arrays ----
    @cached_property
    def ranks_runs(self) -> np.ndarray:
        """Ranks of every run: ``runs x rows x aggregate nodes`` (NaN for failed runs)."""
        periods = self.plan.index.get_level_values(1).to_numpy()
        return rank_runs(self.scores_runs, periods, self.plan.method.options.rank_ties)

    @cached_property
    def nominal_wide(self) -> tuple[np.ndarray, np.ndarray]:
        """Nominal scores and ranks, ``rows x aggregate nodes``."""
        final = self.plan.nominal.stages_wide[self.plan.nominal.final_stage]
        S = final.reindex(columns=self.plan.agg_nodes).to_numpy(dtype=float)
        periods = self.plan.index.get_level_values(1).to_numpy()
        R = rank_runs(S[None], periods, self.plan.method.options.rank_ties)[0]
        return S, R

    @property
    def nodes(self) -> list[str]:
        """The nodes reported: ``node`` or every aggregate node, root first."""
        if self.node is not None:
            return [self.node]
        fw = self.plan.framework
        order = {n.code: i for i, n in enumerate(fw.nodes)}
        return sorted(self.plan.agg_nodes, key=lambda c: (fw.depths[c], order[c]))

    # ---- tables ----
    @cached_property
    def rank_stats(self) -> pd.DataFrame:
        """``unit, node, period, nominal, mean, median, q05, q95`` of the ranks."""
        out = stats_table(self.ranks_runs, self.nominal_wide[1], self.plan.index,
                          self.plan.agg_nodes, self.nodes, whole=True)
        out["nominal"] = pd.array(out["nominal"].to_numpy(), dtype="Float64").astype("Int64")
        return out

    @cached_property
    def score_stats(self) -> pd.DataFrame:
        """``unit, node, period, nominal, mean, median, q05, q95`` of the scores."""
        return stats_table(self.scores_runs, self.nominal_wide[0], self.plan.index,
                           self.plan.agg_nodes, self.nodes)

    @cached_property
    def levels(self) -> pd.DataFrame:
        """Recognition robustness: ``unit, period, node, level, label, share, robust,
        robust_level`` (empty when the framework declares no recognition levels)."""
        return robust_levels(self.plan.nominal, self.scores_runs, self.plan.agg_nodes,
                             self.failed, self.robust_share)

    @cached_property
    def runs(self) -> pd.DataFrame:
        """The sampled choices of every run (weights as multipliers ``1 + U(-f, f)``)."""
        out = pd.DataFrame({"run": np.arange(len(self.failed)), "failed": self.failed})
        pos = {c: i for i, c in enumerate(self.plan.nodes)}
        for f in self.plan.factors:
            if f.type == "weights":
                for c in f.codes:
                    out[f"{f.name}:{c}"] = self.choices.mult[:, pos[c]]
            else:
                labels = np.array([f.label(i) for i in range(len(f.alternatives))], dtype=object)
                out[f.name] = labels[self.choices.idx[f.name]]
        return out

    def summary(self, node: str | None = None) -> pd.DataFrame:
        """Rank statistics of one node (default the root), by nominal rank."""
        node = node or self.plan.framework.root
        rs = self.rank_stats if node in self.nodes else stats_table(
            self.ranks_runs, self.nominal_wide[1], self.plan.index, self.plan.agg_nodes, [node])
        return rs[rs["node"] == node].sort_values(["period", "nominal"]).reset_index(drop=True)

    # ---- output ----
    def write(self, out: str | Path) -> list[Path]:
        """Write rank_stats.csv, score_stats.csv, levels.csv, runs.csv and uncertainty.json."""
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        several = self.plan.index.get_level_values(1).nunique() > 1
        written = []
        for name, df in (("rank_stats", self.rank_stats), ("score_stats", self.score_stats)):
            cols = ["unit", "node"] + (["period"] if several else []) + [
                "nominal", "mean", "median", "q05", "q95"]
            path = out / f"{name}.csv"
            df[cols].to_csv(path, index=False)
            written.append(path)
        for name, df in (("levels", self.levels), ("runs", self.runs)):
            path = out / f"{name}.csv"
            df.to_csv(path, index=False)
            written.append(path)
        path = out / "uncertainty.json"
        path.write_text(json.dumps(self.record(), indent=2), encoding="utf-8")
        return written + [path]

    def record(self) -> dict:
        """What was run: the method, the factors, runs, failures, timing."""
        return {"method": self.plan.method.to_dict(), "factors": describe(self.plan.factors),
                "runs": int(len(self.failed)), "failed": int(self.failed.sum()),
                "robust_share": self.robust_share, "engine_seconds": round(self.seconds, 4)}

    # ---- checking ----
    def replay(self, r: int):
        """Run ``r`` re-run through :func:`rightsmarker.score` (a plain, slow reference)."""
        from .ua.replay import replay

        return replay(self.plan, self.choices, r)


def prepare(framework, observations, method=None, factors=None, *, units=None):
    """The nominal build and the factors resolved against its framework."""
    from .engine.build import score

    nominal = score(framework, observations, method, units=units)
    resolved = load_factors(factors, nominal.framework)
    return nominal, resolved


def check_node(fw, node: str) -> None:
    """``node`` must be an aggregate node (indicators are not re-scored by the runs)."""
    from .errors import UnknownNameError

    aggregates = [n.code for n in fw.aggregates]
    if node not in aggregates:
        raise UnknownNameError("aggregate node", node, aggregates)


def run_design(nominal, factors: list[Factor], design: np.ndarray, progress=None,
               threads: int | None = None):
    """Plan, decoded choices, scores and failures for a design matrix."""
    plan = make_plan(nominal, factors, column_groups([f.width for f in factors]))
    choices = decode(plan, design)
    scores, failed = run(plan, choices, progress=progress, threads=threads)
    return plan, choices, scores, failed


def uncertainty(framework, observations, method=None, factors=None, runs: int = 1000,
                seed: int = 0, units=None, node: str | None = None, robust_share: float = 0.9,
                *, progress=None, threads: int | None = None) -> UncertaintyResult:
    """Monte Carlo uncertainty analysis of a build; see the module docstring.

    ``factors``: a YAML path, a list of factor dicts or ``{"factors": [...]}``. ``node``: report
    only this node (default: every aggregate node). ``progress``: called with the number of
    runs done after each group of runs. Deterministic for a ``seed``.
    """
    import time

    nominal, resolved = prepare(framework, observations, method, factors, units=units)
    if node is not None:
        check_node(nominal.framework, node)
    started = time.perf_counter()
    design = uniform_design(runs, [f.width for f in resolved], seed)
    plan, choices, scores, failed = run_design(nominal, resolved, design, progress, threads)
    return UncertaintyResult(plan, design, choices, scores, failed, node, robust_share,
                             time.perf_counter() - started)


def plot_rank_intervals(rank_stats: pd.DataFrame, node: str, period=None, title=None):
    """A Plotly figure: per unit, the 5th-95th percentile rank interval, median and nominal."""
    from .ua.plot import plot_rank_intervals as plot

    return plot(rank_stats, node, period, title)


class _CallableModule(types.ModuleType):
    """``rightsmarker.uncertainty`` is both this module and the function: once the module is
    imported, the package attribute is the module, so calling it calls the function."""

    def __call__(self, *args, **kwargs):
        return uncertainty(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
