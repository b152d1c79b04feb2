"""The one array layout every backend trains and predicts on."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import InputError


@dataclass
class SequenceData:
    """A batch of sequences, the one array layout every backend trains and predicts on.

    ``x`` is (N, T) integer token ids (0 is padding) or (N, T, F) floats; ``y`` is (N,): 0/1 for
    binary, class ids for multiclass, values for regression; ``lengths`` is (N,) real steps per row.
    """

    x: np.ndarray
    y: np.ndarray
    lengths: np.ndarray | None = None

    def __post_init__(self):
        self.x = np.asarray(self.x)
        self.y = np.asarray(self.y)
        if self.x.ndim < 2 or len(self.x) == 0:
            raise InputError(f"x must be a non-empty batch of sequences, got shape {self.x.shape}")
        if self.y.shape != (len(self.x),):
            raise InputError(f"y must have one target per sequence: x has {len(self.x)}, y has shape {self.y.shape}")
        if self.lengths is None:
            self.lengths = np.full(len(self.x), self.x.shape[1], dtype=np.int64)
        self.lengths = np.asarray(self.lengths, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.x)

    def take(self, index: np.ndarray) -> "SequenceData":
        return SequenceData(self.x[index], self.y[index], self.lengths[index])
