"""LSTMVis projects: a text model's states over a dataset split, as LSTMVis (Strobelt, Gehrmann et al.,
lstm.seas.harvard.edu) reads them.

A project is one directory of four files:

- ``states.h5``: per layer (numbered from 1, as LSTMVis numbers them) ``output{k}``, the hidden state h,
  and for an LSTM ``states{k}``, the cell state c (LSTMVis's ``output`` and ``state`` kinds; a GRU or a
  plain RNN has h only). Each is (total steps, units) float32: the split's sequences one after another
  along the first axis, without their padding;
- ``words.h5``: ``word_ids`` (total steps,), the id the model read at each step (a word outside its
  vocabulary reads as ``<unk>``), and ``sequence_lengths`` (sequences,), where each sequence ends;
- ``words.dict``: the model's vocabulary, ``word id`` a line, as LSTMVis's own converter writes it (it
  splits each line on white space, so white space inside a token is written as ▁);
- ``lstm.yml``: the configuration that names them.

LSTMVis lists every project directory under its data directory: ``python server.py -dir PARENT``.
Numeric models are refused: LSTMVis shows states against words.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import InputError
from .messages import message
from .prepare import SPLITS

STATES_FILE = "states.h5"
WORDS_FILE = "words.h5"
DICTIONARY_FILE = "words.dict"
CONFIG_FILE = "lstm.yml"
DEFAULT_SEQUENCES = 500  # the split's first ones: a project stays a few megabytes


@dataclass
class LSTMVisProject:
    directory: Path
    dataset: str
    split: str
    sequences: int
    split_size: int  # how many sequences the split has: ``sequences`` are its first ones
    steps: int
    states: list[str]  # the datasets of states.h5, in lstm.yml's order


def export_lstmvis(checkpoint_path, directory, *, dataset: str | None = None, split: str = "test",
                   sequences: int = DEFAULT_SEQUENCES) -> LSTMVisProject:
    """Trace the first ``sequences`` of a dataset split through a text checkpoint and write them as an
    LSTMVis project in ``directory``. ``dataset`` is the checkpoint's own by default; any other text
    dataset works too, encoded with the checkpoint's vocabulary and split as it was trained."""
    from . import checkpoint
    from .backend import Backend
    from .plugins import registry
    from .train import TrainConfig, prepare_dataset

    if split not in SPLITS:
        raise InputError(message("split_one_of", splits=", ".join(SPLITS), split=split))
    if sequences < 1:
        raise InputError(message("sequences_at_least_one", sequences=sequences))
    meta = checkpoint.read_metadata(checkpoint_path)
    state = meta.get("preprocessing", {})
    if meta["spec"]["input"] != "tokens" or state.get("kind") != "text":
        raise InputError(message("lstmvis_needs_text"))
    own = meta.get("dataset")
    name = dataset or own
    kinds = {e.name: e.info.kind for e in registry().datasets if e.info is not None}
    if name not in kinds:
        unknown = message("no_registered_dataset_named", name=name) if dataset else message("own_dataset_not_registered", name=own)
        text_sets = ", ".join(n for n, kind in kinds.items() if kind == "text")
        raise InputError(message("choose_text_dataset", unknown=unknown, datasets=text_sets))
    if kinds[name] != "text":
        raise InputError(message("dataset_not_text", name=name, kind=kinds[name]))
    config = TrainConfig(**meta["config"]) if "config" in meta else TrainConfig()
    model = Backend.load(checkpoint_path)
    params = meta.get("dataset_params", {}) if name == own else {}
    data = getattr(prepare_dataset(name, params, config, model.spec, state=state), split)
    count = min(sequences, len(data))
    lengths = data.lengths[:count]
    states = write_project(model, data.x[:count], lengths, state["vocabulary"], directory,
                           name=f"{Path(checkpoint_path).stem} on {name}, {split} split ({count} sequences)")
    return LSTMVisProject(Path(directory), name, split, count, len(data), int(lengths.sum()), states)


def write_project(model, x: np.ndarray, lengths: np.ndarray, vocabulary: list[str], directory, *,
                  name: str) -> list[str]:
    """Trace each of the right-padded token sequences ``x`` (its real ``lengths``) and write the project;
    the names of the states file's datasets."""
    import h5py  # a dependency, but only LSTMVis projects and legacy Keras files need it

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    states: dict[str, list[np.ndarray]] = {}
    types = []
    for row, length in enumerate(lengths):
        trace = model.trace(x[row, :length])
        for k, layer in enumerate(trace.layers, start=1):
            kinds = ([("state", f"states{k}", layer.c)] if layer.c is not None else []) + [("output", f"output{k}", layer.h)]
            for kind, path, value in kinds:
                if path not in states:
                    states[path] = []
                    types.append({"type": kind, "layer": k, "path": path})
                states[path].append(value)
    with h5py.File(directory / STATES_FILE, "w") as f:
        for path, values in states.items():
            f.create_dataset(path, data=np.concatenate(values).astype(np.float32))
    with h5py.File(directory / WORDS_FILE, "w") as f:
        f.create_dataset("word_ids", data=np.concatenate([x[row, :length] for row, length in enumerate(lengths)]))
        f.create_dataset("sequence_lengths", data=np.asarray(lengths, dtype=np.int64))
    with open(directory / DICTIONARY_FILE, "w", encoding="utf-8") as f:
        f.writelines(f"{dictionary_word(token)} {i}\n" for i, token in enumerate(vocabulary))
    config = {
        "name": name,
        "description": f"{model.name}, {model.family} {list(model.spec.recurrent)}: written by zoo trace --lstmvis",
        "files": {"states": STATES_FILE, "words": WORDS_FILE, "dictionary": DICTIONARY_FILE},
        "word_sequence": {"file": "words", "path": "word_ids", "dict_file": "dictionary"},
        "states": {"file": "states", "types": types},
    }
    (directory / CONFIG_FILE).write_text(yaml_text(config), encoding="utf-8")
    return list(states)


def dictionary_word(token: str) -> str:
    """A token as one white-space-free field of a .dict line."""
    return re.sub(r"\s", "▁", token) or "▁"


def yaml_text(config: dict) -> str:
    """``config`` as YAML: nested mappings, lists of flat mappings (in flow style), whole numbers and
    strings, double-quoted as JSON quotes them (JSON's escapes are YAML's too). No YAML library needed."""
    def scalar(value) -> str:
        return str(value) if isinstance(value, int) else json.dumps(value, ensure_ascii=False)

    lines = []

    def block(mapping: dict, indent: str) -> None:
        for key, value in mapping.items():
            if isinstance(value, dict):
                lines.append(f"{indent}{key}:")
                block(value, indent + "  ")
            elif isinstance(value, list):
                lines.append(f"{indent}{key}:")
                lines.extend(f"{indent}  - {{{', '.join(f'{k}: {scalar(v)}' for k, v in item.items())}}}" for item in value)
            else:
                lines.append(f"{indent}{key}: {scalar(value)}")

    block(config, "")
    return "\n".join(lines) + "\n"
