"""RNN Zoo: recurrent models on several frameworks, compared step by step.

Importing this package imports no deep-learning framework: backends load theirs when first built.
"""
from .backend import Backend, History, Progress
from .errors import (
    BackendError,
    BackendUnavailable,
    CheckpointError,
    InputError,
    NotFittedError,
    SpecError,
    WeightsError,
    ZooError,
)
from .family import FAMILIES, Family
from .hookspecs import hookimpl
from .plugins import BackendInfo, DatasetInfo, FormatInfo, registry
from .sequences import SequenceData
from .spec import ModelSpec
from .trace import LayerTrace, Trace

__version__ = "0.1.0"

__all__ = [
    "FAMILIES", "Backend", "BackendError", "BackendInfo", "BackendUnavailable", "CheckpointError", "DatasetInfo", "Family", "FormatInfo", "History",
    "InputError", "LayerTrace", "ModelSpec", "NotFittedError", "Progress", "SequenceData", "SpecError",
    "Trace", "WeightsError", "ZooError", "hookimpl", "registry",
]
