"""Canonical traces: what a backend returns from ``trace``, as plain NumPy arrays with named axes.

Every array is indexed by step first, so ``layer.h[t]`` is h_t. What else a layer holds is its
family's (zoo.family): an LSTM layer has ``gates`` ``i``, ``f``, ``g`` and ``o`` (the seed's input,
forget, candidate and output gates) and ``c`` the cell state; a GRU layer has ``gates`` ``z``, ``r`` and
``n`` (update, reset, candidate) and no cell state; a plain RNN layer has neither.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

import numpy as np

from .family import Family

# A byte-order mark first: spreadsheets (Excel above all) then read the file as UTF-8, Korean and emoji included.
CSV_ENCODING = "utf-8-sig"


@dataclass
class LayerTrace:
    h: np.ndarray  # (T, H)
    c: np.ndarray | None = None  # (T, H), LSTM only
    gates: dict[str, np.ndarray] = field(default_factory=dict)  # name -> (T, H): the family's gates, or none

    @classmethod
    def of(cls, family: Family, quantities: dict) -> "LayerTrace":
        """A layer of ``family`` from arrays named as its quantities (h, c, gates), anything array-like."""
        arrays = {name: np.asarray(quantities[name]) for name in family.quantities()}
        return cls(h=arrays["h"], c=arrays.get("c"), gates={name: arrays[name] for name in family.gates})

    @property
    def units(self) -> int:
        return self.h.shape[1]

    def quantities(self) -> dict[str, np.ndarray]:
        """Every per-step array of this layer by name: ``h``, then ``c`` and the gates where present."""
        out = {"h": self.h}
        if self.c is not None:
            out["c"] = self.c
        out.update(self.gates)
        return out


@dataclass
class Trace:
    """Per layer and per step states of one sequence, and the head read out at every step.

    ``readout[t]`` is the model's output had the sequence ended at step t (the seed's
    ``return_sequences`` idea); ``readout[-1]`` is what ``predict`` returns for the whole sequence.
    """

    backend: str
    layers: list[LayerTrace]
    readout: np.ndarray  # (T, output_dim)
    tokens: list[str] | None = None

    @property
    def steps(self) -> int:
        return self.readout.shape[0]

    @property
    def output(self) -> np.ndarray:
        return self.readout[-1]

    def arrays(self) -> dict[str, np.ndarray]:
        """Flat ``layer{k}.{quantity}`` names, the layout of the .npz export."""
        out = {"readout": self.readout}
        for k, layer in enumerate(self.layers):
            for name, value in layer.quantities().items():
                out[f"layer{k}.{name}"] = value
        return out

    def to_dict(self) -> dict:
        return {
            "backend": self.backend,
            "steps": self.steps,
            "tokens": self.tokens,
            "output": self.output.tolist(),
            "readout": self.readout.tolist(),
            "layers": [
                {"units": layer.units, **{name: value.tolist() for name, value in layer.quantities().items()}}
                for layer in self.layers
            ],
        }

    def csv_text(self) -> str:
        """The trace as a table: a row per step, a column per layer, quantity and unit, header first.

        Columns: ``step``, ``input`` (the step's token or value, where the trace has them), then every
        array of :meth:`arrays` unit by unit: ``readout[0]`` (the output had the sequence ended at that
        step), ``layer0.h[0]`` … ``layer0.h[63]``, ``layer0.c[0]`` …, ``layer0.f[0]`` … Numbers are the
        shortest text that reads back as the same float32.
        """
        arrays = self.arrays()
        header = ["step", *(["input"] if self.tokens is not None else [])]
        header += [f"{name}[{unit}]" for name, value in arrays.items() for unit in range(value.shape[1])]
        numbers = np.concatenate([value.astype(str) for value in arrays.values()], axis=1)
        out = io.StringIO()
        writer = csv.writer(out)  # quotes tokens holding commas, quotes or line breaks
        writer.writerow(header)
        for step, row in enumerate(numbers.tolist()):
            writer.writerow([step, *([self.tokens[step]] if self.tokens is not None else []), *row])
        return out.getvalue()

    def save_csv(self, path) -> None:
        with open(path, "w", encoding=CSV_ENCODING, newline="") as f:
            f.write(self.csv_text())

    def save_npz(self, path) -> None:
        meta = json.dumps({"backend": self.backend, "tokens": self.tokens})
        np.savez_compressed(path, meta=np.frombuffer(meta.encode(), dtype=np.uint8), **self.arrays())

    @classmethod
    def load_npz(cls, path) -> "Trace":
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(bytes(data["meta"]).decode())
            arrays = {name: data[name] for name in data.files if name != "meta"}
        layers: dict[int, dict] = {}
        for name, value in arrays.items():
            if name.startswith("layer"):
                index, quantity = name[len("layer"):].split(".", 1)
                layers.setdefault(int(index), {})[quantity] = value
        return cls(
            backend=meta["backend"],
            tokens=meta["tokens"],
            readout=arrays["readout"],
            layers=[
                LayerTrace(h=q.pop("h"), c=q.pop("c", None), gates=q)  # what is left are the gates
                for _, q in sorted(layers.items())
            ],
        )
