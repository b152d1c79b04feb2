"""The checkpoint file format: named tensors in one safetensors file, whose header carries a JSON
object. Never pickle. This module knows files, not models: ``Backend.save`` and ``Backend.load`` are the
one way a model is written and read, and say what the header holds (which backend wrote the file, its
family and spec, and whatever the caller adds: vocabulary, scaler, dataset, metrics …).

Files are written to a temporary name and renamed into place, so a crash mid-write leaves the previous
checkpoint intact.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import numpy as np

from .errors import CheckpointError
from .limits import checked_file
from .messages import message

FORMAT = "rnn-zoo-checkpoint/1"
METADATA_KEY = "rnn_zoo"


def write(path, tensors: dict[str, np.ndarray], header: dict) -> Path:
    """Write ``tensors`` and the JSON-able ``header`` (which gets the format's name) to ``path``, whole or not at all."""
    from safetensors.numpy import save_file

    path = Path(path)
    header = {**header, "format": FORMAT}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes files private; a checkpoint is an ordinary file
    try:
        save_file(tensors, tmp, metadata={METADATA_KEY: json.dumps(header)})
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def read_metadata(path) -> dict:
    """The JSON header of a checkpoint, without reading its tensors."""
    from safetensors import safe_open

    path = checked_file(path, "checkpoint_mb", error=CheckpointError, what="checkpoint file")
    try:
        with safe_open(str(path), framework="np") as f:
            raw = (f.metadata() or {}).get(METADATA_KEY)
    except Exception as err:  # safetensors raises its own error types for every kind of corruption
        raise CheckpointError(message("checkpoint_unreadable", file=path.name, error=str(err))) from None
    if raw is None:
        raise CheckpointError(message("checkpoint_not_zoo", file=path.name, metadata=METADATA_KEY))
    try:
        meta = json.loads(raw)
    except json.JSONDecodeError:
        raise CheckpointError(message("checkpoint_corrupt_metadata", file=path.name)) from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise CheckpointError(message("checkpoint_unknown_format", file=path.name,
                                      format=meta.get("format") if isinstance(meta, dict) else meta))
    return meta


def read(path) -> tuple[dict, dict[str, np.ndarray]]:
    """(header, tensors) from a checkpoint file."""
    from safetensors.numpy import load_file

    header = read_metadata(path)
    try:
        tensors = load_file(str(path))
    except Exception as err:
        raise CheckpointError(message("checkpoint_corrupt_tensors", file=Path(path).name, error=str(err))) from None
    return header, tensors


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
