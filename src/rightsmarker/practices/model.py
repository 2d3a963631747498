"""The good-practice record: what a city did, for whom, with which rights and results.

A :class:`Practice` is checked once, when it is built (from a form, a CSV row or a JSON object):
codes have the framework's form, years and amounts are in range, links are http(s), uploaded
files have an allowed type and size, and every text is cleaned of HTML (:mod:`.sanitize`).
:func:`check_codes` then checks the codes against a framework's themes, sub-themes, indicators
and groups.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from ..errors import Problem, ValidationError
from .sanitize import clean_rich, clean_text

STATUSES = ("draft", "submitted", "published")
#: the workflow: a city editor submits a draft; the secretariat publishes it or returns it.
TRANSITIONS = {"draft": {"submitted"}, "submitted": {"draft", "published"},
               "published": {"draft"}}
#: evidence files: allowed suffixes and the largest accepted size
EVIDENCE_SUFFIXES = (".pdf", ".docx", ".xlsx", ".odt", ".ods", ".csv", ".txt", ".png", ".jpg",
                     ".jpeg", ".hwp", ".hwpx")
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024

Code = Annotated[str, StringConstraints(strip_whitespace=True,
                                        pattern=r"^[A-Za-z0-9][\w.\-]{0,63}$")]
#: an SDG goal (1 to 17) or target (``11.2``, ``10.a``); a currency (ISO 4217)
SDG_PATTERN = r"^(1[0-7]|[1-9])(\.([1-9][0-9]?|[a-e]))?$"
CURRENCY_PATTERN = r"^[A-Z]{3}$"
SdgTarget = Annotated[str, StringConstraints(strip_whitespace=True, pattern=SDG_PATTERN)]
LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


def _localized(value: object, rich: bool, field: str) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, str):
        value = {"en": value}
    if not isinstance(value, dict):
        raise ValueError(f"{field} must be a mapping of language code to text")
    out = {}
    for lang, text in value.items():
        if not isinstance(lang, str) or not LANG.match(lang):
            raise ValueError(f"language code {lang!r} is not of the form 'en' or 'ko'")
        if text is None:
            continue
        cleaned = (clean_rich if rich else clean_text)(str(text))
        if cleaned:
            out[lang] = cleaned
    return out


class Period(BaseModel):
    """The years a practice ran; ``end`` is None while it runs."""

    model_config = ConfigDict(extra="forbid")
    start: int = Field(ge=1900, le=2100)
    end: int | None = Field(default=None, ge=1900, le=2100)

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"end year {self.end} is before start year {self.start}")
        return self

    def covers(self, year: int) -> bool:
        return self.start <= year and (self.end is None or year <= self.end)


class Budget(BaseModel):
    model_config = ConfigDict(extra="forbid")
    amount: float = Field(ge=0)
    currency: str = Field(pattern=CURRENCY_PATTERN, description="ISO 4217 code, such as KRW")


class Evidence(BaseModel):
    """A link (http or https) or an uploaded file (allowed type, at most 20 MB)."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["link", "file"] = "link"
    url: str = Field(min_length=1, max_length=2000)
    title: str = ""
    size: int | None = Field(default=None, ge=0)

    @field_validator("title")
    @classmethod
    def _title(cls, v: str) -> str:
        return clean_text(v)

    @model_validator(mode="after")
    def _target(self) -> Evidence:
        if self.kind == "link":
            if not re.match(r"^https?://[^\s<>\"]+$", self.url):
                raise ValueError(f"link {self.url!r} must start with http:// or https://")
        else:
            name = PurePosixPath(self.url.replace("\\", "/"))
            if ".." in name.parts or name.is_absolute():
                raise ValueError(f"file {self.url!r} must be a relative path in the upload area")
            if name.suffix.lower() not in EVIDENCE_SUFFIXES:
                raise ValueError(f"file type {name.suffix or '(none)'!r} not allowed; allowed: "
                                 + " ".join(EVIDENCE_SUFFIXES))
            if self.size is not None and self.size > MAX_EVIDENCE_BYTES:
                raise ValueError(f"file of {self.size} bytes is larger than {MAX_EVIDENCE_BYTES}")
        return self


class Contact(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = ""
    email: str = ""
    organisation: str = ""

    @field_validator("name", "organisation")
    @classmethod
    def _text(cls, v: str) -> str:
        return clean_text(v)

    @field_validator("email")
    @classmethod
    def _email(cls, v: str) -> str:
        v = v.strip()
        if v and not EMAIL.match(v):
            raise ValueError(f"{v!r} is not an e-mail address")
        return v


class Practice(BaseModel):
    """One good practice of one city, in one or more languages."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)
    id: Code
    city: Code
    country: str = ""
    region: str = ""
    title: dict[str, str]
    summary: dict[str, str] = Field(default_factory=dict)
    description: dict[str, str] = Field(default_factory=dict, description="sanitised HTML")
    period: Period | None = None
    themes: list[Code] = Field(default_factory=list)
    sub_themes: list[Code] = Field(default_factory=list)
    indicators: list[Code] = Field(default_factory=list)
    groups: list[Code] = Field(default_factory=list)
    rights: list[str] = Field(default_factory=list, description="e.g. 'CRPD 9', 'ICESCR 11'")
    sdg_targets: list[SdgTarget] = Field(default_factory=list, description="'11' or '11.2'")
    budget: Budget | None = None
    partners: list[str] = Field(default_factory=list)
    results: dict[str, str] = Field(default_factory=dict, description="sanitised HTML")
    evidence: list[Evidence] = Field(default_factory=list)
    contact: Contact | None = None
    language: str = Field(default="en", description="language the practice was written in")
    status: Literal["draft", "submitted", "published"] = "draft"
    version: int = Field(default=1, ge=1)

    @field_validator("title", "summary", mode="before")
    @classmethod
    def _plain(cls, v: object, info) -> dict[str, str]:
        return _localized(v, rich=False, field=info.field_name)

    @field_validator("description", "results", mode="before")
    @classmethod
    def _rich(cls, v: object, info) -> dict[str, str]:
        return _localized(v, rich=True, field=info.field_name)

    @field_validator("title")
    @classmethod
    def _has_title(cls, v: dict[str, str]) -> dict[str, str]:
        if not v:
            raise ValueError("a title is required in at least one language")
        return v

    @field_validator("country", "region")
    @classmethod
    def _short_text(cls, v: str) -> str:
        return clean_text(v)

    @field_validator("rights", "partners")
    @classmethod
    def _text_items(cls, v: list[str]) -> list[str]:
        return [t for t in (clean_text(x) for x in v) if t]

    @field_validator("language")
    @classmethod
    def _language(cls, v: str) -> str:
        if not LANG.match(v):
            raise ValueError(f"language code {v!r} is not of the form 'en' or 'ko'")
        return v

    @field_validator("themes", "sub_themes", "indicators", "groups", "sdg_targets")
    @classmethod
    def _unique(cls, v: list[str]) -> list[str]:
        return list(dict.fromkeys(v))

    def text(self, lang: str | None = None) -> str:
        """Title, summary, description and results as one plain text (all languages or one)."""
        parts = []
        for field in (self.title, self.summary, self.description, self.results):
            for code, value in field.items():
                if lang is None or code == lang:
                    parts.append(clean_text(value))
        return "\n".join(parts)

    def label(self, lang: str = "en") -> str:
        return self.title.get(lang) or next(iter(self.title.values()))

    def with_status(self, status: str) -> Practice:
        """A copy in the new workflow status; publishing bumps nothing, edits bump ``version``."""
        if status not in TRANSITIONS[self.status]:
            raise ValueError(f"a {self.status} practice cannot become {status}")
        return self.model_copy(update={"status": status})

    def revised(self, **changes) -> Practice:
        """A new version with ``changes``, validated, back in draft."""
        data = self.model_dump() | changes | {"version": self.version + 1, "status": "draft"}
        return Practice.model_validate(data)


class PracticeError(ValidationError):
    """A practice record (or a file of them) is invalid."""


def problems_from(exc, *, row: int | None = None, file: str | None = None,
                  value_of=None, column_of=None) -> list[Problem]:
    """pydantic's errors as :class:`Problem` records naming the field (``title.en``)."""
    out = []
    for err in exc.errors():
        loc = err["loc"]
        column = column_of(loc) if column_of else (".".join(str(x) for x in loc) or None)
        msg = err["msg"].removeprefix("Value error, ")
        value = err.get("input") if value_of is None else value_of(err["loc"])
        if isinstance(value, (dict, list)):
            value = None
        out.append(Problem(msg, file=file, row=row, column=column, value=value))
    return out


def validate_practice(data: dict, *, row: int | None = None, file: str | None = None) -> Practice:
    """A :class:`Practice` from a mapping, or :class:`PracticeError` naming every bad field."""
    from pydantic import ValidationError as PydanticError

    try:
        return Practice.model_validate(data)
    except PydanticError as exc:
        raise PracticeError("invalid practice", problems_from(exc, row=row, file=file)) from None


def check_codes(practice: Practice, framework=None, *, row: int | None = None,
                file: str | None = None, known: dict[str, set[str]] | None = None
                ) -> list[Problem]:
    """Problems with codes the framework does not know (the bundled framework by default).

    ``known`` (the output of :func:`framework_codes`, possibly merged over several frameworks)
    replaces the framework's codes when given."""
    known = known if known is not None else framework_codes(framework)
    problems = []
    for field in ("themes", "sub_themes", "indicators", "groups"):
        for code in getattr(practice, field):
            if code not in known[field]:
                shown = ", ".join(sorted(known[field])[:20])
                problems.append(Problem(f"unknown {field.rstrip('s').replace('_', '-')} code",
                                        file=file, row=row, column=field, value=code,
                                        expected=f"one of {shown}"))
    return problems


_CODES_CACHE: dict[int, dict[str, set[str]]] = {}


def framework_codes(framework=None) -> dict[str, set[str]]:
    """The framework's theme, sub-theme, indicator and group codes (default: bundled)."""
    if framework is None:
        from ..framework.io import load_framework

        key = 0
        if key not in _CODES_CACHE:
            _CODES_CACHE[key] = _codes(load_framework("social-inclusion-marker"))
        return _CODES_CACHE[key]
    return _codes(framework)


def _codes(fw) -> dict[str, set[str]]:
    depth = {n.code: fw.depth(n.code) for n in fw.nodes if not n.is_indicator}
    return {
        "themes": {c for c, d in depth.items() if d == 1},
        "sub_themes": {c for c, d in depth.items() if d == 2},
        "indicators": set(fw.indicator_codes),
        "groups": {g.code for g in fw.groups},
    }
