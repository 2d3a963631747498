from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "rightsmarker.web.results"
    label = "results"
    verbose_name = _("Results")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.core.signals import request_started

        from .jobs import resume_orphaned_runs

        # Runs of a process that is gone (a restart) are taken over on the first request.
        request_started.connect(resume_orphaned_runs, dispatch_uid="results-resume-orphaned-runs")
