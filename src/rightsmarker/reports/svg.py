"""Small SVG charts for printed reports: the theme bars and the group dot plot.

The PDF draws these instead of Plotly figures: the same data and colours as
:func:`rightsmarker.charts.profile_bars` and :func:`rightsmarker.charts.group_gaps`, but made
in Python in about a millisecond and drawn by the browser without JavaScript, which makes a
report of 100 cities several times cheaper to print. Everything is vector (rects, lines,
circles, text).
"""

from __future__ import annotations

import math
from html import escape

FONT = "Noto Sans, Noto Sans CJK KR, Arial, sans-serif"
INK, GRID, MUTED = "#1a1a1a", "#e6e6e6", "#9e9e9e"


def nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """About ``n`` round tick values covering ``[lo, hi]`` (steps of 1, 2 or 5 × 10^k)."""
    if not math.isfinite(lo) or not math.isfinite(hi):
        return [0.0]
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    return [round(start + i * step, 10) for i in range(int(math.ceil((hi - start) / step)) + 1)]


def _text(x, y, s, anchor="start", size=11, colour=INK, weight="normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
            f'fill="{colour}" font-weight="{weight}">{escape(str(s))}</text>')


def _axis(x0: float, x1: float, top: float, bottom: float, ticks, lo, hi, title: str) -> list:
    def sx(v):
        return x0 + (v - lo) / (hi - lo) * (x1 - x0)
    out = []
    for t in ticks:
        x = sx(t)
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{bottom}" '
                   f'stroke="{GRID}"/>')
        out.append(_text(x, bottom + 14, f"{t:g}", "middle", 10))
    out.append(_text((x0 + x1) / 2, bottom + 30, title, "middle", 11))
    return out


def _svg(width: int, height: int, body: list[str], label: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="{FONT}" role="img" '
            f'aria-label="{escape(label)}">' + "".join(body) + "</svg>")


def bars_svg(rows: list[dict], *, axis_title: str, label: str = "", width: int = 640,
             left: int = 160) -> str:
    """Horizontal bars 0-100: each row ``label, value, fill, text`` and optionally ``lo, hi``
    (an interval drawn as a whisker)."""
    bar_h, gap, top = 22, 8, 6
    bottom = top + len(rows) * (bar_h + gap)
    x0, x1 = left, width - 20

    def sx(v):
        return x0 + max(0.0, min(100.0, v)) / 100 * (x1 - x0)
    body = _axis(x0, x1, top, bottom, [0, 20, 40, 60, 80, 100], 0, 100, axis_title)
    for i, r in enumerate(rows):
        y = top + i * (bar_h + gap) + gap / 2
        body.append(_text(x0 - 6, y + bar_h / 2 + 4, r["label"], "end"))
        v = r.get("value")
        if v is None or not math.isfinite(v):
            body.append(_text(x0 + 4, y + bar_h / 2 + 4, "–"))
            continue
        body.append(f'<rect x="{x0}" y="{y:.1f}" width="{sx(v) - x0:.1f}" height="{bar_h}" '
                    f'fill="{r["fill"]}" stroke="{INK}" stroke-width="0.5"/>')
        body.append(_text(x0 + 4, y + bar_h / 2 + 4, r.get("text", ""), size=10,
                          colour=r.get("text_colour", INK)))
        lo, hi = r.get("lo"), r.get("hi")
        if lo is not None and hi is not None and math.isfinite(lo) and math.isfinite(hi):
            cy = y + bar_h / 2
            body.append(f'<path d="M{sx(lo):.1f} {cy:.1f}H{sx(hi):.1f}M{sx(lo):.1f} '
                        f'{cy - 5:.1f}v10M{sx(hi):.1f} {cy - 5:.1f}v10" stroke="{INK}" '
                        'stroke-width="1.5" fill="none"/>')
    return _svg(width, int(bottom + 40), body, label)


def dots_svg(rows: list[dict], total: float, *, title: str, total_label: str,
             axis_title: str, width: int = 640, left: int = 200) -> str:
    """A dot per group (``label, value, fill``) with a segment to a vertical line at the
    ``total``: the segment's length is the gap."""
    row_h, top = 24, 44
    bottom = top + len(rows) * row_h
    values = [r["value"] for r in rows if r["value"] is not None and math.isfinite(r["value"])]
    ticks = nice_ticks(min([*values, total]), max([*values, total]))
    lo, hi = ticks[0], ticks[-1]
    x0, x1 = left, width - 20

    def sx(v):
        return x0 + (v - lo) / ((hi - lo) or 1) * (x1 - x0)
    body = [_text(0, 14, title, size=12, weight="bold")]
    body += _axis(x0, x1, top, bottom, ticks, lo, hi, axis_title)
    tx = sx(total)
    for i, r in enumerate(rows):
        cy = top + i * row_h + row_h / 2
        body.append(_text(x0 - 8, cy + 4, r["label"], "end"))
        v = r["value"]
        if v is None or not math.isfinite(v):
            continue
        body.append(f'<line x1="{tx:.1f}" x2="{sx(v):.1f}" y1="{cy:.1f}" y2="{cy:.1f}" '
                    f'stroke="{MUTED}" stroke-width="2"/>')
        body.append(f'<circle cx="{sx(v):.1f}" cy="{cy:.1f}" r="6" fill="{r["fill"]}" '
                    f'stroke="{INK}"/>')
    body.append(f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{top - 6}" y2="{bottom}" '
                f'stroke="{INK}" stroke-width="2"/>')
    body.append(_text(tx, top - 10, f"{total_label} {total:g}", "middle", 10))
    return _svg(width, int(bottom + 40), body, title)
