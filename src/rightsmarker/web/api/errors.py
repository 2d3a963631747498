"""One error envelope for every API error, built by :func:`error_response`.

    {"error": {"status": 404, "code": "not_found", "message": "...", "details": [...]}}

``details`` is always a list (empty when there is nothing more to say); for a validation error
each item is ``{"loc": [...], "message": "...", "type": "..."}``. The exception handlers of the
API (:func:`install_handlers`) and :func:`enveloped` (a guard around every API view, for the
responses django-ninja builds itself, such as 405) all go through :func:`error_response`.
"""

from __future__ import annotations

import json
import logging
from functools import wraps

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, JsonResponse
from ninja.errors import AuthenticationError, HttpError, ValidationError

from ..reporting.audit import StaleVersionError
from ..reporting.transitions import TransitionRefused

log = logging.getLogger(__name__)

CODES = {
    400: "invalid_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "request_too_large",
    422: "validation_error", 429: "too_many_requests", 500: "server_error",
}
MESSAGES = {
    400: "The request could not be read.",
    401: "Sign in, or send a valid token as 'Authorization: Bearer <token>'.",
    403: "You may not do this.",
    404: "There is no such object, or no such address in the API.",
    405: "This method is not allowed here.",
    409: "The request conflicts with the current state of the object.",
    413: "The request body is too large.",
    422: "The request does not match the expected form.",
    500: "Something went wrong on the server; the error has been logged.",
}


class ApiError(Exception):
    """An error with a status, a machine-readable code, a message and details."""

    def __init__(self, status: int, message: str | None = None, *, code: str | None = None,
                 details: list | None = None):
        self.status = status
        self.code = code or CODES.get(status, "error")
        self.message = message or MESSAGES.get(status, "Error.")
        self.details = details or []
        super().__init__(self.message)


def envelope(status: int, code: str | None = None, message: str | None = None,
             details: list | None = None) -> dict:
    return {"error": {"status": status, "code": code or CODES.get(status, "error"),
                      "message": message or MESSAGES.get(status, "Error."),
                      "details": list(details or [])}}


def error_response(status: int, code: str | None = None, message: str | None = None,
                   details: list | None = None, headers: dict | None = None) -> JsonResponse:
    """The one place an API error response is built."""
    response = JsonResponse(envelope(status, code, message, details), status=status,
                            json_dumps_params={"ensure_ascii": False})
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def validation_details(errors: list[dict]) -> list[dict]:
    """django-ninja / pydantic errors as ``{loc, message, type}`` items (JSON-safe)."""
    out = []
    for e in errors:
        loc = [p if isinstance(p, (str, int)) else str(p) for p in e.get("loc", ())]
        out.append({"loc": loc, "message": str(e.get("msg", "")), "type": str(e.get("type", ""))})
    return out


def _body_unreadable(errors: list[dict]) -> bool:
    return any(e.get("type") == "json_invalid" or "Cannot parse" in str(e.get("msg", ""))
               for e in errors)


def _on_validation(request, exc: ValidationError):
    if _body_unreadable(exc.errors):
        return error_response(400, message="The request body is not valid JSON.",
                              details=validation_details(exc.errors))
    return error_response(422, details=validation_details(exc.errors))


def _on_http_error(request, exc: HttpError):
    if exc.status_code == 401 or isinstance(exc, AuthenticationError):
        message = exc.message if exc.message != "Unauthorized" else None
        return error_response(401, message=message, headers={"WWW-Authenticate": "Bearer"})
    if exc.status_code == 403 and "CSRF" in exc.message:
        return error_response(403, "csrf_failed", "The CSRF check failed: send the "
                              "X-CSRFToken header with session authentication.")
    message = exc.message if exc.message not in ("Forbidden", "Not Found") else None
    return error_response(exc.status_code, message=message)


def _on_exception(request, exc: Exception):
    if isinstance(exc, ApiError):
        return error_response(exc.status, exc.code, exc.message, exc.details)
    if isinstance(exc, Http404):
        return error_response(404)
    if isinstance(exc, PermissionDenied):
        return error_response(403)
    if isinstance(exc, RequestDataTooBig):
        return error_response(413)
    if isinstance(exc, StaleVersionError):
        return error_response(409, "stale_version", str(exc), [{"expected_version": exc.expected}])
    if isinstance(exc, TransitionRefused):
        return error_response(409, "transition_refused", str(exc.reason))
    log.exception("API error on %s %s", request.method, request.path, exc_info=exc)
    return error_response(500)


def install_handlers(api) -> None:
    """Route every exception raised in an API operation through :func:`error_response`."""
    api.add_exception_handler(Exception, _on_exception)
    api.add_exception_handler(Http404, _on_exception)
    api.add_exception_handler(HttpError, _on_http_error)
    api.add_exception_handler(ValidationError, _on_validation)


def _is_envelope(response) -> bool:
    if not response.get("Content-Type", "").startswith("application/json"):
        return False
    try:
        return "error" in json.loads(response.content)
    except (ValueError, TypeError):
        return False


def enveloped(view):
    """Guard an API view: a non-envelope error response (405 from django-ninja, an unexpected
    exception) becomes the envelope."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except RequestDataTooBig:
            return error_response(413)
        except Exception as exc:  # noqa: BLE001  (the last line of defence: log and envelope)
            return _on_exception(request, exc)
        if response.status_code >= 400 and not getattr(response, "streaming", False) \
                and not _is_envelope(response):
            headers = {"Allow": response["Allow"]} if response.has_header("Allow") else None
            return error_response(response.status_code, headers=headers)
        return response

    guarded.csrf_exempt = getattr(view, "csrf_exempt", False)
    return guarded


def not_found(request, *args, **kwargs):
    """Any address under /api/ that is not an operation."""
    return error_response(404)
