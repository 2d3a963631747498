"""Shared pieces of the chart builders: dashboard colours, translated texts, unit names.

Every chart takes ``lang`` (``"en"`` or ``"ko"``): node labels come from the framework, the
few fixed texts (axis titles, legends) from :data:`TEXT`. A language without a text falls back
to English.
"""

from __future__ import annotations

import pandas as pd

from ..errors import DataError

# Dashboard colours (ColorBrewer RdYlGn, readable for common colour-vision deficiencies when
# read with the score written in each cell) and their order from best to worst.
COLOURS = {"green": "#1a9850", "yellow": "#fee08b", "orange": "#fc8d59", "red": "#d73027",
           "grey": "#bdbdbd"}
COLOUR_ORDER = ["grey", "red", "orange", "yellow", "green"]  # z codes 0..4 in the heat map
INK = "#1a1a1a"

TEXT = {
    "score": {"en": "score (0-100)", "ko": "점수 (0-100)"},
    "rank": {"en": "rank (1 = best)", "ko": "순위 (1 = 최고)"},
    "city": {"en": "city", "ko": "도시"},
    "period": {"en": "period", "ko": "기간"},
    "value": {"en": "value", "ko": "값"},
    "total": {"en": "total", "ko": "전체"},
    "interval": {"en": "5th-95th percentile", "ko": "5-95 백분위"},
    "median": {"en": "median", "ko": "중앙값"},
    "nominal": {"en": "nominal", "ko": "기준값"},
    "network_median": {"en": "network median", "ko": "네트워크 중앙값"},
    "worse": {"en": "worse off than the total", "ko": "전체보다 불리"},
    "better": {"en": "not worse off", "ko": "불리하지 않음"},
    "gap": {"en": "gap", "ko": "격차"},
    "green_threshold": {"en": "green threshold", "ko": "녹색 기준"},
    "red_threshold": {"en": "red threshold", "ko": "적색 기준"},
    "level": {"en": "level", "ko": "수준"},
    "no_data": {"en": "no data", "ko": "자료 없음"},
    "heatmap_title": {"en": "{root}, {period}: themes by city",
                      "ko": "{root}, {period}: 도시별 영역"},
    "profile_title": {"en": "{city}, {period}: theme scores", "ko": "{city}, {period}: 영역 점수"},
    "radar_title": {"en": "{city}, {period}: profile", "ko": "{city}, {period}: 프로필"},
    "trend_title": {"en": "{city}: {node} over time", "ko": "{city}: {node} 추이"},
    "gaps_title": {"en": "{city}, {period}: {indicator} by group",
                   "ko": "{city}, {period}: 집단별 {indicator}"},
    "comparison_title": {"en": "{city} and peers, {period}", "ko": "{city}와 비교 도시, {period}"},
    "colour_green": {"en": "green", "ko": "녹색"},
    "colour_yellow": {"en": "yellow", "ko": "황색"},
    "colour_orange": {"en": "orange", "ko": "주황색"},
    "colour_red": {"en": "red", "ko": "적색"},
    "colour_grey": {"en": "no data", "ko": "자료 없음"},
    "yes": {"en": "yes", "ko": "예"},
    "no": {"en": "no", "ko": "아니오"},
}


def text(key: str, lang: str = "en", **fmt) -> str:
    """The fixed text ``key`` in ``lang`` (English when missing), formatted with ``fmt``."""
    entry = TEXT[key]
    return (entry.get(lang) or entry["en"]).format(**fmt)


def go():
    """``plotly.graph_objects`` (plotly is a dependency of rightsmarker)."""
    import plotly.graph_objects as go_

    return go_


def node_label(framework, code: str, lang: str = "en") -> str:
    """The node's label in ``lang``; the code itself for a node the framework lacks."""
    try:
        return framework.node(code).label(lang)
    except Exception:  # noqa: BLE001 - unknown codes are shown as they are
        return str(code)


def unit_names(result, lang: str = "en", names: dict | None = None) -> dict[str, str]:
    """Display names of the units: ``names`` if given, else the ``name_<lang>`` / ``name``
    column of ``result.units``, else the unit codes themselves."""
    units = getattr(result, "units", None)
    if units is not None and "unit" not in units.columns and units.index.name == "unit":
        units = units.reset_index()  # read_units indexes the table by unit
    found: dict[str, str] = {}
    if units is not None and "unit" in units.columns:
        for col in (f"name_{lang}", "name", "name_en"):
            if col in units.columns:
                found = {str(u): str(n) for u, n in zip(units["unit"], units[col], strict=True)
                         if isinstance(n, str) and n}
                break
    found.update(names or {})
    return found


def wrap(label: str, width: int = 14) -> str:
    """``label`` broken into lines (``<br>``) of about ``width`` characters, a wide (Korean,
    Chinese, Japanese) letter counting two: Plotly never wraps a title or a tick label."""
    import unicodedata

    def size(word: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in word)

    lines, line = [], ""
    for word in label.split():
        if line and size(line) + 1 + size(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join([*lines, line])


def name_of(names: dict, unit) -> str:
    return names.get(str(unit), str(unit))


def pick_period(df: pd.DataFrame, period=None) -> int:
    """``period`` as an int, or the latest period of ``df``."""
    if df.empty:
        raise DataError("no results to chart")
    return int(df["period"].max()) if period is None else int(period)


def themes(framework) -> list[str]:
    """The root's children (the themes), in framework order."""
    return list(framework.children(framework.root))


def unit_mask(df: pd.DataFrame, unit):
    """Rows of ``unit``: a direct comparison (fast on categorical codes), falling back to
    comparing as text (a unit given as a number, say)."""
    mask = (df["unit"] == unit).to_numpy()
    if not mask.any():
        mask = (df["unit"].astype(str) == str(unit)).to_numpy()
    return mask


def rows_for(df: pd.DataFrame, unit, period=None, what: str = "results") -> pd.DataFrame:
    """The rows of one unit (and period); a clear error when there are none."""
    sub = df[unit_mask(df, unit)]
    if period is not None:
        sub = sub[sub["period"] == int(period)]
    if sub.empty:
        at = "" if period is None else f" in period {period}"
        known = ", ".join(sorted(df["unit"].astype(str).unique())[:20])
        raise DataError(f"no {what} for unit {unit!r}{at}; units: {known}")
    return sub


AXIS = {"gridcolor": "#e6e6e6", "zerolinecolor": "#bdbdbd", "linecolor": "#bdbdbd",
        "ticks": "", "automargin": True}
COLORWAY = ["#0b5394", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#7f7f7f",
            "#f0e442"]


def base_layout(title: str | None, **extra) -> dict:
    """Layout shared by every chart: white background, title top left, compact margins.

    The styling is written out instead of using a named Plotly template: a template is
    deep-copied and validated for every figure, about 8 times slower to build (it matters
    for a report of 100 cities)."""
    layout = {"title": {"text": title, "x": 0, "xref": "paper", "xanchor": "left",
                        "font": {"size": 16}},
              "template": "none", "paper_bgcolor": "white", "plot_bgcolor": "white",
              "colorway": COLORWAY, "hoverlabel": {"font": {"size": 12}},
              "font": {"family": "Noto Sans, Noto Sans CJK KR, Arial, sans-serif", "color": INK,
                       "size": 12},
              "margin": {"l": 60, "r": 20, "t": 60, "b": 50}}
    for axis in ("xaxis", "yaxis"):
        layout[axis] = {**AXIS, **extra.pop(axis, {})}
    if "polar" in extra:
        polar = extra["polar"]
        polar.setdefault("bgcolor", "white")
        polar["radialaxis"] = {"gridcolor": "#d9d9d9", "linecolor": "#bdbdbd",
                               **polar.get("radialaxis", {})}
        polar["angularaxis"] = {"gridcolor": "#d9d9d9", "linecolor": "#bdbdbd",
                                **polar.get("angularaxis", {})}
    layout.update(extra)
    return layout


def figure(traces: list, layout: dict):
    """One ``go.Figure`` from its traces and layout, built in one call (adding traces and
    updating the layout one by one costs ten times more)."""
    return go().Figure(data=traces, layout=layout)


def colour_label(colour: str, lang: str = "en") -> str:
    return text(f"colour_{colour}", lang) if f"colour_{colour}" in TEXT else colour
