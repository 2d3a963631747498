"""Recognition levels under uncertainty: does a unit's level hold in (almost) every run?

Per run, the levels are re-evaluated as :mod:`rightsmarker.engine.levels` does, with the run's
scores: ``min_score`` reads the run's score, ``children_min_level`` the run's theme levels;
``structural_met`` and ``min_coverage`` read measured values, which the runs do not change, so
their outcome is the nominal build's (``Result.level_checks``). A level ``L`` *holds* in a
run when the run reaches at least ``L``; the nominal level is *robust* when it holds in at
least ``robust_share`` of the runs (failed runs left out). ``robust_level`` is the highest
level that holds in at least that share of the runs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

LEVEL_COLUMNS = ["unit", "period", "node", "level", "label", "share", "robust", "robust_level"]


def _fixed(checks: pd.DataFrame, index: pd.MultiIndex, node: str, level: int, cond: str):
    """The nominal outcome of a measured-value condition, aligned to ``index``."""
    sub = checks[(checks["node"] == node) & (checks["level"] == level)
                 & (checks["condition"] == cond)]
    passed = sub.set_index(["unit", "period"])["passed"].astype(bool)
    return passed.reindex(index, fill_value=False).to_numpy()


def _run_levels(rec, scope, node, scores, checks, index, child_levels):
    """``runs x rows`` levels of one node."""
    R, n = scores.shape
    reached = np.ones((R, n), dtype=bool)
    level = np.zeros((R, n), dtype=int)
    for lv in sorted(rec.levels, key=lambda x: x.level):
        cond = getattr(lv, scope)
        ok = np.ones((R, n), dtype=bool)
        if cond.min_score is not None:
            ok &= np.nan_to_num(scores, nan=-np.inf) >= cond.min_score
        for name in ("structural_met", "min_coverage"):
            if getattr(cond, name) is not None:
                ok &= _fixed(checks, index, node, lv.level, name)[None, :]
        if cond.children_min_level is not None and child_levels is not None:
            share = (child_levels >= cond.children_min_level).mean(axis=2)
            ok &= share >= cond.children_share - 1e-12
        reached &= ok
        level[reached] = lv.level
    return level


def levels_per_run(nominal, scores: np.ndarray, agg_nodes: list[str]) -> dict[str, np.ndarray]:
    """``{node: runs x rows levels}`` for the themes and the root, from the runs' scores."""
    fw = nominal.framework
    rec = fw.recognition
    if rec is None or not rec.levels:
        return {}
    index = nominal.stages_wide[nominal.final_stage].index
    checks = nominal.level_checks
    order = {n.code: i for i, n in enumerate(fw.nodes)}
    themes = sorted((c for c, d in fw.depths.items() if d == rec.theme_depth), key=order.get)
    per_node, theme_levels = {}, []
    for node in themes + [fw.root]:
        j = agg_nodes.index(node) if node in agg_nodes else None
        sc = scores[:, :, j] if j is not None else np.full(scores.shape[:2], np.nan)
        is_root = node == fw.root
        child = np.stack(theme_levels, axis=2) if is_root and theme_levels else None
        lv = _run_levels(rec, "overall" if is_root else "theme", node, sc, checks, index, child)
        if not is_root:
            theme_levels.append(lv)
        per_node[node] = lv
    return per_node


def robust_levels(nominal, scores: np.ndarray, agg_nodes: list[str], failed: np.ndarray,
                  robust_share: float = 0.9) -> pd.DataFrame:
    """Per unit, period and node (themes and root): nominal level, share of runs where it holds."""
    per_node = levels_per_run(nominal, scores[~failed], agg_nodes)
    if not per_node:
        return pd.DataFrame(columns=LEVEL_COLUMNS)
    index = nominal.stages_wide[nominal.final_stage].index
    return _table(nominal.levels, per_node, index, robust_share, nominal.framework.recognition)


def _table(nominal_levels, per_node, index, robust_share, rec) -> pd.DataFrame:
    top = max(lv.level for lv in rec.levels)
    frames = []
    for node, lv in per_node.items():
        nom = nominal_levels[nominal_levels["node"] == node].set_index(["unit", "period"])
        nom = nom.reindex(index)
        level = nom["level"].fillna(0).astype(int).to_numpy()
        runs = max(lv.shape[0], 1)
        holds = [(lv >= L).sum(axis=0) / runs for L in range(top + 1)]   # L -> share per row
        shares = np.stack(holds, axis=0)                                  # levels x rows
        share = shares[level, np.arange(len(level))]
        robust_level = np.where(shares >= robust_share - 1e-12,
                                np.arange(top + 1)[:, None], 0).max(axis=0)
        frames.append(pd.DataFrame({
            "unit": index.get_level_values(0), "period": index.get_level_values(1),
            "node": node, "level": level, "label": nom["label"].to_numpy(),
            "share": share if lv.shape[0] else np.nan,
            "robust": share >= robust_share - 1e-12, "robust_level": robust_level}))
    return pd.concat(frames, ignore_index=True)
