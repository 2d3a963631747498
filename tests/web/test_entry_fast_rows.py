"""The theme page's rows rendered in Python (entry/fastrows.py) are byte-identical to the
Jinja2 template they replace (templates/entry/jinja/indicators.html), in English and Korean."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

AWKWARD = "a<b> & \"c\" 'd' %s {{x}}"


def _blocks(world, lang, *, awkward):
    from django.core.files.base import ContentFile

    from rightsmarker.web.entry.cells import CellError
    from rightsmarker.web.entry.pages import indicators_with_slots, themes
    from rightsmarker.web.entry.slots import theme_slots
    from rightsmarker.web.reporting.models import Comment, Value

    sub = world.draft
    fw = sub.cycle.framework_version.as_framework()
    if awkward:
        for code in fw.indicator_codes:
            node = fw.node(code)
            number = {"yes_no": 1.0, "stage": 0.0, "text": None}.get(node.value_type, 3.5)
            v = Value.objects.create(submission=sub, indicator=code, group="sex=female",
                                     value_number=number, value_text=AWKWARD, source=AWKWARD,
                                     note=AWKWARD, flag="x<y", evidence_url="https://e/?a=1&b=2")
            if node.value_type != "number":
                v.evidence_file.save("e.txt", ContentFile(b"evidence"), save=True)
        Value.objects.create(submission=sub, indicator=fw.indicator_codes[0],
                             group="income=lowest & <poorest>", value_number=1.0)
        Comment.objects.create(submission=sub, indicator=fw.indicator_codes[0],
                               author=world.users["reviewer"], text="Check <this>\nplease")
    comments = list(sub.comments.select_related("author"))
    stored = {(v.indicator, v.group): v for v in sub.values.order_by()}
    out = []
    for theme in themes(fw, lang):
        slots = theme_slots(fw, theme["code"], stored)
        if awkward:
            for i, s in enumerate(slots):
                if i % 3 == 0:
                    s.errors = [CellError("not a number", "a number", AWKWARD)]
                if i % 4 == 0:
                    s.conflict = {"message": AWKWARD}
                if s.node.value_type == "stage" and i % 2:
                    s.data["value"] = "no-such-stage<>"
                s.ground_value = AWKWARD
        out.append(indicators_with_slots(fw, slots, comments, lang))
    # the tiny framework has no text indicator: its first block shown as one too
    out[0].append({**out[0][0], "type": "text", "evidence": True, "unit": ""})
    return out


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("awkward", [False, True])
def test_the_python_rows_are_the_templates_html_byte_for_byte(world, lang, awkward):
    from django.utils import translation

    from rightsmarker.web.entry import rows
    from rightsmarker.web.entry.fastrows import render_indicators
    from rightsmarker.web.entry.pages import row_texts

    with translation.override(lang):
        blocks = _blocks(world, lang, awkward=awkward)
        types = {ind["type"] for b in blocks for ind in b}
        assert {"yes_no", "stage", "text"} <= types  # every branch of the row is compared
        for indicators in blocks:
            for editable in (True, False):
                for show_history in (True, False):
                    context = {"indicators": indicators, "t": row_texts(),
                               "validate_url": "/v?a=1&b=<2>", "history_url": "/h/'x'/",
                               "submission_pk": world.draft.pk, "editable": editable,
                               "show_history": show_history, "evidence_types": ".pdf,.png&"}
                    expected = str(rows.render("indicators.html", **context))
                    got = str(render_indicators(**{k: v for k, v in context.items()}))
                    assert got == expected


def test_the_python_rows_escape_what_people_typed(world):
    from rightsmarker.web.entry.fastrows import render_indicators
    from rightsmarker.web.entry.pages import row_texts

    indicators = _blocks(world, "en", awkward=True)[0]
    html = render_indicators(indicators, t=row_texts(), validate_url="/v", history_url="/h",
                             submission_pk=world.draft.pk, editable=True, show_history=True,
                             evidence_types=".pdf")
    assert AWKWARD not in html
    assert "a&lt;b&gt; &amp; &#34;c&#34; &#39;d&#39;" in html
