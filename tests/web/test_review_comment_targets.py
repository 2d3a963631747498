"""Comment forms swap their comment list with htmx: every ``hx-target`` must be a CSS selector
that finds that list, also for indicator codes with dots (``SPA.1.P1``: ``#comments-SPA.1.P1``
would read ``.1`` and ``.P1`` as classes and find nothing, so the comment was never sent)."""

from __future__ import annotations

import re
from html import unescape

import pytest

pytestmark = pytest.mark.django_db

DOTTED = "EMP.1.P1"
# A CSS id selector without escapes: '#' and an identifier (no dots, no colons).
ID_SELECTOR = re.compile(r"#(-?[A-Za-z_][A-Za-z0-9_-]*)")
# An attribute selector on the id: [id='...'] (codes hold no quotes).
ATTRIBUTE_SELECTOR = re.compile(r"\[id='([^'\\]+)'\]")


@pytest.fixture
def tiny_framework_dict(tiny_framework_dict):
    """The tiny framework with a dotted indicator code, as the demo framework's codes are."""
    for node in tiny_framework_dict["nodes"]:
        if node["code"] == "employment-rate":
            node["code"] = DOTTED
    return tiny_framework_dict


def resolved_targets(html: str) -> dict[str, str]:
    """Every ``hx-target`` of the page -> the id it finds; fails on a selector that finds
    nothing, finds an id that is not on the page, or is not one of the two safe forms."""
    ids = {unescape(i) for i in re.findall(r'\sid="([^"]*)"', html)}
    found = {}
    for raw in re.findall(r'\shx-target="([^"]*)"', html):
        selector = unescape(raw)
        match = ID_SELECTOR.fullmatch(selector) or ATTRIBUTE_SELECTOR.fullmatch(selector)
        assert match, f"hx-target {selector!r} is not a plain id or [id='...'] selector"
        assert match.group(1) in ids, f"hx-target {selector!r} finds no element of the page"
        found[selector] = match.group(1)
    return found


def test_every_comment_form_targets_its_list_also_for_a_dotted_code(world, client_for):
    world.draft.status = "submitted"
    world.draft.save()
    html = client_for("reviewer").get(f"/submissions/{world.draft.pk}/review/").content.decode()
    assert f'id="comments-{DOTTED}"' in html
    targets = set(resolved_targets(html).values())
    assert {f"comments-{DOTTED}", "comments-poverty-rate", "comments-general"} <= targets


def test_a_comment_on_a_dotted_code_comes_back_as_the_list_the_form_targets(world, client_for):
    world.draft.status = "submitted"
    world.draft.save()
    client = client_for("reviewer")
    response = client.post(f"/submissions/{world.draft.pk}/comments/",
                           {"indicator": DOTTED, "text": "Which survey?"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'<ul class="comments" id="comments-{DOTTED}">' in response.content.decode()
    html = client.get(f"/submissions/{world.draft.pk}/review/").content.decode()
    block = html[html.index(f'id="ind-{DOTTED}"'):]
    assert "Which survey?" in block[:block.index("</section>")]
