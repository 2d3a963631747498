"""Recognition levels from the rules declared in the framework.

Each recognition level has a ``theme`` condition (checked for every node at the framework's
``theme_depth``) and an ``overall`` condition (checked for the root). A condition holds when
every field it sets holds:

- ``min_score``: the node's score >= min_score;
- ``structural_met``: the share of the node's structural indicators that are *met* (their
  measured value reaches the green threshold, i.e. dashboard colour green) >= the value; a
  node without structural indicators fails it (a commitment cannot be shown);
- ``min_coverage``: the share of the node's indicators with a measured value >= the value;

Coverage and structural commitments count the framework's *core* indicators only
(``core: true``): optional extensions never block a level.
- ``children_min_level`` (with ``children_share``, default 1): at least that share of the
  node's children (themes, for the root) reached at least that level.

Levels are cumulative: a node is at level L when the conditions of level L and of every
level below it hold. The level is 0 when level 1 does not hold. Every check is reported in
``level_checks`` (required, actual, passed) and summarised as readable ``reasons``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

CHECK_COLUMNS = ["unit", "period", "node", "level", "condition", "required", "actual", "passed"]
LEVEL_COLUMNS = ["unit", "period", "node", "level", "label", "label_ko", "reasons"]


def _node_facts(result, node: str) -> pd.DataFrame:
    """Per unit and period: score, structural met share, coverage of one node."""
    fw = result.framework
    final = result.stages_wide[result.final_stage]
    measured = result.measured.reindex(final.index)
    inds = [c for c in fw.descendants(node, indicators_only=True)
            if c in measured.columns and fw.node(c).core]
    structural = [c for c in inds if fw.node(c).kind == "structural"]
    dash = result.dashboard
    green = dash[dash["node"].isin(structural)].assign(met=lambda d: d["colour"] == "green")
    met = green.groupby(["unit", "period"], observed=True)["met"].mean() if structural else None
    facts = pd.DataFrame(index=final.index)
    facts["score"] = final[node] if node in final.columns else np.nan
    facts["structural_met"] = met.reindex(final.index).to_numpy() if met is not None else np.nan
    facts["coverage"] = measured[inds].notna().mean(axis=1) if inds else 0.0
    return facts


def _checks(cond, facts: pd.DataFrame, child_levels: pd.DataFrame | None) -> dict[str, tuple]:
    """condition name -> (required, actual array, passed array)."""
    out = {}
    if cond.min_score is not None:
        a = facts["score"].to_numpy()
        out["min_score"] = (cond.min_score, a, np.nan_to_num(a, nan=-np.inf) >= cond.min_score)
    if cond.structural_met is not None:
        a = facts["structural_met"].to_numpy()
        out["structural_met"] = (cond.structural_met, a,
                                 np.nan_to_num(a, nan=-np.inf) >= cond.structural_met - 1e-12)
    if cond.min_coverage is not None:
        a = facts["coverage"].to_numpy()
        out["min_coverage"] = (cond.min_coverage, a, a >= cond.min_coverage - 1e-12)
    if cond.children_min_level is not None and child_levels is not None:
        share = (child_levels.reindex(facts.index) >= cond.children_min_level).mean(axis=1)
        a = share.to_numpy()
        out[f"children_at_level_{cond.children_min_level}"] = (
            cond.children_share, a, a >= cond.children_share - 1e-12)
    return out


def _evaluate(result, node, facts, scope, child_levels):
    rec = result.framework.recognition
    reached = np.ones(len(facts), dtype=bool)
    level = np.zeros(len(facts), dtype=int)
    rows = []
    for lv in sorted(rec.levels, key=lambda x: x.level):
        cond = getattr(lv, scope)
        checks = _checks(cond, facts, child_levels)
        ok = np.ones(len(facts), dtype=bool)
        for name, (required, actual, passed) in checks.items():
            ok &= passed
            rows.append(pd.DataFrame({
                "unit": facts.index.get_level_values(0), "period": facts.index.get_level_values(1),
                "node": node, "level": lv.level, "condition": name, "required": required,
                "actual": actual, "passed": passed}))
        reached &= ok
        level[reached] = lv.level
    return level, rows


def _reasons(checks: pd.DataFrame) -> pd.Series:
    """One readable line per unit, period and node joining every check (vectorised)."""
    if checks.empty:
        return pd.Series(dtype=object)
    fmt = "{:.3g}".format
    actual = checks["actual"].astype(float)
    actual_text = actual.map(fmt).where(actual.notna(), "no data")
    text = ("L" + checks["level"].astype(str) + " " + checks["condition"] + " " + actual_text
            + " (needs " + checks["required"].astype(float).map(fmt) + "): "
            + np.where(checks["passed"], "met", "not met"))
    keys = [checks["unit"].astype(object), checks["period"], checks["node"]]
    return text.groupby(keys, sort=False).agg("; ".join)


def recognition_levels(result) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(levels, checks)``: the level per unit, period and node (themes and root), with reasons."""
    fw = result.framework
    rec = fw.recognition
    if rec is None or not rec.levels:
        return pd.DataFrame(columns=LEVEL_COLUMNS), pd.DataFrame(columns=CHECK_COLUMNS)
    themes = [c for c, d in fw.depths.items() if d == rec.theme_depth]
    order = {n.code: i for i, n in enumerate(fw.nodes)}
    themes.sort(key=order.get)
    labels = {lv.level: lv.labels for lv in rec.levels}
    theme_levels, frames, all_checks = {}, [], []
    for node in themes + [fw.root]:
        facts = _node_facts(result, node)
        scope = "overall" if node == fw.root else "theme"
        children = pd.DataFrame(theme_levels, index=facts.index) if node == fw.root else None
        level, rows = _evaluate(result, node, facts, scope, children)
        if node != fw.root:
            theme_levels[node] = level
        all_checks += rows
        frames.append(pd.DataFrame({
            "unit": facts.index.get_level_values(0), "period": facts.index.get_level_values(1),
            "node": node, "level": level,
            "label": [labels.get(v, {}).get("en", "none") if v else "none" for v in level],
            "label_ko": [labels.get(v, {}).get("ko", "없음") if v else "없음" for v in level]}))
    checks = (pd.concat(all_checks, ignore_index=True) if all_checks
              else pd.DataFrame(columns=CHECK_COLUMNS))
    levels = pd.concat(frames, ignore_index=True)
    reasons = _reasons(checks)
    key = pd.MultiIndex.from_frame(levels[["unit", "period", "node"]])
    levels["reasons"] = reasons.reindex(key).to_numpy() if len(reasons) else ""
    return levels, checks
