"""What a model is, independent of any framework: the single description every backend builds from."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from .errors import SpecError

INPUT_KINDS = ("tokens", "features")
TASKS = ("binary", "multiclass", "regression")
HEAD_ACTIVATIONS = ("tanh", "relu")


@dataclass(frozen=True)
class ModelSpec:
    """The seed's model by default: LSTM(64, return_sequences) -> LSTM(32) -> Dense(16) -> Dropout(0.5) -> Dense(1, sigmoid).

    ``input`` is ``tokens`` (integer ids, 0 is padding, embedded to ``embedding_dim``) or ``features``
    (``n_features`` floats per step). The head activation is tanh by default: the seed notes that relu
    there was a mistake, and the UI compares both.
    """

    input: str = "tokens"
    vocab_size: int = 10_000
    embedding_dim: int = 100
    n_features: int = 1
    recurrent: tuple[int, ...] = (64, 32)
    head: tuple[int, ...] = (16,)
    activation: str = "tanh"
    dropout: float = 0.5
    task: str = "binary"
    n_classes: int = 2

    def __post_init__(self):
        object.__setattr__(self, "recurrent", tuple(int(n) for n in self.recurrent))
        object.__setattr__(self, "head", tuple(int(n) for n in self.head))
        self.validate()

    def validate(self) -> None:
        if self.input not in INPUT_KINDS:
            raise SpecError(f"input must be one of {INPUT_KINDS}, not {self.input!r}")
        if self.task not in TASKS:
            raise SpecError(f"task must be one of {TASKS}, not {self.task!r}")
        if self.activation not in HEAD_ACTIVATIONS:
            raise SpecError(f"head activation must be one of {HEAD_ACTIVATIONS}, not {self.activation!r}")
        if not self.recurrent or min(self.recurrent) < 1:
            raise SpecError("recurrent needs at least one layer, each with at least one unit")
        if self.head and min(self.head) < 1:
            raise SpecError("every head Dense layer needs at least one unit")
        if not 0.0 <= self.dropout < 1.0:
            raise SpecError(f"dropout must be in [0, 1), not {self.dropout}")
        if self.input == "tokens" and (self.vocab_size < 2 or self.embedding_dim < 1):
            raise SpecError("token input needs vocab_size >= 2 (id 0 is padding) and embedding_dim >= 1")
        if self.input == "features" and self.n_features < 1:
            raise SpecError("feature input needs n_features >= 1")
        if self.task == "multiclass" and self.n_classes < 2:
            raise SpecError("a multiclass task needs n_classes >= 2")

    @property
    def input_dim(self) -> int:
        """Width of what the first recurrent layer sees at each step."""
        return self.embedding_dim if self.input == "tokens" else self.n_features

    @property
    def output_dim(self) -> int:
        return self.n_classes if self.task == "multiclass" else 1

    @property
    def output_activation(self) -> str:
        return {"binary": "sigmoid", "multiclass": "softmax", "regression": "linear"}[self.task]

    def to_dict(self) -> dict:
        data = dataclasses.asdict(self)
        data["recurrent"] = list(self.recurrent)
        data["head"] = list(self.head)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "ModelSpec":
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise SpecError(f"unknown spec fields: {sorted(unknown)}")
        try:
            return cls(**data)
        except TypeError as err:
            raise SpecError(str(err)) from None

    def replace(self, **changes) -> "ModelSpec":
        return dataclasses.replace(self, **changes)
