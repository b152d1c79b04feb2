"""What the lab does, without the lab: find models, run one input through all of them, train in the
background. The Gradio app (zoo_lab) only turns these results into widgets and plots.

Models answer from worker processes, one per backend (zoo.workers), where they stay loaded: a backend
that fails, hangs, crashes its process or whose framework cannot load gives an error result with its
reason; the other models still answer, and the server is never at risk.
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import shutil
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import checkpoint, workers
from .errors import CheckpointError, InputError, ZooError
from .interchange import ImportResult, import_model
from .limits import LIMITS, checked_file, limit, max_bytes
from .messages import message, text_of
from .prepare import encode_symbols, encode_tokens, forecast_levels, model_input, symbol_parts, text_tokens, windows
from .pretrained import PRETRAINED_DIR
from .text import Vocabulary
from .trace import Trace
from .train import TrainConfig, default_checkpoint_dir

@dataclass(frozen=True)
class ModelCard:
    """A checkpoint the lab can compare: what it is, without loading it."""

    path: Path
    backend: str
    family: str
    dataset: str
    kind: str  # "text" or "series"
    task: str
    target: str | None  # series: "forecast" or "updown"
    metrics: dict
    pretrained: bool
    classes: tuple[str, ...] = ()  # text: class id -> name
    memory: tuple[dict, ...] = ()  # per layer, how much it uses its memory on its test split (zoo.memory)
    symbols: tuple[str, ...] = ()  # a symbol-sequence model (one class per whole sequence): what it reads

    @property
    def reads_symbols(self) -> bool:
        return bool(self.symbols)

    @property
    def id(self) -> str:
        """A stable name for the API: ``default/<file stem>`` or ``trained/<file stem>``."""
        return f"{'default' if self.pretrained else 'trained'}/{self.path.stem}"

    @property
    def label(self) -> str:
        origin = "default" if self.pretrained else self.path.stem.rsplit("-seed", 1)[0]
        return f"{self.backend} · {self.dataset}" + ("" if self.pretrained else f" ({origin}, {self.path.stem[-5:]})")


def catalog(directories: tuple[Path, ...] | None = None) -> list[ModelCard]:
    """Every readable checkpoint in the shipped defaults and the per-user cache, newest training last."""
    cards = []
    for directory in directories or (PRETRAINED_DIR, default_checkpoint_dir()):
        for path in sorted(Path(directory).glob("*.safetensors")):
            try:
                cards.append(_known_card(path, pretrained=Path(directory) == PRETRAINED_DIR))
            except (ZooError, OSError):
                continue  # a corrupt file in the cache must not hide the good ones (nor one deleted meanwhile)
    return cards


_cards: dict = {}  # (path, pretrained) -> ((mtime_ns, size), card): every request's catalog() reads no unchanged file again


def _known_card(path: Path, pretrained: bool) -> ModelCard:
    """model_card, remembered while the file's modification time and size stay: reading every checkpoint's
    metadata took a served compare ~10 ms of its ~40 (bench/serve_load.py); a file rewritten is read again."""
    stat = path.stat()
    version = (stat.st_mtime_ns, stat.st_size)
    known = _cards.get((path, pretrained))
    if known is not None and known[0] == version:
        return known[1]
    card = model_card(path, pretrained)
    _cards[path, pretrained] = (version, card)
    return card


def model_card(path: Path, pretrained: bool) -> ModelCard:
    """The card of one checkpoint, from its metadata alone (the model is not loaded); ``pretrained``:
    it ships with the lab rather than being trained or added by a user."""
    meta = checkpoint.read_metadata(path)
    state = meta.get("preprocessing", {})
    return ModelCard(
        path=Path(path), backend=meta["backend"], family=meta["family"], dataset=meta.get("dataset", "?"),
        kind="text" if meta["spec"]["input"] == "tokens" else "series", task=meta["spec"]["task"],
        target=state.get("target"), metrics=meta.get("metrics", {}), pretrained=pretrained,
        classes=tuple(state.get("classes", ())), memory=tuple(meta.get("memory", ())),
        symbols=tuple(state.get("symbols", ())),
    )


def tasks(kind: str) -> list[str]:
    """The datasets the shipped defaults of ``kind`` ("text" or "series") were trained on, in the order
    of zoo.pretrained.DEFAULT_RUNS: the Compare tabs' task choices, the first one what they open on."""
    from .pretrained import DEFAULT_RUNS

    shipped = {card.dataset for card in catalog() if card.kind == kind and card.pretrained}
    return [run.dataset for run in DEFAULT_RUNS if run.dataset in shipped]


def default_ids(kind: str, dataset: str | None = None) -> list[str]:
    """The shipped defaults of ``kind`` on ``dataset`` (the first task of that kind when None)."""
    dataset = dataset or next(iter(tasks(kind)), None)
    return [card.id for card in catalog() if card.kind == kind and card.pretrained and card.dataset == dataset]


@dataclass
class Answer:
    """One model's answer to one input: the prediction, its trace, or why there is none."""

    card: ModelCard
    output: np.ndarray | None = None  # (output_dim,)
    trace: Trace | None = None
    forecast: np.ndarray | None = None  # series: one-step-ahead predictions in the data's units
    error: str | None = None
    note: str | None = None  # the model answered, but something about the input deserves a word
    seconds: float = 0.0
    loaded_now: bool = False  # the model (and maybe its framework) was loaded for this request


_recent: OrderedDict = OrderedDict()  # (input key, checkpoint) -> Answer: re-plotting another unit recomputes nothing
_recent_lock = threading.Lock()
RECENT_ANSWERS = 64


def _answers(cards: list[ModelCard], read, args: tuple, input_key) -> list[Answer]:
    """Every card's answer, each model in its own worker process, all at once (a thread waits for
    each; they end with the request, so nothing piles up)."""
    with ThreadPoolExecutor(max_workers=max(1, len(cards)), thread_name_prefix="zoo answer") as waiting:
        return list(waiting.map(lambda card: _answer(card, read, args, input_key), cards))


def warm(cards: list[ModelCard]) -> list[ModelCard]:
    """Load every card's model in its backend's worker now, so the first request finds them warm (the lab at
    start-up: Keras alone takes seconds to start). The backends load side by side, each its cards in the
    order given (a worker loads one model at a time: put first what is needed first). Returns the cards
    that loaded; one that did not is left for the first request that asks for it, which says why."""
    def loads(card: ModelCard) -> bool:
        try:
            workers.load(card.backend, card.path)
            return True
        except ZooError:
            return False

    by_backend: dict[str, list[ModelCard]] = {}
    for card in cards:
        by_backend.setdefault(card.backend, []).append(card)
    with ThreadPoolExecutor(max_workers=max(1, len(by_backend)), thread_name_prefix="zoo warm-up") as loading:
        loaded = set().union(*loading.map(lambda mine: {card.id for card in mine if loads(card)}, by_backend.values()))
    return [card for card in cards if card.id in loaded]


def _answer(card: ModelCard, read, args: tuple, input_key) -> Answer:
    """The card's model's answer to one input: ``read(model, preprocessing, *args)`` returns the Answer's
    fields (``trace``, and ``forecast`` or ``note`` where there are any). Recent answers are remembered,
    so re-plotting another unit of the same input recomputes nothing."""
    key = (input_key, card.path, card.path.stat().st_mtime_ns)
    with _recent_lock:
        if key in _recent:
            _recent.move_to_end(key)
            return dataclasses.replace(_recent[key], loaded_now=False, seconds=0.0)
    answer = _compute(card, read, args)
    if answer.error is None:
        with _recent_lock:
            _recent[key] = answer
            while len(_recent) > RECENT_ANSWERS:
                _recent.popitem(last=False)
    return answer


def _compute(card: ModelCard, read, args) -> Answer:
    """``read(model, preprocessing, *args)`` on the card's model, in its backend's worker process
    (zoo.workers): a plugin that crashes, hangs or runs out of memory costs its own answer, nothing more."""
    started = time.perf_counter()
    loaded_now = not workers.is_loaded(card.backend, card.path)
    try:
        fields = workers.run(card.backend, card.path, read, *args)
    except ZooError as err:
        return Answer(card, error=text_of(err), seconds=time.perf_counter() - started, loaded_now=loaded_now)
    return Answer(card, output=fields["trace"].output, **fields, seconds=time.perf_counter() - started,
                  loaded_now=loaded_now)


def compare_text(text: str, cards: list[ModelCard]) -> list[Answer]:
    """Every text model's prediction and trace for one text."""
    if not isinstance(text, str) or not text.strip():
        raise InputError(message("type_a_sentence"))
    most = int(limit("text_chars"))
    if len(text) > most:
        raise InputError(message("text_too_long", length=len(text), most=most, env=LIMITS["text_chars"].env))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        raise InputError(message("text_broken_unicode", position=err.start + 1)) from None
    tokens = text_tokens(text)  # once for every model; a text without tokens is the request's error, not each model's
    text_cards = [card for card in cards if card.kind == "text"]
    if not text_cards:
        raise InputError(message("no_text_model"))

    return _answers(text_cards, read_text, (tokens,), ("text", text))


# What a worker runs for each kind of input (zoo.workers): module-level, so they travel by name.
def read_text(model, state, tokens: list[str]) -> dict:
    ids, kept = encode_tokens(tokens, state)
    return {"trace": model.trace(ids, tokens=kept), "note": unknown_words_note(ids, kept)}


def unknown_words_note(ids: np.ndarray, tokens: list[str]) -> str | None:
    unknown = int(np.sum(ids == Vocabulary.unknown_id))
    if unknown == 0:
        return None
    if unknown == len(tokens):
        return message("only_unknown_words", tokens=len(tokens))
    examples = ", ".join(sorted({t for i, t in zip(ids, tokens) if i == Vocabulary.unknown_id})[:5])
    return message("unknown_words", unknown=unknown, tokens=len(tokens), examples=examples)


def compare_series(values: np.ndarray, cards: list[ModelCard]) -> list[Answer]:
    """Every series model on one series: one-step-ahead predictions from each window of the model's
    own length (what it was trained on), and a trace over the whole series."""
    values = np.asarray(values, dtype=np.float64)
    if values.ndim == 1:
        values = values[:, None]
    check_series_length(len(values))
    if not np.isfinite(values).all():
        raise InputError(message("series_nan_or_inf"))
    series_cards = [card for card in cards if card.kind == "series" and not card.reads_symbols]
    if not series_cards:
        raise InputError(message("no_series_model"))

    key = ("series", values.shape, hashlib.sha1(values.tobytes()).hexdigest())
    return _answers(series_cards, read_series, (values,), key)


def read_series(model, state, values: np.ndarray) -> dict:
    if values.shape[1] != model.spec.n_features:
        raise InputError(message("series_wrong_shape", features=model.spec.n_features, shape=values.shape))
    labels = [f"{v:g}" for v in values[:, 0]]
    if state["target"] == "sequence":  # an imported model: the whole series is one input, its answer one output
        return {"trace": model.trace(model_input(values, state), tokens=labels)}
    window = state["window"]
    if len(values) <= window:
        raise InputError(message("needs_window", window=window))
    scaled = model_input(values, state)
    x, _ = windows(scaled, window)
    out = model.predict(x)[:, 0]
    return {"trace": model.trace(scaled, tokens=labels),
            "forecast": forecast_levels(out, x[:, -1, 0], state) if state["target"] == "forecast" else out}


def compare_symbols(text: str, cards: list[ModelCard]) -> list[Answer]:
    """Every symbol-sequence model on one typed sequence ("X a b … Y c"): its class probabilities for the
    whole sequence and its trace, step by step."""
    if not isinstance(text, str) or not text.strip():
        raise InputError(message("type_symbols"))
    check_series_length(len(symbol_parts(text)))
    symbol_cards = [card for card in cards if card.reads_symbols]
    if not symbol_cards:
        raise InputError(message("no_symbol_model"))

    return _answers(symbol_cards, read_symbols, (text,), ("symbols", text))


def read_symbols(model, state, text: str) -> dict:
    steps, symbols = encode_symbols(text, state)
    return {"trace": model.trace(steps, tokens=symbols)}


def check_series_length(steps: int) -> None:
    most = int(limit("series_steps"))
    if steps > most:
        raise InputError(message("series_too_long", steps=steps, most=most, env=LIMITS["series_steps"].env))


def series_scores(values: np.ndarray, answers: list[Answer]) -> list[dict | None]:
    """How well each answer of :func:`compare_series` predicted ``values`` (the series it was given),
    over the steps it forecast: a forecast's ``rmse`` and ``mae`` in the series' units and the ``persistence``
    RMSE of repeating each last value; an up/down model's ``accuracy``. None for an answer with an error or
    without a forecast (an imported model that reads the whole series as one sequence)."""
    from .metrics import score

    level = np.asarray(values, dtype=np.float64).reshape(len(values), -1)[:, 0]
    scores = []
    for answer in answers:
        if answer.error or answer.forecast is None:  # an error, or a model that reads the whole series as one input
            scores.append(None)
            continue
        start = len(level) - len(answer.forecast)
        truth, last = level[start:], level[start - 1:-1]
        if answer.card.target == "forecast":
            scores.append({**score("regression", truth, answer.forecast),
                           "persistence": score("regression", truth, last)["rmse"]})
        else:
            scores.append({"accuracy": score("binary", (truth > last).astype(int), answer.forecast)["accuracy"]})
    return scores


PREPROCESSING_KEYS = {"text": ("vocabulary", "max_length"), "series": ("window", "target"), "symbols": ("symbols",)}


def add_checkpoint(upload: Path) -> ModelCard:
    """A checkpoint a user uploaded: read without pickle, built by its backend to prove the weights fit,
    then copied into the checkpoint cache under a name of ours, where the catalog lists it."""
    upload = Path(upload)
    size, most = upload.stat().st_size, max_bytes("upload_mb")
    if size > most:
        raise CheckpointError(message("upload_too_big", size=size / 2**20, most=limit("upload_mb"), env=LIMITS["upload_mb"].env))
    meta = checkpoint.read_metadata(upload)
    state = meta.get("preprocessing")
    kind = "text" if meta["spec"].get("input") == "tokens" else "symbols" if isinstance(state, dict) and "symbols" in state else "series"
    if not isinstance(state, dict) or any(key not in state for key in PREPROCESSING_KEYS[kind]):
        raise CheckpointError(message("upload_no_preprocessing", file=upload.name, kind=kind,
                                      keys=" and ".join(PREPROCESSING_KEYS[kind])))
    workers.run(meta["backend"], upload, fits)  # the backend must exist here and the tensors fit its layout
    digest = hashlib.sha256(upload.read_bytes()).hexdigest()[:8]
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", upload.stem).strip(".-")[:40] or "model"
    target = default_checkpoint_dir() / f"uploaded-{stem}-{digest}.safetensors"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.partial")
        shutil.copyfile(upload, partial)
        os.replace(partial, target)  # whole or not at all, as checkpoint.write does
    return next(card for card in catalog() if card.path == target)


def fits(model, state) -> bool:
    """What a worker answers for a checkpoint whose model it could build (zoo.workers runs it)."""
    return True


def import_upload(upload: Path, vocabulary: Path | None = None, *, head_activation: str | None = None,
                  task: str | None = None) -> tuple[ModelCard, ImportResult]:
    """A user's own Keras or PyTorch file (zoo.interchange): imported into the checkpoint cache under a
    name of ours, after parity with its own framework; the catalog then lists it for every session."""
    upload = checked_file(upload, "upload_mb", error=InputError)
    digest = hashlib.sha256(upload.read_bytes()).hexdigest()[:8]
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", upload.stem).strip(".-")[:40] or "model"
    target = default_checkpoint_dir() / f"imported-{stem}-{digest}.safetensors"
    # In a worker of its own: the format's reader and every backend's parity run on a stranger's file.
    result = workers.isolated(upload.name, "import it", import_model, upload, target, vocabulary=vocabulary,
                              head_activation=head_activation, task=task)
    return next(card for card in catalog() if card.path == target), result


@dataclass
class TrainingJob:
    """A training run in a worker process of its own (zoo.workers.train), watched from a background
    thread; the UI polls ``progress`` and may ``cancel``, which ends the worker: nothing is saved."""

    backend: str
    dataset: str
    config: TrainConfig
    spec_changes: dict = field(default_factory=dict)
    dataset_params: dict = field(default_factory=dict)
    curve: list = field(default_factory=list)  # (epoch, loss, val_loss) at every epoch end
    fraction: float = 0.0
    status: str = "queued"  # queued | running | done | cancelled | failed
    error: str | None = None
    note: str | None = None  # why a run stopped before its last epoch, when that was not an error
    result: dict | None = None

    def __post_init__(self):
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"zoo training {self.backend}", daemon=True)

    def start(self) -> "TrainingJob":
        self._thread.start()
        return self

    def cancel(self) -> None:
        self._cancel.set()

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    @property
    def finished(self) -> bool:
        return self.status in ("done", "cancelled", "failed")

    def _progress(self, p) -> None:
        self.fraction = (p.epoch - 1 + p.step / p.steps) / p.epochs
        if p.epoch_end:
            self.curve.append((p.epoch, p.loss, p.val_loss))

    def _run(self) -> None:
        from .spec import ModelSpec

        if self._cancel.is_set():
            self.status = "cancelled"
            return
        self.status = "running"
        minutes = self.config.max_minutes or limit("training_minutes")
        options = {"dataset_params": self.dataset_params, "config": dataclasses.replace(self.config, max_minutes=minutes),
                   "spec": ModelSpec().replace(**self.spec_changes)}
        try:
            result = workers.train(self.backend, self.dataset, options, self._progress, self._cancel)
        except Exception as err:
            self.status = "failed"
            self.error = text_of(err) if isinstance(err, ZooError) else message("job_raised", kind=type(err).__name__, error=str(err))
            return
        if result is None or result["cancelled"]:
            self.status = "cancelled"
            if result is not None and result["out_of_time"]:
                self.note = message("training_out_of_time", minutes=minutes, env=LIMITS["training_minutes"].env)
            return
        self.fraction = 1.0
        self.result = {key: result[key] for key in ("checkpoint", "metrics", "epochs", "seconds")}
        self.status = "done"
        if result["out_of_time"]:
            self.note = message("training_stopped_at_limit", minutes=minutes, env=LIMITS["training_minutes"].env)
