"""URLs under ``/api/``: the operations, the schema and docs, and an enveloped 404 for the rest.

Every view is wrapped in :func:`.errors.enveloped`, so errors django-ninja answers itself (405)
also carry the one error envelope.
"""

from django.urls import path, re_path

from .docs import docs_asset
from .errors import enveloped, not_found
from .main import api

app_name = "api"
patterns, _app, _namespace = api.urls
for pattern in patterns:
    pattern.callback = enveloped(pattern.callback)

urlpatterns = [*patterns,
               path("docs/assets/<str:name>", enveloped(docs_asset), name="docs-asset"),
               re_path(r"^.*$", enveloped(not_found), name="not-found")]
