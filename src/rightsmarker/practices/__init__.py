"""Good-practice library: practice records, import and export, search and tag suggestions.

Nothing here imports Django: the web application stores practices in its own models and uses
these functions for validation, search and suggestions.
"""

from __future__ import annotations

from .model import (
    Budget,
    Contact,
    Evidence,
    Period,
    Practice,
    PracticeError,
    check_codes,
    validate_practice,
)
from .tagging import suggest_tags

__all__ = ["Budget", "Contact", "Evidence", "Period", "Practice", "PracticeError", "check_codes",
           "suggest_tags", "validate_practice"]
