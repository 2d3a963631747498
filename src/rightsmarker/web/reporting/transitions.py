"""The life of a submission as a pure state machine: which move, by which role, on what terms.

    draft ──editor──▶ submitted ──reviewer/admin──▶ approved ──admin──▶ published
                        ▲   │
              editor    │   │ reviewer/admin, with a comment
                        │   ▼
                       returned

Editors move their own city's submission, and only while the cycle is open. Reviewers and admins
are secretariat roles (any city). Publishing a cycle publishes its approved submissions.
:func:`check` is pure (strings in, an exception or nothing out); :mod:`.services` applies it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ..accounts.models import Role

DRAFT, SUBMITTED, RETURNED, APPROVED, PUBLISHED = (
    "draft", "submitted", "returned", "approved", "published")
EDITOR = frozenset({Role.CITY_EDITOR})
REVIEWERS = frozenset({Role.SECRETARIAT_REVIEWER, Role.SECRETARIAT_ADMIN})
ADMIN = frozenset({Role.SECRETARIAT_ADMIN})


@dataclass(frozen=True)
class Rule:
    source: str
    target: str
    roles: frozenset
    label: object
    needs_comment: bool = False
    needs_open_cycle: bool = False


RULES = (
    Rule(DRAFT, SUBMITTED, EDITOR, _("Submit for review"), needs_open_cycle=True),
    Rule(RETURNED, SUBMITTED, EDITOR, _("Submit again"), needs_open_cycle=True),
    Rule(SUBMITTED, RETURNED, REVIEWERS, _("Return with comments"), needs_comment=True),
    Rule(SUBMITTED, APPROVED, REVIEWERS, _("Approve")),
    Rule(APPROVED, PUBLISHED, ADMIN, _("Publish")),
)
_BY_MOVE = {(r.source, r.target): r for r in RULES}


class TransitionRefused(Exception):
    """A move that the rules do not allow; ``reason`` says why, for a person."""

    def __init__(self, reason):
        super().__init__(str(reason))
        self.reason = reason


def check(source: str, target: str, role: str | None, *, cycle_open: bool = True,
          comment: str = "") -> Rule:
    """The rule allowing ``source -> target`` for ``role``, or :class:`TransitionRefused`."""
    rule = _BY_MOVE.get((source, target))
    if rule is None:
        raise TransitionRefused(_("A submission cannot go from %(source)s to %(target)s.")
                                % {"source": source, "target": target})
    if role not in rule.roles:
        raise TransitionRefused(_("Your role may not move a submission from %(source)s to "
                                  "%(target)s.") % {"source": source, "target": target})
    if rule.needs_open_cycle and not cycle_open:
        raise TransitionRefused(_("The cycle is not open."))
    if rule.needs_comment and not comment.strip():
        raise TransitionRefused(_("Say what to correct: a comment is required."))
    return rule


def allowed(source: str, role: str | None, *, cycle_open: bool = True) -> list[Rule]:
    """The moves ``role`` may make from ``source`` (comment requirements aside)."""
    return [r for r in RULES if r.source == source and role in r.roles
            and (cycle_open or not r.needs_open_cycle)]
