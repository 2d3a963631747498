"""Reporting pages: home, cycles, a submission's values, its history and its status moves."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..accounts.roles import roles_of
from ..twins import respond
from . import transitions
from .access import (
    get_cycle_for_user,
    get_submission_for_user,
    may_see_history,
    visible_cycles,
    visible_submissions,
)
from .audit import StaleVersionError
from .models import AuditEntry, Submission
from .services import CYCLE_MOVES, move, role_for_submission, set_cycle_status
from .tables import VALUE_COLUMNS, history_rows, submission_row, value_rows, values_by_theme

CYCLE_COLUMNS = ["id", "name", "year", "status", "framework", "opens_on", "closes_on"]
SUBMISSION_COLUMNS = ["id", "cycle", "year", "city", "status", "version", "updated_at"]


def _cycle_row(c) -> dict:
    return {"id": c.pk, "name": c.name, "year": c.year, "status": c.status,
            "framework": str(c.framework_version),
            "opens_on": c.opens_on.isoformat() if c.opens_on else None,
            "closes_on": c.closes_on.isoformat() if c.closes_on else None}


def home(request):
    roles = roles_of(request.user)
    cycles = list(visible_cycles(request.user)[:20])
    mine, to_review = [], []
    if roles.city_ids:
        mine = list(visible_submissions(request.user).filter(city_id__in=list(roles.city_ids))
                    .exclude(status=Submission.Status.PUBLISHED)[:50])
    if roles.is_secretariat:
        to_review = list(visible_submissions(request.user)
                         .filter(status=Submission.Status.SUBMITTED)[:50])
    return render(request, "home.html", {"cycles": cycles, "my_submissions": mine,
                                         "to_review": to_review})


def cycle_list(request, fmt: str = "/"):
    cycles = list(visible_cycles(request.user))
    rows = [_cycle_row(c) for c in cycles]
    return respond(request, fmt, "reporting/cycle_list.html", {"cycles": cycles},
                   data={"cycles": rows}, rows=rows, columns=CYCLE_COLUMNS, filename="cycles")


def cycle_detail(request, pk: int, fmt: str = "/"):
    cycle, can_write = get_cycle_for_user(request.user, pk)
    subs = list(visible_submissions(request.user).filter(cycle=cycle).order_by("city__name_en"))
    rows = [submission_row(s) for s in subs]
    moves = [t for (src, t) in sorted(CYCLE_MOVES) if src == cycle.status] if can_write else []
    context = {"cycle": cycle, "can_write": can_write, "submissions": subs, "moves": moves}
    return respond(request, fmt, "reporting/cycle_detail.html", context,
                   data={"cycle": _cycle_row(cycle), "submissions": rows}, rows=rows,
                   columns=SUBMISSION_COLUMNS, filename=f"cycle-{cycle.year}")


def submission_detail(request, pk: int, fmt: str = "/"):
    submission, can_write = get_submission_for_user(request.user, pk)
    values = list(submission.values.all())
    rows = value_rows(values)
    if fmt in (".json", ".csv"):
        return respond(request, fmt, "", {}, data={"submission": submission_row(submission),
                                                   "values": rows},
                       rows=rows, columns=VALUE_COLUMNS,
                       filename=f"{submission.city.code}-{submission.cycle.year}")
    lang = (request.LANGUAGE_CODE or "en")[:2]
    role = role_for_submission(request.user, submission)
    fw = submission.cycle.framework_version.as_framework()
    context = {
        "submission": submission, "can_write": can_write, "roles": roles_of(request.user),
        "themes": _shown_as_entered(values_by_theme(fw, values, lang), fw, lang),
        "comments": submission.comments.select_related("author") if may_see_history(
            request.user, submission) else [],
        "moves": transitions.allowed(submission.status, role,
                                     cycle_open=submission.cycle.status == "open"),
        "show_history": may_see_history(request.user, submission),
    }
    return render(request, "reporting/submission_detail.html", context)


def _shown_as_entered(sections: list[dict], fw, lang: str) -> list[dict]:
    """Each value's group and number as the entry page shows them ('Age: 18-24', 'yes',
    '2 · Adopted', '11 %'), as ``group_shown`` and ``shown``."""
    from ..entry.cells import flag_label, shown_with_unit
    from ..entry.slots import group_label

    for section in sections:
        for ind in section["indicators"]:
            for v in ind["values"]:
                v.group_shown = group_label(v.group, fw, lang)
                v.shown = shown_with_unit(ind["node"], v.value_number, lang)
                v.flag_shown = flag_label(v.flag)
    return sections


def submission_history(request, pk: int, fmt: str = "/"):
    """The audit log of the submission and its values: readable on the page (who by name, the
    indicator and group, field names and values as the entry page shows them); raw in the
    twins, with each value's indicator and group added."""
    from ..entry.changelog import readable_rows, value_keys

    submission, _can_write = get_submission_for_user(request.user, pk)
    if not may_see_history(request.user, submission):
        raise PermissionDenied
    entries = list(AuditEntry.objects.filter(submission_id=submission.pk)
                   .select_related("actor")[:1000])
    keys = value_keys(entries)
    rows = history_rows(entries, keys)
    context = {"submission": submission, "entries": []}
    if fmt == "/":
        fw = submission.cycle.framework_version.as_framework()
        context["entries"] = readable_rows(entries, fw, (request.LANGUAGE_CODE or "en")[:2])
    return respond(request, fmt, "reporting/submission_history.html", context,
                   data={"history": rows}, rows=rows,
                   columns=["at", "actor", "action", "model", "object_id", "indicator", "group",
                            "field", "old_value", "new_value"],
                   filename=f"history-{submission.pk}")


@require_POST
def cycle_status(request, pk: int):
    cycle, can_write = get_cycle_for_user(request.user, pk)
    if not can_write:
        raise PermissionDenied
    try:
        count = set_cycle_status(cycle, request.POST.get("target", ""), request.user)
    except transitions.TransitionRefused as exc:
        messages.error(request, str(exc.reason))
    else:
        messages.success(request, _("The cycle is now %(status)s (%(count)s submissions "
                                    "published).") % {"status": cycle.get_status_display(),
                                                      "count": count})
    return redirect(reverse("cycle", args=[cycle.pk, "/"]))


@require_POST
def submission_move(request, pk: int):
    submission, _can_write = get_submission_for_user(request.user, pk)
    if not request.user.is_authenticated:
        raise PermissionDenied
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        move(submission, request.POST.get("target", ""), request.user,
             comment=request.POST.get("comment", ""), expected_version=version)
    except transitions.TransitionRefused as exc:
        messages.error(request, str(exc.reason))
    except StaleVersionError:
        messages.error(request, _("Someone else changed this submission meanwhile. "
                                  "Check it and try again."))
    else:
        messages.success(request, _("The submission is now %(status)s.")
                         % {"status": submission.get_status_display()})
    return redirect(reverse("submission", args=[submission.pk, "/"]))


def value_evidence(request, pk: int, value_pk: int):
    """An evidence file, as a download, to whoever may see the submission."""
    submission, _can_write = get_submission_for_user(request.user, pk)
    value = submission.values.filter(pk=value_pk).first()
    if value is None or not value.evidence_file:
        raise Http404
    try:
        handle = value.evidence_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True,
                        filename=value.evidence_file.name.rsplit("/", 1)[-1])
