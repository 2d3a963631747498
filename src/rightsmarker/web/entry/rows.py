"""The long parts of the entry and review pages (a block per indicator, a row per value),
rendered with Jinja2 instead of Django's template engine.

A theme page has ~100 rows of ~40 fields each and a review page ~60 blocks: Django's engine
spends ~2 µs on every variable, tag and ``{% include %}``, Jinja2 compiles each template to
Python once and renders the same rows ~10 times faster. The templates are in
``templates/entry/jinja/``; they translate with Django's active language (``_()``, the same
messages as the Django templates) and use Django's own ``date``, ``linebreaksbr`` and
``urlencode`` filters, so the HTML is the same. The result is safe HTML for a Django template.
A missing name is an error (``StrictUndefined``), not an empty string; templates are read again
when they change only in debug mode.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings
from django.template import defaultfilters
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

TEMPLATES = Path(__file__).resolve().parent / "templates"


@cache
def environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True,
                      extensions=["jinja2.ext.i18n"], undefined=StrictUndefined,
                      auto_reload=settings.DEBUG, keep_trailing_newline=True)
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    env.filters.update(date=defaultfilters.date, urlencode=defaultfilters.urlencode,
                       linebreaksbr=defaultfilters.linebreaksbr)
    env.globals["url"] = lambda name, *args: reverse(name, args=args)
    return env


def render(name: str, **context) -> str:
    """``templates/entry/jinja/<name>`` rendered with ``context``, as safe HTML."""
    return mark_safe(environment().get_template(f"entry/jinja/{name}").render(**context))  # noqa: S308
