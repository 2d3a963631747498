"""``discover_waves``: groups newly or increasingly worse off between two waves.

For each group and wave ``t``: ``gap_t = estimate_t - rest_estimate_t``. The change of the gap
(difference in differences) ``change = gap_2 - gap_1`` is tested directly with
``se = sqrt(v(g,1) + v(rest,1) + v(g,2) + v(rest,2))`` (``stats.adjusted_variance`` with each
wave's ``n_eff``), a two-sided z test, and Benjamini–Hochberg over all groups tested. A group is
flagged when ``q <= alpha``, its gap moved in the worse direction and it is worse off than the
rest in wave 2; ``status`` is ``new`` when its wave-1 gap was not significantly worse, else
``widening``. Near-duplicates of a flagged group are folded into it (see :func:`fold`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import Problem
from . import stats
from .binning import bins_table
from .core import rolled_up, scan, write_csv
from .groups import GroupTable, parent_rows, privacy_ok
from .prepare import no_rows_error, prepare
from .sources import DiscoveryError

WAVE_COLUMNS = [
    "definition",
    "depth",
    "n_1",
    "n_2",
    "weight_share_1",
    "weight_share_2",
    "estimate_1",
    "rest_estimate_1",
    "gap_1",
    "estimate_2",
    "rest_estimate_2",
    "gap_2",
    "change",
    "ci_low",
    "ci_high",
    "p_value",
    "q_value",
    "flagged",
    "status",
    "score",
    "folded",
    "folded_into",
]


@dataclass
class WavesResult:
    """``groups``: every group shown in both waves, best score first; ``emerging``: flagged
    groups not folded into another (the emerging vulnerable groups); ``bins``; ``summary``."""

    groups: pd.DataFrame
    bins: pd.DataFrame
    summary: dict = field(default_factory=dict)

    @property
    def emerging(self) -> pd.DataFrame:
        g = self.groups
        return g[g["flagged"] & (g["folded_into"] == "")].reset_index(drop=True)

    def write(self, directory) -> Path:
        """Write ``waves.csv``, ``emerging.csv``, ``bins.csv`` and ``summary.json``."""
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        write_csv(self.groups, out / "waves.csv")
        write_csv(self.emerging, out / "emerging.csv")
        write_csv(self.bins, out / "bins.csv")
        (out / "summary.json").write_text(json.dumps(self.summary, indent=2, default=str) + "\n")
        return out


def discover_waves(
    source,
    outcome: str,
    attributes: Sequence[str],
    wave: str,
    waves: Sequence,
    positive=None,
    weight: str | None = None,
    max_depth: int = 3,
    min_size: int = 30,
    alpha: float = 0.05,
    engine: str = "duckdb",
    bins=4,
    progress: Callable[[str], None] | None = None,
    *,
    higher_is_worse: bool = True,
    na_values: Sequence[str] = (),
    fold_overlap: float = 0.7,
) -> WavesResult:
    """Groups whose gap to everyone else grew between ``waves[0]`` and ``waves[1]``.

    Bins of numeric attributes are computed once on both waves together, so a group means the
    same in both. Arguments are those of :func:`discover` plus the ``wave`` column and the two
    wave values (compared as trimmed text).
    """
    if len(waves) != 2 or str(waves[0]).strip() == str(waves[1]).strip():
        raise DiscoveryError(
            "two different waves are needed",
            [Problem("waves must name two values", column=wave, value=waves)],
        )
    settings = dict(
        positive=positive,
        weight=weight,
        max_depth=max_depth,
        min_size=min_size,
        alpha=alpha,
        engine=engine,
        bins=bins,
        na_values=list(na_values),
    )
    params = dict(
        outcome=outcome,
        attributes=list(attributes),
        wave=wave,
        waves=list(waves),
        **settings,
        higher_is_worse=higher_is_worse,
        fold_overlap=fold_overlap,
    )
    start = time.perf_counter()
    prep = prepare(
        source, outcome, attributes, wave=wave, waves=waves, progress=progress, **settings
    )
    table = rolled_up(scan(prep, progress), prep, max_depth, min_size, waves)
    if progress:
        progress("statistics")
    one, two = _split(table, 0), _split(table, 1)
    if not ((one.depth == 0).any() and (two.depth == 0).any()):
        raise no_rows_error(prep, min_size)
    sign = 1.0 if (prep.binary or higher_is_worse) else -1.0
    frame = wave_statistics(one, two, prep.binary, sign, alpha, min_size, fold_overlap)
    summary = _summary(params, prep, frame, time.perf_counter() - start)
    plans = [p for p in prep.plans.values() if p is not None]
    no_sizes = pd.DataFrame(columns=["attribute", "value", "n"])
    return WavesResult(frame, bins_table(plans, no_sizes, min_size), summary)


def _summary(params: dict, prep, frame: pd.DataFrame, seconds: float) -> dict:
    return {
        "params": params,
        "source": prep.label,
        "learned": {
            "outcome_type_": "binary" if prep.binary else "numeric",
            "bins_": {a: p.labels for a, p in prep.plans.items() if p is not None},
        },
        "counts": {
            "groups_shown": int(len(frame)),
            "flagged": int(frame["flagged"].sum()),
            "emerging": int((frame["flagged"] & (frame["folded_into"] == "")).sum()),
        },
        "seconds": round(seconds, 4),
    }


def _split(table: GroupTable, wave_code: int) -> GroupTable:
    rows = np.flatnonzero(table.codes[:, 0] == wave_code)
    return GroupTable(
        table.attributes[1:], table.values[1:], table.codes[rows][:, 1:], table.sums.take(rows)
    )


def _wave_side(table: GroupTable, rows: np.ndarray, binary: bool):
    """Estimate, rest estimate, gap, gap variance and weight share of ``rows`` in one wave."""
    total = table.sums.take([table.total_row()]).broadcast(len(rows))
    group = table.sums.take(rows)
    rest = total - group
    est, rest_est = stats.estimate(group), stats.estimate(rest)
    var = stats.adjusted_variance(group, binary) + stats.adjusted_variance(rest, binary)
    return est, rest_est, est - rest_est, var, group["sw"] / total["sw"]


def wave_statistics(
    one: GroupTable,
    two: GroupTable,
    binary: bool,
    sign: float,
    alpha: float,
    min_size: int,
    fold_overlap: float,
) -> pd.DataFrame:
    """The change of each group's gap between the waves, tested, ranked and folded."""
    in_one = one.lookup(two.codes)
    show = (in_one >= 0) & privacy_ok(two, parent_rows(two), min_size)
    show[show] &= privacy_ok(one, parent_rows(one), min_size)[in_one[show]]
    rows2 = np.flatnonzero(show)
    rows1 = in_one[rows2]
    e1, r1, g1, v1, s1 = _wave_side(one, rows1, binary)
    e2, r2, g2, v2, s2 = _wave_side(two, rows2, binary)
    change = g2 - g1
    se = np.sqrt(v1 + v2)
    z = stats.z_value(alpha)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = stats.normal_p(change / se)
        was_worse = sign * g1 / np.sqrt(v1) >= z
    q = stats.benjamini_hochberg(p)
    flagged = (q <= alpha) & (sign * change > 0) & (sign * g2 > 0)
    frame = pd.DataFrame(
        {
            "definition": two.definitions(rows2),
            "depth": two.depth[rows2],
            "n_1": one.sums["n"][rows1].astype(np.int64),
            "n_2": two.sums["n"][rows2].astype(np.int64),
            "weight_share_1": s1,
            "weight_share_2": s2,
            "estimate_1": e1,
            "rest_estimate_1": r1,
            "gap_1": g1,
            "estimate_2": e2,
            "rest_estimate_2": r2,
            "gap_2": g2,
            "change": change,
            "ci_low": change - z * se,
            "ci_high": change + z * se,
            "p_value": p,
            "q_value": q,
            "flagged": flagged,
            "status": np.where(flagged, np.where(was_worse, "widening", "new"), ""),
            "score": sign * change * s2,
        }
    )
    folded, into = fold(two, rows2, frame, se, z, fold_overlap)
    frame["folded"], frame["folded_into"] = folded, into
    frame = frame.sort_values(["score", "depth", "definition"], ascending=[False, True, True])
    return frame.reset_index(drop=True)[WAVE_COLUMNS]


def fold(table: GroupTable, rows: np.ndarray, frame: pd.DataFrame, se, z: float, overlap: float):
    """Fold near-duplicate flagged groups into the most general one.

    Flagged groups are visited from the most general (lowest depth, then highest score). A group
    is folded into an earlier kept group when their members overlap heavily in wave 2 (Jaccard
    index ``n(A and B) / n(A or B) >= overlap``; ``n(A and B)`` is read from the table when the
    combined conditions are within ``max_depth``, and is 0 when they contradict), or when it is a
    descendant of the kept group and the two changes do not differ significantly
    (``|change_a - change_b| <= z * sqrt(se_a^2 + se_b^2)``, ignoring their positive correlation,
    which folds more). Among several candidates the most specific kept group wins.
    """
    k = len(frame)
    folded = [[] for _ in range(k)]
    into = np.array([""] * k, dtype=object)
    flagged = np.flatnonzero(frame["flagged"].to_numpy())
    score, depth = frame["score"].to_numpy(), frame["depth"].to_numpy()
    order = flagged[np.lexsort((-score[flagged], depth[flagged]))]
    codes = table.codes[rows]
    n_all = table.sums["n"]
    n = n_all[rows]
    change = frame["change"].to_numpy()
    defs = frame["definition"].to_numpy()
    max_depth = int(table.depth.max())
    kept: list[int] = []
    for i in order:
        if kept:
            kc = codes[kept]
            ci = codes[i]
            both = (kc >= 0) & (ci >= 0)
            conflict = (both & (kc != ci)).any(axis=1)
            union = np.where(kc >= 0, kc, ci)
            within = (union >= 0).sum(axis=1) <= max_depth
            found = table.lookup(union[within & ~conflict])
            inter = np.zeros(len(kept))
            inter[within & ~conflict] = np.where(found >= 0, n_all[np.maximum(found, 0)], 0)
            jacc = inter / (n[kept] + n[i] - inter)
            nested = ~((kc >= 0) & (kc != ci)).any(axis=1)
            close = np.abs(change[kept] - change[i]) <= z * np.sqrt(se[kept] ** 2 + se[i] ** 2)
            hit = np.flatnonzero((within & (jacc >= overlap)) | (nested & close))
            if hit.size:
                # the closest: the most specific kept group, then the largest overlap
                best = hit[np.lexsort((-jacc[hit], -depth[np.asarray(kept)[hit]]))[0]]
                target = kept[int(best)]
                folded[target].append(defs[i])
                into[i] = defs[target]
                continue
        kept.append(int(i))
    return [" | ".join(f) for f in folded], into
