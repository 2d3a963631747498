"""The error hierarchy: every error the library raises derives from RightsMarkerError.

Errors about input data carry a list of :class:`Problem` records naming the file, row,
column, the expected form and the value received, so a user can fix every problem in one go.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

MAX_SHOWN = 20


@dataclass(frozen=True)
class Problem:
    """One problem found in an input: where it is, what was found and what was expected."""

    message: str
    file: str | None = None
    row: int | None = None
    column: str | None = None
    value: object = None
    expected: str | None = None

    def location(self) -> str:
        parts = []
        if self.file:
            parts.append(str(self.file))
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def __str__(self) -> str:
        loc = self.location()
        text = f"{loc}: {self.message}" if loc else self.message
        if self.value is not None:
            text += f" (found {self.value!r})"
        if self.expected:
            text += f"; expected {self.expected}"
        return text

    def to_dict(self) -> dict:
        d = asdict(self)
        if d["value"] is not None and not isinstance(d["value"], (int, float, str, bool)):
            d["value"] = str(d["value"])
        return d


class RightsMarkerError(Exception):
    """Base class of every error raised by rightsmarker."""

    hint: str | None = None


class ValidationError(RightsMarkerError):
    """An input failed validation; ``problems`` lists every problem found."""

    def __init__(
        self, summary: str, problems: list[Problem] | None = None, hint: str | None = None
    ):
        self.summary = summary
        self.problems = list(problems or [])
        self.hint = hint
        super().__init__(self._render())

    def _render(self) -> str:
        if not self.problems:
            return self.summary
        lines = [f"{self.summary}: {len(self.problems)} problem(s)"]
        lines += [f"  - {p}" for p in self.problems[:MAX_SHOWN]]
        if len(self.problems) > MAX_SHOWN:
            lines.append(f"  ... and {len(self.problems) - MAX_SHOWN} more")
        return "\n".join(lines)


class FrameworkError(ValidationError):
    """A framework file or table is invalid."""


class ObservationError(ValidationError):
    """An observation table is invalid."""


class MethodError(ValidationError):
    """A scoring method (list of steps and parameters) is invalid."""


class UnknownNameError(RightsMarkerError, KeyError):
    """A name (bundled framework, registered method, node code) is not known."""

    def __init__(self, kind: str, name: str, known: list[str] | tuple[str, ...]):
        self.kind, self.name, self.known = kind, name, list(known)
        shown = ", ".join(sorted(self.known)[:30]) or "none"
        super().__init__(f"unknown {kind} {name!r}; known: {shown}")

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]


class DataError(RightsMarkerError):
    """Data cannot be processed as asked (for example, nothing left to score)."""
