"""The theme page's rows and completeness are cached, never stale: a save, a value written
elsewhere, a comment, a status change or another language make new keys."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(world, client_for):
    from django.core.cache import cache

    cache.clear()
    client = client_for("owner")
    url = f"/submissions/{world.draft.pk}/entry/inclusion/"
    return lambda: client.get(url).content.decode()


def _poverty_value(html: str) -> str:
    key = re.search(r'name="(s\d+)-indicator" value="poverty-rate"', html).group(1)
    return re.search(rf'name="{key}-value" value="([^"]*)"', html).group(1)


def test_the_rows_are_built_once_while_nothing_changes(world, page, monkeypatch):
    from rightsmarker.web.entry import views

    calls = []
    real = views.indicators_with_slots
    monkeypatch.setattr(views, "indicators_with_slots", lambda *a: calls.append(1) or real(*a))
    first, second = page(), page()
    strip = re.compile(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"')
    assert strip.sub("", first) == strip.sub("", second)
    assert len(calls) == 1


def test_a_value_saved_elsewhere_shows_at_once(world, page):
    from rightsmarker.web.reporting.models import Value

    assert _poverty_value(page()) == "11"
    v = Value.objects.get(submission=world.draft, indicator="poverty-rate", group="total")
    v.value_number = 9.25  # an audited save (as the API, the upload and the admin do)
    v.save()
    assert _poverty_value(page()) == "9.25"
    Value.objects.create(submission=world.draft, indicator="poverty-rate", group="sex=female",
                         value_number=7.0)
    assert 'value="sex=female"' in page() and "history" in page()
    v.delete()
    assert _poverty_value(page()) == ""


def test_comments_status_and_language_show_at_once(world, page, client_for):
    from rightsmarker.web.reporting.models import Comment

    assert "Check the source please" not in page()
    Comment.objects.create(submission=world.draft, indicator="poverty-rate",
                           author=world.users["reviewer"], text="Check the source please")
    assert "Check the source please" in page()
    assert "hx-post=" in page()
    world.draft.status = "submitted"
    world.draft.save()
    html = page()
    assert "hx-post=" not in html and "Check the source please" in html
    korean = client_for("owner").get(f"/submissions/{world.draft.pk}/entry/inclusion/",
                                     HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "출처" in korean  # 'Source' in the rows, not the English page from the cache
