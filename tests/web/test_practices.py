"""Practices on the web: drafting, versions, the review workflow and who sees what."""

from __future__ import annotations

import pytest
from practices_fixtures import _practice_index, practices_fixture  # noqa: F401  (fixtures)

from rightsmarker.web.practices.models import PracticeRecord, PracticeVersion

pytestmark = pytest.mark.django_db

FORM = {"title_en": "Barrier-free audit teams", "title_ko": "무장애 점검단",
        "summary_en": "Disabled residents audit public buildings.", "themes": "SPA",
        "groups": "persons-with-disabilities", "sdg_targets": "11.7", "period_start": "2021",
        "budget_amount": "350000000", "budget_currency": "krw",
        "partners": "Disability council\nArchitects' association",
        "evidence": "https://example.org/report", "contact_email": "team@example.org",
        "language": "en"}


def test_an_editor_creates_a_draft_and_it_is_versioned(world, client_for):
    response = client_for("owner").post("/practices/new/aranvale/", FORM)
    assert response.status_code == 302
    record = PracticeRecord.objects.get()
    assert record.city == world.city_a and record.status == "draft" and record.version == 1
    assert record.data["budget"] == {"amount": 350000000.0, "currency": "KRW"}
    assert record.data["partners"] == ["Disability council", "Architects' association"]
    edit = FORM | {"title_en": "Barrier-free audit teams of residents", "version": "1"}
    assert client_for("owner").post(f"/practices/{record.pk}/edit/", edit).status_code == 302
    record.refresh_from_db()
    versions = list(PracticeVersion.objects.filter(record=record).order_by("version"))
    assert [v.version for v in versions] == [1, 2]
    assert [v.action for v in versions] == ["create", "edit"]
    assert versions[0].data["title"]["en"] == "Barrier-free audit teams"
    assert versions[1].author == world.users["owner"]
    history = client_for("owner").get(f"/practices/{record.pk}/history/")
    assert b"Barrier-free audit teams of residents" in history.content


def test_a_stale_edit_is_refused_and_writes_no_version(world, client_for, practices):
    url = f"/practices/{practices.draft.pk}/edit/"
    response = client_for("owner").post(url, FORM | {"version": "99"})
    assert response.status_code == 200 and b"Someone else saved" in response.content
    assert practices.draft.versions.count() == 1


def test_an_invalid_practice_names_the_missing_title_and_the_unknown_theme(world, client_for):
    response = client_for("owner").post("/practices/new/aranvale/",
                                        FORM | {"themes": "NOPE", "title_en": "", "title_ko": ""})
    assert response.status_code == 200
    assert b"Unknown theme code: NOPE" in response.content
    assert b"Give a title in English or in Korean." in response.content
    assert not PracticeRecord.objects.exists()


def test_every_wrong_field_of_a_practice_is_named_at_once_in_plain_words(world, client_for):
    wrong = FORM | {"title_en": "", "title_ko": "", "budget_currency": "",
                    "sdg_targets": "11.2; 18", "themes": "SPA; NOPE", "groups": "migrant",
                    "period_start": "2022", "period_end": "2020", "evidence": "example.org/x",
                    "contact_email": "team-at-example"}
    response = client_for("owner").post("/practices/new/aranvale/", wrong,
                                        HTTP_ACCEPT_LANGUAGE="en")
    errors = response.context["form"].errors
    assert set(errors) == {"title_en", "budget_currency", "sdg_targets", "themes", "groups",
                           "period_end", "evidence", "contact_email"}
    html = response.content.decode()
    assert "Give the currency as a three-letter ISO 4217 code such as KRW or EUR." in html
    assert "An SDG target looks like 10.2 or 11.a (goals 1 to 17); not valid: 18." in html
    assert "Unknown theme code: NOPE." in html and "Unknown group code: migrant." in html
    assert "String should match pattern" not in html
    assert not PracticeRecord.objects.exists()


def test_the_practice_form_errors_speak_korean(world, client_for):
    response = client_for("owner").post("/practices/new/aranvale/",
                                        FORM | {"budget_currency": "원", "sdg_targets": "11.z"},
                                        HTTP_ACCEPT_LANGUAGE="ko")
    html = response.content.decode()
    assert "통화는 KRW나 EUR 같은 ISO 4217 세 글자 코드로 적으십시오." in html
    assert "SDG 세부목표는 10.2나 11.a 같은 형식입니다" in html and "11.z" in html


def test_a_library_problem_is_shown_next_to_its_field():
    from rightsmarker.errors import Problem
    from rightsmarker.practices import PracticeError
    from rightsmarker.web.practices.editor import show_problems
    from rightsmarker.web.practices.forms import PracticeForm

    form = PracticeForm({"language": "en", "title_en": "x"})
    assert form.is_valid()
    show_problems(form, PracticeError("invalid practice", [
        Problem("bad currency", column="budget.currency"),
        Problem("bad target", column="sdg_targets.1"), Problem("no title", column="title"),
        Problem("odd", column="nothing")]))
    assert set(form.errors) == {"budget_currency", "sdg_targets", "title_en", "__all__"}


def test_only_the_city_editor_and_admin_may_create_a_practice_of_the_city(assert_access):
    assert_access("/practices/new/aranvale/", owner=200, colleague=403, outsider=403,
                  anonymous=302, reviewer=403, admin=200)


def test_an_outsider_cannot_edit_another_citys_practice(world, assert_access, practices,
                                                          client_for):
    url = f"/practices/{practices.draft.pk}/edit/"
    assert_access(url, owner=200, colleague=403, outsider=403, anonymous=302, reviewer=403,
                  admin=200)
    response = client_for("outsider").post(url, FORM | {"version": "1"})
    assert response.status_code == 403
    practices.draft.refresh_from_db()
    assert practices.draft.version == 1


def test_a_reviewer_publishes_a_submitted_practice(world, client_for, practices):
    record = practices.submitted
    url = f"/practices/{record.pk}/move/"
    assert client_for("outsider").post(url, {"target": "published"}).status_code == 403
    assert client_for("reviewer").post(url, {"target": "published"}).status_code == 302
    record.refresh_from_db()
    assert record.status == "published"
    last = record.versions.first()
    assert last.action == "publish" and last.author == world.users["reviewer"]
    assert client_for("anonymous").get(f"/practices/{record.pk}/").status_code == 200


def test_a_reviewer_returns_a_practice_only_with_a_comment(world, client_for, practices):
    record = practices.submitted
    url = f"/practices/{record.pk}/move/"
    client_for("reviewer").post(url, {"target": "draft", "comment": ""})
    record.refresh_from_db()
    assert record.status == "submitted"
    client_for("reviewer").post(url, {"target": "draft", "comment": "Add the budget."})
    record.refresh_from_db()
    assert record.status == "draft" and record.review_comment == "Add the budget."


def test_an_editor_submits_a_draft_but_cannot_publish_it(world, client_for, practices):
    record = practices.draft
    url = f"/practices/{record.pk}/move/"
    assert client_for("owner").post(url, {"target": "submitted"}).status_code == 302
    assert client_for("owner").post(url, {"target": "published"}).status_code == 403
    record.refresh_from_db()
    assert record.status == "submitted"
    assert client_for("owner").get(f"/practices/{record.pk}/edit/").status_code == 403


def test_anonymous_visitors_see_only_published_practices(world, assert_access, practices,
                                                         client_for):
    assert_access(f"/practices/{practices.rights.pk}/", owner=200, colleague=200, outsider=200,
                  anonymous=200, reviewer=200, admin=200)
    assert_access(f"/practices/{practices.draft.pk}/", owner=200, colleague=200, outsider=403,
                  anonymous=403, reviewer=200, admin=200)
    assert_access(f"/practices/{practices.draft.pk}.json", owner=200, colleague=200,
                  outsider=403, anonymous=403, reviewer=200, admin=200)
    assert_access(f"/practices/{practices.rights.pk}/history/", owner=200, colleague=200,
                  outsider=403, anonymous=403, reviewer=200, admin=200)
    listing = client_for("anonymous").get("/practices/search.json").json()
    assert sorted(r["id"] for r in listing["results"]) == ["aranvale-rights", "bellmora-housing"]
    page = client_for("anonymous").get("/practices/")
    assert b"Secret draft" not in page.content and b"Bellmora submitted" not in page.content


def test_the_practice_pages_answer_every_persona(world, assert_access, practices):
    for url in ("/practices/", "/practices/search.json", "/practices/search.csv"):
        assert_access(url, owner=200, colleague=200, outsider=200, anonymous=200, reviewer=200,
                      admin=200)
    assert_access("/practices/999999/", owner=404, colleague=404, outsider=404, anonymous=404,
                  reviewer=404, admin=404)


def test_html_in_a_title_is_escaped(world, client_for):
    form = FORM | {"title_en": "<script>alert(1)</script>Safe & <b>sound</b> "
                               "&lt;img src=x onerror=alert(3)&gt;",
                   "description_en": "<p>Ok</p><script>alert(2)</script>"}
    client_for("owner").post("/practices/new/aranvale/", form)
    record = PracticeRecord.objects.get()
    page = client_for("owner").get(f"/practices/{record.pk}/").content.decode()
    assert "<script>" not in page and "alert(2)" not in page
    assert "Safe &amp; sound" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(3)&gt;" in page
    assert record.data["title"]["en"] == "Safe & sound <img src=x onerror=alert(3)>"
    client_for("owner").post(f"/practices/{record.pk}/move/", {"target": "submitted"})
    listing = client_for("reviewer").get("/practices/").content.decode()
    assert "<img src=x" not in listing
    assert "<p>Ok</p>" in page


def test_an_evidence_file_is_limited_in_type_and_size_and_served_to_those_who_see_it(
        world, client_for, assert_access, practices, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path / "uploads"
    url = f"/practices/{practices.draft.pk}/edit/"
    client = client_for("owner")
    bad = SimpleUploadedFile("run.exe", b"MZ...", "application/octet-stream")
    response = client.post(url, FORM | {"version": "1", "evidence_file": bad})
    assert response.status_code == 200 and b"not allowed" in response.content
    fake = SimpleUploadedFile("report.pdf", b"<html>", "application/pdf")
    response = client.post(url, FORM | {"version": "1", "evidence_file": fake})
    assert b"does not look like a PDF" in response.content
    settings.RIGHTSMARKER_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("big.txt", b"x" * (1024 * 1024 + 1), "text/plain")
    assert b"larger than 1 MB" in client.post(url, FORM | {"version": "1",
                                                           "evidence_file": big}).content
    practices.draft.refresh_from_db()
    assert practices.draft.version == 1
    good = SimpleUploadedFile("report.pdf", b"%PDF-1.4 fictional", "application/pdf")
    assert client.post(url, FORM | {"version": "1", "evidence_file": good}).status_code == 302
    practices.draft.refresh_from_db()
    files = [e for e in practices.draft.data["evidence"] if e["kind"] == "file"]
    assert files[0]["title"] == "report.pdf" and files[0]["size"] == 18
    n = practices.draft.data["evidence"].index(files[0]) + 1
    download = f"/practices/{practices.draft.pk}/evidence/{n}/"
    assert_access(download, owner=200, colleague=200, outsider=403, anonymous=403, reviewer=200,
                  admin=200)
    assert b"".join(client.get(download).streaming_content) == b"%PDF-1.4 fictional"


def test_a_record_saved_with_bad_data_is_refused_by_the_library(world):
    from rightsmarker.practices import PracticeError

    record = PracticeRecord(city=world.city_a, code="aranvale-bad",
                            data={"title": {"en": "x"}, "sdg_targets": ["18.1"]})
    with pytest.raises(PracticeError):
        record.save()
    assert not PracticeRecord.objects.exists()


def test_the_admin_pages_of_practices_open_for_an_admin(world, client_for, practices):
    client = client_for("admin")
    url = f"/admin/practices/practicerecord/{practices.draft.pk}/change/"
    assert client.get(url).status_code == 200
    assert client.get("/admin/practices/practicerecord/").status_code == 200
