"""The entry app: forms per theme, uploads with a preview, review and per-value history."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EntryConfig(AppConfig):
    name = "rightsmarker.web.entry"
    label = "entry"
    verbose_name = _("Data entry and review")
