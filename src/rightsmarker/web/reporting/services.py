"""Applying the rules: move a submission, publish a cycle (each change audited)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..accounts.roles import roles_of
from . import transitions
from .actor import acting_as
from .models import Comment, Cycle, Submission


def role_for_submission(user, submission: Submission) -> str | None:
    """The role that decides what ``user`` may do with ``submission`` (None: no role)."""
    return roles_of(user).role_for(submission.city_id)


def move(submission: Submission, target: str, user, comment: str = "",
         expected_version: int | None = None) -> Submission:
    """Move ``submission`` to ``target`` as ``user``; refuse with TransitionRefused or
    StaleVersionError (when ``expected_version`` is given and no longer current)."""
    transitions.check(submission.status, target, role_for_submission(user, submission),
                      cycle_open=submission.cycle.status == Cycle.Status.OPEN, comment=comment)
    if expected_version is not None:
        submission.version = expected_version
    now = timezone.now()
    with transaction.atomic(), acting_as(user):
        submission.status = target
        if target == transitions.SUBMITTED:
            submission.submitted_at, submission.submitted_by = now, user
        elif target in (transitions.RETURNED, transitions.APPROVED):
            submission.reviewed_at, submission.reviewed_by = now, user
        elif target == transitions.PUBLISHED:
            submission.published_at = now
        submission.save()
        if comment.strip():
            Comment.objects.create(submission=submission, author=user, text=comment.strip())
    return submission


def publish_cycle(cycle: Cycle, user) -> int:
    """Publish ``cycle`` and every approved submission in it (admins only); return how many."""
    if not roles_of(user).is_admin:
        raise transitions.TransitionRefused(_("Only a secretariat admin may publish."))
    count = 0
    with transaction.atomic(), acting_as(user):
        for sub in cycle.submissions.select_related("cycle").filter(
                status=Submission.Status.APPROVED):
            move(sub, transitions.PUBLISHED, user)
            count += 1
        cycle.status = Cycle.Status.PUBLISHED
        cycle.published_at = timezone.now()
        cycle.save()
    return count


CYCLE_MOVES = {("open", "closed"), ("closed", "open"), ("open", "published"),
               ("closed", "published")}


def set_cycle_status(cycle: Cycle, target: str, user) -> int:
    """Open, close or publish ``cycle`` (admins only; a published cycle stays published).

    Returns the number of submissions published (0 unless ``target`` is 'published').
    """
    if not roles_of(user).is_admin:
        raise transitions.TransitionRefused(_("Only a secretariat admin may open, close or "
                                              "publish a cycle."))
    if (cycle.status, target) not in CYCLE_MOVES:
        raise transitions.TransitionRefused(
            _("A cycle cannot go from %(source)s to %(target)s.")
            % {"source": cycle.status, "target": target})
    if target == Cycle.Status.PUBLISHED:
        return publish_cycle(cycle, user)
    with acting_as(user):
        cycle.status = target
        cycle.save()
    return 0
