"""Who is left behind: every group of a city against its total, for one indicator."""

from __future__ import annotations

import pandas as pd

from ..errors import DataError
from ._common import (
    COLOURS,
    INK,
    base_layout,
    figure,
    go,
    name_of,
    node_label,
    text,
    unit_mask,
    wrap,
)

WIDTH = 640
TITLE_CHARS = 72  # a 16 px title line across the figure (640 px); a Korean letter counts 2
TITLE_LINE = 22  # px per further title line
LEGEND_SPACE = 95  # px below the plot: tick labels, the axis title, then the legend


def group_label(group: str, framework=None, lang: str = "en") -> str:
    """A readable label of a canonical group code (``sex=female;age=65+``).

    A group the framework names (``women`` is ``sex=female``) takes its label; otherwise each
    part reads ``<ground label>: <value>``.
    """
    if framework is not None:
        for g in getattr(framework, "groups", []) or []:
            if g.definition == group:
                return g.label(lang)
    grounds = {gr.code: gr for gr in (getattr(framework, "grounds", None) or [])}
    parts = []
    for part in str(group).split(";"):
        ground, _, value = part.partition("=")
        parts.append(ground_part(grounds.get(ground), ground, value, lang))
    return " · ".join(parts)


DISTRICT = {"en": "District", "ko": "구역"}  # the district maps' values (district=<id>)


def ground_part(gr, ground: str, value: str, lang: str = "en") -> str:
    """One ``ground=value`` part in ``lang``: ``Sex: female`` / ``성별: 여성``."""
    if gr is not None:
        label = gr.label(lang)
        value = gr.value_label(value, lang) if value else value
    else:
        label = DISTRICT.get(lang, DISTRICT["en"]) if ground == "district" else ground
    return f"{label}: {value}" if value else label


def group_gaps_frame(gaps_df: pd.DataFrame, unit, indicator, period=None) -> pd.DataFrame:
    """The rows of ``gaps_df`` (from :func:`rightsmarker.gaps`) for one unit, indicator and
    period (latest with data by default), ordered from the largest gap (worst off) down."""
    sub = gaps_df[unit_mask(gaps_df, unit) & (gaps_df["indicator"] == indicator).to_numpy()]
    if sub.empty:
        raise DataError(f"no group values for unit {unit!r} and indicator {indicator!r}")
    period = int(sub["period"].max()) if period is None else int(period)
    sub = sub[sub["period"] == period]
    if sub.empty:
        raise DataError(f"no group values for {unit!r}, {indicator!r} in period {period}")
    return sub.sort_values(["gap", "group"], ascending=[False, True]).reset_index(drop=True)


def group_gaps(gaps_df: pd.DataFrame, unit, indicator, period=None, *, framework=None,
               lang: str = "en", names: dict | None = None, title: str | None = None,
               layout: dict | None = None):
    """A dot per group at its value, against a vertical line at the total ("who is left
    behind"). Red dots are groups worse off than the total (direction-aware: a higher poverty
    rate is worse), green ones are not; a thin segment joins each dot to the total so the
    length reads as the gap. Groups are sorted from the largest gap down; hover shows the
    gap and its change since the previous period. ``layout`` overrides layout settings.
    """
    df = group_gaps_frame(gaps_df, unit, indicator, period)
    period = int(df["period"].iloc[0])
    labels = [group_label(g, framework, lang) for g in df["group"]]
    total = float(df["reference_value"].dropna().iloc[0]) if df["reference_value"].notna().any() \
        else float("nan")
    worse = df["worse"].fillna(False).astype(bool)
    g = go()
    seg_x, seg_y = [], []
    for lab, v in zip(labels, df["value"], strict=True):
        seg_x += [total, v, None]
        seg_y += [lab, lab, None]
    traces = [g.Scatter(x=seg_x, y=seg_y, mode="lines", showlegend=False,
                        line={"color": "#9e9e9e", "width": 2}, hoverinfo="skip")]
    for flag, key, colour in ((True, "worse", "red"), (False, "better", "green")):
        sel = (worse == flag).to_numpy()
        if sel.any():
            traces.append(g.Scatter(
                x=df["value"][sel], y=[lab for lab, s in zip(labels, sel, strict=True) if s],
                mode="markers", name=text(key, lang),
                marker={"size": 12, "color": COLOURS[colour], "line": {"color": INK, "width": 1}},
                customdata=df.loc[sel, ["gap", "gap_change"]].to_numpy(),
                hovertemplate=("%{y}: %{x}<br>" + text("gap", lang) + " %{customdata[0]:.2f}"
                               " (%{customdata[1]:+.2f})<extra></extra>")))
    line = {"type": "line", "x0": total, "x1": total, "y0": 0, "y1": 1, "yref": "paper",
            "line": {"color": INK, "width": 2}}
    note = {"x": total, "y": 1, "yref": "paper", "yanchor": "bottom", "showarrow": False,
            "text": f"{text('total', lang)} {total:g}"}
    ind = node_label(framework, indicator, lang) if framework is not None else indicator
    city = name_of(names or {}, unit)
    heading = (title if title is not None
               else text("gaps_title", lang, city=city, period=period, indicator=ind))
    heading = wrap(heading, TITLE_CHARS) if heading else heading
    top = 80 + TITLE_LINE * (heading or "").count("<br>")
    settings = base_layout(
        heading, xaxis={"title": text("value", lang)}, yaxis={"autorange": "reversed"},
        height=top + LEGEND_SPACE + 30 * len(df) + 40, width=WIDTH,
        margin={"l": 190, "r": 20, "t": top, "b": LEGEND_SPACE},
        # the legend below the axis title, in the figure's own space (paper coordinates
        # depend on the plot's height and put it on the tick labels of a short chart)
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom",
                "xref": "container", "x": 0.02, "xanchor": "left"},
        shapes=[line], annotations=[note],
        meta={"kind": "group_gaps", "unit": str(unit), "indicator": indicator,
              "period": period, "groups": df["group"].tolist()})
    # the title across the whole figure, not only above the plot right of the group labels
    settings["title"] |= {"xref": "container", "x": 0.02}
    return figure(traces, settings | (layout or {}))

