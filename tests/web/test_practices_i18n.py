"""The practices app's Korean catalogue: complete, compiled, and used by its pages."""

from __future__ import annotations

import gettext
from pathlib import Path

import polib
import pytest
from practices_fixtures import _practice_index, practices_fixture  # noqa: F401  (fixtures)

import rightsmarker.web.practices

LOCALE = Path(rightsmarker.web.practices.__file__).parent / "locale" / "ko" / "LC_MESSAGES"


def test_every_message_of_the_practices_app_has_a_korean_translation():
    po = polib.pofile(str(LOCALE / "django.po"))
    assert len(po) > 100
    assert po.untranslated_entries() == [] and po.fuzzy_entries() == []


def test_the_compiled_practices_catalogue_matches_the_po_file():
    with open(LOCALE / "django.mo", "rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    po = polib.pofile(str(LOCALE / "django.po"))
    def compiled(e):
        return catalogue.pgettext(e.msgctxt, e.msgid) if e.msgctxt else catalogue.gettext(e.msgid)

    stale = [e.msgid for e in po if not e.msgid_plural and compiled(e) != e.msgstr]
    assert stale == []


@pytest.mark.django_db
def test_the_practice_pages_speak_korean(world, client_for, practices):
    client = client_for("owner")
    html = client.get("/practices/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "우수 사례" in html and "공무원 인권 교육" in html
    html = client.get(f"/practices/{practices.draft.pk}/edit/",
                      HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "태그 추천" in html and "사례 편집" in html


@pytest.mark.django_db
def test_themes_and_groups_are_shown_by_their_labels_in_the_page_language(world, client_for,
                                                                         practices):
    client = client_for("anonymous")
    url = f"/practices/{practices.rights.pk}/"
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<span title="migrants">Migrants</span>' in html
    assert '<span title="CUL">Cultural inclusion</span>' in html
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert '<span title="migrants">이주민</span>' in html
    page = client.get("/practices/", {"q": "공무원"}, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "· 문화 통합 · 이주민" in page and "· CUL · migrants" not in page
    assert '<option value="persons-with-disabilities">장애인</option>' in page
    data = client.get("/practices/search.json", {"q": "공무원"}).json()
    assert data["results"][0]["groups"] == "migrants"  # the data twin keeps the codes
