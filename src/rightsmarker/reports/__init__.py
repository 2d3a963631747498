"""Cycle reports of the results as self-contained HTML or PDF, with vector charts.

``build_report(result, ...)`` takes a :class:`rightsmarker.Result` and optional extras
(uncertainty, group gaps), independent of where they came from (files, the database):

- a network section: the heat map of the index and themes in dashboard colours, the
  recognition levels of every city (with their robustness when uncertainty is given) and the
  index's rank intervals;
- one section per city: theme scores (chart and table, rank intervals with uncertainty), the
  recognition level and the conditions behind it, the dashboard of every indicator with its
  value, colour, trend arrow and change, and the groups left furthest behind (table and
  charts).

HTML: one file, plotly.js and CSS inlined, interactive charts, no external URL. PDF: the same
page printed by headless Chromium (``apt-get install chromium``); the charts are SVG drawn by
plotly.js, so the PDF holds them as vector paths and text.
"""

from __future__ import annotations

from .content import Extras, choose_units, gather
from .pdf import PdfError, find_chromium, html_to_pdf, print_pages
from .render import render_html

PDF_PART = 20  # cities per separately printed part of a PDF

FORMATS = ("html", "pdf")

__all__ = ["FORMATS", "PdfError", "build_report", "find_chromium", "html_to_pdf",
           "print_pages"]


def build_report(result, *, period=None, cycle=None, cities=None, uncertainty=None,
                 gaps=None, names: dict | None = None, lang: str = "en",
                 format: str = "html", gap_charts: int = 2) -> bytes:
    """The cycle report of ``result`` as HTML or PDF bytes.

    ``period`` (alias ``cycle``): the period reported, default the latest. ``cities``: unit
    codes (one or several), default all. ``uncertainty``: an UncertaintyResult (or a dict of
    its ``rank_stats``, ``score_stats``, ``levels``) for rank and score intervals and the
    robustness of levels. ``gaps``: the table of :func:`rightsmarker.gaps` for the "who is left
    behind" part (``gap_charts`` charts per city). ``names``: display names of units (default:
    ``result.units``). ``lang``: ``en`` or ``ko``. ``format``: ``html`` or ``pdf``.
    """
    from ..errors import UnknownNameError

    if format not in FORMATS:
        raise UnknownNameError("report format", format, FORMATS)
    if period is not None and cycle is not None and int(period) != int(cycle):
        raise ValueError("give period or cycle, not two different values")
    chosen = cycle if period is None else period
    scores = result.scores
    period = int(scores["period"].max()) if chosen is None else int(chosen)
    if period not in set(scores["period"].astype(int)):
        from ..errors import DataError

        raise DataError(f"no results for period {period}; periods: "
                        + ", ".join(str(p) for p in sorted(scores["period"].unique())))
    extras = Extras.from_inputs(uncertainty, gaps)
    data = gather(result, period, choose_units(result, cities, period), extras, lang, names,
                  gap_charts)
    if format == "html":
        return render_html(result, data, extras, static=False).encode("utf-8")
    return print_pages(_parts(result, data, extras))


def _parts(result, data, extras):
    """The PDF's pages in parts of :data:`PDF_PART` cities, made one by one while the
    browser prints the previous ones."""
    import dataclasses

    cities = data.cities
    size = PDF_PART if _can_join() else max(len(cities), 1)
    for part, start in enumerate(range(0, max(len(cities), 1), size)):
        chunk = dataclasses.replace(data, cities=cities[start:start + size], part=part,
                                    links=len(cities) <= size)
        yield render_html(result, chunk, extras, static=True)


def _can_join() -> bool:
    """Parts need pypdf to be joined; without it the report is printed in one go."""
    import importlib.util

    return importlib.util.find_spec("pypdf") is not None
