"""Import a framework YAML text as a new FrameworkVersion (used by the form and the command)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from rightsmarker.errors import RightsMarkerError, ValidationError

from .models import FrameworkVersion, _framework_from_text, sha256_of


class ImportRefused(Exception):
    """The YAML is not a valid framework, or its code and version are already imported."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []


def import_framework(text: str, user=None, source: str = "") -> FrameworkVersion:
    """Validate ``text`` and store it as a new version; refuse invalid or already-used versions."""
    digest = sha256_of(text)
    try:
        fw = _framework_from_text(digest, text)
    except ValidationError as exc:
        raise ImportRefused(exc.summary, [str(p) for p in exc.problems]) from exc
    except RightsMarkerError as exc:
        raise ImportRefused(str(exc)) from exc
    with transaction.atomic():
        existing = FrameworkVersion.objects.filter(code=fw.code, version=fw.version).first()
        if existing is not None:
            same = existing.sha256 == digest
            raise ImportRefused(
                _("Framework %(code)s version %(version)s is already imported%(how)s. "
                  "Give the changed framework a new version.")
                % {"code": fw.code, "version": fw.version,
                   "how": _(" (identical text)") if same else _(" with a different text")})
        return FrameworkVersion.objects.create(
            code=fw.code, version=fw.version, yaml=text, source=source[:300],
            label_en=fw.labels.get("en", fw.code)[:300], label_ko=fw.labels.get("ko", "")[:300],
            imported_by=user)


def import_bundled(name: str = "social-inclusion-marker", user=None) -> FrameworkVersion:
    """Import a framework bundled with the package by its name."""
    from rightsmarker.framework.io import resolve_framework_path

    path = resolve_framework_path(name)
    return import_framework(path.read_text(encoding="utf-8-sig"), user, source=f"bundled:{name}")
