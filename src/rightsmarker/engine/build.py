"""The pipeline runner: ``score(framework, observations, method) -> Result``.

The build is a list of recorded steps (see :mod:`rightsmarker.engine.method`). Each step
reads the previous step's wide table and writes a new one; every stage is kept in
``Result.stages`` and every record, with what was learned from the data, in ``Result.log``.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError
from ..framework.model import Framework
from ..registry import steps as step_registry
from .method import Method, load_method, register_builtin_steps
from .tables import long_frame


@dataclass
class Result:
    """Everything a scoring run produced; results are long pandas DataFrames."""

    framework: Framework
    method: Method
    stages_wide: dict[str, pd.DataFrame]
    records: list[dict]
    notes: dict[str, pd.DataFrame]
    meta: dict[str, Any]
    observations: Any = None
    units: pd.DataFrame | None = None
    _cache: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    # ---- the main tables ----
    @property
    def scores(self) -> pd.DataFrame:
        """Scores and ranks at every level: ``unit, period, node, level, score, rank``."""
        if "scores" not in self._cache:
            self._cache["scores"] = scores_long(
                self.stages_wide[self.final_stage], self.framework, self.method.options.rank_ties
            )
        return self._cache["scores"]

    @property
    def final_stage(self) -> str:
        return next(reversed(self.stages_wide))

    @property
    def stages(self) -> dict[str, pd.DataFrame]:
        """Every stage as a long DataFrame ``unit, period, node, value``, in build order."""
        return {name: stage_long(df) for name, df in self.stages_wide.items()}

    @property
    def measured(self) -> pd.DataFrame:
        """The values thresholds are read against: after denomination, before imputation."""
        return self.stages_wide.get("denominate", self.stages_wide["raw"])

    @property
    def dashboard(self) -> pd.DataFrame:
        if "dashboard" not in self._cache:
            from .dashboard import dashboard

            self._cache["dashboard"] = dashboard(self)
        return self._cache["dashboard"]

    @property
    def trends(self) -> pd.DataFrame:
        if "trends" not in self._cache:
            from .trends import trends

            self._cache["trends"] = trends(self)
        return self._cache["trends"]

    @property
    def trend_summary(self) -> pd.DataFrame:
        from .trends import trend_summary

        return trend_summary(self.trends)

    @property
    def levels(self) -> pd.DataFrame:
        if "levels" not in self._cache:
            from .levels import recognition_levels

            self._cache["levels"], self._cache["level_checks"] = recognition_levels(self)
        return self._cache["levels"]

    @property
    def level_checks(self) -> pd.DataFrame:
        self.levels  # noqa: B018 - computes both tables
        return self._cache["level_checks"]

    @property
    def log(self) -> list[dict]:
        """The step records: ``step``, ``params`` (as given) and ``learned`` (from the data)."""
        return self.records

    # ---- explanation and re-runs ----
    def explain(self, unit: str, period: int, node: str) -> pd.DataFrame:
        """How one score was computed: the node and its children at every stage, with weights."""
        fw = self.framework
        codes = [node] + fw.children(node)
        rows = []
        weights = self.meta.get("weights", {})
        for code in codes:
            row = {"node": code, "role": "node" if code == node else "child",
                   "weight": weights.get(code, fw.node(code).weight)}
            for name, df in self.stages_wide.items():
                if code in df.columns and (unit, period) in df.index:
                    row[name] = df.at[(unit, period), code]
            rows.append(row)
        return pd.DataFrame(rows)

    def regenerate(self, changes: dict | list | None = None, **kwargs) -> Result:
        """Re-run the build with changed step records (see :meth:`Method.with_changes`)."""
        method = self.method.with_changes(changes) if changes else self.method
        return score(self.framework, self.observations, method, units=self.units, **kwargs)

    def build_record(self) -> dict:
        """The JSON-serialisable record of the build (written as ``build.json``)."""
        return {**self.meta, "method": self.method.to_dict(), "steps": self.records}

    def write(self, out: str | Path, stages: bool = True, format: str = "csv",
              stages_format: str = "parquet") -> list[Path]:
        """Write scores, dashboard, trends, levels (CSV or Parquet), stages and build.json.

        See :mod:`rightsmarker.engine.output` for what each file holds.
        """
        from .output import ResultWriter

        return ResultWriter(out, stages=stages, format=format,
                            stages_format=stages_format).finish(self)


def stage_long(df: pd.DataFrame) -> pd.DataFrame:
    """A wide stage (index unit, period; a column per node) as ``unit, period, node, value``."""
    return long_frame(df.index, list(df.columns), {"value": df.to_numpy(dtype=float)})


def scores_long(final: pd.DataFrame, fw: Framework, ties: str = "min") -> pd.DataFrame:
    """Scores and ranks (1 = best, within period and node; ties by ``ties``; NaN unranked)."""
    cols = [c for c in fw.depths if c in final.columns]
    # order nodes as in the framework file, root first
    order = {n.code: i for i, n in enumerate(fw.nodes)}
    cols.sort(key=lambda c: (fw.depths[c], order[c]))
    wide = final[cols]
    values = wide.to_numpy(dtype=float)
    rank = pd.arrays.IntegerArray(*_ranks(values, wide.index.get_level_values(1).to_numpy(), ties))
    return long_frame(wide.index, cols, {
        "level": np.array([fw.depths[c] for c in cols]),
        "score": values, "rank": rank})


def _ranks(values: np.ndarray, periods: np.ndarray, ties: str) -> tuple[np.ndarray, np.ndarray]:
    """Ranks within each period and column (1 = highest): flat int64 values and a NaN mask."""
    out = np.zeros(values.shape, dtype=np.int64)
    for p in np.unique(periods):
        rows = np.flatnonzero(periods == p)
        out[rows] = rank_columns(values[rows], ties)
    mask = np.isnan(values).ravel()
    return out.ravel(), mask


def rank_columns(x: np.ndarray, ties: str = "min") -> np.ndarray:
    """Descending ranks of every column of ``x`` (1 = largest), vectorised; NaN rows get 0.

    ``ties``: ``min`` (tied values share the lowest rank), ``max``, ``dense`` or ``first``.
    """
    neg = -x
    order = np.argsort(neg, axis=0, kind="stable")  # NaN sorts last
    sv = np.take_along_axis(neg, order, axis=0)
    n = len(x)
    pos = np.arange(n)[:, None]
    is_new = np.ones(sv.shape, dtype=bool)
    is_new[1:] = sv[1:] != sv[:-1]
    if ties == "first":
        ranked = np.broadcast_to(pos + 1, sv.shape)
    elif ties == "dense":
        ranked = np.cumsum(is_new, axis=0)
    elif ties == "max":
        is_last = np.ones(sv.shape, dtype=bool)
        is_last[:-1] = is_new[1:]
        end = np.where(is_last, pos, n)
        ranked = np.minimum.accumulate(end[::-1], axis=0)[::-1] + 1
    else:
        ranked = np.maximum.accumulate(np.where(is_new, pos, 0), axis=0) + 1
    out = np.empty(x.shape, dtype=np.int64)
    np.put_along_axis(out, order, ranked, axis=0)
    out[np.isnan(x)] = 0
    return out


def _context(framework: Framework, units: pd.DataFrame | None):
    from .context import BuildContext

    weights = {n.code: float(n.weight) for n in framework.nodes}
    return BuildContext(framework=framework, units=units, weights=weights)


def _resolve_inputs(framework, observations, method, units):
    from ..framework.io import load_framework

    fw = load_framework(framework)
    if not hasattr(observations, "wide"):
        from ..observations import read_observations

        observations = read_observations(observations, fw)
    if units is not None and not isinstance(units, pd.DataFrame):
        from ..units import read_units

        units = read_units(units)
    return fw, observations, load_method(method), units


def score(framework, observations, method=None, *, units=None,
          on_stage: Callable[[int, str, pd.DataFrame], None] | None = None) -> Result:
    """Score observations with a method; every stage and record is kept in the Result.

    ``framework``: a Framework, a YAML path or a bundled name. ``observations``: an
    Observations object, a path (CSV, XLSX, Parquet) or a long DataFrame. ``method``: a
    Method, a YAML path, a dict or None (the default goalposts method). ``units``: an optional
    table of unit attributes (groups for imputation, denominators). ``on_stage(index, name,
    wide)`` is called with every stage as soon as it is computed (e.g. to write it meanwhile).
    """
    register_builtin_steps()
    fw, obs, method, units = _resolve_inputs(framework, observations, method, units)
    started = time.perf_counter()
    raw = obs.wide()
    scored = [n.code for n in fw.indicators if n.value_type != "text" and n.code in raw.columns]
    raw = raw[scored]
    if raw.empty:
        raise DataError("nothing to score: no total (group 'total') values for scorable indicators")
    ctx = _context(fw, units)
    stages: dict[str, pd.DataFrame] = {"raw": raw}
    records, notes = [], {}
    data = raw
    if on_stage is not None:
        on_stage(0, "raw", raw)
    for rec in method.steps:
        fn = step_registry.get(rec.step)
        res = fn(data, ctx, **rec.params)
        name = rec.step if rec.step not in stages else f"{rec.step}_{len(stages)}"
        stages[name] = _consolidated(res.data)
        records.append({"step": rec.step, "params": rec.params, "learned": res.learned})
        if res.notes is not None:
            notes[name] = res.notes
        data = stages[name]
        if on_stage is not None:
            on_stage(len(stages) - 1, name, data)
    meta = {
        "rightsmarker_version": _version(),
        "framework": {"code": fw.code, "version": fw.version, "sha256": framework_digest(fw)},
        "observations": {"rows": int(len(obs)), "source": getattr(obs, "source", None)},
        "weights": dict(ctx.weights),
        "engine_seconds": round(time.perf_counter() - started, 4),
    }
    return Result(fw, method, stages, records, notes, meta, observations=obs, units=units)


def _consolidated(df: pd.DataFrame) -> pd.DataFrame:
    """One float block per stage: later reads (to_numpy, long tables) then cost no copies."""
    if df._mgr.nblocks == 1:  # noqa: SLF001 - cheap check, avoids a copy
        return df
    return pd.DataFrame(df.to_numpy(dtype=float), index=df.index, columns=df.columns)


def framework_digest(fw: Framework) -> str:
    """A SHA-256 of the framework's canonical JSON: results name the exact framework used."""
    text = json.dumps(fw.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _version() -> str:
    from .. import __version__

    return __version__
