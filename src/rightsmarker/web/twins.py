"""Data twins: every list and detail page also answers as ``.json`` (and ``.csv`` for tables).

A view builds its rows once and calls :func:`respond`, which renders the HTML page or the twin.
CSV cells that a spreadsheet would run as a formula (starting with ``= + - @`` or a tab / CR)
are prefixed with a quote, so an exported file cannot run anything when opened.
"""

from __future__ import annotations

import csv
import io

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A CSV cell: text starting like a formula gets a leading apostrophe; None is empty."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_response(rows: list[dict], columns: list[str], filename: str) -> HttpResponse:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(row.get(c)) for c in columns])
    response = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def respond(request, fmt: str, template: str, context: dict, *, data: dict,
            rows: list[dict] | None = None, columns: list[str] | None = None,
            filename: str = "data") -> HttpResponse:
    """The HTML page (``fmt`` '/'), its ``.json`` twin (``data``) or ``.csv`` twin (``rows``)."""
    if fmt == ".json":
        return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    if fmt == ".csv":
        if rows is None or columns is None:
            raise Http404
        return csv_response(rows, columns, filename)
    return render(request, template, context)
