"""How much the lab accepts, in one place. Each limit has a default suited to a class sharing one
server and is changed with an environment variable, read when it is needed (so a test or an admin
sets it for one process without editing code). ``zoo limits`` prints the values in force.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import ZooError
from .messages import Message, message


@dataclass(frozen=True)
class Limit:
    name: str
    env: str
    default: float
    unit: str
    what: str

    def value(self) -> float:
        raw = os.environ.get(self.env, "").strip()
        if not raw:
            return self.default
        try:
            value = float(raw)
        except ValueError:
            value = float("nan")
        if not value > 0 or value == float("inf"):
            raise ZooError(message("unusable_limit", env=self.env, raw=raw, unit=self.unit))
        return value


LIMITS = {limit.name: limit for limit in (  # the unit and what it limits are said in the page's language (zoo.messages)
    Limit("text_chars", "RNN_ZOO_MAX_TEXT_CHARS", 5_000, message("unit_characters"), message("limit_text_chars")),
    Limit("series_steps", "RNN_ZOO_MAX_SERIES_STEPS", 100_000, message("unit_steps"), message("limit_series_steps")),
    Limit("upload_mb", "RNN_ZOO_MAX_UPLOAD_MB", 20, "MiB", message("limit_upload_mb")),
    Limit("checkpoint_mb", "RNN_ZOO_MAX_CHECKPOINT_MB", 256, "MiB", message("limit_checkpoint_mb")),
    Limit("backend_seconds", "RNN_ZOO_MAX_BACKEND_SECONDS", 60, message("unit_seconds"), message("limit_backend_seconds")),
    Limit("backend_mb", "RNN_ZOO_MAX_BACKEND_MB", 2048, "MiB", message("limit_backend_mb")),
    Limit("training_minutes", "RNN_ZOO_MAX_TRAINING_MINUTES", 30, message("unit_minutes"), message("limit_training_minutes")),
    Limit("training_jobs", "RNN_ZOO_MAX_TRAINING_JOBS", 2, message("unit_trainings"), message("limit_training_jobs")),
)}


def limit(name: str) -> float:
    return LIMITS[name].value()


def max_bytes(name: str) -> int:
    return int(limit(name) * 2**20)


def describe() -> list[dict]:
    """Every limit with its value in force, for ``zoo limits`` and the lab's Backends tab."""
    return [{"limit": l.name, "value": l.value(), "unit": l.unit, "env": l.env, "default": l.default, "what": l.what}
            for l in LIMITS.values()]


def checked_file(path, name: str, *, error: type[ZooError], what: str | Message | None = None) -> Path:
    """``path`` when it is a file no larger than the limit ``name`` (in MiB), else ``error`` saying which;
    ``what`` the file is (a file by default), best a Message so that it is said in the lab's language too."""
    path = Path(path)
    if not path.is_file():
        raise error(message("no_file_at", what=message("what_file") if what is None else what, path=str(path)))
    size = path.stat().st_size
    if size > max_bytes(name):
        raise error(message("file_over_limit", file=path.name, size=size / 2**20, most=limit(name), env=LIMITS[name].env))
    return path
