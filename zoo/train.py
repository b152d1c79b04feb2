"""Training a backend on a dataset, end to end: prepare, fit with early stopping, score, checkpoint.

The UI and the CLI both call :func:`train` and :func:`evaluate`; neither knows about frameworks.
"""
from __future__ import annotations

import datetime
import platform
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import __version__, checkpoint
from .backend import Backend, Callback, History, Progress
from .datasets import load_dataset
from .errors import CheckpointError
from .memory import split_memory_use
from .messages import message
from .metrics import score
from .paths import cache_dir
from .plugins import registry
from .prepare import Prepared, forecast_levels, prepare
from .spec import ModelSpec


@dataclass
class TrainConfig:
    epochs: int = 20
    batch_size: int = 32
    lr: float = 1e-3
    seed: int = 0
    patience: int = 3  # epochs without a better validation loss before stopping
    clip_norm: float | None = 1.0
    split_seed: int = 0
    window: int = 24  # series: steps per input window (the seed's input_shape=(24, …))
    target: str = "forecast"  # series: "forecast" (regression) or "updown" (binary)
    max_vocab: int = 4000
    max_length: int = 100
    max_minutes: float | None = None  # stop then, keeping the best epoch so far (None: no limit)
    forget_bias: float = 1.0  # an LSTM's initial forget-gate bias; larger starts it out remembering longer


@dataclass
class TrainResult:
    model: Backend
    history: History
    metrics: dict
    path: Path | None
    prepared: Prepared
    out_of_time: bool = False  # stopped by config.max_minutes


def default_checkpoint_dir() -> Path:
    return cache_dir() / "checkpoints"


def prepare_dataset(dataset: str, dataset_params: dict, config: TrainConfig, spec: ModelSpec | None = None,
                    state: dict | None = None) -> Prepared:
    return prepare(load_dataset(dataset, **dataset_params), spec=spec, split_seed=config.split_seed,
                   max_vocab=config.max_vocab, max_length=config.max_length, window=config.window,
                   target=config.target, state=state)


def train(backend: str, dataset: str, *, dataset_params: dict | None = None, config: TrainConfig | None = None,
          spec: ModelSpec | None = None, callback: Callback | None = None, out: Path | str | None = None,
          save: bool = True) -> TrainResult:
    """Train ``backend`` on ``dataset``; stop early when validation loss stops improving, or when
    ``config.max_minutes`` have passed, and keep the best epoch's weights. Saves a checkpoint (to ``out``
    or the per-user cache) unless ``save`` is False, the callback cancelled the training, or time ran out
    before a first epoch ended: such a run leaves no file behind."""
    config = config or TrainConfig()
    dataset_params = dataset_params or {}
    prepared = prepare_dataset(dataset, dataset_params, config, spec)
    model = registry().create(backend, prepared.spec, seed=config.seed, forget_bias=config.forget_bias)
    stopper = EarlyStopping(model, config.patience, callback, config.max_minutes)
    history = model.fit(prepared.train, prepared.validation, epochs=config.epochs, batch_size=config.batch_size,
                        lr=config.lr, seed=config.seed, clip_norm=config.clip_norm, callback=stopper)
    stopper.restore_best()
    stopped_on_purpose = stopper.stopped_early or (stopper.out_of_time and stopper.best_weights is not None)
    history.cancelled = history.cancelled and not stopped_on_purpose
    metrics = test_scores(model, prepared)
    path = None
    if save and not history.cancelled:
        path = Path(out) if out else default_checkpoint_dir()
        if path.suffix != ".safetensors":
            path = path / f"{dataset}-{backend}-seed{config.seed}.safetensors"
        model.save(path, {
            "dataset": dataset, "dataset_params": dataset_params, "config": vars(config),
            "preprocessing": prepared.state, "metrics": metrics, "memory": split_memory_use(model, prepared.test),
            "history": history.to_dict(),
            "best_epoch": stopper.best_epoch, "stopped_early": stopper.stopped_early,
            "stopped_at_time_limit": stopper.out_of_time, "versions": versions(model), "created": _now(),
        })
    return TrainResult(model, history, metrics, path, prepared, stopper.out_of_time)


class EarlyStopping:
    """A fit callback: passes progress on, remembers the best epoch's weights, stops after ``patience``
    epochs without improvement or once ``max_minutes`` have passed. Cancelling through the wrapped
    callback still works."""

    def __init__(self, model: Backend, patience: int, callback: Callback | None, max_minutes: float | None = None):
        self.model, self.patience, self.callback = model, patience, callback
        self.best_loss, self.best_epoch, self.best_weights = np.inf, 0, None
        self.stopped_early = self.out_of_time = False
        self.deadline = None if max_minutes is None else time.monotonic() + 60 * max_minutes

    def __call__(self, progress: Progress):
        if self.callback is not None and self.callback(progress) is False:
            return False
        if progress.epoch_end and progress.val_loss is not None:
            if progress.val_loss < self.best_loss:
                self.best_loss, self.best_epoch = progress.val_loss, progress.epoch
                self.best_weights = self.model.get_weights()
            elif progress.epoch - self.best_epoch >= self.patience:
                self.stopped_early = True
                return False
        if self.deadline is not None and time.monotonic() > self.deadline:
            self.out_of_time = True
            return False
        return True

    def restore_best(self) -> None:
        if self.best_weights is not None:
            self.model.set_weights(self.best_weights)


def test_scores(model: Backend, prepared: Prepared) -> dict:
    output = model.predict(prepared.test.x, prepared.test.lengths)
    if prepared.task == "regression" and prepared.state["kind"] == "series":
        levels = forecast_levels(output[:, 0], prepared.test.x[:, -1, 0], prepared.state)
        return score("regression", prepared.raw["test"]["targets"], levels)
    y = prepared.test.y
    return score(prepared.task, y, output[:, 0] if prepared.task != "multiclass" else output)


def evaluate(path) -> dict:
    """Score a checkpoint on its test split, next to the baselines trained on the same training split."""
    from .baselines import baseline_scores

    meta = checkpoint.read_metadata(path)
    if "dataset" not in meta:
        raise CheckpointError(message("checkpoint_no_dataset", file=Path(path).name))
    model = Backend.load(path)
    config = TrainConfig(**meta["config"])
    prepared = prepare_dataset(meta["dataset"], meta["dataset_params"], config, model.spec, state=meta["preprocessing"])
    return {
        "checkpoint": str(path),
        "backend": meta["backend"],
        "dataset": meta["dataset"],
        "task": prepared.task,
        "test_size": len(prepared.test),
        "metrics": test_scores(model, prepared),
        "baselines": baseline_scores(prepared),
        "memory": split_memory_use(model, prepared.test),
    }


def versions(model: Backend) -> dict:
    entry = registry().backend(model.name)
    out = {"rnn-zoo": __version__, "python": platform.python_version(), "numpy": np.__version__}
    out[entry.info.module] = registry().framework_version(entry)
    return out


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
