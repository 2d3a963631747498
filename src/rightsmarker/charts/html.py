"""Plotly figures as HTML with the JavaScript taken from the installed ``plotly`` package.

No CDN: a page either links a local copy of ``plotly.min.js`` (:func:`plotly_js_path` gives
the file to serve, e.g. copied into the web app's static files) or inlines it
(``include_js="inline"``, for a standalone file such as a report).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

CONFIG = {"displaylogo": False, "responsive": False,
          "modeBarButtonsToRemove": ["select2d", "lasso2d"]}


def plotly_js_path() -> Path:
    """Path of ``plotly.min.js`` inside the installed plotly package."""
    import plotly

    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if not path.exists():  # pragma: no cover - a broken plotly install
        raise FileNotFoundError(path)
    return path


def plotly_js_version() -> str:
    """The version of plotly.js bundled with the Python package (for versioned file names)."""
    from plotly.offline import get_plotlyjs_version

    return get_plotlyjs_version()


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """The text of ``plotly.min.js``."""
    return plotly_js_path().read_text(encoding="utf-8")


def to_html(fig, *, include_js: str | bool = False, js_src: str = "plotly.min.js",
            static: bool = False, div_id: str | None = None) -> str:
    """An HTML fragment (a ``<div>`` and its ``<script>``) drawing ``fig``.

    ``include_js``: ``False`` (the page loads plotly.js itself), ``"local"`` (adds
    ``<script src=js_src>``; serve :func:`plotly_js_path` there) or ``"inline"`` (the whole
    library inlined, about 4.6 MB: once per page). ``static=True`` draws a non-interactive
    chart (for print and PDF). Never refers to a CDN.
    """
    import plotly.io as pio

    if include_js not in (False, "local", "inline"):
        raise ValueError("include_js must be False, 'local' or 'inline'")
    config = dict(CONFIG, staticPlot=static, displayModeBar=not static)
    body = pio.to_html(fig, include_plotlyjs=False, full_html=False, config=config,
                       div_id=div_id, default_width=f"{fig.layout.width or 700}px",
                       default_height=f"{fig.layout.height or 450}px")
    if _has_geo(fig):
        body = geo_assets_script(fig) + body
    if include_js == "local":
        return f'<script src="{js_src}" charset="utf-8"></script>\n{body}'
    if include_js == "inline":
        return f"<script>{plotly_js()}</script>\n{body}"
    return body


GEO_LAYERS = ("land", "ocean", "lakes", "rivers", "coastlines", "countries", "subunits")


def _has_geo(fig) -> bool:
    return any(t.type in ("choropleth", "scattergeo") for t in fig.data)


def geo_assets_script(fig) -> str:
    """A ``<script>`` giving plotly.js an empty world outline for the figure's geo scope.

    plotly.js fetches its world topology from a CDN for every map with a ``locationmode``,
    even a GeoJSON choropleth without a base map; an empty topology already in
    ``window.PlotlyGeoAssets`` stops the fetch, so district maps draw offline.
    """
    geo = fig.layout.geo
    name = f"{(geo.scope or 'world').replace(' ', '-')}_{geo.resolution or 110}m"
    empty = {"type": "Topology", "arcs": [], "objects": {
        layer: {"type": "GeometryCollection", "geometries": []} for layer in GEO_LAYERS}}
    return ("<script>window.PlotlyGeoAssets = window.PlotlyGeoAssets || {topojson: {}};"
            f"window.PlotlyGeoAssets.topojson[{json.dumps(name)}] = "
            f"window.PlotlyGeoAssets.topojson[{json.dumps(name)}] || {json.dumps(empty)};"
            "</script>\n")
