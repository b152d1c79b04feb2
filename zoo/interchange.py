"""Models in and out of the zoo: a user's own Keras or PyTorch file becomes a checkpoint in the canonical
layout (``zoo import``), and a checkpoint becomes an ordinary Keras or PyTorch file (``zoo export``).

The readers and writers import their framework, so they live with the plugins that bring it and are
registered through the ``register_formats`` hook (zoo_keras: ``.keras`` and ``.h5``; zoo_torch: ``.pt``,
``.pth`` and state_dict ``.safetensors``), a third party's exactly like ours. This module holds what they
share: what a reader returns, vocabulary files, the parity check against the file's own framework, and
writing the checkpoint every tab and command then reads.

Nothing in a user's file is executed: readers load weights and configuration only (``torch.load`` with
``weights_only=True``; a Keras configuration is read as JSON and refused when it names anything but the
layers the canonical model has).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from .errors import BackendUnavailable, CheckpointError, InputError, ZooError
from .family import family
from .limits import checked_file
from .messages import message
from .plugins import registry, resolve
from .spec import ModelSpec
from .text import PAD, UNK
from .weights import Weights, check_weights

PARITY_TOLERANCE = 1e-5  # float32 against float32: what parity promises
PARITY_ROWS, PARITY_STEPS = 4, 12  # random inputs the check runs
DEFAULT_MAX_LENGTH = 200  # tokens of a text an imported text model reads, when nothing says otherwise
DEFAULT_WINDOW = 24  # steps of a series an imported numeric model reads, when its file fixes none


@dataclass
class Imported:
    """A foreign model in the canonical layout: what a format's reader returns.

    ``original`` runs the file's model in its own framework: (N, T) int64 ids or (N, T, F) float32 steps
    in, (N, output_dim) outputs of the last step out (probabilities for classification), dropout off.
    Parity compares every zoo backend of the family with it.
    """

    spec: ModelSpec
    family: str
    weights: Weights
    framework: str  # the file's own, for messages: "Keras", "PyTorch"
    original: Callable[[np.ndarray], np.ndarray]
    notes: list[str] = field(default_factory=list)  # what the reader assumed (a flag's default) or left out (Dropout)
    vocabulary: list[str] | None = None  # tokens by id, when the file carries them (a TextVectorization layer)
    steps: int | None = None  # the sequence length the file fixes (an input_shape), if any

    def __post_init__(self):
        self.weights = check_weights(self.weights, self.spec, family(self.family))


@dataclass
class ImportResult:
    path: Path  # the checkpoint written
    backend: str  # the backend it names (the first installed one of its family)
    framework: str  # the file's own
    spec: ModelSpec
    family: str
    parity: dict[str, float]  # backend -> largest |difference| from the file's own framework
    notes: list[str]

    def to_dict(self) -> dict:
        return {"checkpoint": str(self.path), "backend": self.backend, "framework": self.framework, "family": self.family,
                "spec": self.spec.to_dict(),
                "max_abs_diff": self.parity, "within_tolerance": max(self.parity.values()) <= PARITY_TOLERANCE,
                "notes": self.notes}


def _read_model_file(path: Path, entry, *, head_activation: str | None, task: str | None) -> Imported:
    """A user's model file through ``entry``'s reader (the installed format that takes its suffix)."""
    reader = resolve(entry.info.reader)
    try:
        return reader(path, head_activation=head_activation, task=task)
    except ZooError:  # the reader's own refusal, or weights that are not finite (Imported checks them)
        raise
    except Exception as err:  # a reader that trips over a file it should have refused: still one clear line
        raise CheckpointError(message("import_unreadable", file=path.name, framework=entry.info.framework,
                                      error=f"{type(err).__name__}: {err}")) from None


def read_vocabulary(path, vocab_size: int) -> list[str]:
    """Tokens by id from a vocabulary file: one token a line (line k is id k), a JSON object token → id,
    or a JSON list (a Keras TextVectorization ``get_vocabulary()``). Id 0 is padding and id 1 the
    unknown token, as in the zoo and in TextVectorization; words outside the vocabulary read as id 1."""
    path = checked_file(path, "upload_mb", error=InputError)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(message("vocabulary_not_utf8", file=path.name)) from None
    tokens: list[str]
    if path.suffix.lower() == ".json" or text.lstrip().startswith(("{", "[")):
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as err:
            raise InputError(message("vocabulary_bad_json", file=path.name, error=err.msg, line=err.lineno)) from None
        if isinstance(loaded, list) and all(isinstance(t, str) for t in loaded):
            tokens = loaded
        elif isinstance(loaded, dict) and all(isinstance(k, str) and isinstance(v, int) for k, v in loaded.items()):
            if sorted(loaded.values()) != list(range(len(loaded))) and sorted(loaded.values()) != list(range(1, len(loaded) + 1)):
                raise InputError(message("vocabulary_gaps", file=path.name))
            by_id = {v: k for k, v in loaded.items()}
            tokens = [by_id.get(i, PAD if i == 0 else f"<id {i}>") for i in range(max(by_id) + 1)]
        else:
            raise InputError(message("vocabulary_bad_json_shape", file=path.name))
    else:
        tokens = text.splitlines()
    if len(tokens) > vocab_size:
        raise InputError(message("vocabulary_too_big", file=path.name, tokens=len(tokens), size=vocab_size))
    if len(set(tokens)) != len(tokens):
        raise InputError(message("vocabulary_duplicate", file=path.name))
    return _with_padding_and_unknown(tokens, vocab_size)


def id_vocabulary(vocab_size: int) -> list[str]:
    """Without a vocabulary file a text model reads token ids: typing "12 5 7" gives ids 12, 5 and 7."""
    return _with_padding_and_unknown([str(i) for i in range(vocab_size)], vocab_size)


def _with_padding_and_unknown(tokens: list[str], vocab_size: int) -> list[str]:
    """Ids 0 and 1 named as the zoo names them (whatever the file calls them), the rest padded to the
    embedding's size so every id the model has stays addressable."""
    tokens = [PAD, UNK, *tokens[2:]]
    return tokens + [f"<id {i}>" for i in range(len(tokens), vocab_size)]


def preprocessing(imported: Imported, vocabulary: list[str] | None) -> dict:
    """What the lab and the CLI need to feed the model: a text model's vocabulary and length, a numeric
    model's window (it reads the series as it is: no scaler, the file's model saw raw numbers)."""
    spec = imported.spec
    classes = [f"class {k}" for k in range(max(spec.output_dim, 2))] if spec.task != "regression" else []
    if spec.input == "tokens":
        tokens = vocabulary or imported.vocabulary
        return {"kind": "text", "vocabulary": tokens if tokens else id_vocabulary(spec.vocab_size),
                "max_length": imported.steps or DEFAULT_MAX_LENGTH, "classes": classes}
    return {"kind": "series", "window": imported.steps or DEFAULT_WINDOW, "target": "sequence", "classes": classes}


def parity(imported: Imported, seed: int = 0) -> dict[str, float]:
    """Largest |difference| between the file's own framework and every installed backend of the family,
    on random inputs, for the imported weights."""
    spec = imported.spec
    names = [e.name for e in registry().available_backends(imported.family)]
    if not names:
        raise BackendUnavailable(f"no installed backend runs {family(imported.family).title}: "
                                 "install one (`zoo backends` lists what there is)")
    rng = np.random.default_rng(seed)
    if spec.input == "tokens":
        x = rng.integers(1, spec.vocab_size, size=(PARITY_ROWS, PARITY_STEPS))
    else:
        x = rng.normal(size=(PARITY_ROWS, imported.steps or PARITY_STEPS, spec.n_features)).astype(np.float32)
    want = np.asarray(imported.original(x), dtype=np.float64)
    diffs = {}
    for name in names:
        model = registry().create(name, spec)
        model.set_weights(imported.weights)
        diffs[name] = float(np.max(np.abs(model.predict(x).astype(np.float64) - want)))
    return diffs


def import_model(path, out=None, *, vocabulary=None, head_activation: str | None = None, task: str | None = None) -> ImportResult:
    """Read a user's model file, check it against its own framework in every backend of its family, and
    write it as a checkpoint (to ``out``, or the per-user cache, where the lab lists it)."""
    from .train import default_checkpoint_dir

    path = checked_file(path, "checkpoint_mb", error=InputError)
    entry = registry().format_for(path)
    imported = _read_model_file(path, entry, head_activation=head_activation, task=task)
    tokens = read_vocabulary(vocabulary, imported.spec.vocab_size) if vocabulary is not None else None
    if tokens is not None and imported.spec.input != "tokens":
        raise InputError(message("vocabulary_not_tokens", file=path.name))
    diffs = parity(imported)
    worst = max(diffs, key=diffs.get)
    if diffs[worst] > PARITY_TOLERANCE:
        raise CheckpointError(message("import_parity_failed", file=path.name, backend=worst, framework=imported.framework,
                                      diff=diffs[worst], tolerance=PARITY_TOLERANCE))
    # The checkpoint names a backend of the file's own framework where there is one: a PyTorch LSTM stays torch's.
    backend = next((name for name in diffs if registry().backend(name).info.module == entry.info.module), next(iter(diffs)))
    model = registry().create(backend, imported.spec)
    model.set_weights(imported.weights)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", path.stem).strip(".-")[:40] or "model"
    target = Path(out) if out else default_checkpoint_dir() / f"imported-{stem}-{backend}.safetensors"
    model.save(target, {
        "dataset": f"imported {path.name}",
        "preprocessing": preprocessing(imported, tokens),
        "imported": {"file": path.name, "framework": imported.framework, "max_abs_diff": diffs, "notes": imported.notes},
        "metrics": {},
    })
    return ImportResult(target, backend, imported.framework, imported.spec, imported.family, diffs, imported.notes)


def export_model(checkpoint_path, to: str, out) -> list[Path]:
    """Write a checkpoint as an ordinary file of format ``to`` (``keras``, ``torch``, …); the files written."""
    from .backend import Backend

    model = Backend.load(checkpoint_path)
    entry = registry().format(to)
    return list(resolve(entry.info.writer)(model.spec, model.family, model.get_weights(), Path(out)))
