"""The API object: routers, the error envelope, the schema at /api/openapi.json and the docs.

Swagger UI at /api/docs is served from django-ninja's own static files (``ninja`` is in
INSTALLED_APPS), so the docs page works without any CDN.
"""

from __future__ import annotations

from ninja import NinjaAPI

from rightsmarker import __version__

from . import downloads, read, tokens, write  # noqa: F401  (they fill the router)
from .auth import anonymous
from .docs import LocalSwagger
from .errors import install_handlers
from .router import router

DESCRIPTION = """The rightsmarker API: frameworks, reporting cycles, submissions, values and
their audit history; writes of values and status moves; exports of approved data.

Authenticate with the browser session (writes need the `X-CSRFToken` header) or with
`Authorization: Bearer <token>`. Anonymous callers read published material only.
Every error has one form: `{"error": {"status", "code", "message", "details"}}`.
"""


class RightsmarkerAPI(NinjaAPI):
    """Short operation ids; reads say in the schema that they also work anonymously."""

    def get_openapi_operation_id(self, operation) -> str:
        return operation.view_func.__name__

    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        open_ids = {op.view_func.__name__ for r in (router, downloads.router)
                    for view in r.path_operations.values() for op in view.operations
                    if anonymous in op.auth_callbacks}
        for methods in schema["paths"].values():
            for operation in methods.values():
                if operation["operationId"] in open_ids:
                    operation.setdefault("security", []).append({})
        return schema

api = RightsmarkerAPI(title="rightsmarker API", version=__version__, description=DESCRIPTION,
               urls_namespace="api", docs=LocalSwagger())
install_handlers(api)
api.add_router("", router)
api.add_router("", downloads.router)
