"""A city's profile: theme scores as bars or a radar, and scores over time."""

from __future__ import annotations

import pandas as pd

from ._common import (
    COLOURS,
    INK,
    base_layout,
    colour_label,
    figure,
    go,
    name_of,
    node_label,
    pick_period,
    rows_for,
    text,
    themes,
    unit_mask,
    unit_names,
)


def theme_frame(result, unit, period=None, score_stats: pd.DataFrame | None = None):
    """One row per theme and the root for ``unit`` in ``period``: ``node, label`` codes,
    ``score, rank, colour, level`` (a node without a score is grey, as in
    :func:`~rightsmarker.charts.heatmap_frame`) and, with ``score_stats`` (an uncertainty
    result's ``score_stats``), ``q05, median, q95``."""
    fw = result.framework
    period = pick_period(result.scores, period)
    nodes = [fw.root, *themes(fw)]
    sc = rows_for(result.scores, unit, period, "scores")
    sc = sc[sc["node"].isin(nodes)][["node", "score", "rank"]].astype({"node": str})
    dash = result.dashboard
    dash = dash[unit_mask(dash, unit) & (dash["period"] == period).to_numpy()]
    out = pd.DataFrame({"node": nodes}).merge(sc, on="node", how="left").merge(
        dash[["node", "colour"]].astype({"node": str, "colour": object}), on="node", how="left")
    out["colour"] = out["colour"].fillna("grey").where(out["score"].notna(), "grey")
    lv = result.levels
    lv = lv[unit_mask(lv, unit) & (lv["period"] == period).to_numpy()]
    out = out.merge(lv[["node", "level"]].astype({"node": str}), on="node", how="left")
    out["level"] = out["level"].astype("Int64")  # a node without a level keeps whole numbers
    if score_stats is not None:
        ss = score_stats[unit_mask(score_stats, unit)]
        if "period" in ss.columns:
            ss = ss[ss["period"] == period]
        out = out.merge(ss[["node", "q05", "median", "q95"]].astype({"node": str}), on="node",
                        how="left")
    return out


def profile_bars(result, unit, period=None, *, score_stats: pd.DataFrame | None = None,
                 lang: str = "en", names: dict | None = None, title: str | None = None,
                 layout: dict | None = None):
    """Horizontal bars of the index and theme scores of ``unit``, coloured by the dashboard.

    Each bar reads ``score · L<level>``. With ``score_stats`` (from
    :func:`rightsmarker.uncertainty`), a black whisker spans the 5th to 95th percentile of the
    score over the methodological variants. ``layout`` overrides layout settings.
    """
    fw = result.framework
    period = pick_period(result.scores, period)
    df = theme_frame(result, unit, period, score_stats)
    labels = [node_label(fw, n, lang) for n in df["node"]]
    bar_text = [("–" if pd.isna(s) else f"{s:.0f}") + ("" if pd.isna(lv) else f" · L{int(lv)}")
                for s, lv in zip(df["score"], df["level"], strict=True)]
    bar = dict(
        y=labels, x=df["score"], orientation="h", text=bar_text, textposition="inside",
        insidetextanchor="start", marker={"color": [COLOURS[c] for c in df["colour"]],
                                          "line": {"color": INK, "width": 0.5}},
        customdata=[colour_label(c, lang) for c in df["colour"]], name=text("score", lang),
        hovertemplate="%{y}: %{x:.1f} (%{customdata})<extra></extra>")
    if "q05" in df.columns:
        bar["error_x"] = {"type": "data", "symmetric": False, "color": INK, "thickness": 1.5,
                          "array": (df["q95"] - df["score"]).clip(lower=0),
                          "arrayminus": (df["score"] - df["q05"]).clip(lower=0)}
    g = go()
    city = name_of(unit_names(result, lang, names), unit)
    return figure([g.Bar(**bar)], base_layout(
        title if title is not None else text("profile_title", lang, city=city, period=period),
        xaxis={"title": text("score", lang), "range": [0, 100]},
        yaxis={"autorange": "reversed"}, height=80 + 40 * len(df), width=640,
        margin={"l": 150, "r": 20, "t": 60, "b": 50}, showlegend=False,
        meta={"kind": "profile_bars", "unit": str(unit), "period": period,
              "nodes": df["node"].tolist()}) | (layout or {}))


def radar(result, unit, period=None, *, score_stats: pd.DataFrame | None = None,
          lang: str = "en", names: dict | None = None, title: str | None = None):
    """A radar of the theme scores of ``unit`` against the network median of each theme.

    With ``score_stats`` a shaded band spans the 5th to 95th percentile of each theme score.
    """
    fw = result.framework
    period = pick_period(result.scores, period)
    df = theme_frame(result, unit, period, score_stats)
    df = df[df["node"] != fw.root]
    labels = [node_label(fw, n, lang) for n in df["node"]]
    closed = labels + labels[:1]
    sc = result.scores
    med = (sc[(sc["period"] == period) & sc["node"].isin(df["node"])]
           .groupby("node", observed=True)["score"].median().reindex(df["node"]).tolist())
    g = go()
    traces = []
    if "q05" in df.columns:
        traces.append(g.Scatterpolar(r=list(df["q95"]) + [df["q95"].iloc[0]], theta=closed,
                                     mode="lines", line={"width": 0}, showlegend=False,
                                     hoverinfo="skip"))
        traces.append(g.Scatterpolar(r=list(df["q05"]) + [df["q05"].iloc[0]], theta=closed,
                                     mode="lines", line={"width": 0}, fill="tonext",
                                     fillcolor="rgba(11,83,148,0.18)",
                                     name=text("interval", lang)))
    traces.append(g.Scatterpolar(r=med + med[:1], theta=closed, mode="lines",
                                 line={"color": "#767676", "dash": "dash"},
                                 name=text("network_median", lang)))
    city = name_of(unit_names(result, lang, names), unit)
    scores = df["score"].tolist()
    traces.append(g.Scatterpolar(
        r=scores + scores[:1], theta=closed, mode="lines+markers", name=city,
        line={"color": "#0b5394", "width": 2.5},
        marker={"color": [COLOURS[c] for c in df["colour"]] + [COLOURS[df["colour"].iloc[0]]],
                "size": 11, "line": {"color": INK, "width": 1}}))
    return figure(traces, base_layout(
        title if title is not None else text("radar_title", lang, city=city, period=period),
        polar={"radialaxis": {"range": [0, 100], "tickvals": [25, 50, 75, 100]}},
        height=460, width=560, legend={"orientation": "h", "y": -0.08},
        meta={"kind": "radar", "unit": str(unit), "period": period,
              "nodes": df["node"].tolist()}))


def trend_lines(result, unit, node=None, *, lang: str = "en", names: dict | None = None,
                title: str | None = None):
    """Scores of ``unit`` over the periods.

    ``node`` None: the index and its themes. An aggregate node: that node and its children.
    An indicator: its measured value per period with markers in dashboard colours and the
    green and red thresholds as dashed lines.
    """
    fw = result.framework
    node = fw.root if node is None else node
    city = name_of(unit_names(result, lang, names), unit)
    g = go()
    traces, shapes, notes = [], [], []
    if fw.node(node).value_type is not None:
        _indicator_trend(traces, shapes, notes, result, unit, fw.node(node), lang)
        unit_text = fw.node(node).unit_label(lang)
        ytitle = text("value", lang) + (f" ({unit_text})" if unit_text else "")
    else:
        sc = rows_for(result.scores, unit, None, "scores")
        for i, code in enumerate([node, *fw.children(node)]):
            s = sc[sc["node"] == code].sort_values("period")
            traces.append(g.Scatter(
                x=s["period"], y=s["score"], mode="lines+markers",
                name=node_label(fw, code, lang),
                line={"width": 3.5 if i == 0 else 1.8, "color": INK if i == 0 else None}))
        ytitle = text("score", lang)
    periods = sorted(result.scores["period"].unique().tolist())
    return figure(traces, base_layout(
        title if title is not None
        else text("trend_title", lang, city=city, node=node_label(fw, node, lang)),
        xaxis={"title": text("period", lang), "tickvals": periods, "tickformat": "d"},
        yaxis={"title": ytitle}, height=380, width=640, shapes=shapes, annotations=notes,
        meta={"kind": "trend_lines", "unit": str(unit), "node": node}))


def _indicator_trend(traces, shapes, notes, result, unit, ind, lang: str) -> None:
    g = go()
    dash = rows_for(result.dashboard, unit, None, "dashboard rows")
    d = dash[dash["node"] == ind.code].sort_values("period")
    traces.append(g.Scatter(
        x=d["period"], y=d["value"], mode="lines+markers", name=ind.label(lang),
        line={"color": INK}, marker={"size": 12, "color": [COLOURS[c] for c in d["colour"]],
                                     "line": {"color": INK, "width": 1}},
        customdata=[colour_label(c, lang) for c in d["colour"]],
        hovertemplate="%{x}: %{y} (%{customdata})<extra></extra>"))
    for key, colour, value in (("green_threshold", "green", ind.green),
                               ("red_threshold", "red", ind.red)):
        if value is not None:
            shapes.append({"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": value,
                           "y1": value, "line": {"color": COLOURS[colour], "dash": "dash"}})
            notes.append({"xref": "paper", "x": 0, "y": value, "xanchor": "left",
                          "yanchor": "bottom", "showarrow": False, "text": text(key, lang)})
