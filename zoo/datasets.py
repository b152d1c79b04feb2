"""Datasets as the core sees them: three shapes of data, loaded by name through the plugin registry.

- :class:`TextDataset`: labelled texts (binary or multiclass).
- :class:`SeriesDataset`: one long numeric series (a column per feature, the first one the target),
  cut into windows for next-step forecasting (regression) or next-step up/down (binary).
- :class:`SequenceDataset`: sequences that are already cut, with one target each (the adding problem).

Loaders run offline: data ships inside an installed package or is generated from a seed.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass, field

import numpy as np

from .errors import BackendUnavailable, InputError
from .messages import message
from .plugins import registry, resolve


@dataclass
class TextDataset:
    name: str
    texts: list[str]
    labels: np.ndarray  # (N,) int class ids
    classes: list[str]  # class id -> label name
    source: str = ""
    params: dict = field(default_factory=dict)  # what the loader was called with
    kind = "text"

    @property
    def task(self) -> str:
        return "binary" if len(self.classes) == 2 else "multiclass"

    def __len__(self) -> int:
        return len(self.texts)


@dataclass
class SeriesDataset:
    name: str
    values: np.ndarray  # (T, F) float64, column 0 is the one predicted
    columns: list[str]
    index: list[str] | None = None  # a label per step (dates), for display
    source: str = ""
    params: dict = field(default_factory=dict)
    kind = "series"
    task = "regression"  # the default; windowing makes the binary up/down task from the same values

    def __len__(self) -> int:
        return len(self.values)


@dataclass
class SequenceDataset:
    name: str
    x: np.ndarray  # (N, T, F) float32
    y: np.ndarray  # (N,): values, or class ids for multiclass
    task: str
    source: str = ""
    params: dict = field(default_factory=dict)
    classes: list[str] | None = None  # class id -> name, for classification
    symbols: list[str] | None = None  # where every step is one-hot: channel -> the symbol it stands for
    kind = "series"

    def __len__(self) -> int:
        return len(self.x)


Dataset = TextDataset | SeriesDataset | SequenceDataset


def load_dataset(name: str, **params) -> Dataset:
    """Load a registered dataset; ``params`` go to its loader (e.g. ``lag=50`` for long-dependency)."""
    entry = registry().dataset(name)
    if entry.status != "available":
        raise BackendUnavailable(f"dataset {name!r} is {entry.status}: {entry.reason}")
    try:
        loader = resolve(entry.info.loader)
    except ImportError as err:
        raise BackendUnavailable(f"dataset {name!r} cannot load: {err}") from err
    try:
        inspect.signature(loader).bind(**params)
    except TypeError:
        accepted = ", ".join(inspect.signature(loader).parameters) or message("none")
        raise InputError(message("dataset_parameters", name=name, accepted=accepted, given=sorted(params))) from None
    dataset = loader(**params)
    dataset.params = dict(params)
    return dataset
