"""The practice editor form: a flat form that maps to and from the library's record.

Lists are typed one per line (partners, evidence links) or separated by ``;`` or commas (codes).
The form checks every field the library checks (:func:`rightsmarker.practices.validate_practice`,
:func:`~rightsmarker.practices.model.check_codes`) at once and says what is wrong in plain words
next to each field (:mod:`.form_checks`); the library checks the record again on save, and any
problem it still finds is shown on the form too.
"""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

LANGS = ("en", "ko")
TEXTS = ("title", "summary", "description", "results")
CODE_LISTS = ("themes", "groups", "sdg_targets", "rights")
PICKED = ("sub_themes", "indicators")  # chosen from the city's framework


def split_codes(text: str) -> list[str]:
    return [c.strip() for c in re.split(r"[;,\n]", text or "") if c.strip()]


def split_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class PracticeForm(forms.Form):
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    title_ko = forms.CharField(label=_("Title (Korean)"), max_length=300, required=False)
    summary_en = forms.CharField(label=_("Summary (English)"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    summary_ko = forms.CharField(label=_("Summary (Korean)"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    description_en = forms.CharField(label=_("Description (English)"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 5}))
    description_ko = forms.CharField(label=_("Description (Korean)"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 5}))
    themes = forms.CharField(label=_("Themes"), required=False,
                             help_text=_("Codes separated by ';', e.g. SPA; SOC"))
    sub_themes = forms.MultipleChoiceField(
        label=_("Sub-themes"), required=False, widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("From the framework of the city's current reporting cycle"))
    indicators = forms.MultipleChoiceField(
        label=_("Indicators"), required=False, widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("The indicators this practice means to improve"))
    groups = forms.CharField(label=_("Groups"), required=False,
                             help_text=_("e.g. women; persons-with-disabilities"))
    sdg_targets = forms.CharField(label=_("SDG targets"), required=False,
                                  help_text=_("e.g. 11; 11.2"))
    rights = forms.CharField(label=_("Human rights"), required=False,
                             help_text=_("e.g. CRPD 9; ICESCR 11"))
    period_start = forms.IntegerField(label=_("From (year)"), required=False)
    period_end = forms.IntegerField(label=_("To (year)"), required=False)
    budget_amount = forms.DecimalField(label=_("Budget"), required=False, min_value=0)
    budget_currency = forms.CharField(label=_("Currency"), max_length=3, required=False,
                                      help_text=_("ISO 4217, e.g. KRW"))
    partners = forms.CharField(label=_("Partners"), required=False,
                               widget=forms.Textarea(attrs={"rows": 2}),
                               help_text=_("One per line"))
    results_en = forms.CharField(label=_("Results (English)"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    results_ko = forms.CharField(label=_("Results (Korean)"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(label=_("Evidence links"), required=False,
                               widget=forms.Textarea(attrs={"rows": 2}),
                               help_text=_("One http(s) link per line"))
    evidence_file = forms.FileField(label=_("Evidence file"), required=False,
                                    help_text=_("PDF, office documents, CSV, text or images; "
                                                "at most 20 MB"))
    contact_name = forms.CharField(label=_("Contact name"), max_length=200, required=False)
    contact_email = forms.CharField(label=_("Contact e-mail"), max_length=200, required=False)
    contact_organisation = forms.CharField(label=_("Contact organisation"), max_length=200,
                                           required=False)
    language = forms.ChoiceField(label=_("Written in"), choices=[("en", _("English")),
                                                                   ("ko", _("Korean"))])
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, framework=None, stored: dict | None = None, known=None,
                 **kwargs):
        """``framework``: the city's current framework, whose sub-themes and indicators are
        offered (``codes.city_framework``); ``stored``: the record's data, whose codes stay
        selectable even when that framework lacks them; ``known``: the theme and group codes
        accepted (``codes.known_codes``; the bundled framework's when not given)."""
        super().__init__(*args, **kwargs)
        self.known = known
        if framework is None:
            from .codes import city_framework

            framework = city_framework(None)
        from .codes import code_choices

        for field in PICKED:
            self.fields[field].choices = code_choices(framework, field,
                                                      (stored or {}).get(field) or [])

    def clean(self):
        from .form_checks import check_form

        data = super().clean()
        for field, message in check_form(data, self.known):
            if field not in self.errors:
                self.add_error(field, message)
        return data

    def to_data(self, base: dict | None = None) -> dict:
        """The practice fields from the cleaned form over ``base`` (fields not on the form)."""
        c = self.cleaned_data
        data = dict(base or {})
        for field in TEXTS:
            data[field] = {lang: c.get(f"{field}_{lang}", "") for lang in LANGS
                           if c.get(f"{field}_{lang}")}
        for field in CODE_LISTS:
            data[field] = split_codes(c.get(field, ""))
        for field in PICKED:
            data[field] = list(c.get(field) or [])
        data["partners"] = split_lines(c.get("partners", ""))
        start, end = c.get("period_start"), c.get("period_end")
        data["period"] = {"start": start, "end": end} if start else None
        amount, currency = c.get("budget_amount"), (c.get("budget_currency") or "").upper()
        data["budget"] = ({"amount": float(amount), "currency": currency}
                          if amount is not None else None)
        kept_files = [e for e in data.get("evidence", []) if e.get("kind") == "file"]
        data["evidence"] = kept_files + [{"kind": "link", "url": url}
                                         for url in split_lines(c.get("evidence", ""))]
        contact = {k: c.get(f"contact_{k}", "") for k in ("name", "email", "organisation")}
        data["contact"] = contact if any(contact.values()) else None
        data["language"] = c.get("language") or "en"
        return data


def initial_from(data: dict, version: int | None = None) -> dict:
    """Form values of a stored practice."""
    out = {f"{field}_{lang}": (data.get(field) or {}).get(lang, "")
           for field in TEXTS for lang in LANGS}
    for field in CODE_LISTS:
        out[field] = "; ".join(data.get(field) or [])
    for field in PICKED:
        out[field] = list(data.get(field) or [])
    out["partners"] = "\n".join(data.get("partners") or [])
    period = data.get("period") or {}
    out.update(period_start=period.get("start"), period_end=period.get("end"))
    budget = data.get("budget") or {}
    out.update(budget_amount=budget.get("amount"), budget_currency=budget.get("currency", ""))
    out["evidence"] = "\n".join(e["url"] for e in data.get("evidence") or []
                                if e.get("kind") == "link")
    contact = data.get("contact") or {}
    out.update({f"contact_{k}": contact.get(k, "") for k in ("name", "email", "organisation")})
    out["language"] = data.get("language", "en")
    out["version"] = version
    return out


class MoveForm(forms.Form):
    target = forms.ChoiceField(choices=[("submitted", "submitted"), ("published", "published"),
                                        ("draft", "draft")])
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or JSON file"))
