"""A save refused for errors lists every value to fix with a link to its row, so a long page's
errors are one click away from the message."""

from __future__ import annotations

import re

import pytest
from test_entry import _form, _key

pytestmark = pytest.mark.django_db


def _problems(html: str) -> str:
    return html[html.index('<section aria-labelledby="problems-heading"'):].split("</section>")[0]


def test_a_refused_save_links_every_value_with_errors_to_its_row(world, client_for):
    client = client_for("owner")
    url = f"/submissions/{world.draft.pk}/entry/inclusion/"
    data = _form(client, url)
    employment, women = _key(data, "employment-rate"), _key(data, "poverty-rate", "sex=female")
    data[employment + "-value"] = "120"
    data[women + "-value"] = "lots"
    data[_key(data, "poverty-rate") + "-value"] = "9"  # fine, but nothing is saved
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 400 and "2 value(s) with errors" in html
    problems = _problems(html)
    assert "2 values to fix" in problems
    links = re.findall(r'<a href="#(s\d+-row)">(.*?)</a>', problems)
    # in page order (poverty before employment)
    assert [target for target, _text in links] == [f"{women}-row", f"{employment}-row"]
    assert all(f'<tr id="{target}"' in html for target, _text in links)
    assert "Poverty rate · Sex: female" in links[0][1] and "Employment rate · Total" in links[1][1]
    assert "found “lots”" in problems


def test_a_saved_page_has_no_list_of_values_to_fix(world, client_for):
    client = client_for("owner")
    url = f"/submissions/{world.draft.pk}/entry/inclusion/"
    html = client.get(url).content.decode()
    assert "problems-heading" not in html


def test_the_list_of_values_to_fix_speaks_korean(world, client_for):
    client = client_for("owner")
    url = f"/submissions/{world.draft.pk}/entry/inclusion/"
    data = _form(client, url)
    data[_key(data, "employment-rate") + "-value"] = "120"
    html = client.post(url, data, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "고쳐야 할 값 1개" in _problems(html) and "고용률 · 전체" in _problems(html)
