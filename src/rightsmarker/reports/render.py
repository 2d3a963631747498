"""The report as one self-contained HTML page (Jinja2 template, charts drawn by the inlined
plotly.js); :mod:`.pdf` prints the same page."""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..charts import group_gaps, group_gaps_frame, group_label, profile_bars, to_html
from ..charts._common import COLOURS, node_label, text
from ..charts.html import plotly_js
from .content import Extras, ReportData
from .svg import bars_svg, dots_svg
from .texts import translator

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(
        ["html", "j2"], default=True), trim_blocks=True, lstrip_blocks=True)


def fmt(x, digits: int = 1, sign: bool = False) -> str:
    """A number for a table cell; ``–`` when missing."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x:{'+' if sign else ''},.{digits}f}"


def _helpers(lang: str) -> dict:
    t = translator(lang)

    def rank_text(cell: dict, bare: bool = False) -> str:
        interval = cell.get("rank_interval")
        if interval and interval[0] is not None:
            lo, hi = int(interval[0]), int(interval[1])
            body = f"{lo}" if lo == hi else f"{lo}–{hi}"
            return body if bare else f"{t('rank_interval')} {body}"
        rank = "–" if cell.get("rank") is None else str(cell["rank"])
        return rank if bare else f"{t('rank')} {rank}"

    def level_text(cell: dict) -> str:
        if cell.get("level") is None:
            return "–"
        out = f"L{cell['level']} {cell.get('level_label') or ''}".strip()
        share = cell.get("robust_share")
        if share is not None:
            pct = f"{share * 100:.0f}"
            if cell.get("robust_level") is not None and cell["robust_level"] < cell["level"]:
                out += " (" + t("not_robust", level=f"L{cell['robust_level']}", share=pct,
                                nominal=cell["level"]) + ")"
            else:
                out += " (" + t("robust", share=pct) + ")"
        return out

    return {"t": t, "fmt": fmt, "rank_text": rank_text, "level_text": level_text}


def city_charts(result, data: ReportData, extras: Extras, static: bool) -> dict:
    """Per unit: the theme bars and the group-gap charts, as HTML fragments: Plotly figures
    for the screen, SVG drawn here for print (``static``)."""
    from markupsafe import Markup

    make = _svg_charts if static else _plotly_charts
    names = {c["unit"]: c["name"] for c in data.cities}
    out = {}
    for c in data.cities:
        profile, gaps = make(result, data, extras, c, names)
        out[c["unit"]] = {"profile": Markup(profile), "gaps": [Markup(g) for g in gaps]}
    return out


def _plotly_charts(result, data: ReportData, extras: Extras, c: dict, names: dict):
    fig = profile_bars(result, c["unit"], data.period, score_stats=extras.score_stats,
                       lang=data.lang, names=names, title="", layout={
                           "height": 60 + 32 * len(data.themes),
                           "margin": {"t": 10, "l": 150, "r": 20, "b": 40}})
    gaps = [to_html(group_gaps(c["gap_rows"], c["unit"], ind, data.period,
                               framework=result.framework, lang=data.lang, names=names))
            for ind in c["gap_indicators"]]
    return to_html(fig), gaps


def _svg_charts(result, data: ReportData, extras: Extras, c: dict, names: dict):
    fw, lang = result.framework, data.lang
    rows = []
    for cell in c["cells"]:  # the index and its themes, gathered once for the tables
        lo, hi = cell.get("score_interval") or (None, None)
        rows.append({
            "label": node_label(fw, cell["node"], lang), "value": cell["score"],
            "fill": cell["hex"], "lo": lo, "hi": hi,
            "text_colour": "#ffffff" if cell["colour"] in ("green", "red") else "#1a1a1a",
            "text": ("" if cell["score"] is None else f"{cell['score']:.0f}")
            + ("" if cell["level"] is None else f" · L{cell['level']}")})
    profile = bars_svg(rows, axis_title=text("score", lang), label=c["name"])
    gaps = []
    for ind in c["gap_indicators"]:
        g = group_gaps_frame(c["gap_rows"], c["unit"], ind, data.period)
        dots = [{"label": group_label(r["group"], fw, lang), "value": r["value"],
                 "fill": COLOURS["red" if pd.notna(r["worse"]) and bool(r["worse"]) else "green"]}
                for r in g.to_dict("records")]
        total = g["reference_value"].dropna()
        if len(total):
            gaps.append(dots_svg(dots, float(total.iloc[0]), title=node_label(fw, ind, lang),
                                 total_label=text("total", lang),
                                 axis_title=text("value", lang)))
    return profile, gaps


def network_charts(result, data: ReportData, extras: Extras, static: bool) -> list:
    from markupsafe import Markup

    if extras.rank_stats is None or data.part != 0:
        return []
    from ..ua.plot import plot_rank_intervals

    rs = extras.rank_stats
    rs = rs[rs["unit"].astype(str).isin([c["unit"] for c in data.network])]
    if "period" in rs.columns:
        rs = rs[rs["period"] == data.period]
    else:
        rs = rs.assign(period=data.period)
    fw = result.framework
    if rs.empty or fw.root not in set(rs["node"].astype(str)):
        return []
    names = {c["unit"]: c["name"] for c in data.network}
    fig = plot_rank_intervals(rs.assign(unit=rs["unit"].astype(str).map(names)), fw.root,
                              data.period, title=" ")
    return [Markup(to_html(fig, static=static))]


def render_html(result, data: ReportData, extras: Extras, *, static: bool) -> str:
    """The complete page: CSS and plotly.js inlined, no external resource."""
    from markupsafe import Markup

    from .. import __version__

    env = _environment()
    network = network_charts(result, data, extras, static)
    return env.get_template("report.html.j2").render(
        d=data, css=Markup((TEMPLATES / "report.css").read_text(encoding="utf-8")),
        plotly_js=Markup(plotly_js()) if network or not static else None,
        version=__version__, charts=city_charts(result, data, extras, static),
        network_charts=network, **_helpers(data.lang))
