"""Forms: upload a microdata file, choose the discovery settings, promote a group."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .access import job_cities
from .uploads import check_upload

MAX_ATTRIBUTES = 12
DEFINITION = re.compile(r"^[^=;]+=[^=;]+(;[^=;]+=[^=;]+)*$")


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Microdata file (CSV or Parquet)"))
    city = forms.ModelChoiceField(queryset=None, required=False, label=_("City"),
                                  empty_label=_("(no city)"),
                                  to_field_name="code",
                                  help_text=_("The city's members will see the job."))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = job_cities(user)

    def clean_file(self):
        file = self.cleaned_data["file"]
        self.suffix = check_upload(file)
        return file


class SettingsForm(forms.Form):
    """Outcome, worse value, attributes, weight and search settings, from the file's columns."""

    outcome = forms.ChoiceField(label=_("Outcome"))
    positive = forms.CharField(label=_("Worse value"), required=False, max_length=200,
                               help_text=_("The value of the outcome that counts as worse off "
                                           "(leave empty for a numeric or 0/1 outcome)."))
    attributes = forms.MultipleChoiceField(label=_("Attributes"),
                                           widget=forms.CheckboxSelectMultiple)
    lower_is_worse = forms.BooleanField(label=_("Lower values are worse"), required=False,
                                        help_text=_("For a numeric outcome such as a wage."))
    weight = forms.ChoiceField(label=_("Weight"), required=False)
    max_depth = forms.IntegerField(label=_("Maximum depth"), min_value=1, max_value=4,
                                   initial=3)
    min_size = forms.IntegerField(label=_("Minimum group size"), min_value=10,
                                  max_value=10_000_000, initial=30,
                                  help_text=_("No group with fewer persons is ever shown."))
    alpha = forms.FloatField(label=_("Alpha (false discovery rate)"), min_value=0.0001,
                             max_value=0.5, initial=0.05)

    def __init__(self, *args, columns=(), **kwargs):
        super().__init__(*args, **kwargs)
        names = [(c["name"], c["name"]) for c in columns]
        numeric = [(c["name"], c["name"]) for c in columns if c["kind"] == "numeric"]
        self.fields["outcome"].choices = names
        self.fields["attributes"].choices = names
        self.fields["weight"].choices = [("", _("(none: every row counts once)"))] + numeric
        self.hints = {c["name"]: c.get("values", []) for c in columns}

    def clean(self):
        data = super().clean()
        outcome, weight = data.get("outcome"), data.get("weight")
        attributes = data.get("attributes") or []
        if outcome and outcome in attributes:
            self.add_error("attributes", _("The outcome cannot also be an attribute."))
        if weight and (weight == outcome or weight in attributes):
            self.add_error("weight", _("The weight must be a column of its own."))
        if len(attributes) > MAX_ATTRIBUTES:
            self.add_error("attributes", _("Choose at most %(n)s attributes.")
                           % {"n": MAX_ATTRIBUTES})
        return data


class PromoteForm(forms.Form):
    definition = forms.CharField(max_length=200, label=_("Group"))
    label = forms.CharField(max_length=200, required=False, label=_("Label"))
    city = forms.CharField(max_length=64, required=False, label=_("City"))

    def clean_definition(self):
        text = canonical(self.cleaned_data["definition"])
        if not DEFINITION.match(text):
            raise ValidationError(_("Write the group as ground=value, joined by ';'."))
        return text


def canonical(definition: str) -> str:
    """A discovered definition as a canonical group: parts sorted by ground, grounds in lower
    case with spaces as '-', values in lower case with single spaces
    (``sex=Female;age=<28`` -> ``age=<28;sex=female``).
    """
    parts = []
    for part in str(definition).split(";"):
        ground, _sep, value = part.partition("=")
        ground = "-".join(ground.strip().lower().split())
        value = " ".join(value.strip().lower().split())
        parts.append(f"{ground}={value}" if _sep else ground)
    return ";".join(sorted(p for p in parts if p))
