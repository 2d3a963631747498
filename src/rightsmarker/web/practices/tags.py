"""Tag suggestions in the editor (htmx): suggest from the text, accept or reject each code.

``suggest`` reads the title, summary and description being edited (the form's fields, so unsaved
text counts), calls the library's :func:`~rightsmarker.practices.suggest_tags` and lists each
suggestion with its score and evidence. ``Accept`` adds the code to the practice's themes, groups
or SDG targets (a new version) and swaps the form's field so a later save keeps it; ``Reject``
only hides the suggestion.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from rightsmarker.practices import PracticeError, suggest_tags

from .access import get_practice_for_user
from .forms import LANGS
from .services import save_version

FIELD_OF_KIND = {"theme": "themes", "group": "groups", "sdg": "sdg_targets"}
MAX_TEXT = 20_000


def _editable(request, pk: int):
    record, can_edit = get_practice_for_user(request.user, pk)
    if not can_edit:
        raise PermissionDenied
    return record


def text_of(params) -> str:
    parts = [params.get(f"{field}_{lang}", "") for field in ("title", "summary", "description")
             for lang in LANGS]
    return "\n".join(p for p in parts if p.strip())[:MAX_TEXT]


@require_POST
def suggest(request, pk: int):
    record = _editable(request, pk)
    text = text_of(request.POST) or record.practice().text()
    have = {kind: set(record.data.get(field) or []) for kind, field in FIELD_OF_KIND.items()}
    suggestions = [s | {"present": s["code"] in have[s["kind"]]}
                   for s in suggest_tags(text)] if text.strip() else []
    return render(request, "practices/_suggestions.html",
                  {"record": record, "suggestions": suggestions, "text": bool(text.strip())})


@require_POST
def decide(request, pk: int):
    record = _editable(request, pk)
    kind, code = request.POST.get("kind", ""), request.POST.get("code", "").strip()
    if kind not in FIELD_OF_KIND or not code:
        return HttpResponse(status=400)
    field = FIELD_OF_KIND[kind]
    context = {"record": record, "kind": kind, "code": code, "field": field}
    if request.POST.get("decision") != "accept":
        return render(request, "practices/_decided.html", context | {"accepted": False})
    codes = list(record.data.get(field) or [])
    if code not in codes:
        base, status = dict(record.data), record.status
        record.data = base | {field: codes + [code]}
        record.status = "draft"
        try:
            save_version(record, request.user, "accept tag", comment=f"{kind} {code}")
        except PracticeError as exc:
            record.data, record.status = base, status
            return HttpResponse(str(exc), status=422, content_type="text/plain; charset=utf-8")
    context |= {"accepted": True, "value": "; ".join(record.data.get(field) or []),
                "version": record.version}
    return render(request, "practices/_decided.html", context)
