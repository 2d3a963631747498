"""Editor pages: create and edit drafts, move through the workflow, version history."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rightsmarker.practices import PracticeError

from ..accounts.roles import roles_of
from ..network.access import get_city_for_user
from ..twins import respond
from . import evidence
from .access import get_practice_for_user, may_create_for
from .codes import city_framework, known_codes
from .forms import MoveForm, PracticeForm, initial_from
from .models import PracticeRecord
from .services import MoveRefused, StalePracticeError, may_move, move, save_version


def show_problems(form, exc: PracticeError) -> None:
    """The library's problems next to their fields (``budget.currency`` -> ``budget_currency``,
    ``sdg_targets.1`` -> ``sdg_targets``, ``title`` -> ``title_en``); others above the form."""
    for problem in exc.problems:
        text = str(problem.message) + (f" ({problem.value})" if problem.value not in
                                       (None, "") else "")
        form.add_error(problem_field(form, problem.column or ""), text)


def problem_field(form, column: str) -> str | None:
    parts = [p for p in column.split(".") if not p.isdigit()]
    for name in ("_".join(parts), *parts[:1], f"{parts[0]}_en" if parts else ""):
        if name in form.fields:
            return name
    return None


def attach_upload(form, record: PracticeRecord) -> str | None:
    """Store the form's evidence file into ``record.data``; its storage name, or None.

    A refused file is a form error (``form.errors`` then holds it)."""
    upload = form.cleaned_data.get("evidence_file")
    if not upload:
        return None
    problem = evidence.problem_with(upload)
    if problem:
        form.add_error("evidence_file", problem)
        return None
    item = evidence.store(upload, record.code)
    record.data = dict(record.data) | {"evidence": list(record.data.get("evidence") or [])
                                       + [item]}
    return item["url"]


def saved_or_problems(form, record, user, action: str, expected_version=None) -> bool:
    """Save the record with its upload; on a problem undo the upload and show it on the form."""
    stored = attach_upload(form, record)
    if form.errors:
        return False
    try:
        save_version(record, user, action, expected_version=expected_version)
    except PracticeError as exc:
        show_problems(form, exc)
    except StalePracticeError:
        form.add_error(None, _("Someone else saved this practice in the meantime: reload "
                               "the page and make your changes again."))
    else:
        return True
    if stored:
        default_storage.delete(stored)
    return False


def new_code(city) -> str:
    code = f"{city.code[:50]}-{uuid.uuid4().hex[:8]}"
    return code if not PracticeRecord.objects.filter(code=code).exists() else new_code(city)


@login_required
def practice_new(request, code: str):
    city, _can_write = get_city_for_user(request.user, code)
    if not may_create_for(request.user, city):
        raise PermissionDenied
    form = PracticeForm(request.POST or None, request.FILES or None, initial={"language": "en"},
                        framework=city_framework(city), known=known_codes(city))
    if request.method == "POST" and form.is_valid():
        record = PracticeRecord(city=city, code=new_code(city), status="draft")
        record.data = form.to_data()
        if saved_or_problems(form, record, request.user, "create"):
            messages.success(request, _("Draft saved."))
            return redirect("practices:edit", pk=record.pk)
    return render(request, "practices/edit.html", {"form": form, "city": city, "record": None})


@login_required
def practice_edit(request, pk: int):
    record, can_edit = get_practice_for_user(request.user, pk)
    if not can_edit:
        raise PermissionDenied
    form = PracticeForm(request.POST or None, request.FILES or None,
                        initial=initial_from(record.data, record.version),
                        framework=city_framework(record.city), stored=record.data,
                        known=known_codes(record.city))
    if request.method == "POST" and form.is_valid():
        base, status = dict(record.data), record.status
        record.data = form.to_data(base)
        record.status = "draft"  # an edit of a published practice is a new draft version
        if saved_or_problems(form, record, request.user, "edit",
                             form.cleaned_data.get("version")):
            messages.success(request, _("Draft saved (version %(v)s).") % {"v": record.version})
            return redirect("practices:edit", pk=record.pk)
        record.data, record.status = base, status
    return render(request, "practices/edit.html",
                  {"form": form, "city": record.city, "record": record})


@require_POST
@login_required
def practice_move(request, pk: int):
    record, _can_edit = get_practice_for_user(request.user, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        raise PermissionDenied
    target = form.cleaned_data["target"]
    if not may_move(request.user, record, target):
        raise PermissionDenied
    try:
        move(record, request.user, target, form.cleaned_data.get("comment") or "",
             expected_version=form.cleaned_data.get("version"))
    except MoveRefused:
        messages.error(request, _("A comment is required to return a practice."))
    except StalePracticeError:
        messages.error(request, _("Someone else changed this practice in the meantime."))
    except PracticeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The practice is now %(status)s.")
                         % {"status": record.get_status_display()})
    return redirect("practices:detail", pk=record.pk, fmt="/")


HISTORY_COLUMNS = ["version", "status", "action", "author", "created_at", "comment", "title_en",
                   "title_ko"]


def practice_history(request, pk: int, fmt: str = "/"):
    record, _can_edit = get_practice_for_user(request.user, pk)
    roles = roles_of(request.user)  # drafts are in the history: the city and the secretariat
    if not (roles.is_secretariat or roles.is_member(record.city_id)):
        raise PermissionDenied
    versions = list(record.versions.select_related("author"))
    rows = [{"version": v.version, "status": v.status, "action": v.action,
             "author": v.author.get_username() if v.author else "",
             "created_at": v.created_at.isoformat(), "comment": v.comment,
             "title_en": (v.data.get("title") or {}).get("en", ""),
             "title_ko": (v.data.get("title") or {}).get("ko", "")} for v in versions]
    data = {"practice": record.code, "versions": [r | {"data": v.data}
                                                  for r, v in zip(rows, versions, strict=True)]}
    return respond(request, fmt, "practices/history.html",
                   {"record": record, "versions": versions}, data=data, rows=rows,
                   columns=HISTORY_COLUMNS, filename=f"practice-{record.code}-history")
