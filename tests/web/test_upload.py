"""Uploads: type and size limits, preview (nothing written), apply (all or nothing), template."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db

WRITERS = dict(owner=200, colleague=403, outsider=403, anonymous=403, reviewer=403, admin=200)
HEADER = "unit,period,indicator,group,value,source,note,flag\n"


def _csv(*rows: str, name: str = "values.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (HEADER + "\n".join(rows) + "\n").encode("utf-8"),
                              content_type="text/csv")


def _preview(client, world, upload):
    return client.post(f"/submissions/{world.draft.pk}/upload/", {"file": upload})


def _token(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def _values(world) -> dict:
    from rightsmarker.web.reporting.models import Value

    return {(v.indicator, v.group): v.value_number
            for v in Value.objects.filter(submission=world.draft)}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_upload_pages_are_for_writers(world, assert_access):
    assert_access(f"/submissions/{world.draft.pk}/upload/", **WRITERS)
    assert_access(f"/submissions/{world.draft.pk}/template.xlsx", **WRITERS)
    assert_access(f"/submissions/{world.draft.pk}/upload/apply/", method="post",
                  **{**WRITERS, "owner": 302, "admin": 302})


def test_a_preview_lists_changes_and_writes_nothing(world, client_for):
    client = client_for("owner")
    before = _values(world)
    response = _preview(client, world, _csv(
        "aranvale,2025,poverty-rate,total,9.5,survey,,",
        "aranvale,2025,poverty-rate,women,14,survey,,",
        "aranvale,2025,ordinance,,yes,,,"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "New: 2" in html and "Changed: 1" in html and "Unchanged: 0" in html
    assert "Sex: female" in html and "11" in html and "9.5" in html  # groups as on the entry page
    assert "sex=female" not in html
    assert _values(world) == before


def test_a_preview_shows_every_error_and_writes_nothing(world, client_for):
    client = client_for("owner")
    before = _values(world)
    response = _preview(client, world, _csv(
        "aranvale,2025,poverty-rate,total,120,,,",
        "aranvale,2025,ordinance,,maybe,,,",
        "bellmora,2025,employment-rate,,60,,,",
        "aranvale,2024,employment-rate,,60,,,",
        "aranvale,2025,no-such-indicator,,1,,,"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "nothing was written" in html
    for text in ("a percentage must be from 0 to 100", "not yes or no", "bellmora", "2024",
                 "unknown indicator code", "this upload is for unit aranvale only"):
        assert text in html, text
    assert re.search(r'<td class="num">3</td>', html)  # the row of 'maybe'
    assert 'name="token"' not in html
    assert _values(world) == before


def test_apply_writes_every_change_in_one_go_with_audit_entries(world, client_for):
    from rightsmarker.web.reporting.models import AuditEntry

    client = client_for("owner")
    html = _preview(client, world, _csv("aranvale,2025,poverty-rate,total,9.5,survey,,",
                                        "aranvale,2025,employment-rate,age=65+,,,,missing",
                                        "aranvale,2025,action-plan,,planned,,,")).content.decode()
    response = client.post(f"/submissions/{world.draft.pk}/upload/apply/",
                           {"token": _token(html)})
    assert response.status_code == 302
    values = _values(world)
    assert values[("poverty-rate", "total")] == 9.5
    assert values[("action-plan", "total")] == 1.0
    assert ("employment-rate", "age=65+") in values
    actors = set(AuditEntry.objects.filter(submission_id=world.draft.pk, actor__isnull=False)
                 .values_list("actor__username", flat=True))
    assert actors == {"owner"}
    again = client.post(f"/submissions/{world.draft.pk}/upload/apply/", {"token": _token(html)})
    assert again.status_code == 302 and again.url.endswith("/upload/")  # used once


def test_apply_after_a_concurrent_change_is_refused_and_writes_nothing(world, client_for):
    from rightsmarker.web.reporting.models import Value

    client = client_for("owner")
    html = _preview(client, world, _csv("aranvale,2025,poverty-rate,total,9.5,,,",
                                        "aranvale,2025,ordinance,,yes,,,")).content.decode()
    other = Value.objects.get(submission=world.draft, indicator="poverty-rate")
    other.value_number = 30.0
    other.save()
    response = client.post(f"/submissions/{world.draft.pk}/upload/apply/",
                           {"token": _token(html)}, follow=True)
    assert "changed after the preview" in response.content.decode()
    assert _values(world) == {("poverty-rate", "total"): 30.0}


def test_apply_rolls_back_everything_when_one_write_fails(world, client_for, monkeypatch):
    from django.db import IntegrityError

    from rightsmarker.web.entry import uploads

    client = client_for("owner")
    html = _preview(client, world, _csv("aranvale,2025,ordinance,,yes,,,",
                                        "aranvale,2025,poverty-rate,total,9.5,,,")).content.decode()
    calls = []

    def failing_create(submission, user, rows):
        calls.append(rows)  # the changed poverty rate is saved by now
        raise IntegrityError("someone entered the same value meanwhile")

    monkeypatch.setattr(uploads, "_create_values", failing_create)
    response = client.post(f"/submissions/{world.draft.pk}/upload/apply/",
                           {"token": _token(html)}, follow=True)
    assert calls and "Nothing was written" in response.content.decode()
    assert _values(world) == {("poverty-rate", "total"): 11.0}


def test_applied_new_values_have_audit_entries_naming_the_uploader(world, client_for):
    from rightsmarker.web.reporting.models import AuditEntry, Value

    client = client_for("owner")
    html = _preview(client, world, _csv("aranvale,2025,ordinance,,yes,law,,")).content.decode()
    client.post(f"/submissions/{world.draft.pk}/upload/apply/", {"token": _token(html)})
    value = Value.objects.get(submission=world.draft, indicator="ordinance")
    entry = AuditEntry.objects.get(model="reporting.value", object_id=str(value.pk))
    assert entry.action == "create" and entry.actor.username == "owner"
    assert entry.new_value["value_number"] == 1.0 and entry.new_value["source"] == "law"
    assert entry.submission_id == world.draft.pk


def test_another_users_token_is_refused(world, client_for):
    html = _preview(client_for("owner"), world,
                    _csv("aranvale,2025,ordinance,,yes,,,")).content.decode()
    admin = client_for("admin")
    admin.post(f"/submissions/{world.draft.pk}/upload/apply/", {"token": _token(html)})
    assert ("ordinance", "total") not in _values(world)


def test_files_of_the_wrong_type_or_content_are_refused(world, client_for):
    client = client_for("owner")
    for upload, text in (
        (SimpleUploadedFile("values.txt", b"unit,period\n"), "are not accepted"),
        (SimpleUploadedFile("values.xlsx", b"unit,period,indicator\n"), "not an XLSX workbook"),
        (SimpleUploadedFile("values.csv", b"PK\x03\x04\x00\x00binary"), "not a CSV text file"),
    ):
        response = _preview(client, world, upload)
        assert response.status_code == 400 and text in response.content.decode(), text


def test_files_over_the_size_limit_are_refused(world, client_for, settings):
    settings.RIGHTSMARKER_MAX_UPLOAD_MB = 1
    big = _csv(*["aranvale,2025,poverty-rate,total,9.5,,," + " " * 100] * 11000)
    assert big.size > 1024 * 1024
    response = _preview(client_for("owner"), world, big)
    assert response.status_code == 400 and "larger than 1 MB" in response.content.decode()


def test_the_pre_filled_template_reads_back_unchanged(world, client_for):
    from openpyxl import load_workbook

    client = client_for("owner")
    response = client.get(f"/submissions/{world.draft.pk}/template.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    rows = [r for r in wb["inclusion"].iter_rows(values_only=True) if r[2] == "poverty-rate"]
    assert rows[0][:2] == ("aranvale", 2025) and rows[0][7] == "total" and rows[0][8] == 11
    upload = SimpleUploadedFile("aranvale.xlsx", response.content)
    html = _preview(client, world, upload).content.decode()
    assert "New: 0" in html and "Changed: 0" in html and "Unchanged: 1" in html


def test_a_filled_template_with_an_error_is_shown_by_sheet_and_row(world, client_for):
    from openpyxl import load_workbook

    client = client_for("owner")
    wb = load_workbook(io.BytesIO(client.get(f"/submissions/{world.draft.pk}/template.xlsx")
                                  .content))
    ws = wb["inclusion"]
    for row in ws.iter_rows(min_row=2):
        if row[2].value == "employment-rate" and row[7].value == "sex=female":
            row[8].value = "lots"
            bad_row = row[0].row
    buf = io.BytesIO()
    wb.save(buf)
    response = _preview(client, world, SimpleUploadedFile("filled.xlsx", buf.getvalue()))
    html = response.content.decode()
    assert response.status_code == 400 and "not a percentage" in html
    assert f'<td class="num">{bad_row}</td>' in html and "[inclusion]" in html


def test_posting_a_file_is_for_writers(world, assert_access):
    assert_access(f"/submissions/{world.draft.pk}/upload/", method="post",
                  **{**WRITERS, "owner": 400, "admin": 400})  # no file: the form says so


def test_values_by_district_are_checked_and_kept_like_any_value(world, client_for):
    # The district maps' values (group district=<id>) are no ground of the framework; the
    # pre-filled template of a city that has them must read back, and bad ones are refused.
    client = client_for("owner")
    response = _preview(client, world, _csv(
        "aranvale,2025,poverty-rate,total,9.5,survey,,",
        "aranvale,2025,poverty-rate,district=north,12,survey,,",
        "aranvale,2025,poverty-rate,district=south,7.5,survey,,"))
    assert response.status_code == 200, response.content.decode()
    html = response.content.decode()
    assert "New: 2" in html and "north" in html and "south" in html and "\x1f" not in html
    client.post(f"/submissions/{world.draft.pk}/upload/apply/", {"token": _token(html)})
    values = _values(world)
    assert values[("poverty-rate", "district=north")] == 12.0
    assert values[("poverty-rate", "district=south")] == 7.5

    bad = _preview(client, world, _csv(
        "aranvale,2025,poverty-rate,district=north,140,,,",
        "aranvale,2025,poverty-rate,district=north,12,,,"))
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "a percentage must be from 0 to 100" in text and "duplicate" in text
    assert "aranvale | 2025 | poverty-rate | district=north" in text and "\x1f" not in text
    assert "duplicate of values.csv row 2" in text and "upload.csv" not in text  # the user's file
