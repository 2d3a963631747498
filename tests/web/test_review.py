"""Review: changes since the last cycle, flags, colours, comments, return and approve; history."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db

SECRETARIAT = dict(owner=403, colleague=403, outsider=403, anonymous=403, reviewer=200,
                   admin=200)
MEMBERS = dict(owner=200, colleague=200, outsider=403, anonymous=403, reviewer=200, admin=200)


def _submit(world):
    world.draft.status = "submitted"
    world.draft.save()


def test_the_review_page_is_for_the_secretariat(world, assert_access):
    _submit(world)
    for fmt in ("/", ".json", ".csv"):
        assert_access(f"/submissions/{world.draft.pk}/review{fmt}", **SECRETARIAT)


def test_the_review_shows_the_change_since_the_previous_cycle(world, client_for):
    _submit(world)
    client = client_for("reviewer")
    data = client.get(f"/submissions/{world.draft.pk}/review.json").json()
    assert data["previous_year"] == 2024
    row = next(r for r in data["values"] if r["indicator"] == "poverty-rate")
    assert row["previous"] == 12.5 and row["change"] == -1.5 and row["pct_change"] == -12.0
    assert row["flags"] == ""
    assert row["colour"] == "yellow"  # 11 % poverty: between green 10 and red 25, upper half
    html = client.get(f"/submissions/{world.draft.pk}/review/").content.decode()
    assert "Return with comments" in html and "Approve" in html
    assert "colour-yellow" in html


def test_big_jumps_and_values_outside_the_goalposts_are_flagged(world, client_for):
    from rightsmarker.web.reporting.models import Value

    _submit(world)
    v = Value.objects.get(submission=world.draft, indicator="poverty-rate")
    v.value_number = 45.0  # +260 % and above the goalpost 40
    v.save()
    client = client_for("reviewer")
    row = next(r for r in client.get(f"/submissions/{world.draft.pk}/review.json").json()
               ["values"] if r["indicator"] == "poverty-rate")
    assert "jump of 260%" in row["flags"] and "outside the goalposts (5 to 40)" in row["flags"]
    assert row["colour"] == "red"
    calm = client.get(f"/submissions/{world.draft.pk}/review.json?jump_pct=500").json()
    row = next(r for r in calm["values"] if r["indicator"] == "poverty-rate")
    assert "jump" not in row["flags"] and calm["jump_pct"] == 500


def test_changes_far_from_other_cities_are_flagged_by_robust_sds(world, client_for):
    from rightsmarker.web.network.models import City
    from rightsmarker.web.reporting.models import Submission, Value

    _submit(world)
    for i in range(6):
        city = City.objects.create(code=f"c{i}", name_en=f"City {i}")
        for cycle, number in ((world.past, 20.0), (world.current, 20.0 + 0.1 * i)):
            sub = Submission.objects.create(cycle=cycle, city=city, status="approved")
            Value.objects.create(submission=sub, indicator="poverty-rate", value_number=number)
    data = client_for("reviewer").get(
        f"/submissions/{world.draft.pk}/review.json?jump_pct=90").json()
    row = next(r for r in data["values"] if r["indicator"] == "poverty-rate")
    assert "robust SDs" in row["flags"]  # -1.5 while the others moved 0 to 0.5


def test_a_reviewer_returns_with_a_comment_and_the_editor_sees_it(world, client_for):
    _submit(world)
    reviewer = client_for("reviewer")
    url = f"/submissions/{world.draft.pk}/review/decide/"
    reviewer.post(url, {"target": "returned", "version": world.draft.version + 1})
    world.draft.refresh_from_db()
    assert world.draft.status == "submitted"  # stale version refused
    reviewer.post(url, {"target": "returned", "version": world.draft.version})
    world.draft.refresh_from_db()
    assert world.draft.status == "submitted"  # a return needs a comment
    reviewer.post(url, {"target": "returned", "version": world.draft.version,
                        "comment": "Check the poverty rate source."})
    world.draft.refresh_from_db()
    assert world.draft.status == "returned" and world.draft.reviewed_by.username == "reviewer"
    html = client_for("owner").get(f"/submissions/{world.draft.pk}/entry/rights/")
    assert "Check the poverty rate source." in html.content.decode()


def test_the_editor_corrects_resubmits_and_the_reviewer_approves(world, client_for):
    _submit(world)
    client_for("reviewer").post(f"/submissions/{world.draft.pk}/review/decide/", {
        "target": "returned", "version": world.draft.version, "comment": "Add the ordinance."})
    world.draft.refresh_from_db()
    owner = client_for("owner")
    owner.post(f"/submissions/{world.draft.pk}/submit/", {"version": world.draft.version})
    world.draft.refresh_from_db()
    assert world.draft.status == "submitted"
    client_for("admin").post(f"/submissions/{world.draft.pk}/review/decide/",
                             {"target": "approved", "version": world.draft.version})
    world.draft.refresh_from_db()
    assert world.draft.status == "approved"


def test_only_the_secretariat_may_decide(world, assert_access):
    _submit(world)
    assert_access(f"/submissions/{world.draft.pk}/review/decide/", method="post",
                  data={"target": "approved"}, owner=403, colleague=403, outsider=403,
                  anonymous=403, reviewer=302, admin=302)


def test_comments_per_indicator_are_added_with_htmx(world, client_for):
    from rightsmarker.web.reporting.models import Comment

    _submit(world)
    url = f"/submissions/{world.draft.pk}/comments/"
    response = client_for("reviewer").post(url, {"indicator": "poverty-rate",
                                                 "text": "Why the drop?"},
                                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Why the drop?" in response.content.decode()
    assert 'id="comments-poverty-rate"' in response.content.decode()
    comment = Comment.objects.get()
    assert comment.indicator == "poverty-rate" and comment.author.username == "reviewer"
    html = client_for("owner").get(f"/submissions/{world.draft.pk}/entry/inclusion/").content
    assert "Why the drop?" in html.decode()
    reply = client_for("owner").post(url, {"indicator": "poverty-rate", "text": "New survey."})
    assert reply.status_code == 302
    assert client_for("owner").post(url, {"indicator": "nope", "text": "x"}).status_code == 400


def test_comments_are_for_the_secretariat_and_the_citys_editors(world, assert_access):
    assert_access(f"/submissions/{world.draft.pk}/comments/", method="post",
                  data={"indicator": "ordinance", "text": "hello"}, owner=302, colleague=403,
                  outsider=403, anonymous=403, reviewer=302, admin=302)


def test_the_value_history_shows_who_changed_what_when(world, client_for, assert_access):
    from rightsmarker.web.reporting.actor import acting_as
    from rightsmarker.web.reporting.models import Value

    v = Value.objects.get(submission=world.draft, indicator="poverty-rate")
    with acting_as(world.users["owner"]):
        v.value_number = 9.0
        v.save()
    url = f"/submissions/{world.draft.pk}/value-history.json?indicator=poverty-rate&group=total"
    data = client_for("colleague").get(url).json()
    change = next(r for r in data["history"] if r["action"] == "update")
    assert change["actor"] == "owner" and (change["old"], change["new"]) == (11.0, 9.0)
    assert any(r["action"] == "create" and r["new"] == 11.0 for r in data["history"])
    html = client_for("owner").get(url.replace(".json", "/")).content.decode()
    assert "owner" in html and "<td>Value</td><td>11 %</td><td>9 %</td>" in html
    assert "value_number" not in html  # the raw field name stays in the twin
    assert_access(url, **MEMBERS)
    assert_access(url.replace(".json", "/"), **MEMBERS)
    assert client_for("owner").get(url.replace("poverty-rate", "nope")).status_code == 404


def test_the_value_history_keeps_deleted_values(world, client_for):
    from rightsmarker.web.reporting.actor import acting_as
    from rightsmarker.web.reporting.models import Value

    with acting_as(world.users["owner"]):
        Value.objects.get(submission=world.draft, indicator="poverty-rate").delete()
        Value.objects.create(submission=world.draft, indicator="poverty-rate", value_number=7.0)
    url = f"/submissions/{world.draft.pk}/value-history.json?indicator=poverty-rate&group=total"
    rows = client_for("owner").get(url).json()["history"]
    numbers = [(r["action"], r["old"], r["new"]) for r in rows if r["field"] == "value_number"]
    assert numbers == [("create", None, 7.0), ("delete", 11.0, None), ("create", None, 11.0)]


def test_the_review_csv_twin_has_one_row_per_value(world, client_for):
    _submit(world)
    response = client_for("admin").get(f"/submissions/{world.draft.pk}/review.csv")
    lines = response.content.decode().strip().splitlines()
    assert lines[0].startswith("indicator,group,value") and len(lines) == 2
    assert json.loads(json.dumps(lines))  # plain text


def test_a_stage_reads_with_its_number_on_the_review_page_as_on_the_entry_page(world,
                                                                              client_for):
    from rightsmarker.web.reporting.models import Value

    Value.objects.create(submission=world.draft, indicator="action-plan", value_number=2)
    _submit(world)
    html = client_for("reviewer").get(f"/submissions/{world.draft.pk}/review/").content.decode()
    assert "2 · Adopted" in html


def test_a_known_flag_reads_in_the_page_language_on_review_and_overview(world, client_for):
    from rightsmarker.web.reporting.models import Value

    Value.objects.filter(submission=world.draft, indicator="poverty-rate").update(flag="missing")
    _submit(world)
    client = client_for("reviewer")
    for url in (f"/submissions/{world.draft.pk}/review/", f"/submissions/{world.draft.pk}/"):
        korean = client.get(url, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
        assert "결측" in korean and ">missing<" not in korean, url
        assert ">missing<" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode(), url
