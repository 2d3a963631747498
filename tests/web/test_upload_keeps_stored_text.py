"""An upload without a column never erases what is stored in it (the template has no text);
an empty cell in a column it has empties the stored text, shown as cleared in the preview."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _upload(client, world, text: str):
    upload = SimpleUploadedFile("values.csv", text.encode("utf-8"), content_type="text/csv")
    return client.post(f"/submissions/{world.draft.pk}/upload/", {"file": upload})


def _stored(world):
    from rightsmarker.web.reporting.models import Value

    return Value.objects.get(submission=world.draft, indicator="poverty-rate", group="total")


def test_a_file_without_a_text_column_keeps_the_stored_text_and_counts_as_unchanged(
        world, client_for):
    value = _stored(world)
    value.value_text = "Municipal survey 2025, table 3"
    value.save()
    response = _upload(client_for("owner"), world,
                       "unit,period,indicator,group,value,source\n"
                       "aranvale,2025,poverty-rate,total,11,survey\n")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Changed: 0" in html and "Unchanged: 1" in html


def test_a_file_with_a_text_column_may_clear_the_stored_text(world, client_for):
    value = _stored(world)
    value.value_text = "Municipal survey 2025, table 3"
    value.save()
    response = _upload(client_for("owner"), world,
                       "unit,period,indicator,group,value,source,text\n"
                       "aranvale,2025,poverty-rate,total,11,survey,\n")
    assert "Changed: 1" in response.content.decode()


def _changes_table(html: str) -> str:
    return html[html.index('<table class="changes">'):html.index("</table>")]


def test_an_empty_source_cell_is_shown_as_cleared_with_the_old_source_before_apply(
        world, client_for):
    response = _upload(client_for("owner"), world,
                       "unit,period,indicator,group,value,source\n"
                       "aranvale,2025,poverty-rate,total,11,\n")
    html = response.content.decode()
    assert response.status_code == 200 and "Changed: 1" in html
    table = _changes_table(html)
    assert "Source: survey → <strong>cleared</strong>" in table
    assert 'id="cleared-warning"' in html and "1 value loses stored text" in html
    assert _stored(world).source == "survey"  # nothing written by the preview


def test_the_preview_shows_a_changed_note_and_source_old_to_new(world, client_for):
    value = _stored(world)
    value.note = "weighted"
    value.save()
    html = _upload(client_for("owner"), world,
                   "unit,period,indicator,group,value,source,note\n"
                   "aranvale,2025,poverty-rate,total,11,census,unweighted\n").content.decode()
    table = _changes_table(html)
    assert "Source: survey → census" in table and "Note: weighted → unweighted" in table
    assert "cleared-warning" not in html


def test_a_file_without_a_source_column_keeps_the_stored_source(world, client_for):
    client = client_for("owner")
    html = _upload(client, world, "unit,period,indicator,group,value\n"
                                  "aranvale,2025,poverty-rate,total,9\n").content.decode()
    assert "Changed: 1" in html and "Source:" not in _changes_table(html)
    token = html.split('name="token" value="')[1].split('"')[0]
    client.post(f"/submissions/{world.draft.pk}/upload/apply/", {"token": token})
    value = _stored(world)
    assert value.value_number == 9 and value.source == "survey"


def test_the_preview_in_korean_names_the_cleared_source(world, client_for):
    client = client_for("owner")
    client.cookies["django_language"] = "ko"
    upload = SimpleUploadedFile("values.csv", b"unit,period,indicator,group,value,source\n"
                                b"aranvale,2025,poverty-rate,total,11,\n", content_type="text/csv")
    html = client.post(f"/submissions/{world.draft.pk}/upload/", {"file": upload},
                       HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "출처: survey → <strong>삭제됨</strong>" in html and "저장된 텍스트가 지워집니다" in html
