"""Request and response bodies of the API (pydantic, so they appear in the OpenAPI schema).

Input schemas are strict: unknown fields are refused (``extra="forbid"``), types are not
coerced from text, and lengths follow the database columns.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field


class ErrorBody(Schema):
    status: int
    code: str
    message: str
    details: list[Any] = Field(default_factory=list)


class ErrorOut(Schema):
    """The one error envelope."""

    error: ErrorBody


def errors_for(*statuses: int) -> dict:
    """``{status: ErrorOut}`` for an operation's documented error responses (422 always)."""
    return {status: ErrorOut for status in sorted({*statuses, 422})}


class FrameworkOut(Schema):
    id: int
    code: str
    version: str
    label_en: str
    label_ko: str
    sha256: str
    imported_at: datetime


class FrameworkDetailOut(FrameworkOut):
    framework: dict[str, Any] = Field(description="The framework without its nodes "
                                      "(labels, grounds, groups, recognition ...)")
    tree: dict[str, Any] = Field(description="The node tree from the root: every node's fields "
                                 "plus 'children' (a list of nodes)")


class CycleOut(Schema):
    id: int
    name: str
    year: int
    status: str
    framework_id: int
    framework: str
    opens_on: date | None = None
    closes_on: date | None = None
    published_at: datetime | None = None


class SubmissionOut(Schema):
    id: int
    cycle_id: int
    cycle: str
    year: int
    city: str
    city_name: str
    status: str
    version: int
    updated_at: datetime
    submitted_at: datetime | None = None
    reviewed_at: datetime | None = None
    published_at: datetime | None = None


class CommentOut(Schema):
    indicator: str | None = None
    author: str | None = None
    text: str
    created: datetime


class SubmissionDetailOut(SubmissionOut):
    can_write: bool = Field(description="The caller may change values (when editable)")
    editable: bool = Field(description="The status and the cycle let values change now")
    moves: list[str] = Field(description="Targets the caller may move the submission to")
    comments: list[CommentOut] = Field(description="Only for the city's members and the "
                                       "secretariat")


class CycleDetailOut(CycleOut):
    can_write: bool
    submissions: list[SubmissionOut]


class ValueOut(Schema):
    id: int
    submission_id: int
    indicator: str
    group: str
    value_number: float | None = None
    value_text: str
    evidence_url: str
    evidence_file: str | None = None
    source: str
    note: str
    flag: str
    version: int
    updated_at: datetime | None = None


class AuditEntryOut(Schema):
    at: datetime
    actor: str | None = None
    action: str
    field: str
    old_value: Any = None
    new_value: Any = None


_STRICT = ConfigDict(extra="forbid", strict=True)


class _ValueFields(Schema):
    model_config = _STRICT

    value_number: float | None = Field(None, description="Numbers as given; yes/no as 1/0; "
                                       "a stage as its position (0 = first)")
    value_text: str = Field("", max_length=20_000)
    evidence_url: str = Field("", max_length=500, pattern=r"^(https?://\S+)?$")
    source: str = Field("", max_length=300)
    note: str = Field("", max_length=20_000)
    flag: str = Field("", max_length=50)


class ValueIn(_ValueFields):
    """A new value of an indicator for a group (``total`` unless given)."""

    indicator: str = Field(min_length=1, max_length=64)
    group: str = Field("total", min_length=1, max_length=200)


class ValuePatch(Schema):
    """Changed fields of a value, with the ``version`` it was read at (409 when stale)."""

    model_config = _STRICT

    version: int = Field(ge=1)
    value_number: float | None = None
    value_text: str | None = Field(None, max_length=20_000)
    evidence_url: str | None = Field(None, max_length=500, pattern=r"^(https?://\S+)?$")
    source: str | None = Field(None, max_length=300)
    note: str | None = Field(None, max_length=20_000)
    flag: str | None = Field(None, max_length=50)


class TransitionIn(Schema):
    """Move a submission; ``version`` (optional) makes the move fail with 409 when stale."""

    model_config = _STRICT

    target: Literal["submitted", "returned", "approved", "published"]
    comment: str = Field("", max_length=20_000)
    version: int | None = Field(None, ge=1)
