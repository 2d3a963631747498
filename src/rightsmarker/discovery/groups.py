"""The table of groups: conjunctions of attribute values, their sums, parents and privacy rules.

A group is a row of integer ``codes`` (one per attribute, ``-1`` for "any value"); its
``definition`` names the coded attributes in the order the user gave them, for example
``sex=Female;marital-status=Never-married``. A parent drops one condition; the parent of a
one-condition group is the whole population (the row with every code ``-1``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from .stats import Sums, compare, estimate
from .sums import SUMS

DENSE_LIMIT = 65_536


@dataclass
class GroupTable:
    attributes: list[str]
    values: list[list[str]]
    codes: np.ndarray  # groups x attributes, int32, -1 = any value
    sums: Sums

    @property
    def size(self) -> int:
        return self.codes.shape[0]

    @property
    def depth(self) -> np.ndarray:
        return (self.codes >= 0).sum(axis=1)

    def keys(self, codes: np.ndarray) -> np.ndarray | None:
        """One int64 key per code tuple (mixed radix over ``code + 1``), or None if too wide."""
        radix = [len(v) + 1 for v in self.values]
        if np.sum(np.log2(radix)) >= 62:
            return None
        strides = np.cumprod([1] + radix[:-1]).astype(np.int64)
        return (codes + 1) @ strides

    def lookup(self, codes: np.ndarray) -> np.ndarray:
        """Row of each code tuple in ``codes`` (``-1`` when absent)."""
        if len(codes) == 0:
            return np.zeros(0, dtype=np.int64)
        own = self.keys(self.codes)
        if own is None:  # very many attributes or values: fall back to a MultiIndex
            index = pd.MultiIndex.from_arrays(list(self.codes.T))
            return index.get_indexer(pd.MultiIndex.from_arrays(list(codes.T)))
        order = np.argsort(own, kind="stable")
        wanted = self.keys(codes)
        pos = np.clip(np.searchsorted(own[order], wanted), 0, len(own) - 1)
        found = own[order][pos] == wanted
        return np.where(found, order[pos], -1)

    def total_row(self) -> int:
        rows = np.flatnonzero(self.depth == 0)
        return int(rows[0])

    def definitions(self, rows=None) -> np.ndarray:
        codes = self.codes if rows is None else self.codes[rows]
        names = [
            [f"{name}={v}" for v in values]
            for name, values in zip(self.attributes, self.values, strict=True)
        ]
        r, c = np.nonzero(codes >= 0)  # row-major: conditions of a row in attribute order
        items = [names[j][v] for j, v in zip(c.tolist(), codes[r, c].tolist(), strict=True)]
        ends = np.cumsum(np.bincount(r, minlength=len(codes))).tolist()
        out = np.empty(len(codes), dtype=object)
        start = 0
        for i, end in enumerate(ends):
            out[i] = ";".join(items[start:end])
            start = end
        return out


def build_groups(agg: pd.DataFrame, attributes: list[str], values: list[list[str]]) -> GroupTable:
    """Turn aggregated rows (columns ``a0..ak`` and the sums) into a :class:`GroupTable`."""
    codes = np.full((len(agg), len(attributes)), -1, dtype=np.int32)
    for j, vals in enumerate(values):
        col = agg[f"a{j}"]
        mapping = pd.Series(np.arange(len(vals), dtype=np.int32), index=pd.Index(vals))
        mapped = col.map(mapping)
        codes[:, j] = np.where(col.isna(), -1, mapped.fillna(-1)).astype(np.int32)
    return GroupTable(attributes, values, codes, Sums.of(agg))


def encode(frame: pd.DataFrame, columns: Sequence[str], values: Sequence[list]) -> np.ndarray:
    """Integer codes of ``columns`` of ``frame`` in the order of ``values`` (-1 for NULL)."""
    codes = np.empty((len(frame), len(columns)), dtype=np.int64)
    for j, (col, vals) in enumerate(zip(columns, values, strict=True)):
        codes[:, j] = pd.Categorical(frame[col], categories=vals).codes
    return codes


def encode_labels(column: pd.Series, label_of, order) -> tuple[np.ndarray, list[str]]:
    """Codes of a raw column after labelling its distinct values; ``order`` sorts the labels.

    One factorisation of the raw values; labels are computed once per distinct value.
    """
    raw_codes, uniques = pd.factorize(column, use_na_sentinel=False)
    labels = [label_of(v) for v in uniques]
    values = order(set(labels))
    position = {v: i for i, v in enumerate(values)}
    lookup = np.array([position[lab] for lab in labels], dtype=np.int64)
    return lookup[raw_codes], values


def rollup(
    codes: np.ndarray,
    sums: Sums,
    cards: Sequence[int],
    max_depth: int,
    min_size: int,
    fixed: Sequence[int] = (),
) -> tuple[np.ndarray, Sums]:
    """Sum the cells (full combinations) up to every subset of at most ``max_depth`` columns.

    Columns in ``fixed`` (the wave) are in every subset. Groups with fewer than ``min_size`` rows
    are dropped. Returns the groups' codes (``-1`` for "any value") and their sums.
    """
    k = codes.shape[1]
    free = [j for j in range(k) if j not in fixed]
    columns = [np.ascontiguousarray(codes[:, j]) for j in range(k)]
    weights = [np.ascontiguousarray(sums[s], dtype=float) for s in SUMS]
    out_codes, out_sums = [], {s: [] for s in SUMS}
    for d in range(min(max_depth, len(free)) + 1):
        for subset in combinations(free, d):
            cols = list(fixed) + list(subset)
            keys, rows = _subset_sums(
                [columns[j] for j in cols], weights, [int(cards[j]) for j in cols], min_size
            )
            block = np.full((len(rows[0]), k), -1, dtype=np.int64)
            block[:, cols] = keys
            out_codes.append(block)
            for s, r in zip(SUMS, rows, strict=True):
                out_sums[s].append(r)
    return np.vstack(out_codes), Sums({s: np.concatenate(v) for s, v in out_sums.items()})


def _subset_sums(
    columns: list[np.ndarray], weights: list[np.ndarray], cards: list[int], min_size: int
):
    """Group the cells by the given code columns (dense bincount, or unique when too sparse)."""
    m = len(weights[0])
    size = int(np.prod(cards, dtype=float)) if cards else 1
    if size <= max(DENSE_LIMIT, 4 * m):
        key = np.zeros(m, dtype=np.int64)
        stride = 1
        for col, card in zip(columns, cards, strict=True):
            key += col * stride if stride > 1 else col
            stride *= card
        n = np.bincount(key, weights=weights[0], minlength=size)
        keep = np.flatnonzero(n >= min_size)
        rows = [n[keep]] + [np.bincount(key, w, size)[keep] for w in weights[1:]]
        strides = np.cumprod([1] + cards[:-1]).astype(np.int64)
        keys = (keep[:, None] // strides[None, :]) % np.asarray(cards, dtype=np.int64)
        return keys.reshape(len(keep), len(cards)), rows
    uniq, inv = np.unique(np.column_stack(columns), axis=0, return_inverse=True)
    inv = inv.ravel()
    n = np.bincount(inv, weights=weights[0])
    keep = np.flatnonzero(n >= min_size)
    rows = [n[keep]] + [np.bincount(inv, w)[keep] for w in weights[1:]]
    return uniq[keep], rows


def parent_rows(table: GroupTable) -> np.ndarray:
    """``parents[g, j]`` is the row of group g without its condition on attribute j (or -1)."""
    parents = np.full(table.codes.shape, -1, dtype=np.int64)
    for j in range(table.codes.shape[1]):
        rows = np.flatnonzero(table.codes[:, j] >= 0)
        if rows.size == 0:
            continue
        pc = table.codes[rows].copy()
        pc[:, j] = -1
        parents[rows, j] = table.lookup(pc)
    return parents


def privacy_ok(table: GroupTable, parents: np.ndarray, min_size: int) -> np.ndarray:
    """Groups that may be shown without revealing a cell of fewer than ``min_size`` rows.

    A group is shown when it has at least ``min_size`` rows, everyone else has at least
    ``min_size`` rows (so the rest's estimate is not a small cell), and, for each parent, the
    parent's rows outside the group are none or at least ``min_size`` (so a small cell cannot be
    recovered by subtracting the group from its parent).
    """
    n = table.sums["n"]
    total = n[table.total_row()]
    ok = (n >= min_size) & (total - n >= min_size) & (table.depth > 0)
    for j in range(parents.shape[1]):
        has = parents[:, j] >= 0
        diff = np.where(has, n[np.where(has, parents[:, j], 0)] - n, 0)
        ok &= ~((diff > 0) & (diff < min_size))
    return ok


def redundancy(table: GroupTable, parents: np.ndarray, sign: float, binary: bool, alpha: float):
    """Best parent, p-value against it, and whether each group is redundant.

    The best parent is the parent with the most extreme estimate in the worse direction. The group
    is compared with the rows of its best parent *outside* the group (disjoint rows, so the
    two-sample test of ``stats.compare`` applies; the group differs from its parent exactly when it
    differs from the rest of the parent), one-sided in the worse direction: ``p = p2 / 2`` when the
    group is worse than the rest of its parent, ``1 - p2 / 2`` otherwise. A group of depth 2 or
    more is redundant when ``p > alpha``: it is not significantly worse than its worst-off parent,
    so it adds no worse-off group the parent does not already show (a child significantly *better*
    off than its parent is the parent's less affected part, not a new worse-off group). A group
    with exactly its parent's rows is redundant. Groups of depth 1 (whose parent is the whole
    population) are never redundant.
    """
    g = table.size
    best = np.full(g, -1, dtype=np.int64)
    p_parent = np.full(g, np.nan)
    rows = np.flatnonzero(table.depth >= 2)
    if rows.size:
        est = estimate(table.sums)
        cand = parents[rows]
        oriented = np.where(cand >= 0, sign * est[np.where(cand >= 0, cand, 0)], -np.inf)
        oriented = np.where(np.isnan(oriented), -np.inf, oriented)
        bp = cand[np.arange(rows.size), np.argmax(oriented, axis=1)]
        best[rows] = bp
        group = table.sums.take(rows)
        outside = table.sums.take(bp) - group
        p2 = compare(group, outside, binary)
        worse = sign * (estimate(group) - estimate(outside)) > 0
        p = np.where(worse, p2 / 2, 1 - p2 / 2)
        p = np.where(outside["n"] <= 0, 1.0, p)
        p_parent[rows] = np.where(np.isnan(p), 1.0, p)
    redundant = (table.depth >= 2) & ~(p_parent <= alpha)
    return best, p_parent, redundant
