"""How much a model uses its memory, measured on its traces.

A model that keeps nothing between steps has a flat state: its gates sit near their initial values
(an LSTM's i ≈ o ≈ 0.5, f ≈ σ(forget bias)) whatever it reads. A model that remembers moves them: its
forget gate stays near 1 to hold something and drops to let it go. So a unit's activity is how far its
*memory gate* moves — the gate that decides how much of the past to keep (an LSTM's f, a GRU's update
gate z) — and, for a plain RNN, which has no gate, how far its state h moves. The most active unit is
the one worth following first.

Measured on the long-dependency LSTMs: the unit whose h moves most is often a latch whose f sits at 1
all the time (std 0.01); ranking by h would hide the units whose gates do the remembering.

Every figure is a standard deviation over time (within one sequence), averaged over the sequences,
so a unit that is constant within each sequence counts as still, whatever its level.
"""
from __future__ import annotations

import numpy as np

from .family import FAMILIES
from .trace import LayerTrace, Trace

TOP_UNITS = 3  # how many of the most active units a report lists
MEMORY_GATES = tuple(f.memory_gate for f in FAMILIES.values() if f.memory_gate)  # an LSTM's f, a GRU's z


def movement(values: np.ndarray) -> np.ndarray:
    """(H,) how much each unit of a (T, H) array moves over time: its standard deviation over the steps."""
    return np.asarray(values, dtype=np.float64).std(axis=0)


def activity_name(layer: LayerTrace) -> str:
    """What a layer's activity is measured on: its memory gate, or h for a layer without gates."""
    return next((gate for gate in MEMORY_GATES if gate in layer.gates), "h")


def most_moving_unit(layer: LayerTrace) -> int:
    """The most active unit on this one input (see the module's docstring): the one to follow by default."""
    return int(np.argmax(movement(layer.quantities()[activity_name(layer)])))


def memory_use(traces: list[Trace], top: int = TOP_UNITS) -> list[dict]:
    """Per layer, over a set of traces: mean |h|, the ``top`` most active units, and for each of them how
    far h, c and every gate move (mean over the traces of the std over time). ``ranked_by`` names the
    quantity activity is measured on; ``memory_gate_movement`` is the most active unit's memory-gate
    movement (None for a layer without gates)."""
    if not traces:
        raise ValueError("memory_use needs at least one trace")
    layers = []
    for k in range(len(traces[0].layers)):
        per_trace = [t.layers[k] for t in traces]
        moves = {name: np.mean([movement(layer.quantities()[name]) for layer in per_trace], axis=0)
                 for name in per_trace[0].quantities()}
        ranked_by = activity_name(per_trace[0])
        ranked = np.argsort(-moves[ranked_by], kind="stable")[:top]
        units = [{"unit": int(u), **{f"{name}_movement": float(moves[name][u]) for name in moves}} for u in ranked]
        layers.append({
            "layer": k,
            "mean_abs_h": float(np.mean([np.abs(layer.h).mean() for layer in per_trace])),
            "ranked_by": ranked_by,
            "most_active": units,
            "memory_gate_movement": units[0][f"{ranked_by}_movement"] if ranked_by != "h" else None,
        })
    return layers


def split_memory_use(model, split, count: int = 200) -> list[dict]:
    """:func:`memory_use` of ``model`` on the first ``count`` sequences of a prepared split, each traced
    at its own length (padding is not input)."""
    rows = range(min(count, len(split.lengths)))
    return memory_use([model.trace(split.x[i, :int(split.lengths[i])]) for i in rows])
