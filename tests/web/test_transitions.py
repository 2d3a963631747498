"""The state machine of a submission: every move by every role, allowed or refused."""

from __future__ import annotations

import itertools

import pytest

from rightsmarker.web.reporting import transitions as t
from rightsmarker.web.reporting.audit import AuditEntry, StaleVersionError
from rightsmarker.web.reporting.services import move, publish_cycle

STATUSES = ["draft", "submitted", "returned", "approved", "published"]
ROLES = ["city_editor", "city_viewer", "secretariat_reviewer", "secretariat_admin", None]

ALLOWED = {
    ("draft", "submitted", "city_editor"),
    ("returned", "submitted", "city_editor"),
    ("submitted", "returned", "secretariat_reviewer"),
    ("submitted", "returned", "secretariat_admin"),
    ("submitted", "approved", "secretariat_reviewer"),
    ("submitted", "approved", "secretariat_admin"),
    ("approved", "published", "secretariat_admin"),
}


@pytest.mark.parametrize("source,target,role",
                         list(itertools.product(STATUSES, STATUSES, ROLES)))
def test_it_allows_exactly_the_documented_moves(source, target, role):
    if (source, target, role) in ALLOWED:
        assert t.check(source, target, role, comment="fix it").target == target
    else:
        with pytest.raises(t.TransitionRefused):
            t.check(source, target, role, comment="fix it")


def test_it_requires_a_comment_to_return_a_submission():
    with pytest.raises(t.TransitionRefused, match="comment"):
        t.check("submitted", "returned", "secretariat_reviewer", comment="  ")


def test_it_refuses_an_editor_submitting_in_a_closed_cycle():
    with pytest.raises(t.TransitionRefused, match="not open"):
        t.check("draft", "submitted", "city_editor", cycle_open=False)


def test_it_lets_reviewers_approve_in_a_closed_cycle():
    assert t.check("submitted", "approved", "secretariat_reviewer", cycle_open=False)


def test_it_lists_the_moves_a_role_may_make():
    assert [r.target for r in t.allowed("submitted", "secretariat_admin")] == [
        "returned", "approved"]
    assert t.allowed("draft", "city_viewer") == []
    assert t.allowed("draft", "city_editor", cycle_open=False) == []


@pytest.mark.django_db
def test_the_full_cycle_of_a_submission_is_audited(world):
    u = world.users
    sub = world.draft
    move(sub, "submitted", u["owner"])
    move(sub, "returned", u["reviewer"], comment="Attach the ordinance.")
    move(sub, "submitted", u["owner"])
    move(sub, "approved", u["reviewer"])
    move(sub, "published", u["admin"])
    sub.refresh_from_db()
    assert sub.status == "published" and sub.version == 6
    assert sub.reviewed_by == u["reviewer"] and sub.submitted_by == u["owner"]
    assert [c.text for c in sub.comments.all()] == ["Attach the ordinance."]
    moves = AuditEntry.objects.filter(submission=sub, field="status").order_by("id")
    assert [(e.old_value, e.new_value, e.actor.username) for e in moves] == [
        ("draft", "submitted", "owner"), ("submitted", "returned", "reviewer"),
        ("returned", "submitted", "owner"), ("submitted", "approved", "reviewer"),
        ("approved", "published", "admin")]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["colleague", "outsider", "reviewer", "admin"])
def test_only_the_citys_editor_submits_its_draft(world, persona):
    with pytest.raises(t.TransitionRefused):
        move(world.draft, "submitted", world.users[persona])


@pytest.mark.django_db
def test_an_editor_of_another_city_cannot_approve(world):
    move(world.draft, "submitted", world.users["owner"])
    with pytest.raises(t.TransitionRefused):
        move(world.draft, "approved", world.users["outsider"])


@pytest.mark.django_db
def test_a_move_with_a_stale_version_is_refused(world):
    with pytest.raises(StaleVersionError):
        move(world.draft, "submitted", world.users["owner"], expected_version=7)
    world.draft.refresh_from_db()
    assert world.draft.status == "draft"


@pytest.mark.django_db
def test_publishing_a_cycle_publishes_its_approved_submissions(world):
    move(world.draft, "submitted", world.users["owner"])
    move(world.draft, "approved", world.users["reviewer"])
    assert publish_cycle(world.current, world.users["admin"]) == 1
    world.draft.refresh_from_db()
    world.other.refresh_from_db()
    assert (world.draft.status, world.other.status) == ("published", "draft")
    assert world.current.status == "published"


@pytest.mark.django_db
def test_only_an_admin_publishes_a_cycle(world):
    with pytest.raises(t.TransitionRefused):
        publish_cycle(world.current, world.users["reviewer"])
