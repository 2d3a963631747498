"""The project-level app: templates, static files, translations and system checks."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "rightsmarker.web"
    label = "rightsmarker_web"
    verbose_name = "rightsmarker"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
