"""``discover``: every conjunction of attribute values up to a depth, with all statistics."""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import stats
from .binning import bins_table, order_values
from .groups import GroupTable, encode_labels, parent_rows, privacy_ok, redundancy, rollup
from .prepare import (
    Prepared,
    check_positive_found,
    labeller,
    no_rows_error,
    prepare,
)
from .stats import Sums
from .sums import cells_sql, label

COLUMNS = [
    "definition",
    "depth",
    "n",
    "weight_share",
    "estimate",
    "ci_low",
    "ci_high",
    "rest_estimate",
    "difference",
    "ratio",
    "p_value",
    "q_value",
    "flagged",
]
EXTRA = ["score", "n_eff", "best_parent", "parent_p_value", "redundant"]


@dataclass
class DiscoveryResult:
    """Groups found by :func:`discover`.

    ``subgroups``: the groups that are not redundant, best score first (columns ``COLUMNS`` then
    ``EXTRA``); ``all_groups``: every group that may be shown (redundant ones included);
    ``bins``: how numeric attributes were cut; ``summary``: the settings as given, values learned
    from the data, counts and timings.
    """

    subgroups: pd.DataFrame
    all_groups: pd.DataFrame
    bins: pd.DataFrame
    summary: dict = field(default_factory=dict)

    @property
    def flagged(self) -> pd.DataFrame:
        return self.subgroups[self.subgroups["flagged"]]

    def top(self, k: int = 10) -> pd.DataFrame:
        return self.subgroups.head(k)

    def write(self, directory) -> Path:
        """Write ``subgroups.csv``, ``all_groups.csv``, ``bins.csv`` and ``summary.json``."""
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        write_csv(self.subgroups, out / "subgroups.csv")
        write_csv(self.all_groups, out / "all_groups.csv")
        write_csv(self.bins, out / "bins.csv")
        (out / "summary.json").write_text(json.dumps(self.summary, indent=2, default=str) + "\n")
        return out


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write a table as CSV with Arrow (pandas' float formatting is slow for large tables)."""
    import pyarrow as pa
    from pyarrow import csv

    csv.write_csv(pa.Table.from_pandas(frame, preserve_index=False), path)


def discover(
    source,
    outcome: str,
    attributes: Sequence[str],
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
) -> DiscoveryResult:
    """Find groups that are worse off than everyone else, with intervals and FDR control.

    ``source`` is a DataFrame, a CSV/Parquet path or ``duckdb:PATH::TABLE``. A binary outcome is
    1 where ``outcome == positive`` (the worse value); without ``positive`` a numeric outcome with
    only 0/1 is binary (1 = worse) and any other numeric outcome is averaged (worse is higher unless
    ``higher_is_worse=False``). ``progress`` is called with each stage name
    (``reading``, ``aggregating``, ``statistics``).
    """
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
        outcome=outcome, attributes=list(attributes), **settings, higher_is_worse=higher_is_worse
    )
    clock = {"start": time.perf_counter()}
    prep = prepare(source, outcome, attributes, progress=progress, **settings)
    clock["read"] = time.perf_counter()
    cells = scan(prep, progress)
    table = rolled_up(cells, prep, max_depth, min_size)
    clock["aggregate"] = time.perf_counter()
    if progress:
        progress("statistics")
    if not (table.depth == 0).any():
        raise no_rows_error(prep, min_size)
    sign = 1.0 if (prep.binary or higher_is_worse) else -1.0
    frame = group_statistics(table, prep.binary, sign, alpha, min_size)
    clock["statistics"] = time.perf_counter()
    subgroups = frame[~frame["redundant"]].reset_index(drop=True)
    return DiscoveryResult(
        subgroups, frame, _bins(prep, frame, min_size), _summary(params, prep, table, frame, clock)
    )


def scan(prep: Prepared, progress=None) -> pd.DataFrame:
    """Run the one aggregation (the cells) in the engine, then close the engine."""
    try:
        if progress:
            progress("aggregating")
        cells = prep.engine.query(cells_sql(prep.query))
        check_positive_found(prep, cells["swy"].sum())
    finally:
        prep.engine.close()
    return cells


def _bins(prep: Prepared, frame: pd.DataFrame, min_size: int) -> pd.DataFrame:
    """The bins table, with the sizes of the one-condition groups that may be shown."""
    depth1 = frame.loc[frame["depth"] == 1, ["definition", "n"]]
    split = depth1["definition"].str.split("=", n=1)
    sizes = pd.DataFrame({"attribute": split.str[0], "value": split.str[1], "n": depth1["n"]})
    plans = [p for p in prep.plans.values() if p is not None]
    return bins_table(plans, sizes, min_size)


def rolled_up(
    cells: pd.DataFrame, prep: Prepared, max_depth: int, min_size: int, waves: Sequence = ()
) -> GroupTable:
    """Every conjunction of at most ``max_depth`` attributes with at least ``min_size`` rows.

    With ``waves``, the first code column is the wave (in the order given), present in every group.
    """
    columns = [(f"a{j}", p) for j, p in enumerate(prep.plans.values())]
    if waves:
        columns = [("k0", None)] + columns
    codes = np.empty((len(cells), len(columns)), dtype=np.int64)
    values, fixed = [], ((0,) if waves else ())
    wave_order = [str(w).strip() for w in waves]
    for j, (col, plan) in enumerate(columns):
        if col == "k0":
            codes[:, j], vals = encode_labels(cells[col], label, lambda found: wave_order)
        else:
            codes[:, j], vals = encode_labels(
                cells[col],
                functools.partial(labeller, plan, prep.na_values),
                functools.partial(order_values, plan=plan),
            )
        values.append(vals)
    cards = [len(v) for v in values]
    g_codes, g_sums = rollup(codes, Sums.of(cells), cards, max_depth, min_size, fixed)
    names = (["wave"] if waves else []) + prep.attributes
    return GroupTable(names, values, g_codes, g_sums)


def group_statistics(
    table: GroupTable, binary: bool, sign: float, alpha: float, min_size: int
) -> pd.DataFrame:
    """Statistics of every group that may be shown, ranked by score (see the guide)."""
    parents = parent_rows(table)
    show = privacy_ok(table, parents, min_size)
    total = table.sums.take([table.total_row()]).broadcast(table.size)
    rest = total - table.sums
    est, rest_est = stats.estimate(table.sums), stats.estimate(rest)
    lo, hi = stats.interval(table.sums, binary, alpha)
    diff = est - rest_est
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(rest_est != 0, est / rest_est, np.nan)
    p = np.where(show, stats.compare(table.sums, rest, binary), np.nan)
    q = stats.benjamini_hochberg(p)
    share = table.sums["sw"] / total["sw"]
    best, p_parent, redundant = redundancy(table, parents, sign, binary, alpha)
    defs = table.definitions()
    best_def = np.where(best >= 0, defs[np.where(best >= 0, best, 0)], "")
    frame = pd.DataFrame(
        {
            "definition": defs,
            "depth": table.depth,
            "n": table.sums["n"].astype(np.int64),
            "weight_share": share,
            "estimate": est,
            "ci_low": lo,
            "ci_high": hi,
            "rest_estimate": rest_est,
            "difference": diff,
            "ratio": ratio,
            "p_value": p,
            "q_value": q,
            "flagged": (q <= alpha) & (sign * diff > 0),
            "score": sign * diff * share,
            "n_eff": stats.n_eff(table.sums),
            "best_parent": best_def,
            "parent_p_value": p_parent,
            "redundant": redundant,
        }
    )
    frame = frame[show]
    frame = frame.sort_values(["score", "depth", "definition"], ascending=[False, True, True])
    return frame.reset_index(drop=True)[COLUMNS + EXTRA]


def _summary(params, prep: Prepared, table: GroupTable, frame, clock) -> dict:
    total = table.total_row()
    s = table.sums
    return {
        "params": params,
        "source": prep.label,
        "learned": {
            "outcome_type_": "binary" if prep.binary else "numeric",
            "bins_": {a: p.labels for a, p in prep.plans.items() if p is not None},
            "rows_read_": prep.rows,
            "rows_used_": int(s["n"][total]),
            "estimate_all_": float(s["swy"][total] / s["sw"][total]),
        },
        "counts": {
            "groups_aggregated": int(table.size - 1),
            "groups_shown": int(len(frame)),
            "groups_tested": int(frame["p_value"].notna().sum()),
            "flagged": int(frame["flagged"].sum()),
            "redundant": int(frame["redundant"].sum()),
            "flagged_not_redundant": int((frame["flagged"] & ~frame["redundant"]).sum()),
        },
        "seconds": {
            "reading": round(clock["read"] - clock["start"], 4),
            "aggregating": round(clock["aggregate"] - clock["read"], 4),
            "statistics": round(clock["statistics"] - clock["aggregate"], 4),
        },
    }
