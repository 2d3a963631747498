"""The practices app (issue 7): city editors draft good practices, the secretariat publishes."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "rightsmarker.web.practices"
    label = "practices"
    verbose_name = _("Good practices")

    def ready(self):
        from django.core.signals import request_started

        from .seed import seed_on_first_request

        # Demo mode: the demo's practice drafts are added once, after `serve --demo` seeded.
        request_started.connect(seed_on_first_request, dispatch_uid="practices-demo-seed")
