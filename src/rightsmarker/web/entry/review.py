"""Review pages: values with changes, flags and colours; comments; return or approve.

The review page is for the secretariat (reviewers and admins); comments may be added by the
secretariat and by the city's editors (who see them on their entry pages). Moves go through
:func:`~rightsmarker.web.reporting.services.move`, so the state machine decides.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from ..accounts.roles import roles_of
from ..reporting import transitions
from ..reporting.access import get_submission_for_user, may_see_history
from ..reporting.audit import StaleVersionError
from ..reporting.models import Comment
from ..reporting.services import move, role_for_submission
from ..twins import respond
from . import rows
from .cells import format_number
from .compare import previous_submission, review_blocks, spread_key, thresholds
from .pages import fw_key, language
from .versions import CSRF_PLACEHOLDER, cached, content_key

COLUMNS = ["indicator", "group", "value", "text", "previous", "change", "pct_change", "flags",
           "colour", "source", "note", "flag", "evidence_url", "version"]
MAX_COMMENT = 5000


def reviewable_submission(request, pk):
    """The submission for the secretariat (reviewers and admins); 403 for anyone else."""
    submission, _can_write = get_submission_for_user(request.user, pk)
    if not roles_of(request.user).is_secretariat:
        raise PermissionDenied
    return submission


def _number_param(request, name: str):
    try:
        value = float(request.GET.get(name, ""))
    except ValueError:
        return None
    return value if 0 <= value < 1e6 else None


def review_page(request, pk: int, fmt: str = "/"):
    submission = reviewable_submission(request, pk)
    fw = submission.cycle.framework_version.as_framework()
    lang = language(request)
    jump_pct, jump_sd = thresholds(_number_param(request, "jump_pct"),
                                   _number_param(request, "jump_sd"))
    if fmt == "/":
        return _review_html(request, submission, fw, lang, (jump_pct, jump_sd))
    comments = list(submission.comments.select_related("author"))
    blocks, previous = review_blocks(submission, fw, lang, jump_pct, jump_sd, comments)
    rows = [{**{k: r[k] for k in COLUMNS if k in r}, "flags": "; ".join(r["flags"]),
             "colour": b["colour"]} for b in blocks for r in b["rows"]]
    data = {"submission": submission.pk, "city": submission.city.code,
            "year": submission.cycle.year, "status": submission.status,
            "previous_submission": previous.pk if previous else None,
            "previous_year": previous.cycle.year if previous else None,
            "jump_pct": jump_pct, "jump_sd": jump_sd, "values": rows}
    return respond(request, fmt, "", {}, data=data, rows=rows, columns=COLUMNS,
                   filename=f"review-{submission.city.code}-{submission.cycle.year}")


# Bumped when the blocks' markup changes, so a file cache kept over an upgrade is not served.
REVIEW_MARKUP = "entry:review:2"  # 2: comment forms target [id='comments-CODE'] (codes hold dots)


def _review_html(request, submission, fw, lang, jumps):
    """The page; its blocks are cached under everything they show (:mod:`.versions`): the
    submission's values and comments, the previous one's values, the other cities' (the
    spread: the two cycles' content versions), thresholds, language and framework; the keys
    are read with the submissions, no query of their own. The comments are read only to build
    the blocks. The cached HTML has a placeholder for the CSRF token."""
    previous = previous_submission(submission)
    spread = spread_key(submission, previous) if previous else None
    key = ":".join([
        REVIEW_MARKUP, content_key(submission),
        f"{content_key(previous)}:{spread}" if previous else "-", repr(jumps), lang,
        fw_key(submission)])

    def build():
        comments = list(submission.comments.select_related("author"))
        blocks, _prev = review_blocks(submission, fw, lang, *jumps, comments, previous=previous,
                                      spread_key=spread)
        return {**_blocks_html(submission, blocks, comments),
                "flag_count": sum(len(r["flags"]) for b in blocks for r in b["rows"])}

    parts = cached(key, build)
    token = get_token(request)
    role = role_for_submission(request.user, submission)
    moves = transitions.allowed(submission.status, role,
                                cycle_open=submission.cycle.status == "open")
    context = {"submission": submission, "previous": previous,
               "general_html": mark_safe(parts["general"].replace(CSRF_PLACEHOLDER, token)),  # noqa: S308
               "blocks_html": mark_safe(parts["blocks"].replace(CSRF_PLACEHOLDER, token)),  # noqa: S308
               "jump_pct_shown": format_number(jumps[0]),
               "jump_sd_shown": format_number(jumps[1]), "flag_count": parts["flag_count"],
               "moves": [m for m in moves if m.target in (transitions.RETURNED,
                                                          transitions.APPROVED)],
               "show_history": may_see_history(request.user, submission)}
    return render(request, "entry/review.html", context)


def review_texts() -> dict:
    """Words of every block of the review page, translated once per page."""
    return {"headers": [_("Group"), _("Value"), _("Previous"), pgettext("difference", "Change"),
                        _("% change"), _("Flags"), _("Source and evidence")],
            "history_header": _("History"), "history": _("history"), "link": _("link"),
            "file": _("file"), "not_reported": _("not reported"),
            "no_comments": _("No comments."), "comment_on": _("Comment on %(indicator)s"),
            "add_comment": _("Add comment")}


def _blocks_html(submission, blocks, comments) -> dict:
    """The general comments (with a form) and every indicator's block, rendered by Jinja2,
    as plain strings (cacheable) with :data:`CSRF_PLACEHOLDER` for the token."""
    shared = {"csrf_token": CSRF_PLACEHOLDER,
              "comment_url": reverse("entry:comment", args=[submission.pk])}
    colours = {"green": _("green"), "yellow": _("yellow"), "orange": _("orange"),
               "red": _("red"), "grey": _("grey")}
    return {
        "general": str(rows.render("general_comments.html", **shared,
                                   comments=[c for c in comments if not c.indicator])),
        "blocks": str(rows.render(
            "review_blocks.html", **shared, blocks=blocks, t=review_texts(), colours=colours,
            submission_pk=submission.pk,
            history_url=reverse("entry:value-history", args=[submission.pk, "/"]))),
    }


@require_POST
def review_decide(request, pk: int):
    """Return (a comment is required) or approve, as the state machine allows."""
    submission = reviewable_submission(request, pk)
    target = request.POST.get("target", "")
    if target not in (transitions.RETURNED, transitions.APPROVED):
        messages.error(request, _("Choose to return or to approve."))
        return redirect("entry:review", pk=submission.pk, fmt="/")
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        move(submission, target, request.user, comment=request.POST.get("comment", "")[
            :MAX_COMMENT], expected_version=version)
    except transitions.TransitionRefused as exc:
        messages.error(request, str(exc.reason))
    except StaleVersionError:
        messages.error(request, _("Someone else changed this submission meanwhile. Check it and "
                                  "try again."))
    else:
        messages.success(request, _("The submission is now %(status)s.")
                         % {"status": submission.get_status_display()})
    return redirect("entry:review", pk=submission.pk, fmt="/")


@require_POST
def add_comment(request, pk: int):
    """Add a comment (on an indicator, or general); htmx gets the comment list back."""
    submission, can_write = get_submission_for_user(request.user, pk)
    roles = roles_of(request.user)
    if not (roles.is_secretariat or roles.is_editor(submission.city_id)):
        raise PermissionDenied
    text = request.POST.get("text", "").strip()[:MAX_COMMENT]
    fw = submission.cycle.framework_version.as_framework()
    indicator = request.POST.get("indicator", "").strip() or None
    if indicator is not None and indicator not in fw.indicator_codes:
        return HttpResponse(_("Unknown indicator."), status=400)
    if text:
        Comment.objects.create(submission=submission, indicator=indicator, author=request.user,
                               text=text)
    comments = submission.comments.select_related("author").filter(indicator=indicator)
    if request.headers.get("HX-Request"):
        return HttpResponse(rows.render("comments.html", comments=comments,
                                        indicator=indicator or "general"),
                            status=200 if text else 400)
    if not text:
        messages.error(request, _("Write a comment first."))
    back = request.POST.get("next", "")
    if roles.is_secretariat and back != "entry":
        return redirect("entry:review", pk=submission.pk, fmt="/")
    return redirect("entry:start", pk=submission.pk)
