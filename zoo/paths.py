"""Where RNN Zoo writes: one per-user cache directory, and nowhere else."""
from __future__ import annotations

from pathlib import Path


def cache_dir() -> Path:
    """Trained checkpoints, lab results and the web lab's uploads all live under this directory."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("rnn-zoo"))
