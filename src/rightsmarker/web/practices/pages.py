"""Public pages: search with filters, a practice's page with similar practices; data twins."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.urls import NoReverseMatch, reverse

from rightsmarker.practices.search import Filters

from ..accounts.roles import roles_of
from ..twins import respond
from .access import get_practice_for_user
from .codes import city_framework, code_labels, group_labels, theme_labels
from .models import PracticeRecord
from .search_form import form_options
from .services import ensure_index, may_move, open_index

PAGE_SIZE = 20
MAX_RESULTS = 500
LIST_COLUMNS = ["id", "city", "region", "title_en", "title_ko", "themes", "sub_themes",
                "indicators", "groups", "sdg_targets", "period_start", "period_end", "score",
                "url"]


def filters_from(params) -> tuple[str, Filters, dict]:
    """The query and filters of the search form (invalid years are ignored)."""
    year = params.get("year", "").strip()
    chosen = {"q": params.get("q", "").strip()[:300], "theme": params.getlist("theme"),
              "group": params.getlist("group"), "city": params.getlist("city"),
              "region": params.getlist("region"),
              "year": int(year) if year.isdigit() and 1900 <= int(year) <= 2100 else None}
    filters = Filters(themes=[t for t in chosen["theme"] if t], groups=[g for g in chosen["group"]
                                                                          if g],
                      cities=[c for c in chosen["city"] if c],
                      regions=[r for r in chosen["region"] if r], year=chosen["year"],
                      status=["published"])
    return chosen["q"], filters, chosen


def row_of(practice, score=None, pk=None) -> dict:
    period = practice.period
    return {"id": practice.id, "city": practice.city, "region": practice.region,
            "title_en": practice.title.get("en", ""), "title_ko": practice.title.get("ko", ""),
            "summary": practice.summary, "themes": "; ".join(practice.themes),
            "sub_themes": "; ".join(practice.sub_themes),
            "indicators": "; ".join(practice.indicators),
            "groups": "; ".join(practice.groups),
            "sdg_targets": "; ".join(practice.sdg_targets),
            "period_start": period.start if period else None,
            "period_end": period.end if period else None,
            "score": round(score, 4) if score is not None else None,
            "url": f"/practices/{pk}/" if pk else ""}


def row_from_data(data: dict, score=None, pk=None) -> dict:
    """:func:`row_of` from a stored record's JSON (cleaned by the library when it was saved),
    without validating it again: the rows of a results page."""
    period = data.get("period") or {}
    title = data.get("title") or {}
    return {"id": data.get("id"), "city": data.get("city"), "region": data.get("region", ""),
            "title_en": title.get("en", ""), "title_ko": title.get("ko", ""),
            "summary": data.get("summary") or {},
            "themes": "; ".join(data.get("themes") or []),
            "sub_themes": "; ".join(data.get("sub_themes") or []),
            "indicators": "; ".join(data.get("indicators") or []),
            "groups": "; ".join(data.get("groups") or []),
            "sdg_targets": "; ".join(data.get("sdg_targets") or []),
            "period_start": period.get("start"), "period_end": period.get("end"),
            "score": round(score, 4) if score is not None else None,
            "url": f"/practices/{pk}/" if pk else ""}


def ranked_hits(query: str, filters: Filters) -> list[tuple[str, float]]:
    """(id, score) of up to MAX_RESULTS published practices, best first (no record read)."""
    ensure_index()
    with open_index() as index:
        return index.ranked(query, filters=filters, limit=MAX_RESULTS)


def result_rows(ranked: list[tuple[str, float]]) -> list[dict]:
    """The rows of ranked results, from the database's published records, in rank order."""
    # by code only (the unique index): a status condition lets SQLite scan the status index
    records = {code: (pk, data) for code, pk, data, status in PracticeRecord.objects.filter(
        code__in=[c for c, _ in ranked]).values_list("code", "pk", "data", "status")
        if status == "published"}
    return [row_from_data(records[c][1], score, records[c][0]) | {"pk": records[c][0]}
            for c, score in ranked if c in records]


def practice_search(request, fmt: str = "/"):
    query, filters, chosen = filters_from(request.GET)
    ranked = ranked_hits(query, filters)
    if fmt == "/":  # the page reads only the records it shows
        page = Paginator(ranked, PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = [labelled(r) for r in result_rows(list(page.object_list))]
        rows, count = [], len(ranked)
    else:
        rows = result_rows(ranked)
        page, count = None, len(rows)
    data = {"query": query, "count": count,
            "filters": {k: v for k, v in chosen.items() if k != "q"},
            "results": [{k: v for k, v in r.items() if k != "pk"} for r in rows]}
    if fmt == ".json":  # up to 500 rows: compact, so json's C encoder is used (not indented)
        return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    context = {}
    if fmt == "/":
        roles = roles_of(request.user)
        context = {"page": page, "count": count, "chosen": chosen, "query": query,
                   "options": form_options(chosen, group_codes()),
                   "my_cities": roles.editor_city_codes, "drafts": own_drafts(request.user),
                   "params": without_page(request.GET)}
    return respond(request, fmt, "practices/search.html", context, data=data, rows=rows,
                   columns=LIST_COLUMNS, filename="practices")


def labelled(row: dict) -> dict:
    """A result row with ``theme_labels`` and ``group_labels``: its tags by their labels in the
    current language (for the page; the data twins keep the codes)."""
    themes = [c for c in row["themes"].split("; ") if c]
    groups = [c for c in row["groups"].split("; ") if c]
    return row | {"theme_labels": "; ".join(label for _c, label in theme_labels(themes)),
                  "group_labels": "; ".join(label for _c, label in group_labels(groups))}


def without_page(params) -> str:
    params = params.copy()
    params.pop("page", None)
    return params.urlencode()


def group_codes() -> list[str]:
    from rightsmarker.practices.model import framework_codes

    return sorted(framework_codes()["groups"])


def own_drafts(user) -> list[PracticeRecord]:
    """Unpublished practices the user works on: the city's for members, all for the secretariat."""
    roles = roles_of(user)
    records = PracticeRecord.objects.exclude(status="published").select_related("city")
    if roles.is_secretariat:
        return list(records[:50])
    if roles.city_ids:
        return list(records.filter(city_id__in=list(roles.city_ids))[:50])
    return []


DETAIL_COLUMNS = ["field", "value"]


def practice_detail(request, pk: int, fmt: str = "/"):
    record, can_edit = get_practice_for_user(request.user, pk)
    practice = record.practice()
    similar = similar_records(record) if record.status == "published" else []
    roles = roles_of(request.user)
    moves = [t for t in ("submitted", "published", "draft") if may_move(request.user, record, t)]
    data = {"practice": record.data, "status": record.status, "version": record.version,
            "similar": [{"id": r.code, "title": r.data.get("title"), "score": round(s, 4)}
                        for r, s in similar]}
    row = row_of(practice, pk=record.pk)
    rows = [{"field": k, "value": row[k]} for k in LIST_COLUMNS if k != "score"]
    context = {"record": record, "practice": practice, "can_edit": can_edit, "moves": moves,
               "addressed": addressed(record.city, practice),
               "theme_labels": theme_labels(practice.themes, city_framework(record.city)),
               "group_labels": group_labels(practice.groups, city_framework(record.city)),
               "similar": similar, "may_history": roles.is_secretariat
               or roles.is_member(record.city_id),
               "description": record.localized("description"),
               "results": record.localized("results"), "summary": record.localized("summary")}
    return respond(request, fmt, "practices/detail.html", context, data=data, rows=rows,
                   columns=DETAIL_COLUMNS, filename=f"practice-{record.code}")


def similar_records(record: PracticeRecord, limit: int = 5) -> list[tuple[PracticeRecord, float]]:
    ensure_index()
    with open_index() as index:
        if index.get(record.code) is None:
            return []
        hits = index.similar(record.code, limit=limit, status=["published"])
    by_code = PracticeRecord.objects.filter(code__in=[h.id for h in hits]).in_bulk(
        field_name="code")
    return [(by_code[h.id], h.score) for h in hits if h.id in by_code]


def indicator_url(code: str) -> str:
    """The results app's indicator page of ``code`` ("" when the results app is not installed)."""
    try:
        return reverse("results-indicator", kwargs={"code": code, "fmt": "/"})
    except NoReverseMatch:
        return ""


def addressed(city, practice) -> list[dict]:
    """The sub-themes and indicators a practice addresses, labelled from the city's framework,
    each with the indicator page's address."""
    fw = city_framework(city)
    rows = []
    for kind, codes in (("sub_theme", practice.sub_themes), ("indicator", practice.indicators)):
        for code, label in code_labels(fw, codes):
            rows.append({"kind": kind, "code": code, "label": label, "url": indicator_url(code)
                         if kind == "indicator" else ""})
    return rows
