"""Data entry: a form per theme, inline validation, saving drafts, evidence files, submitting.

Access: :func:`~rightsmarker.web.reporting.access.get_submission_for_user` decides; the entry
pages need ``can_write`` (the city's editors and secretariat admins). Values change only while
the submission is editable (draft or returned, cycle open); otherwise the page is read-only.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ..reporting import transitions
from ..reporting.access import get_submission_for_user, may_see_history
from ..reporting.audit import StaleVersionError
from ..reporting.services import move, role_for_submission
from . import rows
from .cells import check_cells
from .fastrows import render_indicators
from .pages import (
    fw_key,
    indicators_with_slots,
    language,
    missing_summary,
    reported_keys,
    row_texts,
    themes,
)
from .services import check_evidence, save_slots
from .slots import group_label, posted_slots, slot_from_post, theme_slots
from .versions import cached, content_key


def writable_submission(request, pk):
    """The submission if the user may write it (editor of its city, admin); else 403."""
    submission, can_write = get_submission_for_user(request.user, pk)
    if not can_write:
        raise PermissionDenied
    return submission


def entry_start(request, pk: int):
    submission = writable_submission(request, pk)
    fw = submission.cycle.framework_version.as_framework()
    first = themes(fw, language(request))
    if not first:
        raise Http404
    return redirect("entry:theme", pk=submission.pk, theme=first[0]["code"])


@require_http_methods(["GET", "POST"])
def entry_theme(request, pk: int, theme: str):
    submission = writable_submission(request, pk)
    fw = submission.cycle.framework_version.as_framework()
    lang = language(request)
    theme_list = themes(fw, lang)
    if theme not in {t["code"] for t in theme_list}:
        raise Http404
    if request.method == "POST":
        if not submission.is_editable:
            messages.error(request, _("This submission cannot be changed now (it is %(status)s).")
                           % {"status": submission.get_status_display()})
            return redirect("entry:theme", pk=submission.pk, theme=theme)
        slots = posted_slots(request.POST, request.FILES, fw)
        result = save_slots(submission, request.user, slots, fw, lang)
        if result.ok:
            messages.success(request, _("Draft saved: %(written)s value(s) written, %(deleted)s "
                                        "removed.") % {"written": result.written,
                                                       "deleted": result.deleted})
            return redirect("entry:theme", pk=submission.pk, theme=theme)
        _attach_stored(fw, slots, submission, theme)
        status = 409 if result.conflicts and not result.errors else 400
        messages.error(request, _("Nothing was saved: %(errors)s value(s) with errors, "
                                  "%(conflicts)s changed by someone else meanwhile.")
                       % {"errors": result.errors, "conflicts": result.conflicts})
        return _render_theme(request, submission, fw, theme, theme_list, slots, status=status,
                             problems=_problems(slots, fw, lang))
    return _render_theme(request, submission, fw, theme, theme_list)


def _problems(slots, fw, lang: str) -> list[dict]:
    """The rows that stopped the save, in page order, each with a link to its row: a long
    page's errors are one click away from the message."""
    out = []
    for s in slots:
        if not (s.errors or s.conflict):
            continue
        group = f"{s.free_ground}={s.ground_value.strip()}" if s.free_ground else s.group
        out.append({"href": f"#{s.key}-row", "indicator": s.indicator,
                    "label": s.node.label(lang) if s.node is not None else "",
                    "group": group_label(group, fw, lang), "errors": s.errors,
                    "conflict": (s.conflict or {}).get("message", "")})
    return out


def _attach_stored(fw, slots, submission, theme) -> None:
    """Posted slots know no stored value: attach them for links to the value history."""
    stored = {(v.indicator, v.group): v for v in submission.values.all()}
    for s in slots:
        s.stored = stored.get((s.indicator, s.group))


def _render_theme(request, submission, fw, theme, theme_list, slots=None, status: int = 200,
                  problems: list[dict] | None = None):
    """The theme page; ``slots``: the posted ones (with their errors and ``problems``, the
    list of links to them), else the stored values,
    whose rows, general comments and completeness are cached under everything they show
    (:mod:`.versions`: the submission's content version covers its values and comments)."""
    lang = language(request)
    role = role_for_submission(request.user, submission)
    moves = [r for r in transitions.allowed(submission.status, role,
                                            cycle_open=submission.cycle.status == "open")
             if r.target == transitions.SUBMITTED]
    rows_context = {
        "editable": submission.is_editable, "submission_pk": submission.pk,
        "show_history": may_see_history(request.user, submission),
        "evidence_types": ",".join(settings.RIGHTSMARKER_EVIDENCE_TYPES)}

    def build(slots) -> dict:
        """The indicators' rows and the general comments (read here only)."""
        comments = list(submission.comments.select_related("author"))
        general = [c for c in comments if not c.indicator]
        return {"rows": str(render_indicators(
            indicators_with_slots(fw, slots, comments, lang),
            t=row_texts(), validate_url=reverse("entry:validate", args=[submission.pk]),
            history_url=reverse("entry:value-history", args=[submission.pk, "/"]),
            **rows_context)),
            "general": str(rows.render("comments.html", comments=general, indicator="general"))
            if general else "",
            "tabs": render_to_string("entry/_tabs.html", {
                "themes": theme_list, "theme": theme, "submission_pk": submission.pk})}

    def build_summary() -> dict:
        summary = missing_summary(fw, reported_keys(submission), lang)
        return {**summary, "html": render_to_string("entry/_missing.html", {
            "summary": summary, "submission_pk": submission.pk})}

    version = content_key(submission)
    if slots is None:
        key = ":".join(["entry:theme", version, theme, lang, fw_key(submission),
                        repr(rows_context)])
        parts = cached(key, lambda: build(theme_slots(fw, theme, {
            (v.indicator, v.group): v for v in submission.values.order_by()})))
    else:
        parts = build(slots)
    summary = cached(":".join(["entry:summary", version, lang, fw_key(submission)]),
                     build_summary)
    context = {
        "submission": submission, "theme": theme, "themes": theme_list,
        "theme_label": fw.node(theme).label(lang), "editable": submission.is_editable,
        "indicators_html": mark_safe(parts["rows"]),  # noqa: S308 (rendered with autoescape)
        "general_comments": bool(parts["general"]),
        "general_comments_html": mark_safe(parts["general"]),  # noqa: S308 (as above)
        "tabs_html": mark_safe(parts["tabs"]),  # noqa: S308 (as above)
        "moves": moves, "summary": summary, "show_history": rows_context["show_history"],
        "problems": problems or [],
    }
    return render(request, "entry/theme.html", context, status=status)


@require_POST
def entry_validate(request, pk: int):
    """htmx: check one slot as typed; answer the message partial (empty when all is well)."""
    submission = writable_submission(request, pk)
    fw = submission.cycle.framework_version.as_framework()
    key = request.POST.get("key") or next(
        (k[: -len("-indicator")] for k in request.POST if k.endswith("-indicator")), "")
    slot = slot_from_post(request.POST, key, fw)
    if slot is None:
        return HttpResponse(status=400)
    errors = []
    if not slot.is_blank() and slot.cell().value + slot.cell().flag:
        _parsed, found = check_cells([slot.cell()], fw, submission.city.code,
                                     submission.cycle.year)
        errors = found.get(0, [])
    check_evidence([slot])
    errors += slot.errors
    return render(request, "entry/_message.html", {"key": key, "errors": errors})


@require_POST
def entry_submit(request, pk: int):
    """Submit for review (the editor's move), from the entry pages."""
    submission = writable_submission(request, pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        move(submission, transitions.SUBMITTED, request.user, expected_version=version)
    except transitions.TransitionRefused as exc:
        messages.error(request, str(exc.reason))
    except StaleVersionError:
        messages.error(request, _("Someone else changed this submission meanwhile. Check it and "
                                  "try again."))
    else:
        messages.success(request, _("Submitted for review. Thank you."))
        return redirect(reverse("submission", args=[submission.pk, "/"]))
    return redirect("entry:start", pk=submission.pk)
