"""Forms: upload a microdata file or choose a database table, choose the discovery settings
(with an optional wave column and two waves), map and promote a group."""

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


class TableForm(forms.Form):
    """A configured database table (see :mod:`.tables`) instead of an upload."""

    table = forms.ChoiceField(label=_("Database table"))
    city = forms.ModelChoiceField(queryset=None, required=False, label=_("City"),
                                  empty_label=_("(no city)"), to_field_name="code",
                                  help_text=_("The city's members will see the job."))

    def __init__(self, *args, user=None, tables=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["table"].choices = [(name, label) for name, label in tables]
        self.fields["city"].queryset = job_cities(user)


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
    wave = forms.ChoiceField(label=_("Wave or period column"), required=False,
                             help_text=_("Optional: compare two waves and report the groups "
                                         "newly or increasingly worse off."))
    wave_1 = forms.CharField(label=_("First wave"), required=False, max_length=200)
    wave_2 = forms.CharField(label=_("Second wave"), required=False, max_length=200)

    def __init__(self, *args, columns=(), **kwargs):
        super().__init__(*args, **kwargs)
        names = [(c["name"], c["name"]) for c in columns]
        numeric = [(c["name"], c["name"]) for c in columns if c["kind"] == "numeric"]
        self.fields["outcome"].choices = names
        self.fields["attributes"].choices = names
        self.fields["weight"].choices = [("", _("(none: every row counts once)"))] + numeric
        self.fields["wave"].choices = [("", _("(none: one analysis of all rows)"))] + names
        self.hints = {c["name"]: c.get("values", []) for c in columns}
        self.kinds = {c["name"]: c.get("kind") for c in columns}

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
        self._clean_positive(data, outcome)
        self._clean_waves(data, outcome, weight, attributes)
        return data

    def _clean_positive(self, data, outcome) -> None:
        """A text outcome needs its worse value; a numeric outcome takes a number only."""
        positive = (data.get("positive") or "").strip()
        kind, values = self.kinds.get(outcome), self.hints.get(outcome) or []
        found = ", ".join(values)
        if kind == "text" and not positive:
            message = (_("The outcome %(column)s is not numeric: choose which of its values is "
                         "worse (values found: %(values)s).") if values else
                       _("The outcome %(column)s is not numeric: name the value that is worse."))
        elif kind == "numeric" and positive and not _is_number(positive):
            message = (_("The outcome %(column)s is numeric: the worse value must be one of "
                         "its values (%(values)s), or leave it empty.") if values else
                       _("The outcome %(column)s is numeric: the worse value must be a number, "
                         "or leave it empty."))
        else:
            return
        self.add_error("positive", message % {"column": outcome, "values": found})

    def _clean_waves(self, data, outcome, weight, attributes) -> None:
        wave = data.get("wave")
        first, second = (data.get("wave_1") or "").strip(), (data.get("wave_2") or "").strip()
        data["wave_1"], data["wave_2"] = first, second
        if not wave:
            if first or second:
                self.add_error("wave", _("Choose the wave column of the two waves."))
            return
        if wave == outcome or wave == weight or wave in attributes:
            self.add_error("wave", _("The wave column must be a column of its own."))
        if not first or not second:
            self.add_error("wave_2", _("Name the two waves to compare."))
        elif first == second:
            self.add_error("wave_2", _("The two waves must differ."))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


class PromoteForm(forms.Form):
    """A flagged group of a job, and (optionally) the user's mapping of each of its
    ``attribute=value`` pairs to a ground and a value: ``ground_0``, ``value_0``, ... (the
    proposed mapping stands for a pair not given)."""

    definition = forms.CharField(max_length=200, label=_("Group"))
    label = forms.CharField(max_length=200, required=False, label=_("Label"))
    city = forms.CharField(max_length=64, required=False, label=_("City"))

    def clean_definition(self):
        text = self.cleaned_data["definition"].strip()
        if not DEFINITION.match(canonical(text)):
            raise ValidationError(_("Write the group as ground=value, joined by ';'."))
        return text

    def choices(self, proposed) -> list[tuple[str, str]]:
        """Per pair of the definition: the (ground, value) posted, else the proposed one."""
        out = []
        for i, pair in enumerate(proposed.pairs):
            ground = self.data.get(f"ground_{i}")
            value = self.data.get(f"value_{i}")
            out.append((pair.ground or "" if ground is None else str(ground)[:100],
                        pair.ground_value or "" if value is None else str(value)[:100]))
        return out


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
