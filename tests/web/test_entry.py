"""Data entry: the theme forms, inline validation, saving drafts, stale versions, submitting."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

WRITERS = dict(owner=200, colleague=403, outsider=403, anonymous=403, reviewer=403, admin=200)


def _form(client, url) -> dict:
    """The posted fields of the theme form as shown (hidden, text, selects, checked radios)."""
    html = client.get(url).content.decode()
    data = {}
    for m in re.finditer(r'<input([^>]*)>', html):
        attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', m.group(1)))
        name = attrs.get("name", "")
        if not re.match(r"s\d+-", name) or attrs.get("type") == "file":
            continue
        if attrs.get("type") == "radio":
            if " checked" in m.group(1):
                data[name] = attrs.get("value", "")
            continue
        data[name] = attrs.get("value", "").replace("&amp;", "&")
    for m in re.finditer(r'<select id="[^"]*" name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        sel = re.search(r'<option value="([^"]*)" selected>', m.group(2))
        data[m.group(1)] = sel.group(1) if sel else ""
    return data


def _key(data: dict, indicator: str, group: str = "total") -> str:
    for name, value in data.items():
        if name.endswith("-indicator") and value == indicator and \
                data[name.replace("-indicator", "-group")] == group:
            return name[: -len("-indicator")]
    raise KeyError((indicator, group))


def test_the_entry_pages_are_for_the_citys_editors_and_admins(world, assert_access):
    pk = world.draft.pk
    assert_access(f"/submissions/{pk}/entry/", **{p: 302 if c == 200 else c
                                                  for p, c in WRITERS.items()})
    assert_access(f"/submissions/{pk}/entry/inclusion/", **WRITERS)
    assert_access(f"/submissions/{pk}/entry/rights/", **WRITERS)


def test_an_unknown_theme_or_submission_is_not_found(world, client_for):
    owner = client_for("owner")
    assert owner.get(f"/submissions/{world.draft.pk}/entry/nowhere/").status_code == 404
    assert owner.get("/submissions/99999/entry/rights/").status_code == 404


def test_the_form_shows_every_indicator_by_its_type(world, client_for):
    html = client_for("owner").get(f"/submissions/{world.draft.pk}/entry/rights/").content
    html = html.decode()
    assert 'type="radio"' in html and 'value="yes"' in html  # ordinance: yes/no
    assert "Implemented" in html and '<option value="implemented"' in html  # stage labels
    html = client_for("owner").get(f"/submissions/{world.draft.pk}/entry/inclusion/").content
    html = html.decode()
    assert 'value="11"' in html  # the stored poverty rate
    assert "Sex: female" in html and "Age: 65+" in html  # one input per expected group
    assert html.count('inputmode="decimal"') == 16


def test_stage_labels_follow_the_language(world, client_for):
    client = client_for("owner")
    html = client.get(f"/submissions/{world.draft.pk}/entry/rights/",
                      HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "시행" in html and "차별금지 조례" in html


def test_saving_a_draft_writes_values_and_audit_entries(world, client_for):
    from rightsmarker.web.reporting.models import AuditEntry, Value

    client = client_for("owner")
    url = f"/submissions/{world.draft.pk}/entry/inclusion/"
    data = _form(client, url)
    data[_key(data, "employment-rate") + "-value"] = "64.5"
    data[_key(data, "employment-rate") + "-source"] = "labour survey"
    data[_key(data, "poverty-rate", "sex=female") + "-value"] = "13"
    data[_key(data, "poverty-rate") + "-value"] = "10.5"
    before = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = client.post(url, data)
    assert response.status_code == 302
    values = {(v.indicator, v.group): v for v in Value.objects.filter(submission=world.draft)}
    assert values[("employment-rate", "total")].value_number == 64.5
    assert values[("employment-rate", "total")].source == "labour survey"
    assert values[("poverty-rate", "sex=female")].value_number == 13
    assert values[("poverty-rate", "total")].value_number == 10.5
    assert values[("poverty-rate", "total")].version == 2
    entries = AuditEntry.objects.filter(submission_id=world.draft.pk, model="reporting.value",
                                        pk__gt=before)
    assert {e.actor.username for e in entries} == {"owner"}
    update = entries.get(action="update", field="value_number")
    assert (update.old_value, update.new_value) == (11.0, 10.5)
    assert entries.filter(action="create").count() == 2


def test_yes_no_and_stage_values_are_stored_as_the_library_codes_them(world, client_for):
    from rightsmarker.web.reporting.models import Value

    client = client_for("owner")
    url = f"/submissions/{world.draft.pk}/entry/rights/"
    data = _form(client, url)
    data[_key(data, "ordinance") + "-value"] = "yes"
    data[_key(data, "action-plan") + "-value"] = "adopted"
    data[_key(data, "action-plan") + "-evidence_url"] = "https://example.org/plan.pdf"
    assert client.post(url, data).status_code == 302
    stored = {v.indicator: v for v in Value.objects.filter(submission=world.draft)}
    assert stored["ordinance"].value_number == 1.0
    assert stored["action-plan"].value_number == 2.0
    assert stored["action-plan"].evidence_url == "https://example.org/plan.pdf"
    html = client.get(url).content.decode()
    assert '<option value="adopted" selected>' in html


def test_an_invalid_value_is_refused_with_the_librarys_message(world, client_for):
    from rightsmarker.web.reporting.models import Value

    client = client_for("owner")
    url = f"/submissions/{world.draft.pk}/entry/inclusion/"
    data = _form(client, url)
    data[_key(data, "employment-rate") + "-value"] = "120"
    data[_key(data, "poverty-rate") + "-value"] = "9"
    response = client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "a percentage must be from 0 to 100" in html
    assert 'value="120"' in html  # the input is kept
    assert Value.objects.get(submission=world.draft, indicator="poverty-rate").value_number == 11


def test_a_stale_version_is_refused_and_shows_the_other_editors_value(world, client_for):
    from rightsmarker.web.reporting.actor import acting_as
    from rightsmarker.web.reporting.models import Value

    client = client_for("owner")
    url = f"/submissions/{world.draft.pk}/entry/inclusion/"
    data = _form(client, url)
    other = Value.objects.get(submission=world.draft, indicator="poverty-rate")
    other.value_number = 15.0
    with acting_as(world.users["admin"]):
        other.updated_by = world.users["admin"]
        other.save()
    data[_key(data, "poverty-rate") + "-value"] = "9"
    response = client.post(url, data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "admin saved this value after you opened the page" in html and "15" in html
    assert Value.objects.get(pk=other.pk).value_number == 15.0
    # saving again (the form now carries the current version) replaces it knowingly
    data = _form_from_html(html)
    assert client.post(url, data).status_code == 302
    assert Value.objects.get(pk=other.pk).value_number == 9.0


def _form_from_html(html: str) -> dict:
    class Fake:
        def get(self, url):
            return type("R", (), {"content": html.encode()})()
    return _form(Fake(), "")


def test_untouched_values_changed_by_someone_else_are_not_conflicts(world, client_for):
    from rightsmarker.web.reporting.models import Value

    client = client_for("owner")
    url = f"/submissions/{world.draft.pk}/entry/inclusion/"
    data = _form(client, url)
    Value.objects.filter(submission=world.draft, indicator="poverty-rate").first().save()
    data[_key(data, "employment-rate") + "-value"] = "70"
    assert client.post(url, data).status_code == 302
    assert Value.objects.get(submission=world.draft, indicator="employment-rate").value_number == 70


def test_clearing_a_row_deletes_its_value_with_an_audit_entry(world, client_for):
    from rightsmarker.web.reporting.models import AuditEntry, Value

    client = client_for("owner")
    url = f"/submissions/{world.draft.pk}/entry/inclusion/"
    data = _form(client, url)
    k = _key(data, "poverty-rate")
    data[k + "-value"] = data[k + "-source"] = ""
    assert client.post(url, data).status_code == 302
    assert not Value.objects.filter(submission=world.draft, indicator="poverty-rate").exists()
    entry = AuditEntry.objects.get(submission_id=world.draft.pk, action="delete")
    assert entry.actor.username == "owner" and entry.old_value["value_number"] == 11.0


def test_a_flag_without_a_value_is_accepted(world, client_for):
    from rightsmarker.web.reporting.models import Value

    client = client_for("owner")
    url = f"/submissions/{world.draft.pk}/entry/inclusion/"
    data = _form(client, url)
    data[_key(data, "employment-rate", "age=65+") + "-flag"] = "not-collected"
    assert client.post(url, data).status_code == 302
    v = Value.objects.get(submission=world.draft, indicator="employment-rate", group="age=65+")
    assert v.value_number is None and v.flag == "not-collected"


def test_inline_validation_returns_the_error_next_to_the_field(world, client_for):
    url = f"/submissions/{world.draft.pk}/entry/validate/"
    post = {"key": "s3", "s3-indicator": "employment-rate", "s3-group": "total",
            "s3-value": "abc"}
    response = client_for("owner").post(url, post, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "not a percentage" in response.content.decode()
    post["s3-value"] = "55.5"
    assert client_for("owner").post(url, post).content.decode().strip() == ""
    post.update({"s3-indicator": "ordinance", "s3-value": "maybe"})
    assert "not yes or no" in client_for("owner").post(url, post).content.decode()


def test_inline_validation_is_for_writers_only(world, assert_access):
    post = {"key": "s0", "s0-indicator": "ordinance", "s0-group": "total", "s0-value": "yes"}
    assert_access(f"/submissions/{world.draft.pk}/entry/validate/", method="post", data=post,
                  **WRITERS)


def test_inline_validation_speaks_korean(world, client_for):
    url = f"/submissions/{world.draft.pk}/entry/validate/"
    post = {"key": "s3", "s3-indicator": "employment-rate", "s3-group": "total",
            "s3-value": "abc"}
    html = client_for("owner").post(url, post, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "not a percentage" not in html and "백분율" in html


def test_a_submitted_submission_is_read_only(world, client_for):
    world.draft.status = "submitted"
    world.draft.save()
    client = client_for("owner")
    url = f"/submissions/{world.draft.pk}/entry/inclusion/"
    html = client.get(url).content.decode()
    assert "cannot be changed now" in html and "disabled" in html
    data = _form(client, url)
    data[_key(data, "poverty-rate") + "-value"] = "1"
    assert client.post(url, data).status_code == 302
    from rightsmarker.web.reporting.models import Value
    assert Value.objects.get(submission=world.draft, indicator="poverty-rate").value_number == 11


def test_the_editor_submits_with_a_summary_of_what_is_missing(world, client_for):
    client = client_for("owner")
    html = client.get(f"/submissions/{world.draft.pk}/entry/rights/").content.decode()
    assert "3 of 4 indicators have no total value yet" in html
    assert "Submit for review" in html
    response = client.post(f"/submissions/{world.draft.pk}/submit/",
                           {"version": world.draft.version})
    assert response.status_code == 302
    world.draft.refresh_from_db()
    assert world.draft.status == "submitted" and world.draft.submitted_by.username == "owner"


def test_submitting_is_for_the_citys_editors(world, assert_access):
    assert_access(f"/submissions/{world.draft.pk}/submit/", method="post",
                  **{**WRITERS, "owner": 302, "admin": 302})


def test_an_admin_may_not_submit_for_a_city(world, client_for):
    client_for("admin").post(f"/submissions/{world.draft.pk}/submit/")
    world.draft.refresh_from_db()
    assert world.draft.status == "draft"


def test_evidence_files_are_uploaded_checked_and_served_to_members(world, client_for,
                                                                  assert_access, settings,
                                                                  tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rightsmarker.web.reporting.models import Value

    settings.MEDIA_ROOT = tmp_path
    client = client_for("owner")
    url = f"/submissions/{world.draft.pk}/entry/rights/"
    data = _form(client, url)
    k = _key(data, "ordinance")
    data[k + "-value"] = "yes"
    data[k + "-evidence_file"] = SimpleUploadedFile("law.exe", b"MZ...")
    response = client.post(url, data)
    assert response.status_code == 400 and "are not accepted" in response.content.decode()
    data[k + "-evidence_file"] = SimpleUploadedFile("law.pdf", b"%PDF-1.4 ...")
    assert client.post(url, data).status_code == 302
    v = Value.objects.get(submission=world.draft, indicator="ordinance")
    assert v.evidence_file.name.endswith("law.pdf")
    assert_access(f"/submissions/{world.draft.pk}/evidence/{v.pk}/", owner=200, colleague=200,
                  outsider=403, anonymous=403, reviewer=200, admin=200)


def test_saving_is_for_writers(world, assert_access):
    assert_access(f"/submissions/{world.draft.pk}/entry/rights/", method="post",
                  **{**WRITERS, "owner": 302, "admin": 302})


def test_the_submission_links_snippet_points_each_role_to_its_pages(world, rf):
    from django.template.loader import render_to_string

    from rightsmarker.web.accounts.roles import roles_of

    def links(persona, can_write):
        user = world.users[persona]
        return render_to_string("entry/_submission_links.html", {
            "submission": world.draft, "can_write": can_write, "roles": roles_of(user)})

    assert "/entry/" in links("owner", True) and "/review/" not in links("owner", True)
    assert "/review/" in links("reviewer", False) and "/entry/" not in links("reviewer", False)
    assert links("colleague", False).strip() == ""


def test_a_posted_row_for_an_unknown_indicator_is_ignored(world, client_for):
    client = client_for("owner")
    url = f"/submissions/{world.draft.pk}/entry/rights/"
    data = _form(client, url)
    data.update({"s0-indicator": "nope", "s0-value": "1"})
    assert client.post(url, data).status_code == 302
