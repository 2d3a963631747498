"""Many runs of one build, computed as arrays over a runs axis.

The steps before the first uncertain one are taken from the nominal build. For each distinct
combination of the discrete choices that change steps before ``aggregate`` (imputation,
winsorisation, normalisation) the steps from the first uncertain one up to ``aggregate`` run
once, through the registered step functions. Then every run of that combination and of each
aggregation alternative is aggregated at once (see :mod:`rightsmarker.ua.kernels`), with
per-run weights (noise) and per-run dropped elements.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import DataError, MethodError, Problem
from .factors import Factor, method_params
from .kernels import aggregate_runs


@dataclass
class Plan:
    """Everything the runs share: inputs, the nominal build, factors and their columns."""

    framework: object
    method: object
    units: pd.DataFrame | None
    nominal: object                      # the nominal Result
    factors: list[Factor]
    cols: list[slice]                    # columns of the design read by each factor
    agg_pos: int = 0
    first: int = 0
    nodes: list[str] = field(default_factory=list)
    agg_nodes: list[str] = field(default_factory=list)

    @property
    def index(self) -> pd.MultiIndex:
        return self.nominal.stages_wide[self.nominal.final_stage].index


@dataclass
class Choices:
    """The design decoded: alternative indices, weight multipliers and dropped nodes per run."""

    idx: dict[str, np.ndarray]
    mult: np.ndarray                     # runs x nodes
    dropped: np.ndarray                  # runs x nodes (a dropped node and its descendants)

    @property
    def runs(self) -> int:
        return self.mult.shape[0]


def make_plan(nominal, factors: list[Factor], cols: list[slice]) -> Plan:
    """Check the factors against the nominal build's method and find the uncertain steps."""
    method, fw = nominal.method, nominal.framework
    names = method.step_names()
    if names[-1] != "aggregate":
        raise MethodError("uncertainty needs a method ending with its aggregate step",
                          [Problem("steps after aggregate", column="steps", value=names)])
    problems, first, seen = [], len(names) - 1, set()
    for f in factors:
        if f.step is None:
            continue
        if f.step not in names:
            problems.append(Problem(f"factor {f.name!r} changes step {f.step!r}, which the "
                                    "method does not have", column="factors", value=f.name,
                                    expected=", ".join(names)))
            continue
        if f.step in seen:
            problems.append(Problem(f"two factors change step {f.step!r}", column="factors",
                                    value=f.name))
        seen.add(f.step)
        first = min(first, names.index(f.step))
    if problems:
        raise MethodError("factors do not fit the method", problems)
    return Plan(fw, method, nominal.units, nominal, factors, cols, len(names) - 1, first,
                [n.code for n in fw.nodes], [n.code for n in fw.aggregates])


def decode(plan: Plan, U: np.ndarray) -> Choices:
    """Per-run choices from a ``runs x width`` design of uniform numbers."""
    fw, pos = plan.framework, {c: i for i, c in enumerate(plan.nodes)}
    runs = U.shape[0]
    idx, mult = {}, np.ones((runs, len(plan.nodes)))
    dropped = np.zeros((runs, len(plan.nodes)), dtype=bool)
    for f, cols in zip(plan.factors, plan.cols, strict=True):
        values = f.decode(U[:, cols])
        if f.type == "weights":
            mult[:, [pos[c] for c in f.codes]] *= values
            continue
        idx[f.name] = values
        if f.type == "drop":
            for a, code in enumerate(f.alternatives):
                if code is not None:
                    hit = [pos[code]] + [pos[c] for c in fw.descendants(code)]
                    dropped[np.ix_(values == a, hit)] = True
    return Choices(idx, mult, dropped)


def _prefix(plan: Plan):
    """The data before the first uncertain step, and the weights in force there."""
    from ..engine.context import BuildContext

    nominal, fw = plan.nominal, plan.framework
    data = list(nominal.stages_wide.values())[plan.first]
    ctx = BuildContext(framework=fw, units=plan.units,
                       weights={n.code: float(n.weight) for n in fw.nodes})
    for rec in nominal.records[: plan.first]:
        if "weights_" in (rec.get("learned") or {}):
            ctx.weights = dict(rec["learned"]["weights_"])
    return data, ctx


def _combo_params(plan: Plan, key: tuple) -> dict[int, dict]:
    """Step position -> params for one combination of pre-aggregate choices."""
    steps = plan.method.steps
    names = [s.step for s in steps]
    out = {}
    pre = [f for f in plan.factors if f.step not in (None, "aggregate")]
    for f, a in zip(pre, key, strict=True):
        p = names.index(f.step)
        out[p] = method_params(f.step, steps[p].params, f.alternatives[a])
    return out


def _run_combo(plan: Plan, data: pd.DataFrame, ctx0, key: tuple):
    """The data entering ``aggregate`` and the weights, for one combination."""
    from dataclasses import replace

    from ..registry import steps as step_registry

    ctx = replace(ctx0, weights=dict(ctx0.weights))
    changed = _combo_params(plan, key)
    for p in range(plan.first, plan.agg_pos):
        rec = plan.method.steps[p]
        res = step_registry.get(rec.step)(data, ctx, **changed.get(p, rec.params))
        data = res.data
    return data.reindex(plan.index), ctx


def _groups(plan: Plan, ch: Choices) -> dict[tuple, dict[int, np.ndarray]]:
    """``{pre-aggregate key: {aggregation alternative: run indices}}``."""
    runs = ch.runs
    pre = [f for f in plan.factors if f.step not in (None, "aggregate")]
    agg = next((f for f in plan.factors if f.step == "aggregate"), None)
    keys = np.column_stack([ch.idx[f.name] for f in pre]) if pre else np.zeros((runs, 0), int)
    agg_idx = ch.idx[agg.name] if agg else np.full(runs, -1)
    out: dict[tuple, dict[int, np.ndarray]] = {}
    full = np.column_stack([keys, agg_idx])
    uniq, inverse = np.unique(full, axis=0, return_inverse=True)
    for g, row in enumerate(uniq):
        out.setdefault(tuple(int(v) for v in row[:-1]), {})[int(row[-1])] = np.flatnonzero(
            inverse.ravel() == g)
    return out


def _chunk(plan: Plan, budget: float = 4e6) -> int:
    """Runs aggregated at once, so that a ``runs x rows x children`` array stays near ``budget``
    numbers (32 MB)."""
    fw = plan.framework
    widest = max((len(fw.children(c)) for c in plan.agg_nodes), default=1)
    return max(1, int(budget // max(1, len(plan.index) * widest)))


def run(plan: Plan, ch: Choices, progress=None, threads: int | None = None):
    """Scores of every aggregate node: ``(runs x rows x aggregate nodes)``, and failed runs."""
    data0, ctx0 = _prefix(plan)
    groups = _groups(plan, ch)
    agg = next((f for f in plan.factors if f.step == "aggregate"), None)
    nominal_params = plan.method.steps[plan.agg_pos].params
    out = np.full((ch.runs, len(plan.index), len(plan.agg_nodes)), np.nan)
    failed = np.zeros(ch.runs, dtype=bool)

    chunk = _chunk(plan)

    def one(key, by_agg):
        try:
            data, ctx = _run_combo(plan, data0, ctx0, key)
        except DataError:  # this combination cannot be built: its runs fail
            for rows in by_agg.values():
                failed[rows] = True
            return sum(len(r) for r in by_agg.values())
        for a, rows in by_agg.items():
            params = nominal_params if a < 0 else method_params(
                "aggregate", nominal_params, agg.alternatives[a])
            for start in range(0, len(rows), chunk):
                part = rows[start:start + chunk]
                scores, bad = aggregate_runs(plan, data, ctx, dict(params),
                                             ch.mult[part], ch.dropped[part])
                out[part] = scores
                failed[part] = bad
        return sum(len(r) for r in by_agg.values())

    workers = max(1, min(len(groups), threads or os.cpu_count() or 1))
    if workers == 1:
        finished = (one(k, v) for k, v in groups.items())
    else:
        pool = ThreadPoolExecutor(max_workers=workers)
        finished = pool.map(lambda kv: one(*kv), groups.items())
    for done in finished:
        if progress is not None:
            progress(done)
    if workers > 1:
        pool.shutdown()
    out[failed] = np.nan
    return out, failed
