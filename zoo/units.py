"""The unit explorer: what each unit does across a whole dataset split, not one input at a time.

Karpathy, Johnson & Fei-Fei (2015) found interpretable cells by their top-activating contexts and
measured gate saturation over a dataset; LSTMVis (Strobelt, Gehrmann et al. 2017) lets a person select
a span where some units are on and off around it, then matches other spans where those units do the
same. Both work on precomputed states of one framework; here every backend's ``trace`` feeds them.

The flow, in three parts so that only the middle one touches a model:

1. :func:`dataset_split`, :func:`text_split`, :func:`series_split` make a :class:`Split`: the input
   sequences and what was read at every step (a word, a symbol or a value), from the checkpoint's
   own preprocessing. No model is loaded.
2. :func:`split_states` traces every sequence through a model and returns plain arrays; the lab runs it
   in the backend's worker process (zoo.workers, through :func:`worker_states`), the CLI here.
   :func:`states` computes them once per checkpoint and split and caches them as .npy arrays.
3. Everything else reads :class:`States` only: rankings, contexts, per-token means, saturation,
   select/match and the per-unit correlation of two models.

States are stored as LSTMVis stores them: every sequence one after another along one time axis,
without padding, so step ``s`` of the split is one row of every array.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import tempfile
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from . import __version__, checkpoint
from .errors import InputError
from .family import family as family_of
from .limits import LIMITS, checked_file, max_bytes
from .messages import message
from .paths import cache_dir
from .prepare import SPLITS

SATURATED = (0.1, 0.9)  # a sigmoid gate below the first is shut, above the second open (Karpathy et al. 2015)
CONTEXT_WINDOW = 5  # steps shown either side of a context's step
STATES_VERSION = 1  # raised when what split_states stores changes: old cache files then miss


# ----- 1. what to run the model over -----
@dataclass
class Split:
    """Input sequences for one model and what each step read, all sequences one after another."""

    x: np.ndarray  # (N, T) token ids or (N, T, F) floats, right-padded
    lengths: np.ndarray  # (N,) real steps per sequence
    labels: list[str]  # (S,) S = lengths.sum(): the word, symbol or value each step read
    discrete: bool  # labels are tokens (words, symbols): per-token means make sense
    name: str  # for titles: "long-dependency, test split (450 sequences)"
    key: dict  # JSON: what identifies this input in the cache, with the checkpoint's digest


def checkpoint_path(name) -> Path:
    """A checkpoint file, or the id of a model the lab lists (``default/<file stem>``, ``trained/<file stem>``)."""
    path = Path(name)
    if path.is_file():
        return path
    from .workbench import catalog  # reads checkpoint headers only: no framework

    for card in catalog():
        if card.id == str(name):
            return card.path
    raise InputError(message("no_checkpoint_or_lab_model", name=str(name)))


def _metadata(checkpoint_path) -> dict:
    meta = checkpoint.read_metadata(checkpoint_path)
    if "preprocessing" not in meta:
        raise InputError(message("no_preprocessing_record", file=Path(checkpoint_path).name))
    return meta


def dataset_split(checkpoint_path, dataset: str | None = None, split: str = "test") -> Split:
    """A registered dataset's split, prepared as the checkpoint's training prepared it (its vocabulary or
    scaler, its split seed). ``dataset`` is the checkpoint's own by default. A series is cut into
    non-overlapping windows of the model's own length, so each step is read once, as in training.
    Remembered per checkpoint file: preparing the reviews takes seconds, the tab's next question none."""
    path = Path(checkpoint_path)
    if not path.is_file():
        raise InputError(message("no_file_at", what=message("what_checkpoint"), path=str(path)))
    return _dataset_split(str(path.resolve()), path.stat().st_mtime_ns, dataset, split)


@functools.lru_cache(maxsize=16)
def _dataset_split(checkpoint_path: str, mtime_ns: int, dataset: str | None, split: str) -> Split:
    # mtime_ns is only part of the memo's key: a checkpoint written again is prepared again
    from .datasets import SequenceDataset, SeriesDataset, TextDataset, load_dataset
    from .prepare import prepare
    from .spec import ModelSpec
    from .train import TrainConfig

    if split not in SPLITS:
        raise InputError(message("split_one_of", splits=", ".join(SPLITS), split=split))
    meta = _metadata(checkpoint_path)
    own = meta.get("dataset")
    name = dataset or own
    if name is None:
        raise InputError(message("no_dataset_recorded", file=Path(checkpoint_path).name))
    config = TrainConfig(**meta["config"]) if "config" in meta else TrainConfig()
    params = meta.get("dataset_params", {}) if name == own else {}
    state = meta["preprocessing"]
    loaded = load_dataset(name, **params)
    reads_text = meta["spec"]["input"] == "tokens"
    if (loaded.kind == "text") != reads_text:
        raise InputError(message("dataset_not_text", name=name, kind=loaded.kind) if reads_text
                         else message("dataset_is_text", name=name))
    # Its fitted preprocessing (a vocabulary, a scaler and window, nothing for ready-made sequences) reads one shape of data only.
    shapes = {"text": TextDataset, "series": SeriesDataset, "sequences": SequenceDataset}
    if not isinstance(loaded, shapes.get(state.get("kind"), ())):
        raise InputError(message("preprocessing_cannot_read", kind=state.get("kind"), name=name,
                                 type=type(loaded).__name__))
    prepared = prepare(loaded, spec=ModelSpec.from_dict(meta["spec"]), split_seed=config.split_seed,
                       max_vocab=config.max_vocab, max_length=config.max_length, window=config.window,
                       target=config.target, state=state)
    data, raw = getattr(prepared, split), prepared.raw[split]
    rows = np.arange(len(data))
    if state.get("kind") == "series":  # sliding windows overlap: keep every window-th one
        rows = rows[:: state["window"]]
    x, lengths = data.x[rows], data.lengths[rows]
    if reads_text:
        from .text import tokenize

        labels = [token for i in rows for token in tokenize(raw["texts"][i])[: int(data.lengths[i])]]
    else:
        labels = _step_labels(raw["windows"][rows], state)
    key = {"dataset": name, "params": params, "split": split, "rows": len(rows)}
    return Split(x, lengths, labels, reads_text or "symbols" in state,
                 f"{name}, {split} split ({len(rows):,} sequences)", key)


def _step_labels(windows: np.ndarray, state: dict) -> list[str]:
    """(N, T, F) raw steps as one label each: the symbol a one-hot step stands for, else its first value."""
    if "symbols" in state:
        return [state["symbols"][k] for k in np.asarray(windows).argmax(axis=2).ravel()]
    return [f"{v:.4g}" for v in np.asarray(windows)[:, :, 0].ravel()]


def text_split(checkpoint_path, texts: list[str]) -> Split:
    """A person's own texts (one sequence each) under the checkpoint's vocabulary; blank ones are skipped."""
    from .prepare import encode_tokens
    from .text import tokenize

    meta = _metadata(checkpoint_path)
    state = meta["preprocessing"]
    if meta["spec"]["input"] != "tokens" or "vocabulary" not in state:
        raise InputError(message("reads_numbers_not_text"))
    _check_size(sum(len(t.encode("utf-8", "surrogatepass")) for t in texts if isinstance(t, str)))
    encoded = [encode_tokens(tokens, state) for tokens in (tokenize(t) for t in texts) if tokens]
    if not encoded:
        raise InputError(message("no_text_has_words"))
    lengths = np.array([len(ids) for ids, _ in encoded], dtype=np.int64)
    x = np.zeros((len(encoded), int(lengths.max())), dtype=np.int64)
    for row, (ids, _) in enumerate(encoded):
        x[row, : len(ids)] = ids
    labels = [token for _, kept in encoded for token in kept]
    digest = hashlib.sha256("\n".join(" ".join(kept) for _, kept in encoded).encode()).hexdigest()[:16]
    return Split(x, lengths, labels, True, f"your {len(encoded):,} text(s)", {"texts": digest})


def series_split(checkpoint_path, values) -> Split:
    """A person's own series ((T,) or (T, F) numbers), scaled as in training and cut into non-overlapping
    windows of the model's own length (the whole series is one sequence for a model that reads it so)."""
    from .prepare import model_input

    meta = _metadata(checkpoint_path)
    state = meta["preprocessing"]
    if meta["spec"]["input"] == "tokens":
        raise InputError(message("reads_text_not_numbers"))
    if "symbols" in state:
        raise InputError(message("reads_symbols_use_dataset"))
    try:
        values = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError(message("series_must_be_numbers")) from None
    if values.ndim == 1:
        values = values[:, None]
    features = meta["spec"]["n_features"]
    if values.ndim != 2 or values.shape[1] != features or len(values) == 0:
        raise InputError(message("series_wrong_shape", features=features, shape=values.shape))
    _check_size(values.nbytes)
    if not np.isfinite(values).all():
        raise InputError(message("series_nan_or_inf"))
    steps = model_input(values, state)
    window = len(steps) if state.get("target") == "sequence" else state["window"]
    count = len(steps) // window
    if count == 0:
        raise InputError(message("series_shorter_than_window", window=window, steps=len(steps)))
    x = steps[: count * window].reshape(count, window, features)
    labels = [f"{v:.4g}" for v in values[: count * window, 0]]
    digest = hashlib.sha256(values.tobytes()).hexdigest()[:16]
    return Split(x, np.full(count, window, dtype=np.int64), labels, False,
                 f"your series ({count * window:,} steps)", {"series": digest, "shape": list(values.shape)})


def _check_size(size: int) -> None:
    if size > max_bytes("upload_mb"):
        raise InputError(message("input_over_upload_limit", size=size / 2**20, env=LIMITS["upload_mb"].env))


# ----- 2. the one part that runs a model -----
def split_states(model, x: np.ndarray, lengths: np.ndarray,
                 progress: Callable[[int, int], None] | None = None) -> dict[str, np.ndarray]:
    """Every sequence's trace, one after another along one step axis: ``layer{k}.{quantity}`` (S, H_k)
    and ``readout`` (S, output_dim), the names of Trace.arrays(). Memory stays bounded by the answer
    itself: the arrays are allocated once and each sequence's trace is copied in and dropped.
    ``progress(done, total)`` is called after every sequence."""
    lengths = np.asarray(lengths, dtype=np.int64)
    ends = np.cumsum(lengths)
    out: dict[str, np.ndarray] = {}
    for row, (length, end) in enumerate(zip(lengths, ends)):
        arrays = model.trace(x[row, :length]).arrays()
        if not out:
            out = {name: np.empty((int(ends[-1]), value.shape[1]), dtype=np.float32) for name, value in arrays.items()}
        for name, value in arrays.items():
            out[name][end - length:end] = value
        if progress is not None:
            progress(row + 1, len(lengths))
    return out


def worker_states(model, preprocessing: dict, x: np.ndarray, lengths: np.ndarray) -> dict[str, np.ndarray]:
    """:func:`split_states` as zoo.workers runs a function, ``fn(model, preprocessing, *args)``: in the
    backend's worker process, so the lab never runs plugin code itself (the split is already encoded)."""
    return split_states(model, x, lengths)


@dataclass
class States:
    """A model's states over a split: its arrays (S steps, every sequence one after another) and labels."""

    arrays: dict[str, np.ndarray]  # "layer{k}.{quantity}" -> (S, H_k), "readout" -> (S, output_dim)
    starts: np.ndarray  # (N + 1,): sequence n is steps starts[n]:starts[n + 1]
    labels: list[str]  # (S,)
    discrete: bool
    family: str
    name: str  # "torch-lstm on long-dependency, test split (450 sequences)"

    @property
    def layers(self) -> int:
        return sum(1 for name in self.arrays if name.endswith(".h"))

    def values(self, layer: int, quantity: str = "h") -> np.ndarray:
        """(S, H) of one layer's quantity, or an InputError naming what there is."""
        if not 0 <= layer < self.layers:
            raise InputError(message("layer_does_not_exist", layer=layer, last=self.layers - 1))
        name = f"layer{layer}.{quantity}"
        if name not in self.arrays:
            raise InputError(message("no_quantity", quantity=quantity, layer=layer, quantities=", ".join(self.quantities())))
        return self.arrays[name]

    def quantities(self) -> tuple[str, ...]:
        """What every layer holds: h, then c and the gates where the family has them (zoo.family)."""
        return family_of(self.family).quantities()

    def unit(self, layer: int, unit: int) -> int:
        units = self.values(layer).shape[1]
        if not 0 <= unit < units:
            raise InputError(message("no_unit", unit=unit, layer=layer, last=units - 1))
        return unit

    def sequence_of(self, step: int) -> int:
        return int(np.searchsorted(self.starts, step, side="right") - 1)

    def context(self, step: int, stop: int | None = None, window: int = CONTEXT_WINDOW) -> dict:
        """Steps [step, stop) of the split with up to ``window`` steps either side, within its sequence."""
        stop = step + 1 if stop is None else stop
        sequence = self.sequence_of(step)
        first, last = self.starts[sequence], self.starts[sequence + 1]
        return {"sequence": sequence, "step": int(step - first), "steps": int(stop - step),
                "before": self.labels[max(first, step - window):step], "span": self.labels[step:stop],
                "after": self.labels[stop:min(last, stop + window)]}


def states_key(checkpoint_path, split: Split) -> str:
    """The cache key: the checkpoint's bytes (a retrained file is a new key), the input and the version."""
    digest = hashlib.sha256(Path(checkpoint_path).read_bytes()).hexdigest()
    config = {"checkpoint": digest, "input": split.key, "zoo": __version__, "states": STATES_VERSION}
    return hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()[:24]


def default_cache_dir() -> Path:
    return cache_dir() / "units"


_recent: OrderedDict = OrderedDict()  # cache entry -> States: the tab's next question about the same split reads no file
RECENT_STATES = 8


def states(checkpoint_path, split: Split, *, run=None, progress=None, directory: Path | None = None) -> States:
    """The checkpoint's states over ``split``: from the cache when computed before, else computed now by
    ``run(checkpoint_path, x, lengths)`` (by default: the model loaded in this process, :func:`split_states`)
    and cached under the per-user cache. An entry is a directory of plain .npy arrays (never pickle), read
    memory-mapped: a split of the review models' is 100 MB of states, which then stay in the OS's page cache
    instead of this process."""
    checkpoint_path = checked_file(checkpoint_path, "checkpoint_mb", error=InputError, what=message("what_checkpoint"))
    meta = _metadata(checkpoint_path)
    entry = Path(directory or default_cache_dir()) / states_key(checkpoint_path, split)
    if entry in _recent:
        _recent.move_to_end(entry)
        return _recent[entry]
    if not entry.is_dir():
        arrays = _run_here(checkpoint_path, split, progress) if run is None else run(checkpoint_path, split.x, split.lengths)
        arrays["starts"] = np.concatenate([[0], np.cumsum(split.lengths)]).astype(np.int64)
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{entry.name}.", dir=entry.parent))  # one of its own per thread and process
        for name, value in arrays.items():
            np.save(tmp / f"{name}.npy", value, allow_pickle=False)
        try:
            os.replace(tmp, entry)  # whole or not at all: a reader never sees half an entry
        except OSError:  # another process cached the same states first: theirs are as good
            shutil.rmtree(tmp, ignore_errors=True)
    arrays = {path.stem: np.load(path, mmap_mode="r", allow_pickle=False) for path in sorted(entry.glob("*.npy"))}
    starts = np.asarray(arrays.pop("starts"))
    found = States(arrays, starts, split.labels, split.discrete, meta["family"], f"{meta['backend']} on {split.name}")
    _recent[entry] = found
    while len(_recent) > RECENT_STATES:
        _recent.popitem(last=False)
    return found


def _run_here(checkpoint_path, split: Split, progress) -> dict[str, np.ndarray]:
    from .backend import Backend

    return split_states(Backend.load(checkpoint_path), split.x, split.lengths, progress)


# ----- 3. what the states say -----
def change_over_time(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """(H,) each unit's standard deviation over the steps of a sequence, averaged over the sequences
    (zoo.memory's measure, over a whole split at once): a unit constant within every sequence scores 0."""
    v = values.astype(np.float64)
    counts = np.diff(starts)[:, None]
    means = np.add.reduceat(v, starts[:-1], axis=0) / counts
    squares = np.add.reduceat(v * v, starts[:-1], axis=0) / counts
    return np.sqrt(np.maximum(squares - means * means, 0.0)).mean(axis=0)


def output_correlation(values: np.ndarray, readout: np.ndarray) -> np.ndarray:
    """(H,) each unit's Pearson correlation with the model's output over every step (the readout: the
    output had the sequence ended there), on the output column it correlates with most strongly; 0 for
    a unit or an output that never moves."""
    v = values.astype(np.float64) - values.mean(axis=0)
    r = readout.astype(np.float64) - readout.mean(axis=0)
    norms = np.outer(np.linalg.norm(v, axis=0), np.linalg.norm(r, axis=0))
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = np.where(norms > 0, (v.T @ r) / norms, 0.0)  # (H, output_dim)
    best = np.abs(corr).argmax(axis=1)
    return corr[np.arange(len(corr)), best]


def ranking(states: States, layer: int, top: int | None = None) -> dict[str, list[dict]]:
    """The layer's units ranked two ways: ``change`` (how much h moves within a sequence) and ``output``
    (how strongly h goes with the model's output, |Pearson r|)."""
    h = states.values(layer)
    change = change_over_time(h, states.starts)
    output = output_correlation(h, states.arrays["readout"])
    rows = [{"unit": u, "change": float(change[u]), "output_r": float(output[u])} for u in range(h.shape[1])]
    return {"change": sorted(rows, key=lambda r: -r["change"])[:top],
            "output": sorted(rows, key=lambda r: -abs(r["output_r"]))[:top]}


def top_contexts(states: States, layer: int, quantity: str, unit: int, k: int = 5, lowest: bool = False,
                 window: int = CONTEXT_WINDOW) -> list[dict]:
    """The ``k`` steps where the unit's ``quantity`` is highest (or lowest), each with its context. Steps
    within ``window`` of one already listed in the same sequence are skipped: one long run of a latched
    unit would otherwise fill the list with the same context."""
    column = states.values(layer, quantity)[:, states.unit(layer, unit)]
    order = np.argsort(column if lowest else -column, kind="stable")
    chosen: list[int] = []
    for step in order:
        sequence = states.sequence_of(step)
        if all(states.sequence_of(c) != sequence or abs(c - step) > window for c in chosen):
            chosen.append(int(step))
            if len(chosen) == k:
                break
    return [{**states.context(s, window=window), "value": float(column[s])} for s in chosen]


def token_means(states: States, layer: int, quantity: str, unit: int, top: int = 10, min_count: int = 2) -> dict:
    """The unit's mean ``quantity`` per token it read (unit–word association, RNNVis's view), over the
    tokens read at least ``min_count`` times: the ``top`` highest and lowest, each with its count."""
    if not states.discrete:
        raise InputError(message("token_means_need_tokens"))
    column = states.values(layer, quantity)[:, states.unit(layer, unit)].astype(np.float64)
    tokens, index, counts = np.unique(np.asarray(states.labels), return_inverse=True, return_counts=True)
    means = np.bincount(index, weights=column) / counts
    kept = np.flatnonzero(counts >= min_count)
    ranked = kept[np.argsort(-means[kept], kind="stable")]
    row = lambda i: {"token": str(tokens[i]), "mean": float(means[i]), "count": int(counts[i])}  # noqa: E731
    return {"highest": [row(i) for i in ranked[:top]], "lowest": [row(i) for i in ranked[::-1][:top]]}


def saturated_shares(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(H,) and (H,): each unit's share of steps with the gate below 0.1 (shut) and above 0.9 (open)."""
    low, high = SATURATED
    return (values < low).mean(axis=0), (values > high).mean(axis=0)


def saturation(states: States, layer: int) -> list[dict]:
    """Per sigmoid gate of the family (zoo.family: a tanh candidate is no gate to saturate): the share of
    the layer's values below 0.1 and above 0.9 over the whole split, and the same per unit."""
    layout = family_of(states.family)
    rows = []
    for gate in (g for g in layout.gates if layout.activation(g) == "sigmoid"):
        below, above = saturated_shares(states.values(layer, gate))
        rows.append({"gate": gate, "below": float(below.mean()), "above": float(above.mean()),
                     "units_below": below.tolist(), "units_above": above.tolist()})
    return rows


def select(states: States, sequence: int, start: int, stop: int, threshold: float, layer: int,
           quantity: str = "h", margin: int = 1) -> list[int]:
    """LSTMVis's select: the units on (at least ``threshold``) at every step of [start, stop) of
    ``sequence`` and off (below it) at the ``margin`` steps either side that the sequence has; strongest first."""
    if not 0 <= sequence < len(states.starts) - 1:
        raise InputError(message("no_sequence", sequence=sequence, last=len(states.starts) - 2))
    first, last = int(states.starts[sequence]), int(states.starts[sequence + 1])
    if not 0 <= start < stop <= last - first:
        raise InputError(message("span_outside_sequence", steps=last - first, start=start, stop=stop))
    values = states.values(layer, quantity)
    span = values[first + start:first + stop]
    around = np.concatenate([values[max(first, first + start - margin):first + start],
                             values[first + stop:min(last, first + stop + margin)]])
    on = (span >= threshold).all(axis=0) & (around < threshold).all(axis=0)
    units = np.flatnonzero(on)
    return [int(u) for u in units[np.argsort(-span[:, units].mean(axis=0), kind="stable")]]


def match(states: States, units: list[int], threshold: float, layer: int, length: int, quantity: str = "h",
          k: int = 5, exclude: tuple[int, int] | None = None, window: int = CONTEXT_WINDOW) -> list[dict]:
    """LSTMVis's match: the ``k`` spans of the split where every one of ``units`` is on (at least
    ``threshold``) and off just before and after (maximal runs), closest to ``length`` steps first, then
    the strongest. ``exclude`` is the selection's own (sequence, start), left out."""
    if not units:
        raise InputError(message("no_unit_follows"))
    values = states.values(layer, quantity)[:, [states.unit(layer, u) for u in units]]
    on = (values >= threshold).all(axis=1)
    # A run begins where a unit set turns on or a sequence begins, and ends where it turns off or the sequence ends.
    first_steps, last_steps = np.zeros(len(on), bool), np.zeros(len(on), bool)
    first_steps[states.starts[:-1]], last_steps[states.starts[1:] - 1] = True, True
    begins = np.flatnonzero(on & (np.concatenate([[True], ~on[:-1]]) | first_steps))
    ends = np.flatnonzero(on & (np.concatenate([~on[1:], [True]]) | last_steps)) + 1
    spans = []
    for a, b in zip(begins, ends):
        sequence = states.sequence_of(a)
        if exclude is not None and (sequence, a - states.starts[sequence]) == exclude:
            continue
        spans.append((abs((b - a) - length), -float(values[a:b].mean()), int(a), int(b)))
    spans.sort()
    return [{**states.context(a, b, window), "mean": -strength} for _, strength, a, b in spans[:k]]


def correlation(a: States, b: States, layer: int, quantity: str = "h") -> dict:
    """How closely two models' units track each other over the same split: per unit u, the Pearson r of
    a's u with b's u, and for contrast each of a's units' largest |r| with any other unit of b's."""
    if a.labels != b.labels:
        raise InputError(message("models_read_different_inputs"))
    va, vb = a.values(layer, quantity).astype(np.float64), b.values(layer, quantity).astype(np.float64)
    if va.shape != vb.shape:
        raise InputError(message("layer_units_differ", layer=layer, one=va.shape[1], other=vb.shape[1]))
    za, zb = va - va.mean(axis=0), vb - vb.mean(axis=0)
    norms = np.outer(np.linalg.norm(za, axis=0), np.linalg.norm(zb, axis=0))
    with np.errstate(invalid="ignore", divide="ignore"):
        matrix = np.where(norms > 0, (za.T @ zb) / norms, 0.0)  # (H, H): a's unit i with b's unit j
    same = np.diag(matrix).copy()
    others = np.abs(matrix)
    np.fill_diagonal(others, 0.0)
    return {"units": same.tolist(), "mean": float(same.mean()), "min": float(same.min()),
            "best_other": others.max(axis=1).tolist()}


def explore(states: States, layer: int = 0, unit: int | None = None, top: int = 5, window: int = CONTEXT_WINDOW) -> dict:
    """One layer at a glance, as the CLI and the tab show it: the rankings, and for ``unit`` (by default
    the one that changes most) its top contexts high and low for h, c and every gate, its per-token means
    (text and symbols) and the layer's and the unit's gate saturation."""
    ranked = ranking(states, layer)
    unit = ranked["change"][0]["unit"] if unit is None else states.unit(layer, unit)
    contexts = {q: {"highest": top_contexts(states, layer, q, unit, top, window=window),
                    "lowest": top_contexts(states, layer, q, unit, top, lowest=True, window=window)}
                for q in states.quantities()}
    return {
        "states": states.name, "layer": layer, "unit": unit, "steps": int(states.starts[-1]),
        "sequences": len(states.starts) - 1,
        "ranking": {how: rows[:top] for how, rows in ranked.items()},
        "contexts": contexts,
        "tokens": token_means(states, layer, "h", unit, top) if states.discrete else None,
        "saturation": [{"gate": row["gate"], "below": row["below"], "above": row["above"],
                        "unit_below": row["units_below"][unit], "unit_above": row["units_above"][unit]}
                       for row in saturation(states, layer)],
    }
