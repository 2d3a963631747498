"""An upload without a column never erases what is stored in it (the template has no text)."""

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
