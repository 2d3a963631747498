"""The entry app speaks Korean: a complete catalogue, compiled, used by the pages."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest

import rightsmarker.web.entry as entry

LOCALE = Path(entry.__file__).parent / "locale" / "ko" / "LC_MESSAGES"


def test_every_message_has_a_korean_translation():
    po = (LOCALE / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in po
    assert not re.search(r'^msgstr(\[0\])? ""\n\n', po[po.index("\n\n") + 2:] + "\n", re.M)
    catalogue = gettext.GNUTranslations((LOCALE / "django.mo").open("rb"))
    msgids = len(re.findall(r"^msgid ", po, re.M)) - 1  # the header is not a message
    assert len(catalogue._catalog) - 1 >= msgids  # the .mo is compiled from this .po


@pytest.mark.django_db
def test_the_entry_page_is_in_korean(world, client_for):
    html = client_for("owner").get(f"/submissions/{world.draft.pk}/entry/inclusion/",
                                   HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    for text in ("자료 입력", "임시 저장", "전체", "빈곤율", "성별: 여성"):
        assert text in html, text
