"""The trained defaults the lab opens with: every bundled backend on one text and one series task.

``zoo pretrain`` (``make pretrained``) reproduces the files in ``zoo/pretrained/``: training is seeded
and deterministic, so the command rebuilds the same weights. Each file is well under 1 MB.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .train import TrainConfig, TrainResult, train

PRETRAINED_DIR = Path(__file__).parent / "pretrained"
BUNDLED_BACKENDS = ("keras-lstm", "torch-lstm", "numpy-rnn")


@dataclass(frozen=True)
class DefaultRun:
    dataset: str
    config: TrainConfig
    spec_changes: dict = field(default_factory=dict)


# A 32-wide embedding keeps a 4000-word vocabulary under 1 MB; lr 5e-4 because at 1e-3 the
# validation loss is lowest after the first epoch and rises from there.
DEFAULT_RUNS = (
    DefaultRun("rotten-tomatoes", TrainConfig(epochs=15, lr=5e-4), {"embedding_dim": 32}),
    DefaultRun("sunspots", TrainConfig(epochs=30, target="forecast")),
)


def pretrained_path(dataset: str, backend: str, directory: Path = PRETRAINED_DIR) -> Path:
    return directory / f"{dataset}-{backend}-seed0.safetensors"


def pretrain(directory: Path = PRETRAINED_DIR, backends=BUNDLED_BACKENDS, callback=None) -> list[TrainResult]:
    from .spec import ModelSpec

    results = []
    for run in DEFAULT_RUNS:
        spec = ModelSpec().replace(**run.spec_changes)
        for backend in backends:
            results.append(train(backend, run.dataset, config=run.config, spec=spec, callback=callback,
                                 out=pretrained_path(run.dataset, backend, Path(directory))))
    return results
