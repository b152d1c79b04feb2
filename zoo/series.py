"""Numeric series typed or pasted by a user, read strictly: every value a finite number."""
from __future__ import annotations

import re

import numpy as np

from .errors import InputError
from .messages import message

SEPARATORS = re.compile(r"[\s,;]+")


def parse_series(text: str) -> np.ndarray:
    """``"1, 2.5; 3\\n4"`` -> float64 array. Commas, semicolons and white space all separate values."""
    if not isinstance(text, str):
        raise InputError(message("series_not_text", kind=type(text).__name__))
    parts = [p for p in SEPARATORS.split(text.strip()) if p]
    if not parts:
        raise InputError(message("series_empty"))
    values = []
    for position, part in enumerate(parts, start=1):
        try:
            value = float(part)
        except ValueError:
            raise InputError(message("series_not_a_number", position=position, part=part[:20])) from None
        if not np.isfinite(value):
            raise InputError(message("series_not_finite", position=position, part=part))
        values.append(value)
    return np.asarray(values, dtype=np.float64)
