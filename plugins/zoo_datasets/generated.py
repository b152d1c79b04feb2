"""Synthetic tasks made from a seed, built to need memory over a chosen distance."""
import numpy as np

from zoo.datasets import SequenceDataset, TextDataset
from zoo.errors import InputError
from zoo.messages import message

# Neutral words: none says anything about who he likes, nor repeats a word of the key phrase.
FILLERS = (
    "the old house near river with blue windows and quiet garden under tall trees in morning light while "
    "rain falls on green hills far away from busy towns where people walk slowly past small shops every day "
    "after long work"
).split()
OBJECTS = ("boy", "girl")
MAX_STEPS = 20_000_000  # n × length of the adding problem; two float32 channels each: 160 MB at most


def long_dependency(n: int = 2000, lag: int = 20, seed: int = 0) -> TextDataset:
    """The seed's sentence as a task: "He likes a girl <fillers> but he likes a boy." Does he still like
    the same one? The label ("same" or "changed") needs the object near the start, carried across up to
    ``lag`` filler words (each sentence draws its own count, 0 to ``lag``) and compared with the one at
    the end. Neither object alone says anything about the label: only memory does.

    Why not simply "the first object is the label": with every sentence equally long, a plain RNN keeps
    that one early token as a fixed rotation of its state and never has to latch it, so the task would
    not test memory at all (measured: it solved lag 400). The varying length rules that shortcut out,
    and its short sentences let a model discover the rule before it must stretch it."""
    _check_int("n", n, 2, 100_000)
    _check_int("lag", lag, 0, 2000)
    _check_int("seed", seed, 0, 2**32 - 1)
    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.arange(n) % 2)  # balanced: the halves differ by at most one
    first = rng.integers(0, 2, n)
    last = np.where(labels == 1, first, 1 - first)
    gaps = rng.integers(0, lag + 1, n)
    texts = [
        " ".join(["He likes a", OBJECTS[a], *rng.choice(FILLERS, size=gap), "but he likes a", OBJECTS[b]]) + "."
        for a, b, gap in zip(first, last, gaps)
    ]
    return TextDataset("long-dependency", texts, labels.astype(np.int64), ["changed", "same"], source="generated")


def adding_problem(n: int = 2000, length: int = 50, seed: int = 0) -> SequenceDataset:
    """The adding problem: x[..., 0] is uniform in [0, 1), x[..., 1] marks two steps (one in each half)
    and y is the sum of the two marked values. y averages 1 with variance 2/12, so always predicting 1
    scores MSE 1/6: a model has learnt something only below that."""
    _check_int("n", n, 1, 100_000)
    _check_int("length", length, 2, 10_000)
    _check_int("seed", seed, 0, 2**32 - 1)
    if n * length > MAX_STEPS:
        raise InputError(message("dataset_too_big", steps=n * length, most=MAX_STEPS))
    rng = np.random.default_rng(seed)
    half = length // 2
    values = rng.random((n, length), dtype=np.float32)
    rows = np.arange(n)
    first, second = rng.integers(0, half, n), rng.integers(half, length, n)
    markers = np.zeros((n, length), dtype=np.float32)
    markers[rows, first] = markers[rows, second] = 1
    y = values[rows, first] + values[rows, second]
    return SequenceDataset("adding-problem", np.stack([values, markers], axis=-1), y, "regression", source="generated")


TEMPORAL_SYMBOLS = ("X", "Y", "a", "b", "c", "d")  # one-hot channels: the two that count, then the distractors
TEMPORAL_CLASSES = ["XX", "XY", "YX", "YY"]


def temporal_order(n: int = 2000, length: int = 100, seed: int = 0) -> SequenceDataset:
    """The temporal-order task (Hochreiter & Schmidhuber 1997, experiment 6a): every step is one of six
    symbols, one-hot. Two steps hold X or Y — the first within the first tenth of the sequence, the
    second within the tenth after its middle — and every other step a random distractor a-d. The class
    is the order of the two (XX, XY, YX or YY; balanced, so chance is 25 %). The positions scale with
    ``length`` as in Pascanu, Mikolov & Bengio 2013 (the paper's t1 in 10-20 and t2 in 50-60 at 100), and
    every sequence is ``length`` steps long. The first symbol is 0.9 × ``length`` steps from the end or
    more: whoever knows only the second one is right half of the time, and only memory scores more."""
    _check_int("n", n, 4, 100_000)
    _check_int("length", length, 4, 10_000)
    _check_int("seed", seed, 0, 2**32 - 1)
    channels = len(TEMPORAL_SYMBOLS)
    if n * length * channels > 2 * MAX_STEPS:  # float32, as the adding problem: 160 MB at most
        raise InputError(message("dataset_too_big", steps=n * length, most=2 * MAX_STEPS // channels))
    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.arange(n) % 4)  # balanced: the classes differ by at most one
    symbols = rng.integers(2, channels, (n, length))
    rows, tenth = np.arange(n), max(length // 10, 1)
    symbols[rows, rng.integers(0, tenth, n)] = labels // 2  # X (0) or Y (1)
    symbols[rows, length // 2 + rng.integers(0, tenth, n)] = labels % 2
    x = np.eye(channels, dtype=np.float32)[symbols]
    return SequenceDataset("temporal-order", x, labels.astype(np.int64), "multiclass", source="generated",
                           classes=list(TEMPORAL_CLASSES), symbols=list(TEMPORAL_SYMBOLS))


def _check_int(name: str, value, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not low <= value <= high:
        raise InputError(message("dataset_parameter_range", name=name, low=low, high=high, value=value))
