"""Plotly figure builders for the results: each takes the long result tables and returns a
``plotly.graph_objects.Figure``; every text follows ``lang`` (``en``/``ko``).

==========================  =====================================================
``heatmap``                 cities × index and themes, dashboard colours, scores
``profile_bars``, ``radar`` a city's theme scores (optional uncertainty intervals)
``trend_lines``             a city's scores (or one indicator) over the periods
``indicator_table``         data: every indicator with value, colour, arrow, change
``group_gaps``              every group against the total ("who is left behind")
``comparison``              a city against peers; rank intervals with uncertainty
``to_html``                 a figure as HTML, plotly.js local or inlined (no CDN)
==========================  =====================================================

The guide is ``docs/guide/results-views.md``.
"""

from ._common import COLOURS, TEXT, unit_names
from .compare import comparison, comparison_frame
from .groups import group_gaps, group_gaps_frame, group_label
from .html import plotly_js, plotly_js_path, plotly_js_version, to_html
from .network import heatmap, heatmap_frame
from .profile import profile_bars, radar, theme_frame, trend_lines
from .tables import format_value, indicator_table

__all__ = [
    "COLOURS", "TEXT", "comparison", "comparison_frame", "format_value", "group_gaps",
    "group_gaps_frame", "group_label", "heatmap", "heatmap_frame", "indicator_table",
    "plotly_js", "plotly_js_path", "plotly_js_version", "profile_bars", "radar",
    "theme_frame", "to_html", "trend_lines", "unit_names",
]
