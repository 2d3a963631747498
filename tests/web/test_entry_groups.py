"""Data entry for grounds without a list of values: free ``ground=value`` rows."""

from __future__ import annotations

import pytest
from test_entry import _form, _key

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiny_framework_dict(tiny_framework_dict):
    """The tiny framework with employment disaggregated by income (a ground without values)."""
    for node in tiny_framework_dict["nodes"]:
        if node["code"] == "employment-rate":
            node["disaggregations"] = ["sex", "income"]
    return tiny_framework_dict


def test_a_ground_without_values_gets_a_free_row(world, client_for):
    html = client_for("owner").get(f"/submissions/{world.draft.pk}/entry/inclusion/").content
    html = html.decode()
    assert 'value="income="' in html and "-ground_value" in html


def test_a_free_row_saves_a_value_for_the_typed_group(world, client_for):
    from rightsmarker.web.reporting.models import Value

    client = client_for("owner")
    url = f"/submissions/{world.draft.pk}/entry/inclusion/"
    data = _form(client, url)
    k = _key(data, "employment-rate", "income=")
    data[k + "-ground_value"] = "lowest quintile"
    data[k + "-value"] = "41"
    assert client.post(url, data).status_code == 302
    v = Value.objects.get(submission=world.draft, indicator="employment-rate")
    assert v.group == "income=lowest quintile" and v.value_number == 41
    data = _form(client, url)
    assert _key(data, "employment-rate", "income=lowest quintile")  # now a row of its own
    assert _key(data, "employment-rate", "income=")  # and a new free row


def test_a_free_row_without_the_group_value_is_an_error(world, client_for):
    client = client_for("owner")
    url = f"/submissions/{world.draft.pk}/entry/inclusion/"
    data = _form(client, url)
    data[_key(data, "employment-rate", "income=") + "-value"] = "41"
    response = client.post(url, data)
    assert response.status_code == 400
    assert "no value given for ground" in response.content.decode()
