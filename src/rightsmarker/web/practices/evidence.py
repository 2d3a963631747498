"""Evidence files of practices: uploads limited in type and size, downloads behind access checks.

A file is accepted when its suffix is one of the library's ``EVIDENCE_SUFFIXES`` and its size is at
most the smaller of ``MAX_EVIDENCE_BYTES`` (20 MB) and ``RIGHTSMARKER_MAX_UPLOAD_MB``; a PDF must
start like a PDF. It is stored under ``<data dir>/uploads/practices/<practice id>/`` (never served
as a static file) and recorded in the practice's ``evidence`` as ``{kind: file, url, title,
size}``; :func:`download` serves it to whoever may see the practice.
"""

from __future__ import annotations

import re
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from rightsmarker.practices.model import EVIDENCE_SUFFIXES, MAX_EVIDENCE_BYTES

from .access import get_practice_for_user


def limit_bytes() -> int:
    return min(MAX_EVIDENCE_BYTES, int(settings.RIGHTSMARKER_MAX_UPLOAD_MB) * 1024 * 1024)


def problem_with(upload) -> str | None:
    """Why the upload is refused, or None."""
    suffix = PurePosixPath(upload.name).suffix.lower()
    if suffix not in EVIDENCE_SUFFIXES:
        return _("File type %(suffix)s is not allowed; allowed: %(allowed)s") % {
            "suffix": suffix or "-", "allowed": " ".join(EVIDENCE_SUFFIXES)}
    if upload.size > limit_bytes():
        return _("The file is larger than %(mb)d MB.") % {"mb": limit_bytes() // (1024 * 1024)}
    if suffix == ".pdf":
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            return _("The file does not look like a PDF.")
    return None


def store(upload, practice_code: str) -> dict:
    """Save the upload; its evidence item."""
    stem = re.sub(r"[^\w.\-]+", "-", PurePosixPath(upload.name).stem)[:60].strip("-.") or "file"
    suffix = PurePosixPath(upload.name).suffix.lower()
    name = f"practices/{practice_code}/{uuid.uuid4().hex[:8]}-{stem}{suffix}"
    saved = default_storage.save(name, upload)
    return {"kind": "file", "url": saved, "title": PurePosixPath(upload.name).name[:200],
            "size": upload.size}


def download(request, pk: int, n: int):
    """The practice's ``n``-th evidence item (from 1) when it is a file, as a download."""
    record, _can_edit = get_practice_for_user(request.user, pk)
    items = (record.data or {}).get("evidence") or []
    if not 1 <= n <= len(items) or items[n - 1].get("kind") != "file":
        raise Http404
    name = items[n - 1]["url"]
    if not name.startswith(f"practices/{record.code}/"):
        raise Http404
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=name.rsplit("/", 1)[-1])
