"""Numeric series typed or pasted by a user, read strictly: every value a finite number."""
from __future__ import annotations

import re

import numpy as np

from .errors import InputError

SEPARATORS = re.compile(r"[\s,;]+")


def parse_series(text: str) -> np.ndarray:
    """``"1, 2.5; 3\\n4"`` -> float64 array. Commas, semicolons and white space all separate values."""
    if not isinstance(text, str):
        raise InputError(f"a series must be given as text, not {type(text).__name__}")
    parts = [p for p in SEPARATORS.split(text.strip()) if p]
    if not parts:
        raise InputError("the series is empty: give numbers separated by commas or spaces, e.g. 1, 2, 3")
    values = []
    for position, part in enumerate(parts, start=1):
        try:
            value = float(part)
        except ValueError:
            raise InputError(f"value {position} of the series, {part[:20]!r}, is not a number") from None
        if not np.isfinite(value):
            raise InputError(f"value {position} of the series is {part!r}: only finite numbers can be used")
        values.append(value)
    return np.asarray(values, dtype=np.float64)
