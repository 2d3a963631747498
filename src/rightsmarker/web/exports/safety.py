"""Spreadsheet formula injection: a text cell that a spreadsheet would run as a formula.

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
apostrophe, so Excel and LibreOffice show it as text. Genuine numbers are left alone: numeric
values (int, float) and text that is exactly a decimal number such as ``-3.5`` or ``+1e3``.
"""

from __future__ import annotations

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutralise(value):
    """The cell as it may be written safely (``None`` stays ``None``)."""
    if not isinstance(value, str) or not value.startswith(FORMULA_START):
        return value
    if PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value
