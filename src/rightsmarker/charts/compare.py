"""A city against chosen peers, theme by theme."""

from __future__ import annotations

import pandas as pd

from ._common import (
    COLORWAY,
    INK,
    base_layout,
    figure,
    go,
    name_of,
    node_label,
    pick_period,
    text,
    themes,
    unit_names,
)

PALETTE = COLORWAY


def comparison_frame(result, unit, peers, period=None, rank_stats: pd.DataFrame | None = None):
    """Rows ``unit, node, score, rank`` (plus ``q05, median, q95`` of the rank with
    ``rank_stats``) for ``unit`` and ``peers`` over the index and its themes."""
    fw = result.framework
    period = pick_period(result.scores, period)
    units = [str(unit), *[str(p) for p in peers if str(p) != str(unit)]]
    nodes = [fw.root, *themes(fw)]
    sc = result.scores
    sc = sc[(sc["period"] == period) & sc["node"].isin(nodes)
            & sc["unit"].astype(str).isin(units)].copy()
    sc = sc.astype({"unit": str, "node": str})
    if rank_stats is not None:
        rs = rank_stats[rank_stats["unit"].astype(str).isin(units)]
        if "period" in rs.columns:
            rs = rs[rs["period"] == period]
        rs = rs[["unit", "node", "q05", "median", "q95"]].astype({"unit": str, "node": str})
        sc = sc.merge(rs, on=["unit", "node"], how="left")
    sc["_u"] = sc["unit"].map({u: i for i, u in enumerate(units)})
    sc["_n"] = sc["node"].map({n: i for i, n in enumerate(nodes)})
    return sc.sort_values(["_n", "_u"]).drop(columns=["_u", "_n"]).reset_index(drop=True)


def comparison(result, unit, peers, period=None, *, rank_stats: pd.DataFrame | None = None,
               lang: str = "en", names: dict | None = None, title: str | None = None):
    """``unit`` (thick, first colour) against ``peers`` on the index and every theme.

    Without ``rank_stats``: the score of each city per theme (hover shows the rank). With
    ``rank_stats`` (from :func:`rightsmarker.uncertainty`): each city's rank interval per
    theme, a bar from the 5th to the 95th percentile rank and a dot at the median, so that
    overlapping intervals are not read as a difference; bare ranks are not shown.
    """
    fw = result.framework
    period = pick_period(result.scores, period)
    df = comparison_frame(result, unit, peers, period, rank_stats)
    shown = unit_names(result, lang, names)
    with_ranks = rank_stats is not None and "median" in df.columns
    g = go()
    traces = []
    for i, u in enumerate(dict.fromkeys(df["unit"])):
        d = df[df["unit"] == u]
        ylab = [node_label(fw, n, lang) for n in d["node"]]
        colour = PALETTE[i % len(PALETTE)]
        trace = dict(y=ylab, mode="markers", name=name_of(shown, u), orientation="h",
                     marker={"color": colour, "size": 13 if i == 0 else 9,
                             "line": {"color": INK, "width": 1.5 if i == 0 else 0.5}})
        if with_ranks:
            trace.update(x=d["median"], customdata=d[["q05", "q95", "rank"]].to_numpy(),
                         error_x={"type": "data", "symmetric": False, "color": colour,
                                  "thickness": 4 if i == 0 else 2, "width": 0,
                                  "array": (d["q95"] - d["median"]).clip(lower=0),
                                  "arrayminus": (d["median"] - d["q05"]).clip(lower=0)},
                         hovertemplate="%{y}: %{customdata[0]:.0f}–%{customdata[1]:.0f}"
                                       "<extra>%{fullData.name}</extra>")
        else:
            trace.update(x=d["score"], customdata=d[["rank"]].to_numpy(),
                         hovertemplate="%{y}: %{x:.1f} (#%{customdata[0]})"
                                       "<extra>%{fullData.name}</extra>")
        traces.append(g.Scatter(**trace))
    xaxis = ({"title": text("rank", lang), "autorange": "reversed"} if with_ranks
             else {"title": text("score", lang), "range": [0, 100]})
    return figure(traces, base_layout(
        title if title is not None
        else text("comparison_title", lang, city=name_of(shown, unit), period=period),
        xaxis=xaxis, yaxis={"autorange": "reversed"}, scattermode="group",
        height=160 + 26 * len(df), width=680, margin={"l": 150, "r": 20, "t": 60, "b": 50},
        legend={"orientation": "h", "y": -0.15},
        meta={"kind": "comparison", "unit": str(unit), "period": period,
              "ranks": bool(with_ranks)}))
