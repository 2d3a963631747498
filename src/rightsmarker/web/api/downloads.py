"""Export operations: values of approved and published submissions per cycle or per city."""

from __future__ import annotations

from typing import Literal

from django.http import HttpResponse
from ninja import Router

from ..exports.formats import MEDIA_TYPES, render
from ..exports.rows import city_rows, cycle_rows
from .auth import READ
from .schemas import errors_for

router = Router(tags=["exports"])
Format = Literal["csv", "xlsx", "parquet"]
FILE = {200: {"content": {t.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
                          for t in MEDIA_TYPES.values()},
              "description": "The values, one row per indicator, group and submission"}}


def _download(stem: str, rows: list[dict], fmt: str) -> HttpResponse:
    response = HttpResponse(render(rows, fmt), content_type=MEDIA_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.get("/exports/cycles/{int:pk}/values.{fmt}", response=errors_for(401, 403, 404),
            openapi_extra={"responses": FILE}, auth=READ)
def export_cycle(request, pk: int, fmt: Format):
    """Approved and published values of a cycle (visitors: published only) as a file."""
    stem, rows = cycle_rows(request.auth.user, pk)
    return _download(stem, rows, fmt)


@router.get("/exports/cities/{code}/values.{fmt}", response=errors_for(401, 404),
            openapi_extra={"responses": FILE}, auth=READ)
def export_city(request, code: str, fmt: Format):
    """Approved and published values of a city over every cycle as a file."""
    stem, rows = city_rows(request.auth.user, code)
    return _download(stem, rows, fmt)
