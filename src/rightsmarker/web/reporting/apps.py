from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "rightsmarker.web.reporting"
    label = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        from . import audit  # noqa: F401  (connects the delete signal)
