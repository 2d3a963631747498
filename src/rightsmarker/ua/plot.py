"""Rank intervals per unit (COINr's ``plot_uncertainty``), as a Plotly figure.

Units are ordered by nominal rank (best at the top); a grey bar spans the 5th to 95th
percentile rank over the runs, a dot marks the median, a hollow diamond the nominal rank.
Plotly is optional: ``pip install plotly``.
"""

from __future__ import annotations

import pandas as pd


def plot_rank_intervals(rank_stats: pd.DataFrame, node: str, period=None, title=None):
    """A Plotly figure of the rank intervals of ``node`` (last period unless ``period``)."""
    try:
        import plotly.graph_objects as go
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("plot_rank_intervals needs plotly: pip install plotly") from exc
    rs = rank_stats[rank_stats["node"] == node]
    if rs.empty:
        raise ValueError(f"no rank statistics for node {node!r}")
    period = rs["period"].max() if period is None else period
    rs = rs[rs["period"] == period].sort_values("nominal", ascending=False)
    units = rs["unit"].astype(str).tolist()
    fig = go.Figure()
    fig.add_trace(go.Bar(
        y=units, x=rs["q95"] - rs["q05"], base=rs["q05"], orientation="h",
        marker={"color": "rgba(150,150,150,0.45)"}, name="5th-95th percentile",
        hovertemplate="%{y}: ranks %{base} to %{customdata}<extra></extra>",
        customdata=rs["q95"], width=0.5))
    fig.add_trace(go.Scatter(
        y=units, x=rs["median"], mode="markers", name="median",
        marker={"color": "#2a7f62", "size": 8}))
    fig.add_trace(go.Scatter(
        y=units, x=rs["nominal"], mode="markers", name="nominal",
        marker={"symbol": "diamond-open", "color": "#222222", "size": 8}))
    fig.update_layout(
        title=title or f"Rank of {node} ({period}) over the uncertainty runs",
        xaxis={"title": "rank (1 = best)", "autorange": "reversed", "dtick": 5},
        yaxis={"title": None, "tickfont": {"size": 10}},
        height=max(360, 16 * len(units) + 120), width=720, template="plotly_white",
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        margin={"l": 70, "r": 20, "t": 80, "b": 50}, bargap=0.3)
    return fig
