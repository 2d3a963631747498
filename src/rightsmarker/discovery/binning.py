"""Numeric attributes cut into quantile bins, computed by the engine.

Rules (documented in docs/guide/discovery.md):

* a numeric attribute with at most ``MAX_LEVELS`` distinct values is used as categories;
* otherwise it is cut at its ``1/b, 2/b, ...`` quantiles (``b = bins``). The quantiles are the
  smallest observed values whose cumulative share reaches each probability (inverted CDF), computed
  exactly from a value histogram (the same in every engine) when the column has at most
  ``EXACT_LIMIT`` distinct values, else by the engine's approximate quantile;
* bin ``i`` holds ``edge[i-1] <= x < edge[i]``; the outer bins are open (``<28``, ``>=48``), so
  no individual minimum or maximum is ever shown; repeated edges are dropped, and a bin with fewer
  than ``min_size`` rows is merged into its smaller neighbour;
* ``bins`` may also be a dict giving, per attribute, a number of bins or a list of edges.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .sums import MISSING, binned, histogram_sql, quantile_sql

MAX_LEVELS = 10
EXACT_LIMIT = 50_000


@dataclass
class BinPlan:
    """How one numeric attribute is cut: ``edges`` and one label per bin (``len(edges) + 1``)."""

    attribute: str
    column: str
    edges: list[float]
    labels: list[str] = field(default_factory=list)

    def __post_init__(self):
        if not self.labels:
            self.labels = bin_labels(self.edges)

    def expression(self) -> str:
        return binned(self.column, self.edges)

    def table(self) -> pd.DataFrame:
        lower = [np.nan] + list(self.edges)
        upper = list(self.edges) + [np.nan]
        return pd.DataFrame(
            {
                "attribute": self.attribute,
                "bin": self.labels,
                "code": range(len(self.labels)),
                "lower": lower,
                "upper": upper,
            }
        )


def fmt(x: float) -> str:
    return f"{x:g}"


def bin_labels(edges: list[float]) -> list[str]:
    if not edges:
        return ["all"]
    labels = [f"<{fmt(edges[0])}"]
    labels += [f"[{fmt(a)}, {fmt(b)})" for a, b in zip(edges[:-1], edges[1:], strict=True)]
    labels.append(f">={fmt(edges[-1])}")
    return labels


def quantile_edges(values: np.ndarray, counts: np.ndarray, bins: int) -> list[float]:
    """Inverted-CDF quantile edges from a sorted value histogram, without repeats or the minimum."""
    cum = np.cumsum(counts) / counts.sum()
    probs = np.arange(1, bins) / bins
    idx = np.searchsorted(cum, probs - 1e-12, side="left")
    edges = sorted({float(values[i]) for i in idx if values[i] > values[0]})
    return edges


def merge_small(edges: list[float], values: np.ndarray, counts: np.ndarray, min_size: int):
    """Drop edges until every bin holds at least ``min_size`` rows (or one bin is left)."""
    edges = list(edges)
    while edges:
        codes = np.searchsorted(np.asarray(edges), values, side="right")
        sizes = np.bincount(codes, weights=counts, minlength=len(edges) + 1)
        small = np.flatnonzero(sizes < min_size)
        if small.size == 0:
            break
        i = int(small[np.argmin(sizes[small])])
        if i == 0:
            del edges[0]
        elif i == len(edges) or sizes[i - 1] <= sizes[i + 1]:
            del edges[i - 1]
        else:
            del edges[i]
    return edges


def plan_numeric(engine, attribute: str, column: str, distinct: int, spec, min_size: int):
    """Return a :class:`BinPlan`, or ``None`` when the attribute is better used as categories."""
    if isinstance(spec, (list, tuple)):
        return BinPlan(attribute, column, sorted(float(e) for e in spec))
    bins = int(spec)
    if distinct <= EXACT_LIMIT:
        hist = engine.query(histogram_sql(column))
        values = hist["x"].to_numpy(dtype=float)
        counts = hist["n"].to_numpy(dtype=float)
        if len(values) <= MAX_LEVELS:
            return None
        edges = quantile_edges(values, counts, bins)
        return BinPlan(attribute, column, merge_small(edges, values, counts, min_size))
    probs = list(np.arange(1, bins) / bins)
    q = engine.query(quantile_sql(column, probs))["q"].iloc[0]
    edges = sorted({float(v) for v in q})
    return BinPlan(attribute, column, edges)


def bins_table(plans: list[BinPlan], depth1: pd.DataFrame, min_size: int) -> pd.DataFrame:
    """The bins of every numeric attribute with their row counts (blank under ``min_size``).

    ``depth1`` has columns ``attribute, value, n`` for the one-attribute groups.
    """
    cols = ["attribute", "bin", "code", "lower", "upper", "n"]
    if not plans:
        return pd.DataFrame(columns=cols)
    table = pd.concat([p.table() for p in plans], ignore_index=True)
    sizes = depth1.rename(columns={"value": "bin"})[["attribute", "bin", "n"]]
    table = table.merge(sizes, on=["attribute", "bin"], how="left")
    table.loc[table["n"] < min_size, "n"] = np.nan
    table["n"] = table["n"].astype("Int64")
    return table[cols]


def order_values(values, plan: BinPlan | None) -> list[str]:
    """Values of an attribute in display order: bins in order, categories sorted, missing last."""
    present = set(values)
    if plan is not None:
        ordered = [v for v in plan.labels if v in present]
    else:
        ordered = sorted(v for v in present if v != MISSING)
    if MISSING in present:
        ordered.append(MISSING)
    return ordered
