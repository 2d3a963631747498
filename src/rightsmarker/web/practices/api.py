"""Read API of the practices (JSON, under ``/practices/api/``), errors in the API's envelope.

``GET /practices/api/practices?q=&theme=&group=&city=&region=&year=&limit=&offset=``: published
practices matching the search; ``GET /practices/api/practices/<id>``: one published practice
with its similar practices. Everything else under ``/practices/api/`` answers the 404 envelope.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from ..api.errors import ApiError, enveloped, error_response
from .models import PracticeRecord
from .pages import filters_from, similar_records
from .services import ensure_index, open_index

MAX_LIMIT = 100


def _int(params, name: str, default: int, maximum: int | None = None) -> int:
    raw = params.get(name, "")
    if raw == "":
        return default
    if not raw.isdigit() or (maximum is not None and int(raw) > maximum):
        raise ApiError(422, f"'{name}' must be a whole number" +
                       (f" up to {maximum}" if maximum else ""),
                       details=[{"loc": ["query", name], "message": "invalid", "type": "int"}])
    return int(raw)


@enveloped
@require_GET
def practice_list(request):
    query, filters, _chosen = filters_from(request.GET)
    limit = _int(request.GET, "limit", 20, MAX_LIMIT)
    offset = _int(request.GET, "offset", 0)
    ensure_index()
    with open_index() as index:
        hits = index.search(query, filters=filters, limit=limit, offset=offset)
    return JsonResponse({"query": query, "limit": limit, "offset": offset,
                         "results": [h.practice.model_dump(mode="json") | {"score": h.score}
                                     for h in hits]},
                        json_dumps_params={"ensure_ascii": False})


@enveloped
@require_GET
def practice_detail(request, code: str):
    record = PracticeRecord.objects.select_related("city").filter(
        code=code, status="published").first()
    if record is None:
        raise ApiError(404, "There is no published practice with this id.")
    similar = [{"id": r.code, "title": r.data.get("title"), "score": round(s, 4)}
               for r, s in similar_records(record)]
    return JsonResponse({"practice": record.data, "similar": similar},
                        json_dumps_params={"ensure_ascii": False})


@enveloped
def not_found(request, *args, **kwargs):
    return error_response(404)
