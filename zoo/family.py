"""The recurrent families the zoo knows, in one table every part reads.

A backend declares only its ``family``; the canonical weights (zoo.weights), the reference equations
(zoo.reference), the conformance kit, what-if runs, the plugin scaffold, the Learn tab's maths and the
plots all take its layout from here. Adding a family is one entry below, its equations in
zoo.reference, and a backend.

    family  gates (weight-block order)   blocks  cell state  second bias b_U  memory gate
    lstm    i, f, g, o                   4       c           no               f
    gru     z, r, n                      3       none        yes              z
    rnn     none                         1       none        no               none (h itself)
"""
from __future__ import annotations

from dataclasses import dataclass

from .errors import BackendUnavailable


@dataclass(frozen=True)
class Family:
    name: str  # what a backend's ``family`` says
    title: str  # "an LSTM", for sentences
    gates: tuple[str, ...]  # the trace's gate names, in the order of the blocks of W, U and b
    gate_names: dict[str, str]  # what the equations call each gate
    cell_state: bool = False  # layers carry c_t besides h_t
    recurrent_bias: bool = False  # layers keep a second bias recurrent.{k}.b_U (see zoo.weights)
    memory_gate: str | None = None  # the gate that decides how much of the past is kept (zoo.memory)
    forget_gate: str | None = None  # an LSTM's f: its bias starts at the forget bias; what-if runs clamp it
    signed: tuple[str, ...] = ()  # gates made by tanh, in −1..1; the others are sigmoids in 0..1

    @property
    def blocks(self) -> int:
        """Blocks per unit in the canonical W, U and b: one per gate; a plain RNN's single block is s_t."""
        return max(1, len(self.gates))

    def quantities(self) -> tuple[str, ...]:
        """Every per-step array one traced layer holds, in zoo.trace.LayerTrace.quantities() order."""
        return ("h", *(("c",) if self.cell_state else ()), *self.gates)

    def activation(self, gate: str) -> str:
        return "tanh" if gate in self.signed else "sigmoid"


LSTM = Family(
    "lstm", "an LSTM", ("i", "f", "g", "o"),
    {"i": "input gate", "f": "forget gate", "g": "candidate", "o": "output gate"},
    cell_state=True, memory_gate="f", forget_gate="f", signed=("g",),
)
GRU = Family(
    "gru", "a GRU", ("z", "r", "n"),
    {"z": "update gate", "r": "reset gate", "n": "candidate"},
    recurrent_bias=True, memory_gate="z", signed=("n",),
)
RNN = Family("rnn", "a plain RNN", (), {})

FAMILIES: dict[str, Family] = {f.name: f for f in (LSTM, GRU, RNN)}


def family(name: str) -> Family:
    """The family called ``name``, or a BackendUnavailable naming the ones there are."""
    try:
        return FAMILIES[name]
    except (KeyError, TypeError):
        raise BackendUnavailable(f"no recurrent family {name!r}: the zoo knows {', '.join(FAMILIES)} "
                                 "(a new one is an entry in zoo/family.py)") from None
