"""The seed's equations filled in with a real model's numbers, one step, layer and unit at a time.

The activations are the backend's own trace (what the comparison shows); only the parts inside them
are recomputed, from the canonical weights and the layer's input, in float64::

    LSTM  f_t = σ(W_f x_t + U_f h_{t-1} + b_f)   (i, g = tanh, o alike)
          c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t        h_t = o_t ⊙ tanh(c_t)
    RNN   s_t = tanh(W x_t + U s_{t-1} + b)
    GRU   z_t, r_t = σ(W x_t + b + U h_{t-1} + b_U)   n_t = tanh(W_n x_t + b_n + r_t ⊙ (U_n h_{t-1} + b_U,n))
          h_t = (1 - z_t) ⊙ n_t + z_t ⊙ h_{t-1}

Here ``x_t`` of layer 0 is the embedding row of the token (or the scaled series value) and of layer
k > 0 the h_t of layer k-1, each term is the chosen unit's component, and the state starts at zero.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import numpy as np

from . import checkpoint, long_range
from .errors import InputError
from .messages import message
from .prepare import encode_symbols, encode_text, model_input
from .family import family as family_of
from .reference import embed
from .spec import ModelSpec
from .trace import Trace
from .weights import Weights, check_weights
from .workbench import ModelCard, catalog, compare_series, compare_symbols, compare_text, model_card

# The lab's long-dependency models trained at this lag: the plain RNN and both LSTMs solved it
# (test accuracy 1.0), so what differs on the seed's longer sentence is memory, not training.
LAB_LAG = 10
SHORT_SENTENCE = "He likes a pretty girl"
LONG_SENTENCE = "He seems to like that he likes a girl but he likes a boy."


@dataclass(frozen=True)
class Equation:
    """One line of the seed's equations for one unit at one step.

    ``terms`` are the named parts: of the pre-activation (``Wx``, ``Uh``, ``b``, and for a GRU ``b_U``
    and the reset gate ``r``) or of the combination (``c``, ``h``: the gates and states they mix).
    ``pre`` is the pre-activation (None for a combination); ``value`` is the trace's own number."""

    name: str
    activation: str  # "sigmoid", "tanh", or "" for a combination of gates and states
    terms: dict[str, float]
    pre: float | None
    value: float


@dataclass(frozen=True)
class StepEquations:
    family: str
    layer: int
    unit: int
    step: int
    steps: int
    token: str | None
    equations: list[Equation]

    def to_dict(self) -> dict:
        return asdict(self)

    def equation(self, name: str) -> Equation:
        return next(e for e in self.equations if e.name == name)


@dataclass
class Lesson:
    """One input through one model: the trace the comparison shows, and what explains it."""

    card: ModelCard
    trace: Trace
    x: np.ndarray  # what the backend traced: token ids, or the scaled series (T, features)
    weights: Weights
    spec: ModelSpec
    family: str
    note: str | None = None  # the workbench's word about the input, such as words the model does not know

    def equations(self, layer: int, unit: int, step: int) -> StepEquations:
        return step_equations(self.weights, self.spec, self.family, self.x, self.trace, layer, unit, step)


# ----- the models a learner picks from -----
def lab_cards(lag: int = LAB_LAG) -> list[ModelCard]:
    """The long-dependency models the lab ships for ``lag``, as cards the workbench can run: each its
    checkpoint's card, named by its lag and scored by the lab's result."""
    cards = []
    for backend in ("numpy-rnn", "torch-lstm", "keras-lstm"):
        found = long_range.cached_result(backend, "long-dependency", lag)
        if found is None:
            continue
        result, directory = found
        card = model_card(directory / f"{result['key']}.safetensors", pretrained=True)
        cards.append(replace(card, dataset=f"long-dependency, lag {lag}", metrics={result["metric"]: result["score"]}))
    return cards


def learn_cards() -> list[ModelCard]:
    """Every model the lab compares, then the lab's long-dependency models."""
    return catalog() + lab_cards()


def find_card(card_id: str) -> ModelCard:
    cards = learn_cards()
    for card in cards:
        if card.id == card_id:
            return card
    raise InputError(message("learn_no_model", name=card_id, known=", ".join(card.id for card in cards)))


# ----- one input through one model -----
def lesson(card: ModelCard, raw) -> Lesson:
    """Run ``raw`` (a text; symbols typed out for a symbol-sequence model; a series of numbers for a
    forecasting model) through the workbench, exactly as the comparison does, and keep what the
    equations need."""
    if card.kind == "text":
        [answer] = compare_text(raw, [card])
    elif card.reads_symbols:
        [answer] = compare_symbols(raw, [card])
    else:
        [answer] = compare_series(raw, [card])
    if answer.error:
        raise InputError(answer.error)
    # The weights straight from the file: the maths needs no plugin code, and none runs in the server.
    meta, weights = checkpoint.read(card.path)
    spec = ModelSpec.from_dict(meta["spec"])
    state = meta["preprocessing"]
    if card.kind == "text":
        x, _ = encode_text(raw, state)
    elif card.reads_symbols:
        x, _ = encode_symbols(raw, state)
    else:
        values = np.asarray(raw, dtype=np.float64)
        x = model_input(values.reshape(len(values), -1), state)
    return Lesson(card, answer.trace, x, check_weights(weights, spec, family_of(card.family)), spec, card.family, answer.note)


def layer_input(weights: Weights, spec: ModelSpec, x, trace: Trace, layer: int) -> np.ndarray:
    """(T, in) what layer ``layer`` reads at each step: the embedded input, or the layer below's h."""
    if layer == 0:
        return embed(weights, spec, x)
    return trace.layers[layer - 1].h.astype(np.float64)


def step_equations(weights: Weights, spec: ModelSpec, family: str, x, trace: Trace, layer: int, unit: int,
                   step: int) -> StepEquations:
    if not 0 <= layer < len(trace.layers):
        raise InputError(message("layer_does_not_exist", layer=layer, last=len(trace.layers) - 1))
    states = trace.layers[layer]
    if not 0 <= unit < states.units:
        raise InputError(message("layer_has_units", layer=layer, last=states.units - 1, given=unit))
    if not 0 <= step < trace.steps:
        raise InputError(message("input_has_steps", last=trace.steps - 1, step=step))
    units = states.units
    W = weights[f"recurrent.{layer}.W"].astype(np.float64)
    U = weights[f"recurrent.{layer}.U"].astype(np.float64)
    b = weights[f"recurrent.{layer}.b"].astype(np.float64)
    a = layer_input(weights, spec, x, trace, layer)[step]
    h_prev = states.h[step - 1].astype(np.float64) if step > 0 else np.zeros(units)

    layout = family_of(family)

    def parts(gate: str | None) -> dict[str, float]:
        """The terms of ``gate``'s pre-activation (a plain RNN's one block for None), from its weight block."""
        column = (layout.gates.index(gate) if gate else 0) * units + unit
        terms = {"Wx": float(a @ W[:, column]), "Uh": float(h_prev @ U[:, column]), "b": float(b[column])}
        if layout.recurrent_bias:  # the GRU: the recurrent term keeps its own bias
            terms["b_U"] = float(weights[f"recurrent.{layer}.b_U"][column])
        return terms

    def gate_equation(name: str, terms: dict, pre: float) -> Equation:
        return Equation(name, layout.activation(name), terms, pre, value(states.gates[name]))

    def value(array) -> float:
        return float(array[step, unit])

    if family == "lstm":
        c_prev = float(states.c[step - 1, unit]) if step > 0 else 0.0
        equations = []
        for name in ("f", "i", "g", "o"):  # the seed's order: what to forget, what to write, what to show
            terms = parts(name)
            equations.append(gate_equation(name, terms, sum(terms.values())))
        gate = {name: value(states.gates[name]) for name in layout.gates}
        c = value(states.c)
        equations.append(Equation("c", "", {"f": gate["f"], "c_prev": c_prev, "i": gate["i"], "g": gate["g"]}, None, c))
        equations.append(Equation("h", "", {"o": gate["o"], "c": c}, None, value(states.h)))
    elif family == "rnn":
        terms = parts(None)
        equations = [Equation("s", "tanh", terms, sum(terms.values()), value(states.h))]
    elif family == "gru":
        equations = []
        for name in layout.gates:
            terms = parts(name)
            if name == "n":  # the reset gate scales the whole recurrent term, its bias included
                terms["r"] = value(states.gates["r"])
                equations.append(gate_equation(name, terms, terms["Wx"] + terms["b"] + terms["r"] * (terms["Uh"] + terms["b_U"])))
            else:
                equations.append(gate_equation(name, terms, sum(terms.values())))
        equations.append(Equation("h", "", {"z": value(states.gates["z"]), "n": value(states.gates["n"]),
                                            "h_prev": float(h_prev[unit])}, None, value(states.h)))
    else:
        raise InputError(message("learn_unknown_family", family=family))
    token = trace.tokens[step] if trace.tokens else None
    return StepEquations(family, layer, unit, step, trace.steps, token, equations)


# ----- the guided path's measurements -----
def remembered_word(card: ModelCard, text: str, word: str, replacement: str) -> dict:
    """Swap the first ``word`` of ``text`` for ``replacement`` and follow the difference through the model:
    per step ‖h_t − h'_t‖ of the first layer, the one that reads the words (how much the state still knows which word it read) and the
    model's output for both texts; ``unit`` is the one whose last state the swap moves most. An LSTM also gets the product of its forget gates from the word on
    (long_range.forget_memory), the largest over its units: the share of what it wrote then that is still in c."""
    words = text.split()
    position = next((k for k, w in enumerate(words) if w.strip(".,").casefold() == word.casefold()), None)
    if position is None:
        raise InputError(message("word_not_in_text", word=word, text=text))
    swapped = " ".join([*words[:position], replacement + words[position][len(word):], *words[position + 1:]])
    original, changed = lesson(card, text), lesson(card, swapped)
    step = original.trace.tokens.index(word.casefold())
    difference = np.linalg.norm(original.trace.layers[0].h - changed.trace.layers[0].h, axis=1)
    last = np.abs(original.trace.layers[0].h[-1] - changed.trace.layers[0].h[-1])
    result = {"text": text, "swapped": swapped, "tokens": original.trace.tokens, "step": step,
              "difference": difference.tolist(), "unit": int(np.argmax(last)), "output": float(original.trace.output[0]),
              "swapped_output": float(changed.trace.output[0]), "kept": None}
    if original.trace.layers[0].c is not None:
        product = long_range.forget_memory(original.trace)  # from step 0 on; divide out the steps before the word
        before = product[step - 1] if step > 0 else np.ones(product.shape[1])
        result["kept"] = (product / np.maximum(before, 1e-300)).max(axis=1).tolist()
        result["kept"][:step] = [None] * step
    return result


def head_activations(lesson_: Lesson, step: int) -> dict | None:
    """The first Dense head layer's pre-activations z for the top layer's h at ``step``, with tanh(z)
    and relu(z): what the seed's relu → tanh change does to the real numbers of a trained model; and
    how many of the z are ``negative`` (relu zeroes those) and the ``largest`` |z| (relu leaves it unbounded)."""
    if not lesson_.spec.head:
        return None
    h = lesson_.trace.layers[-1].h[step].astype(np.float64)
    z = h @ lesson_.weights["head.0.W"].astype(np.float64) + lesson_.weights["head.0.b"]
    return {"activation": lesson_.spec.activation, "z": z.tolist(), "tanh": np.tanh(z).tolist(),
            "relu": np.maximum(z, 0.0).tolist(), "negative": int(np.sum(z < 0)), "largest": float(np.abs(z).max())}
