"""The Korean translation: every message translated, and the committed .mo matches the .po."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

import rightsmarker.web

LOCALE = Path(rightsmarker.web.__file__).parent / "locale" / "ko" / "LC_MESSAGES"


def _po_entries(path: Path) -> dict[str, str]:
    """msgid -> msgstr of a .po file (no plurals or contexts are used)."""
    entries, current, key = {}, {}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith(("msgid ", "msgstr ")):
            key, _, rest = line.partition(" ")
            current[key] = ast.literal_eval(rest)
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
        elif not line.strip() and current:
            entries[current["msgid"]] = current.get("msgstr", "")
            current, key = {}, None
    entries.pop("", None)
    return entries


def test_every_message_has_a_korean_translation():
    entries = _po_entries(LOCALE / "django.po")
    assert len(entries) > 150
    assert [m for m, t in entries.items() if not t] == []
    assert "#, fuzzy" not in (LOCALE / "django.po").read_text(encoding="utf-8")


def test_the_compiled_catalogue_matches_the_po_file():
    with open(LOCALE / "django.mo", "rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    stale = [m for m, t in _po_entries(LOCALE / "django.po").items()
             if catalogue.gettext(m) != t]
    assert stale == [], "run msgfmt -o django.mo django.po (or compilemessages)"
