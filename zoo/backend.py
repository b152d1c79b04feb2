"""The one interface every backend implements, and the parts of it that are the same for all of them.

A backend subclasses :class:`Backend` and fills in the underscored methods. The public methods check
their input, keep the canonical layouts and run the training loop, so every backend sees the same
batches in the same order, reports progress the same way and fails with the same messages.

Padding policy: token sequences are right-padded with id 0 and ``lengths`` says how many steps are
real; a model's output for a sequence is its head applied to the top layer's state at step
``length - 1``. Steps after that never influence it.
"""
from __future__ import annotations

import abc
import contextlib
import inspect
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, ClassVar

import numpy as np

from . import checkpoint, reference
from .errors import BackendError, BackendUnavailable, CheckpointError, InputError, NotFittedError, ZooError
from .family import family
from .intervention import Intervention
from .messages import message
from .sequences import SequenceData
from .spec import ModelSpec
from .trace import LayerTrace, Trace
from .weights import Weights, check_weights, init_weights

# Adam with these constants for every backend (Keras's epsilon; PyTorch's default differs).
ADAM_BETAS = (0.9, 0.999)
ADAM_EPSILON = 1e-7


@dataclass
class Progress:
    """What a training callback is told after every batch and at the end of every epoch."""

    epoch: int  # 1-based
    epochs: int
    step: int  # batches done in this epoch
    steps: int  # batches per epoch
    loss: float  # running mean of the training loss in this epoch
    val_loss: float | None = None  # set at the end of an epoch when there is validation data
    epoch_end: bool = False


@dataclass
class History:
    loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    cancelled: bool = False
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return {"loss": self.loss, "val_loss": self.val_loss, "cancelled": self.cancelled, "seconds": self.seconds}


Callback = Callable[[Progress], "bool | None"]


def batch_order(n: int, batch_size: int, seed: int, epoch: int) -> list[np.ndarray]:
    """The shuffled batches of one epoch: the same for every backend given the same seed."""
    order = np.random.default_rng([seed, epoch]).permutation(n)
    return [order[start:start + batch_size] for start in range(0, n, batch_size)]


class Backend(abc.ABC):
    """A recurrent model built from a :class:`ModelSpec` on some framework.

    Subclasses set ``family`` (``lstm``, ``gru`` or ``rnn``: a name in zoo.family, which gives the
    layout of its weights and traces) and implement the underscored methods. Construction builds the
    model and gives it the seeded canonical initialisation shared by all backends.
    """

    family: ClassVar[str]
    # "what-if": trace() takes an Intervention (clamp a forget gate, silence units) through _what_if.
    capabilities: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, spec: ModelSpec | None = None, *, seed: int = 0, name: str | None = None,
                 forget_bias: float = 1.0):
        self.spec = spec or ModelSpec()
        self.name = name or type(self).__name__
        self.fitted = False
        self.layout = family(self.family)
        self._build(seed)
        self._write_weights(init_weights(self.spec, seed, self.layout, forget_bias=forget_bias))

    # ----- what a backend implements -----
    @abc.abstractmethod
    def _build(self, seed: int) -> None:
        """Create the framework model for ``self.spec``; weights are written right after."""

    @abc.abstractmethod
    def _read_weights(self) -> Weights:
        """The model's weights in the canonical layout (see zoo.weights)."""

    @abc.abstractmethod
    def _write_weights(self, weights: Weights) -> None:
        """Load checked, float32, canonical weights into the model."""

    @abc.abstractmethod
    def _predict(self, x: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """(N, output_dim) outputs (probabilities for classification) for a checked batch."""

    @abc.abstractmethod
    def _trace(self, x: np.ndarray) -> tuple[list[LayerTrace], np.ndarray]:
        """Per-layer traces and the (T, output_dim) per-step readout of one checked sequence."""

    def _what_if(self, x: np.ndarray, intervention: Intervention) -> tuple[list[LayerTrace], np.ndarray]:
        """_trace with one layer overridden as ``intervention`` says; for backends with "what-if"."""
        raise NotImplementedError

    @abc.abstractmethod
    def _gradients(self, x: np.ndarray, y: float) -> np.ndarray:
        """(layers, T): the norm of the loss's derivative with respect to each layer's h_t."""

    @abc.abstractmethod
    def _start_training(self, lr: float, clip_norm: float | None, seed: int) -> None:
        """Create a fresh Adam optimiser (ADAM_BETAS, ADAM_EPSILON) and seed dropout."""

    @abc.abstractmethod
    def _train_step(self, batch: SequenceData) -> float:
        """One optimiser step on a checked batch; returns the batch's mean loss before the step."""

    # ----- the public contract -----
    def get_weights(self) -> Weights:
        return {name: np.array(value, dtype=np.float32) for name, value in self._read_weights().items()}

    def set_weights(self, weights: Weights) -> None:
        self._write_weights(check_weights(weights, self.spec, self.layout))
        self.fitted = True

    def fit(
        self,
        train: SequenceData,
        validation: SequenceData | None = None,
        *,
        epochs: int = 10,
        batch_size: int = 32,
        lr: float = 1e-3,
        seed: int = 0,
        clip_norm: float | None = None,
        callback: Callback | None = None,
    ) -> History:
        """Train with Adam. ``callback(progress)`` is called after every batch and epoch; returning
        False cancels (the weights keep what was learnt so far and ``history.cancelled`` is set)."""
        if epochs < 1 or batch_size < 1 or not lr > 0:
            raise InputError(message("training_settings"))
        train = self._check_data(train)
        validation = self._check_data(validation) if validation is not None else None
        history = History()
        started = time.perf_counter()
        self._start_training(lr, clip_norm, seed)
        self.fitted = True
        for epoch in range(1, epochs + 1):
            batches = batch_order(len(train), batch_size, seed, epoch)
            total, seen = 0.0, 0
            for step, index in enumerate(batches, start=1):
                total += self._train_step(train.take(index)) * len(index)
                seen += len(index)
                progress = Progress(epoch, epochs, step, len(batches), total / seen)
                if callback is not None and callback(progress) is False:
                    history.cancelled = True
                    break
            history.loss.append(progress.loss)
            if history.cancelled:
                break
            if validation is not None:
                history.val_loss.append(self.loss(validation))
            end = Progress(epoch, epochs, len(batches), len(batches), progress.loss,
                           history.val_loss[-1] if validation is not None else None, epoch_end=True)
            if callback is not None and callback(end) is False:
                history.cancelled = True
                break
        history.seconds = time.perf_counter() - started
        return history

    def predict(self, x, lengths=None, *, batch_size: int = 256) -> np.ndarray:
        """(N, output_dim) float32: probabilities for classification, values for regression."""
        if not self.fitted:
            raise NotFittedError(message("not_fitted", backend=self.name))
        data = self._check_data(SequenceData(x, np.zeros(len(np.asarray(x))), lengths))
        with self._plugin_code("predict"):
            parts = [
                self._predict(data.x[start:start + batch_size], data.lengths[start:start + batch_size])
                for start in range(0, len(data), batch_size)
            ]
        return self._checked_output(np.concatenate(parts), (len(data), self.spec.output_dim), "predict")

    def loss(self, data: SequenceData) -> float:
        """The training loss on ``data`` with dropout off."""
        return reference.mean_loss(self.predict(data.x, data.lengths), data.y, self.spec.task)

    def trace(self, x, tokens: list[str] | None = None, intervention: Intervention | None = None) -> Trace:
        """Every layer's per-step states (and gates) for one sequence, and the head at every step; with
        an ``intervention``, the same run with a forget gate clamped or units silenced (what-if)."""
        x = self._check_sequence(x)
        if intervention is not None:
            if "what-if" not in self.capabilities:
                raise BackendUnavailable(f"{self.name} does not offer what-if runs")
            intervention.check(self.spec.recurrent, self.layout)
        with self._plugin_code("trace"):
            layers, readout = self._trace(x) if intervention is None else self._what_if(x, intervention)
        steps = len(x)
        readout = self._checked_output(readout, (steps, self.spec.output_dim), "trace readout")
        return Trace(backend=self.name, layers=self._checked_layers(layers, steps), readout=readout, tokens=tokens)

    def gradients(self, x, y) -> np.ndarray:
        """(layers, T) float64: ‖∂L/∂h_t‖ for each layer and step, L the loss of one sequence."""
        x = self._check_sequence(x)
        self._check_data(SequenceData(x[None], np.asarray([y])))
        return np.asarray(self._gradients(x, y), dtype=np.float64)

    def save(self, path, metadata: dict | None = None) -> Path:
        """Write the model as a checkpoint (zoo.checkpoint): its canonical weights, and a header saying
        which backend wrote it, its family and spec, after whatever ``metadata`` the caller adds."""
        header = {**(metadata or {}), "backend": self.name, "family": self.family, "spec": self.spec.to_dict()}
        return checkpoint.write(path, self.get_weights(), header)

    @classmethod
    def load(cls, path, *, name: str | None = None) -> "Backend":
        """A model from a checkpoint. ``Backend.load`` builds the backend that wrote it, or the installed
        backend ``name``; a subclass builds itself from any checkpoint whose weights are of its family
        (weights are canonical, so a Keras LSTM reads a PyTorch LSTM's file)."""
        header, weights = checkpoint.read(path)
        missing = [key for key in ("backend", "family", "spec") if key not in header]
        if missing:
            raise CheckpointError(message("checkpoint_missing_fields", file=Path(path).name, fields=", ".join(missing)))
        if inspect.isabstract(cls):
            from .plugins import registry  # the registry finds backends; no backend module needs it

            name = name or header["backend"]
            cls = registry().backend_class(name)
        if header["family"] != cls.family:
            raise CheckpointError(message("checkpoint_wrong_family", file=Path(path).name, family=header["family"],
                                          backend=header["backend"], wanted=cls.family))
        model = cls(ModelSpec.from_dict(header["spec"]), name=name)
        model.set_weights(weights)
        return model

    # ----- what every answer of a plugin is checked for -----
    @contextlib.contextmanager
    def _plugin_code(self, what: str):
        """Any exception from a backend's own code becomes a BackendError that names it, so one broken
        plugin gives one clear message instead of a traceback."""
        try:
            yield
        except ZooError:
            raise
        except Exception as err:
            raise BackendError(message("backend_failed_in", backend=self.name, what=what, error=f"{type(err).__name__}: {err}")) from err

    def _checked_output(self, value, shape: tuple[int, ...], what: str) -> np.ndarray:
        value = np.asarray(value, dtype=np.float32)
        if value.shape != shape:
            raise BackendError(message("backend_wrong_shape", backend=self.name, what=what, shape=value.shape, expected=shape))
        return value

    def _checked_layers(self, layers: list[LayerTrace], steps: int) -> list[LayerTrace]:
        if len(layers) != len(self.spec.recurrent):
            raise BackendError(message("backend_wrong_layers", backend=self.name, traced=len(layers), layers=len(self.spec.recurrent)))
        layout = self.layout
        for k, (layer, units) in enumerate(zip(layers, self.spec.recurrent)):
            if sorted(layer.gates) != sorted(layout.gates):
                raise BackendError(message("backend_wrong_gates", backend=self.name, gates=sorted(layer.gates), layer=k,
                                           family=layout.title, expected=sorted(layout.gates)))
            if (layer.c is not None) != layout.cell_state:
                raise BackendError(message("backend_no_cell_state", backend=self.name, layer=k, family=layout.title)
                                   if layer.c is None else
                                   message("backend_stray_cell_state", backend=self.name, layer=k, family=layout.title))
            for name, value in layer.quantities().items():
                self._checked_output(value, (steps, units), f"layer {k} {name}")
        return layers

    # ----- input checks shared by all -----
    def _check_sequence(self, x) -> np.ndarray:
        x = np.asarray(x)
        if self.spec.input == "features" and x.ndim == 1 and self.spec.n_features == 1:
            x = x[:, None]
        want = 1 if self.spec.input == "tokens" else 2
        if x.ndim != want:
            raise InputError(message("sequence_dimensions", want=want, kind=self.spec.input, shape=x.shape))
        return self._check_data(SequenceData(x[None], np.zeros(1))).x[0]

    def _check_data(self, data: SequenceData) -> SequenceData:
        spec, x = self.spec, data.x
        steps = x.shape[1]
        if steps == 0:
            raise InputError(message("sequence_no_steps"))
        if spec.input == "tokens":
            if x.ndim != 2:
                raise InputError(message("tokens_shape", shape=x.shape))
            if not np.issubdtype(x.dtype, np.integer):
                raise InputError(message("tokens_not_integers", dtype=x.dtype))
            if x.min() < 0 or x.max() >= spec.vocab_size:
                raise InputError(message("tokens_out_of_range", size=spec.vocab_size, low=x.min(), high=x.max()))
            x = x.astype(np.int64, copy=False)
        else:
            if x.ndim != 3 or x.shape[2] != spec.n_features:
                raise InputError(message("features_shape", features=spec.n_features, shape=x.shape))
            if not np.issubdtype(x.dtype, np.number):
                raise InputError(message("features_not_numbers", dtype=x.dtype))
            x = x.astype(np.float32, copy=False)
            if not np.isfinite(x).all():
                raise InputError(message("features_not_finite"))
        lengths = data.lengths
        if lengths.shape != (len(x),) or lengths.min() < 1 or lengths.max() > steps:
            raise InputError(message("bad_lengths", steps=steps, count=len(x)))
        y = data.y
        if not np.issubdtype(y.dtype, np.number) or not np.isfinite(y.astype(np.float64)).all():
            raise InputError(message("targets_not_finite"))
        if spec.task == "binary" and not np.isin(y, (0, 1)).all():
            raise InputError(message("binary_targets"))
        if spec.task == "multiclass" and (not np.all(np.mod(y, 1) == 0) or y.min() < 0 or y.max() >= spec.n_classes):
            raise InputError(message("class_ids", classes=spec.n_classes))
        y = y.astype(np.int64 if spec.task == "multiclass" else np.float32)
        return SequenceData(x, y, lengths)
