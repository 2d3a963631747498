"""Dashboard colours per indicator and per node (the SDG Index convention).

Indicator colour, from the measured value ``x`` (after denomination, before imputation), the
green threshold ``g`` and the red threshold ``r``, read in the indicator's direction ``d``
(values are multiplied by ``d`` so that higher is better)::

    green   if d*x >= d*g
    red     if d*x <= d*r
    yellow  if d*x >= d*(g + r) / 2      (the upper half between red and green)
    orange  otherwise
    grey    if x is missing

An indicator without thresholds is coloured from its normalised score with the bands
75 / 50 / 25 (green / yellow / orange / red); the ``basis`` column says which rule was used.

Node colour: the colour codes of its indicators (green 3, yellow 2, orange 1, red 0) are
sorted, the two worst are averaged and the mean is rounded down. A node with one coloured
indicator takes that colour; a node with none is grey.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .tables import long_frame

COLOURS = np.array(["red", "orange", "yellow", "green"], dtype=object)
GREY = "grey"
COLOUR_ORDER = [GREY, "red", "orange", "yellow", "green"]


def indicator_colour_codes(values: np.ndarray, green, red, direction: int,
                           scores: np.ndarray | None = None) -> np.ndarray:
    """Colour codes 0 (red) .. 3 (green), -1 for missing, for one indicator's values."""
    values = np.asarray(values, dtype=float)
    codes = np.full(values.shape, -1, dtype=np.int8)
    ok = ~np.isnan(values)
    if green is None or red is None:
        if scores is None:
            return codes
        s = np.asarray(scores, dtype=float)
        ok = ~np.isnan(s)
        codes[ok] = np.digitize(s[ok], [25.0, 50.0, 75.0]).astype(np.int8)
        return codes
    x, g, r = values * direction, green * direction, red * direction
    mid = (g + r) / 2.0
    c = np.where(x >= g, 3, np.where(x <= r, 0, np.where(x >= mid, 2, 1)))
    codes[ok] = c[ok]
    return codes


def dashboard(result) -> pd.DataFrame:
    """Long table ``unit, period, node, level, value, score, colour, basis`` for every node."""
    fw = result.framework
    measured = result.measured
    final = result.stages_wide[result.final_stage]
    index = measured.index.intersection(final.index)
    measured, final = measured.reindex(index), final.reindex(index)
    ind_codes = [c for c in measured.columns if c in fw]
    code_table = np.full((len(index), len(ind_codes)), -1, dtype=np.int8)
    basis = []
    for j, code in enumerate(ind_codes):
        node = fw.node(code)
        green, red = node.green, node.red
        if node.value_type in ("yes_no", "stage") and green is None:
            green, red = node.scale_max(), 0.0
        scores = final[code].to_numpy() if code in final.columns else None
        code_table[:, j] = indicator_colour_codes(measured[code].to_numpy(), green, red,
                                                  node.direction, scores)
        basis.append("thresholds" if green is not None and red is not None else "score bands")
    frames = [_frame(index, ind_codes, code_table, measured, final, fw, basis)]
    col_of = {c: j for j, c in enumerate(ind_codes)}
    agg_codes = [n.code for n in fw.aggregates if n.code in final.columns]
    if agg_codes:
        agg_table = np.stack([_node_codes(code_table, [col_of[c] for c in
                              fw.descendants(a, indicators_only=True) if c in col_of])
                              for a in agg_codes], axis=1)
        frames.append(_frame(index, agg_codes, agg_table, None, final, fw,
                             ["two worst indicators"] * len(agg_codes)))
    return _concat(frames)


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    from pandas.api.types import union_categoricals

    if len(frames) == 1:
        return frames[0]
    out = {}
    for col in frames[0].columns:
        parts = [f[col] for f in frames]
        if isinstance(parts[0].dtype, pd.CategoricalDtype):
            out[col] = union_categoricals([p.array for p in parts])
        else:
            out[col] = np.concatenate([p.to_numpy() for p in parts])
    return pd.DataFrame(out, copy=False)  # no consolidation copy of large columns


def _node_codes(code_table: np.ndarray, cols: list[int]) -> np.ndarray:
    if not cols:
        return np.full(code_table.shape[0], -1, dtype=np.int8)
    sub = code_table[:, cols].astype(float)
    sub[sub < 0] = np.inf  # missing sorts last
    sub.sort(axis=1)
    worst = sub[:, :2]
    finite = np.isfinite(worst)
    count = finite.sum(axis=1)
    total = np.where(finite, worst, 0).sum(axis=1)
    mean = np.divide(total, count, out=np.full(len(count), np.nan), where=count > 0)
    out = np.full(len(count), -1, dtype=np.int8)
    has = count > 0
    out[has] = np.floor(mean[has]).astype(np.int8)
    return out


def _frame(index, codes, table, measured, final, fw, basis) -> pd.DataFrame:
    n, k = table.shape
    colour = pd.Categorical.from_codes(table.ravel().astype(np.int8) + 1, categories=COLOUR_ORDER)
    values = (measured[codes].to_numpy(dtype=float) if measured is not None
              else np.full((n, k), np.nan))
    out = long_frame(index, codes, {
        "level": np.array([fw.depths[c] for c in codes]),
        "value": values,
        "score": final[codes].to_numpy(dtype=float),
    })
    out["colour"] = colour
    out["basis"] = pd.Categorical.from_codes(
        np.tile(pd.factorize(np.asarray(basis, dtype=object))[0], n),
        categories=pd.unique(np.asarray(basis, dtype=object)))
    return out
