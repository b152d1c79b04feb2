"""One preprocessing path from a dataset to the arrays every backend trains on.

Text: tokenize, split with a fixed seed, build the vocabulary on the training split only, encode,
truncate, right-pad with id 0. Series: cut windows of ``window`` steps, split in time order, fit a
scikit-learn StandardScaler on the training part only; the target is the next value (``forecast``,
regression) or whether it goes up (``updown``, binary). A forecasting model predicts the change from
the window's last value, in scaled units: a tanh network cannot output levels beyond those it was
trained on, and trending series (co2, stock prices) leave that range in their test years. The fitted state (vocabulary, scaler, window)
is plain JSON: it travels in checkpoints so new input is encoded exactly like the training data.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from .datasets import Dataset, SequenceDataset, SeriesDataset, TextDataset
from .errors import InputError
from .messages import message
from .sequences import SequenceData
from .spec import ModelSpec
from .text import Vocabulary, tokenize

SPLITS = ("train", "validation", "test")  # the names of a Prepared's splits
SPLIT = (0.7, 0.15, 0.15)  # their shares
SERIES_TASKS = {"forecast": "regression", "updown": "binary"}
SYMBOL_SEPARATORS = re.compile(r"[\s,;]+")  # a sequence of symbols typed like a series of numbers


@dataclass
class Prepared:
    """A dataset made into the three splits, the spec fields the data dictates, and the fitted state."""

    train: SequenceData
    validation: SequenceData
    test: SequenceData
    spec: ModelSpec
    state: dict  # JSON: how raw input becomes arrays (see module docstring)
    raw: dict = field(default_factory=dict)  # split -> the raw examples, for the baselines

    @property
    def task(self) -> str:
        return self.spec.task


def prepare(dataset: Dataset, *, spec: ModelSpec | None = None, split_seed: int = 0, max_vocab: int = 4000,
            max_length: int = 100, window: int = 24, target: str = "forecast", state: dict | None = None) -> Prepared:
    """Make ``dataset`` into splits. ``spec`` supplies the architecture (the data decides input kind,
    sizes and task); ``state`` reuses a fitted vocabulary or scaler instead of fitting a new one."""
    base = spec or ModelSpec()
    if isinstance(dataset, TextDataset):
        return _prepare_text(dataset, base, split_seed, max_vocab, max_length, state)
    if isinstance(dataset, SeriesDataset):
        return _prepare_series(dataset, base, window, target, state)
    if isinstance(dataset, SequenceDataset):
        return _prepare_sequences(dataset, base, split_seed)
    raise InputError(message("cannot_prepare", kind=type(dataset).__name__))


def split_indices(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    order = np.random.default_rng(seed).permutation(n)
    a, b = int(n * SPLIT[0]), int(n * (SPLIT[0] + SPLIT[1]))
    return order[:a], order[a:b], order[b:]


# ----- text -----
def encode_texts(tokenized: list[list[str]], vocabulary: Vocabulary, max_length: int) -> tuple[np.ndarray, np.ndarray]:
    """(N, T) right-padded ids and (N,) lengths; T is the longest kept sequence, at most ``max_length``."""
    lengths = np.array([min(len(tokens), max_length) for tokens in tokenized], dtype=np.int64)
    x = np.zeros((len(tokenized), max(int(lengths.max()), 1)), dtype=np.int64)
    for row, tokens in enumerate(tokenized):
        x[row, :lengths[row]] = vocabulary.encode(tokens[:max_length])
    return x, lengths


def text_tokens(text: str) -> list[str]:
    """The tokens of one user text; a text with none (blank, only invisible characters) is an error."""
    tokens = tokenize(text)
    if not tokens:
        raise InputError(message("no_words"))
    return tokens


def encode_text(text: str, state: dict) -> tuple[np.ndarray, list[str]]:
    """One user text -> (T,) ids under a trained model's vocabulary, and its tokens for display."""
    return encode_tokens(text_tokens(text), state)


def encode_tokens(tokens: list[str], state: dict) -> tuple[np.ndarray, list[str]]:
    """A text's tokens -> (T,) ids under a trained model's vocabulary, and the tokens it keeps (its max_length)."""
    kept = tokens[: state["max_length"]]
    return np.asarray(_vocabulary_of(state["vocabulary"]).encode(kept), dtype=np.int64), kept


_vocabularies: dict[int, tuple[list, Vocabulary]] = {}  # id(a state's token list) -> (that list, its Vocabulary)


def _vocabulary_of(tokens: list[str]) -> Vocabulary:
    """The Vocabulary of a loaded model's token list, built once per list: a worker answers every request
    from the same loaded state, and building the index of 4,000 tokens cost more than encoding a sentence.
    The list is kept with it, so its id stays its own; the oldest go past 16 lists."""
    known = _vocabularies.get(id(tokens))
    if known is None or known[0] is not tokens:
        known = _vocabularies[id(tokens)] = (tokens, Vocabulary(tokens[2:]))
        while len(_vocabularies) > 16:
            del _vocabularies[next(iter(_vocabularies))]
    return known[1]


def _prepare_text(dataset: TextDataset, base: ModelSpec, split_seed: int, max_vocab: int, max_length: int, state) -> Prepared:
    tokenized = [tokenize(text) for text in dataset.texts]
    keep = np.array([i for i, tokens in enumerate(tokenized) if tokens])
    if len(keep) < 4:
        raise InputError(message("too_few_texts_with_words"))
    parts = split_indices(len(keep), split_seed)
    if state is None:
        vocabulary = Vocabulary.build([tokenized[i] for i in keep[parts[0]]], max_size=max_vocab, min_count=2)
        state = {"kind": "text", "vocabulary": vocabulary.tokens, "max_length": max_length, "classes": dataset.classes}
    vocabulary = Vocabulary(state["vocabulary"][2:])
    splits, raw = [], {}
    for name, part in zip(SPLITS, parts):
        rows = keep[part]
        x, lengths = encode_texts([tokenized[i] for i in rows], vocabulary, state["max_length"])
        splits.append(SequenceData(x, dataset.labels[rows], lengths))
        raw[name] = {"texts": [dataset.texts[i] for i in rows], "labels": dataset.labels[rows]}
    spec = base.replace(input="tokens", vocab_size=len(vocabulary), task=dataset.task, n_classes=max(len(dataset.classes), 2))
    return Prepared(*splits, spec=spec, state=state, raw=raw)


# ----- series -----
def windows(values: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """All (window, F) slices and the index of the step each one predicts."""
    starts = np.arange(len(values) - window)
    return np.stack([values[s:s + window] for s in starts]), starts + window


def series_targets(values: np.ndarray, targets: np.ndarray, target: str) -> np.ndarray:
    if target == "forecast":
        return values[targets, 0]
    return (values[targets, 0] > values[targets - 1, 0]).astype(np.float64)


def _prepare_series(dataset: SeriesDataset, base: ModelSpec, window: int, target: str, state) -> Prepared:
    from sklearn.preprocessing import StandardScaler

    if target not in SERIES_TASKS:
        raise InputError(message("series_target", targets=sorted(SERIES_TASKS), target=target))
    values = np.asarray(dataset.values, dtype=np.float64)
    if len(values) < window + 10:
        raise InputError(message("series_too_short_for_window", dataset=dataset.name, steps=len(values), window=window,
                                 needed=window + 10))
    x_all, predicted = windows(values, window)
    n = len(x_all)
    bounds = [0, int(n * SPLIT[0]), int(n * (SPLIT[0] + SPLIT[1])), n]
    if state is None:
        # The scaler sees only the steps the training windows and their targets cover.
        scaler = StandardScaler().fit(values[: predicted[bounds[1] - 1] + 1])
        state = {"kind": "series", "window": window, "target": target, "columns": dataset.columns,
                 "mean": scaler.mean_.tolist(), "scale": scaler.scale_.tolist()}
    scaled = scale(values, state)
    if target == "forecast":
        y_all = scaled[predicted, 0] - scaled[predicted - 1, 0]
    else:
        y_all = series_targets(values, predicted, target)
    splits, raw = [], {}
    for name, lo, hi in zip(SPLITS, bounds, bounds[1:]):
        splits.append(SequenceData(scaled[predicted[lo:hi, None] - window + np.arange(window)].astype(np.float32),
                                   y_all[lo:hi].astype(np.float32)))
        raw[name] = {"windows": x_all[lo:hi], "targets": series_targets(values, predicted[lo:hi], target)}
    task = SERIES_TASKS[state["target"]]
    spec = base.replace(input="features", n_features=values.shape[1], task=task)
    return Prepared(*splits, spec=spec, state=state, raw=raw)


def scale(values: np.ndarray, state: dict) -> np.ndarray:
    return (np.asarray(values, dtype=np.float64) - state["mean"]) / state["scale"]


def model_input(values: np.ndarray, state: dict) -> np.ndarray:
    """(T, F) float32 steps for a model: scaled as in its training when it has a scaler, and refused
    with a clear message when the numbers are too large for float32 once there."""
    values = np.asarray(values, dtype=np.float64)
    with np.errstate(over="ignore"):
        steps = (scale(values, state) if "mean" in state else values).astype(np.float32)
    if not np.isfinite(steps).all():
        largest = np.abs(values).max()
        raise InputError(message("values_overflow_scaled", largest=largest) if "mean" in state
                         else message("values_overflow", largest=largest))
    return steps


def forecast_levels(change: np.ndarray, last_scaled: np.ndarray, state: dict) -> np.ndarray:
    """A forecasting model's output (the scaled change from the last input step) as next values in
    the data's own units."""
    level = np.asarray(last_scaled, dtype=np.float64) + np.asarray(change, dtype=np.float64)
    return level * state["scale"][0] + state["mean"][0]


# ----- ready-made sequences -----
def _prepare_sequences(dataset: SequenceDataset, base: ModelSpec, split_seed: int) -> Prepared:
    parts = split_indices(len(dataset), split_seed)
    splits = [SequenceData(dataset.x[p].astype(np.float32), dataset.y[p]) for p in parts]
    raw = {name: {"windows": dataset.x[p], "targets": dataset.y[p]} for name, p in zip(SPLITS, parts)}
    classes = {"n_classes": max(len(dataset.classes), 2)} if dataset.classes else {}
    spec = base.replace(input="features", n_features=dataset.x.shape[2], task=dataset.task, **classes)
    state = {"kind": "sequences", **({"classes": dataset.classes} if dataset.classes else {}),
             **({"symbols": dataset.symbols} if dataset.symbols else {})}
    return Prepared(*splits, spec=spec, state=state, raw=raw)


def symbol_parts(text: str) -> list[str]:
    """The symbols of a typed sequence, in order (separated as the numbers of a series are)."""
    return [part for part in SYMBOL_SEPARATORS.split(text.strip()) if part]


def encode_symbols(text: str, state: dict) -> tuple[np.ndarray, list[str]]:
    """A sequence typed as symbols ("X a b d … Y c") as the one-hot (T, F) steps a model of a symbol
    task reads, and the symbols as its step labels."""
    symbols = state["symbols"]
    if not isinstance(text, str) or not text.strip():
        raise InputError(message("type_symbols_example", examples=" ".join(symbols[:3])))
    typed = symbol_parts(text)
    unknown = sorted({part for part in typed if part not in symbols})
    if unknown:
        raise InputError(message("unknown_symbols", symbols=", ".join(symbols), unknown=", ".join(map(repr, unknown[:5]))))
    index = {symbol: k for k, symbol in enumerate(symbols)}
    return np.eye(len(symbols), dtype=np.float32)[[index[part] for part in typed]], typed


def decode_symbols(steps: np.ndarray, symbols: list[str]) -> str:
    """One-hot (T, F) steps as the symbols they stand for, separated by spaces."""
    return " ".join(symbols[k] for k in np.asarray(steps).argmax(axis=1))
