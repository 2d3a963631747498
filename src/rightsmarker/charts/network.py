"""The network heat map: cities (rows) by the index and its themes (columns)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._common import (
    COLOUR_ORDER,
    COLOURS,
    base_layout,
    colour_label,
    figure,
    go,
    name_of,
    node_label,
    pick_period,
    text,
    themes,
    unit_names,
    wrap,
)


def discrete_colorscale() -> list[list]:
    """A step colour scale mapping the codes 0..4 of :data:`COLOUR_ORDER` to their colours."""
    n = len(COLOUR_ORDER)
    scale = []
    for i, name in enumerate(COLOUR_ORDER):
        scale += [[i / n, COLOURS[name]], [(i + 1) / n, COLOURS[name]]]
    return scale


def heatmap_frame(result, period=None, units=None) -> pd.DataFrame:
    """The heat map's cells as a long table: ``unit, node, score, colour, rank`` for the root
    and its themes in ``period`` (latest by default), rows ordered by the root's rank. A node
    without a score is grey ("no data") whatever the colours of its indicators: a colour
    beside no score would read as a judgment the data cannot carry."""
    fw = result.framework
    period = pick_period(result.scores, period)
    nodes = [fw.root, *themes(fw)]
    dash = result.dashboard
    dash = dash[(dash["period"] == period) & dash["node"].isin(nodes)]
    sc = result.scores
    sc = sc[(sc["period"] == period) & sc["node"].isin(nodes)]
    cells = sc[["unit", "node", "score", "rank"]].merge(
        dash[["unit", "node", "colour"]], on=["unit", "node"], how="left")
    cells = cells.astype({"unit": str, "node": str, "colour": object})
    cells["colour"] = cells["colour"].fillna("grey").where(cells["score"].notna(), "grey")
    if units is not None:
        cells = cells[cells["unit"].isin([str(u) for u in units])]
    order = (cells[cells["node"] == fw.root].sort_values(["rank", "unit"], na_position="last")
             ["unit"].tolist())
    order += sorted(set(cells["unit"]) - set(order))
    cells["_u"] = cells["unit"].map({u: i for i, u in enumerate(order)})
    cells["_n"] = cells["node"].map({n: i for i, n in enumerate(nodes)})
    return cells.sort_values(["_u", "_n"]).drop(columns=["_u", "_n"]).reset_index(drop=True)


def heatmap(result, period=None, *, lang: str = "en", units=None, names: dict | None = None,
            title: str | None = None):
    """Cities by the index and its themes in dashboard colours, with the score in each cell.

    Rows are ordered by the index rank (best at the top); the cell colour is the node's
    dashboard colour (not a continuous scale of the score), so a city's colours and numbers
    can disagree: a high score with a red indicator inside stays orange or red. Hover shows
    the score, colour and rank. ``units`` restricts the rows; ``names`` maps unit codes to
    display names (default: ``result.units`` names, else the codes).
    """
    fw = result.framework
    period = pick_period(result.scores, period)
    cells = heatmap_frame(result, period, units)
    nodes = [fw.root, *themes(fw)]
    shown = unit_names(result, lang, names)
    order = list(dict.fromkeys(cells["unit"]))
    grid = cells.pivot(index="unit", columns="node").reindex(index=order)
    code = {c: i for i, c in enumerate(COLOUR_ORDER)}
    z = grid["colour"].reindex(columns=nodes).map(lambda c: code.get(c, 0)).to_numpy()
    score = grid["score"].reindex(columns=nodes).to_numpy(dtype=float)
    labels = np.where(np.isnan(score), "–", np.vectorize(lambda v: f"{v:.0f}")(
        np.nan_to_num(score)))
    colours = grid["colour"].reindex(columns=nodes).fillna("grey").to_numpy()
    ranks = grid["rank"].reindex(columns=nodes).to_numpy(dtype=float)
    custom = np.dstack([colours, np.vectorize(lambda c: colour_label(c, lang))(colours),
                        np.where(np.isnan(ranks), "–", np.nan_to_num(ranks).astype(int)
                                 .astype(str))])
    g = go()
    heat = g.Heatmap(
        z=z, x=[wrap(node_label(fw, n, lang)) for n in nodes], y=[name_of(shown, u) for u in order],
        text=labels, texttemplate="%{text}", customdata=custom,
        colorscale=discrete_colorscale(), zmin=-0.5, zmax=len(COLOUR_ORDER) - 0.5,
        showscale=False, xgap=2, ygap=2, name="",
        hovertemplate=("%{y} · %{x}<br>" + text("score", lang) + ": %{text}<br>"
                       "%{customdata[1]} · " + text("rank", lang) + ": %{customdata[2]}"
                       "<extra></extra>"))
    root = node_label(fw, fw.root, lang)
    return figure([heat], base_layout(
        title if title is not None else text("heatmap_title", lang, root=root, period=period),
        height=max(320, 26 * len(order) + 140), width=max(560, 120 * len(nodes) + 160),
        xaxis={"side": "top", "tickangle": 0, "showgrid": False},
        yaxis={"autorange": "reversed", "showgrid": False},
        margin={"l": 140, "r": 20, "t": 100, "b": 20},
        meta={"kind": "heatmap", "period": period, "units": order, "nodes": nodes}))
