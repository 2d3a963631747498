"""The Korean translation: every message translated, and the committed .mo matches the .po."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

import rightsmarker.web

LOCALE = Path(rightsmarker.web.__file__).parent / "locale" / "ko" / "LC_MESSAGES"


def _po_entries(path: Path) -> dict[str, str]:
    """msgid -> msgstr of a .po file (no plurals are used); a message with a context is keyed as
    gettext keys it, ``context + "\x04" + msgid``."""
    entries, current, key = {}, {}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith(("msgctxt ", "msgid ", "msgstr ")):
            key, _, rest = line.partition(" ")
            current[key] = ast.literal_eval(rest)
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
        elif not line.strip() and current:
            msgid = current["msgid"]
            if "msgctxt" in current:
                msgid = current["msgctxt"] + "\x04" + msgid
            entries[msgid] = current.get("msgstr", "")
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


def test_a_message_in_several_app_catalogues_is_translated_the_same_everywhere():
    # Django merges the catalogues and the first app listed wins, so two Korean words for one
    # English message would leave one of them dead and make pages that read both disagree (the
    # dashboard colours did). A word that needs another translation somewhere takes a context.
    web = Path(rightsmarker.web.__file__).parent
    catalogues = sorted(web.glob("**/locale/ko/LC_MESSAGES/django.po"))
    assert len(catalogues) >= 5
    seen: dict[str, dict[str, str]] = {}
    for po in catalogues:
        for msgid, msgstr in _po_entries(po).items():
            seen.setdefault(msgid, {})[str(po.relative_to(LOCALE.parents[3]))] = msgstr
    differing = {m: t for m, t in seen.items() if len(set(t.values())) > 1}
    assert differing == {}


def test_the_dashboard_colours_have_one_korean_name_in_pages_and_charts():
    from rightsmarker.charts._common import text

    po = {}
    for app in ("entry", "results"):
        po.update(_po_entries(LOCALE.parents[2] / app / "locale/ko/LC_MESSAGES/django.po"))
    for colour in ("green", "yellow", "orange", "red"):
        assert po[colour] == text(f"colour_{colour}", "ko"), colour


def _source_messages():
    """(message, context, file) of every literal string marked for translation in the web
    app: ``{% translate "..." %}`` (with ``context``) in templates, ``_("...")``,
    ``gettext(...)``, ``gettext_lazy(...)``, ``gettext_noop(...)`` and ``pgettext(...)`` in
    Python, and ``{% blocktranslate %}`` blocks without plurals (``{{ x }}`` read as ``%(x)s``,
    as Django does)."""
    import re

    block = re.compile(r"\{%\s*blocktrans(?:late)?\b([^%]*)%\}(.*?)"
                       r"\{%\s*endblocktrans(?:late)?\s*%\}", re.S)

    template = re.compile(r"""\{%\s*(?:translate|trans)\s+(["'])(.+?)\1"""
                          r"""(?:\s+context\s+(["'])(.+?)\3)?""")
    python = re.compile(r"""\b(?:_|gettext|gettext_lazy|gettext_noop)\(\s*"""
                        r"""(["'])((?:(?!\1).)+)\1\s*\)""")
    contextual = re.compile(r"""\bpgettext(?:_lazy)?\(\s*(["'])(.+?)\1\s*,\s*(["'])(.+?)\3\s*\)""")
    web = Path(rightsmarker.web.__file__).parent
    for path in sorted(web.rglob("*")):
        if path.suffix not in (".html", ".py") or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".html":  # Django looks a template's message up with % doubled
            for m in template.finditer(text):
                yield m.group(2).replace("%", "%%"), m.group(4), path
            for m in block.finditer(text):
                options, body = m.group(1), m.group(2)
                if re.search(r"\{%\s*plural\s*%\}", body):
                    continue
                if "trimmed" in options.split():
                    body = " ".join(line.strip() for line in body.splitlines() if line.strip())
                context = re.search(r"""context\s+(["'])(.+?)\1""", options)
                yield (re.sub(r"\{\{\s*(\w+)\s*\}\}", r"%(\1)s", body.replace("%", "%%")),
                       context and context.group(2), path)
        else:
            for m in python.finditer(text):
                if "\\" not in m.group(2):
                    yield m.group(2), None, path
            for m in contextual.finditer(text):
                yield m.group(4), m.group(2), path


def test_every_message_marked_in_the_web_app_has_a_korean_translation():
    import re

    from django.utils.translation import trans_real

    catalogue = trans_real.translation("ko")._catalog
    web = Path(rightsmarker.web.__file__).parent
    messages = list(_source_messages())
    assert len(messages) > 500
    missing = sorted({(str(path.relative_to(web)), msg) for msg, context, path in messages
                      if re.search("[A-Za-z]", msg)
                      and catalogue.get(f"{context}\x04{msg}" if context else msg) is None})
    assert missing == []


def test_history_reads_the_same_korean_word_as_our_pages_not_the_django_admin_one():
    from django.utils import translation

    with translation.override("ko"):
        assert translation.gettext("History") == "이력"
