"""The groups app's Korean catalogue: complete, compiled, and used by its pages."""

from __future__ import annotations

import gettext
from pathlib import Path

import polib
import pytest

import rightsmarker.web.groups

LOCALE = Path(rightsmarker.web.groups.__file__).parent / "locale" / "ko" / "LC_MESSAGES"


def test_every_message_of_the_groups_app_has_a_korean_translation():
    po = polib.pofile(str(LOCALE / "django.po"))
    assert len(po) > 100
    assert po.untranslated_entries() == [] and po.fuzzy_entries() == []


def test_the_compiled_groups_catalogue_matches_the_po_file():
    with open(LOCALE / "django.mo", "rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    po = polib.pofile(str(LOCALE / "django.po"))
    def compiled(e):
        return catalogue.pgettext(e.msgctxt, e.msgid) if e.msgctxt else catalogue.gettext(e.msgid)

    stale = [e.msgid for e in po if not e.msgid_plural and compiled(e) != e.msgstr]
    assert stale == [], "run msgfmt -o django.mo django.po"


@pytest.mark.django_db
def test_the_gap_pages_speak_korean(world, client_for):
    client = client_for("owner")
    html = client.get("/groups/city/aranvale/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "아란베일에서 뒤처진 사람들" in html and "세분화 범위" in html
    html = client.get("/groups/jobs/new/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "새 발견 작업" in html
