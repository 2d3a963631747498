"""The content version of a submission and of its cycle: bumped by every write of a value or a
comment (saves, deletes, cascades, uploads written in bulk), never lowered by saving an older
copy, and the cached entry and review pages follow it at once."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db


def _versions(world) -> tuple[int, int]:
    from rightsmarker.web.reporting.models import Submission

    sub = Submission.objects.select_related("cycle").get(pk=world.draft.pk)
    return sub.content_version, sub.cycle.content_version


@pytest.fixture
def rises(world):
    """Check that ``change()`` raises the draft's content version (and its cycle's, when
    ``cycle``) and leaves the other cycle's alone."""

    def check(change, cycle: bool = True):
        from rightsmarker.web.reporting.models import Cycle

        before, past = _versions(world), Cycle.objects.get(pk=world.past.pk).content_version
        change()
        after = _versions(world)
        assert after[0] > before[0]
        assert (after[1] > before[1]) if cycle else (after[1] == before[1])
        assert Cycle.objects.get(pk=world.past.pk).content_version == past

    return check


def test_every_save_and_delete_of_a_value_raises_both_versions(world, rises):
    from rightsmarker.web.reporting.models import Value

    value = Value.objects.get(submission=world.draft, indicator="poverty-rate")

    def edit():
        value.value_number = 3.0
        value.save()

    rises(edit)
    rises(lambda: Value.objects.create(submission=world.draft, indicator="poverty-rate",
                                       group="sex=female", value_number=1.0))
    rises(lambda: Value.objects.get(pk=value.pk).delete())
    rises(lambda: Value.objects.filter(submission=world.draft).delete())


def test_comments_raise_the_submissions_version_only(world, rises):
    from rightsmarker.web.reporting.models import Comment

    made = []
    rises(lambda: made.append(Comment.objects.create(
        submission=world.draft, author=world.users["reviewer"], text="A")), cycle=False)

    def edit():
        made[0].text = "B"
        made[0].save()

    rises(edit, cycle=False)
    rises(lambda: made[0].delete(), cycle=False)


def test_an_older_copy_saved_again_keeps_the_version_and_writes_no_audit_entry(world):
    from rightsmarker.web.reporting.models import AuditEntry, Cycle, Submission, Value

    sub = Submission.objects.get(pk=world.draft.pk)
    cycle = Cycle.objects.get(pk=world.current.pk)
    Value.objects.create(submission=world.draft, indicator="employment-rate", value_number=50)
    raised = _versions(world)
    sub.status = "submitted"
    sub.save()
    cycle.name = "2025 cycle (renamed)"
    cycle.save()
    assert _versions(world) == raised
    assert Submission.objects.get(pk=sub.pk).status == "submitted"
    assert not AuditEntry.objects.filter(field="content_version").exists()


def test_a_value_or_comment_moved_to_another_submission_raises_both(world):
    from rightsmarker.web.reporting.models import Comment, Submission, Value

    def versions():
        return dict(Submission.objects.filter(pk__in=[world.draft.pk, world.other.pk])
                    .values_list("pk", "content_version"))

    Value.objects.create(submission=world.other, indicator="employment-rate", value_number=40)
    Comment.objects.create(submission=world.other, author=world.users["reviewer"], text="A")
    for moved in (Value.objects.get(submission=world.other, indicator="employment-rate"),
                  Comment.objects.get(text="A")):
        before = versions()
        moved.submission = world.draft
        moved.save()
        after = versions()
        assert after[world.draft.pk] > before[world.draft.pk]
        assert after[world.other.pk] > before[world.other.pk]


def test_deleting_a_submission_raises_its_cycles_version(world):
    from rightsmarker.web.reporting.models import Cycle

    before = Cycle.objects.get(pk=world.current.pk).content_version
    world.other.delete()
    assert Cycle.objects.get(pk=world.current.pk).content_version > before


def _csv(*rows: str) -> SimpleUploadedFile:
    head = "unit,period,indicator,group,value,source,note,flag\n"
    return SimpleUploadedFile("values.csv", (head + "\n".join(rows) + "\n").encode("utf-8"),
                              content_type="text/csv")


def test_an_upload_of_new_values_shows_at_once_on_the_cached_pages(world, client_for, rises,
                                                                   settings, tmp_path):
    from django.core.cache import cache

    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    owner, reviewer = client_for("owner"), client_for("reviewer")
    entry = f"/submissions/{world.draft.pk}/entry/inclusion/"
    review = f"/submissions/{world.draft.pk}/review/"
    assert 'value="7.5"' not in owner.get(entry).content.decode()
    assert "7.5" not in reviewer.get(review).content.decode()
    html = owner.post(f"/submissions/{world.draft.pk}/upload/",
                      {"file": _csv("aranvale,2025,poverty-rate,sex=female,7.5,survey,,")}
                      ).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    rises(lambda: owner.post(f"/submissions/{world.draft.pk}/upload/apply/", {"token": token}))
    assert 'value="7.5"' in owner.get(entry).content.decode()
    assert "7.5" in reviewer.get(review).content.decode()


def test_a_comment_and_a_move_made_through_the_pages_show_at_once(world, client_for):
    from django.core.cache import cache

    cache.clear()
    world.draft.status = "submitted"
    world.draft.save()
    reviewer = client_for("reviewer")
    review = f"/submissions/{world.draft.pk}/review/"
    assert "Looks right to me" not in reviewer.get(review).content.decode()
    reviewer.post(f"/submissions/{world.draft.pk}/comments/",
                  {"indicator": "poverty-rate", "text": "Looks right to me"})
    assert "Looks right to me" in reviewer.get(review).content.decode()
    owner = client_for("owner")
    entry = f"/submissions/{world.draft.pk}/entry/inclusion/"
    assert "hx-post=" not in owner.get(entry).content.decode()  # submitted: read-only
    reviewer.post(f"/submissions/{world.draft.pk}/review/decide/",
                  {"target": "returned", "comment": "Please check the source",
                   "version": str(world.draft.version)})
    html = owner.get(entry).content.decode()
    assert "hx-post=" in html and "Please check the source" in html


def test_a_part_cached_by_another_release_of_the_code_is_not_served(monkeypatch):
    from rightsmarker.web.entry import versions

    versions.clear_local()
    built = []

    def build(text):
        def make():
            built.append(text)
            return text
        return make

    key = "test:release-part"
    assert re.fullmatch(r"[0-9a-f]{16}", versions.code_version())
    assert versions.cached(key, build("old markup")) == "old markup"
    versions.clear_local()
    assert versions.cached(key, build("unused")) == "old markup"  # same code: from the cache
    monkeypatch.setattr(versions, "code_version", lambda: "another-release")
    versions.clear_local()
    assert versions.cached(key, build("new markup")) == "new markup"
    assert built == ["old markup", "new markup"]
