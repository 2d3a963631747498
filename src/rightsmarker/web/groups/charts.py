"""Inline charts without JavaScript: CSS bar widths and the geometry of small SVG charts.

The templates draw what these functions compute, so the pages need no chart library.
"""

from __future__ import annotations

import math


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def bar_rows(items: list[tuple[str, object]]) -> list[dict]:
    """``(label, value)`` pairs as bars: ``width`` in percent of the largest absolute value.

    Missing values get no bar (``width`` None); the first item is the reference (``total``).
    """
    numbers = [_number(v) for _, v in items]
    top = max((abs(n) for n in numbers if n is not None), default=0.0)
    rows = []
    for i, ((label, _), number) in enumerate(zip(items, numbers, strict=True)):
        width = None if number is None else (100 * abs(number) / top if top else 0.0)
        rows.append({"label": label, "value": number,
                     "width": None if width is None else round(width, 1),
                     "reference": i == 0, "negative": number is not None and number < 0})
    return rows


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """About ``count`` + 1 round ticks covering ``low``..``high``: steps of 1, 2, 2.5 or 5 times a
    power of ten (``0, 0.05, 0.1, 0.15, 0.2`` rather than ``0, 0.0465, 0.0929, ...``)."""
    span = (high - low) or abs(high) or 1.0
    raw = span / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw * (1 - 1e-9))
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    return [round(k * step, 12) for k in range(first, max(last, first + 1) + 1)]


def tick_label(value: float, step: float, percent: bool = False) -> str:
    """A tick as few digits as its step needs (``0.15``, ``20,000``), or a percent (``15%``)."""
    scale = 100 if percent else 1
    decimals = 0
    while decimals < 6 and abs(step * scale * 10 ** decimals
                               - round(step * scale * 10 ** decimals)) > 1e-6:
        decimals += 1
    text = f"{value * scale:,.{decimals}f}"
    text = "0" if text.lstrip("-").strip("0.,") == "" else text
    return text + ("%" if percent else "")


def interval_chart(rows: list[dict], width: int = 640, row_height: int = 22,
                   label_width: int = 260, percent: bool = False) -> dict:
    """Geometry of a horizontal chart of estimates with intervals and the rest's estimate.

    ``rows``: dicts with ``definition, estimate, ci_low, ci_high, rest_estimate, flagged``
    (``rest_estimate`` None: no tick; the waves page charts changes of gaps this way). The axis
    runs between round ticks (:func:`nice_ticks`), labelled as percents when ``percent`` (the
    estimates are shares).
    Returns ``{"width", "height", "axis": [...], "rows": [...]}`` in SVG user units: per row a
    bar from 0 to the estimate, a whisker from ``ci_low`` to ``ci_high`` and a tick at the rest.
    """
    values = [_number(r.get(k)) for r in rows for k in ("ci_high", "estimate", "rest_estimate")]
    values = [v for v in values if v is not None]
    ticks = nice_ticks(min([0.0, *[_number(r.get("ci_low")) or 0.0 for r in rows]]),
                       max([*values, 0.0]) or 1.0)
    low, high = ticks[0], ticks[-1]
    plot = width - label_width - 20

    def x(value) -> float:
        number = _number(value)
        number = low if number is None else number
        return round(label_width + (number - low) / (high - low) * plot, 1)

    out = []
    for i, r in enumerate(rows):
        y = 10 + i * row_height
        start, end = sorted((x(0), x(r.get("estimate"))))
        out.append({"definition": r["definition"], "y": y, "text_y": y + 13,
                    "bar_x": start, "bar_width": round(end - start, 1),
                    "ci_x1": x(r.get("ci_low")), "ci_x2": x(r.get("ci_high")),
                    "mid_y": y + 8,
                    "rest_x": None if r.get("rest_estimate") is None else x(r["rest_estimate"]),
                    "flagged": bool(r.get("flagged")), "estimate": _number(r.get("estimate"))})
    height = 30 + len(rows) * row_height
    step = ticks[1] - ticks[0]
    axis = [{"x": x(t), "label": tick_label(t, step, percent)} for t in ticks]
    return {"width": width, "height": height, "rows": out, "axis": axis,
            "axis_y": height - 8, "label_width": label_width, "top": 6, "bottom": height - 20}
