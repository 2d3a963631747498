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
indicator takes that colour; a node with none is grey, and so is a node without a score (its
indicators too few for the data-availability rule): a colour beside a missing score would say
more than the data do.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

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
    """Long table ``unit, period, node, level, value, score, colour, basis`` for every node.

    Rows: every indicator of every unit-period (unit-period by unit-period), then every
    aggregate node the same way.
    """
    fw = result.framework
    measured = result.measured
    final = result.stages_wide[result.final_stage]
    if not measured.index.equals(final.index):
        index = measured.index.intersection(final.index)
        measured, final = measured.reindex(index), final.reindex(index)
    ind_codes = [c for c in measured.columns if c in fw]
    values = (measured if len(ind_codes) == measured.shape[1] else measured[ind_codes]).to_numpy(
        dtype=float)
    code_table = np.full(values.shape, -1, dtype=np.int8)
    final_col = {c: j for j, c in enumerate(final.columns)}
    final_values = final.to_numpy(dtype=float)
    basis = []
    for j, code in enumerate(ind_codes):
        node = fw.node(code)
        green, red = node.green, node.red
        if node.value_type in ("yes_no", "stage") and green is None:
            green, red = node.scale_max(), 0.0
        scores = final_values[:, final_col[code]] if code in final_col else None
        code_table[:, j] = indicator_colour_codes(values[:, j], green, red, node.direction,
                                                  scores)
        basis.append("thresholds" if green is not None and red is not None else "score bands")
    col_of = {c: j for j, c in enumerate(ind_codes)}
    agg_codes = [n.code for n in fw.aggregates if n.code in final_col]
    agg_table = np.stack([_node_codes(code_table, [col_of[c] for c in
                          fw.descendants(a, indicators_only=True) if c in col_of])
                          for a in agg_codes], axis=1) if agg_codes else None
    if agg_codes:
        scored = ~np.isnan(final_values[:, [final_col[c] for c in agg_codes]])
        agg_table = np.where(scored, agg_table, -1).astype(np.int8)
    blocks = [(ind_codes, code_table, values, basis)]
    if agg_codes:
        blocks.append((agg_codes, agg_table, None, ["two worst indicators"] * len(agg_codes)))
    return _long(measured.index, blocks, final_values, final_col, fw)


def _long(index: pd.MultiIndex, blocks, final_values, final_col, fw) -> pd.DataFrame:
    """The long table of blocks ``(codes, colour codes, values or None, basis)``, block after
    block, each unit-period-major; categoricals built from integer codes (no string copies)."""
    n = len(index)
    unit_codes, units = pd.factorize(index.get_level_values(0), sort=False)
    periods = index.get_level_values(1).to_numpy()
    all_codes = [c for codes, *_ in blocks for c in codes]
    basis_names = list(dict.fromkeys(b for *_, basis in blocks for b in basis))
    parts: dict[str, list] = {k: [] for k in ("unit", "period", "node", "level", "value",
                                               "score", "colour", "basis")}
    start = 0
    for codes, table, values, basis in blocks:
        k = len(codes)
        cols = [final_col.get(c, -1) for c in codes]
        score = final_values[:, cols] if -1 not in cols else np.column_stack(
            [final_values[:, j] if j >= 0 else np.full(n, np.nan) for j in cols])
        parts["unit"].append(np.repeat(unit_codes.astype(np.int32), k))
        parts["period"].append(np.repeat(periods, k))
        parts["node"].append(np.tile(np.arange(start, start + k, dtype=np.int32), n))
        parts["level"].append(np.tile(np.array([fw.depths[c] for c in codes]), n))
        parts["value"].append(np.full(n * k, np.nan) if values is None else values.ravel())
        parts["score"].append(score.ravel())
        parts["colour"].append(table.ravel().astype(np.int8) + 1)
        parts["basis"].append(np.tile(np.array([basis_names.index(b) for b in basis],
                                               dtype=np.int8), n))
        start += k
    flat = {k: v[0] if len(v) == 1 else np.concatenate(v) for k, v in parts.items()}
    return pd.DataFrame({
        "unit": pd.Categorical.from_codes(flat["unit"], categories=pd.Index(units, dtype=object)),
        "period": flat["period"],
        "node": pd.Categorical.from_codes(flat["node"], categories=pd.Index(all_codes,
                                                                            dtype=object)),
        "level": flat["level"],
        "value": flat["value"],
        "score": flat["score"],
        "colour": pd.Categorical.from_codes(flat["colour"], categories=COLOUR_ORDER),
        "basis": pd.Categorical.from_codes(flat["basis"], categories=basis_names),
    }, copy=False)  # no consolidation copy of large columns


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
