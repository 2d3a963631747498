"""The /api/docs page: Swagger UI from django-ninja's packaged assets, served by this app.

No CDN and no change to INSTALLED_APPS: :func:`docs_asset` serves the few files the page needs
straight from django-ninja's package folder (a fixed list of names).
"""

from __future__ import annotations

import json
import mimetypes
from pathlib import Path

import ninja
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from ninja.openapi.docs import DocsBase

ASSET_DIR = Path(ninja.__file__).resolve().parent / "static" / "ninja"
ASSETS = {"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-init.js", "favicon.svg",
          "favicon.png"}


class LocalSwagger(DocsBase):
    """Swagger UI whose scripts and styles come from this server."""

    def render_page(self, request, api, **kwargs):
        settings = {"url": self.get_openapi_url(api, kwargs), "layout": "BaseLayout",
                    "deepLinking": True}
        context = {"swagger_settings": json.dumps(settings), "api": api,
                   "openapi_url": settings["url"]}
        return render(request, "api/docs.html", context)


def docs_asset(request, name: str):
    """One of :data:`ASSETS` (404 for anything else), cached for a day."""
    if name not in ASSETS or not (ASSET_DIR / name).is_file():
        raise Http404
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse((ASSET_DIR / name).open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response


def asset_url(name: str) -> str:
    return reverse("api:docs-asset", args=[name])
