"""The review page's blocks are cached, never stale, and each answer carries its reader's own
CSRF token (the cached HTML holds a placeholder)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(world):
    from django.core.cache import cache

    cache.clear()
    world.draft.status = "submitted"
    world.draft.save()
    return f"/submissions/{world.draft.pk}/review/"


def _row(html: str) -> str:
    return re.search(r'id="ind-poverty-rate".*?<tbody>.*?</tr>', html, re.S).group(0)


def test_the_blocks_are_built_once_while_nothing_changes(world, review, client_for,
                                                         monkeypatch):
    from rightsmarker.web.entry import review as review_module

    calls = []
    real = review_module.review_blocks
    monkeypatch.setattr(review_module, "review_blocks",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    client = client_for("reviewer")
    assert client.get(review).status_code == 200 and client.get(review).status_code == 200
    assert len(calls) == 1


def test_values_of_both_cycles_thresholds_and_comments_show_at_once(world, review, client_for):
    from rightsmarker.web.reporting.models import Comment, Value

    client = client_for("reviewer")
    assert "12.5" in _row(client.get(review).content.decode())  # previous
    past = Value.objects.get(submission=world.published, indicator="poverty-rate")
    past.value_number = 5.5
    past.save()
    row = _row(client.get(review).content.decode())
    assert "5.5" in row and "jump of 100%" in row
    assert "jump of" not in _row(client.get(review + "?jump_pct=500").content.decode())
    now = Value.objects.get(submission=world.draft, indicator="poverty-rate")
    now.value_number = 5.5
    now.save()
    assert "jump of" not in _row(client.get(review).content.decode())
    Comment.objects.create(submission=world.draft, indicator="poverty-rate",
                           author=world.users["admin"], text="Seen by the admin")
    assert "Seen by the admin" in client.get(review).content.decode()


def test_every_reader_posts_comments_with_their_own_csrf_token(world, review):
    from rightsmarker.web.reporting.models import Comment

    for persona in ("reviewer", "admin"):
        client = Client(enforce_csrf_checks=True)
        client.force_login(world.users[persona])
        html = client.get(review).content.decode()
        form = re.search(r'<form method="post" action="([^"]+)"[^>]*class="comment-form">'
                         r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">',
                         html)
        assert "\x00" not in html
        response = client.post(form.group(1), {"csrfmiddlewaretoken": form.group(2),
                                               "indicator": "poverty-rate",
                                               "text": f"from {persona}"})
        assert response.status_code == 302
    assert {c.text for c in Comment.objects.filter(submission=world.draft)} == {
        "from reviewer", "from admin"}


def test_a_group_value_of_the_previous_cycle_shows_at_once(world, review, client_for):
    from rightsmarker.web.reporting.models import Value

    for sub, number in ((world.published, 8.0), (world.draft, 9.0)):
        Value.objects.create(submission=sub, indicator="poverty-rate", group="sex=female",
                             value_number=number)
    client = client_for("reviewer")
    assert "jump of 125%" not in client.get(review).content.decode()
    past = Value.objects.get(submission=world.published, group="sex=female")
    past.value_number = 4.0  # not a total: only the previous submission's version sees it
    past.save()
    assert "jump of 125%" in client.get(review).content.decode()
