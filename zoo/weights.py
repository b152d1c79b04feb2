"""The canonical weight layout every backend reads and writes, and one seeded initialisation for all.

Names and shapes, for a spec with recurrent sizes H_1..H_L and a family (zoo.family) with G blocks per
unit (4 for an LSTM in gate order i, f, g, o; 3 for a GRU in gate order z, r, n; 1 for a plain RNN)::

    embedding            (vocab_size, embedding_dim)      token input only
    recurrent.{k}.W      (in_k, G * H_k)                  input kernel, in_k = previous layer's H
    recurrent.{k}.U      (H_k, G * H_k)                   recurrent kernel
    recurrent.{k}.b      (G * H_k,)                       input bias (LSTM, RNN: the one bias; PyTorch's two sum into it)
    recurrent.{k}.b_U    (G * H_k,)                       recurrent bias, only where the family has ``recurrent_bias`` (GRU)
    head.{k}.W, .b       (in, units), (units,)            hidden Dense layers
    output.W, output.b   (in, output_dim), (output_dim,)

A GRU needs the second bias because its reset gate multiplies the recurrent term, bias included
(n_t = tanh(x W_n + b_n + r_t ⊙ (h U_n + b_U,n))), so the two biases no longer sum into one; Keras
(reset_after=True) keeps them as ``bias[0]`` and ``bias[1]``, PyTorch as ``bias_ih`` and ``bias_hh``.

All arrays are float32. Giving every backend the same initial weights means differences after
training come from the architecture and the framework, not from each framework's own initialiser.
"""
from __future__ import annotations

import numpy as np

from .errors import WeightsError
from .family import Family
from .messages import message
from .spec import ModelSpec

Weights = dict[str, np.ndarray]


def canonical_shapes(spec: ModelSpec, family: Family) -> dict[str, tuple[int, ...]]:
    gates = family.blocks
    shapes: dict[str, tuple[int, ...]] = {}
    if spec.input == "tokens":
        shapes["embedding"] = (spec.vocab_size, spec.embedding_dim)
    width = spec.input_dim
    for k, units in enumerate(spec.recurrent):
        shapes[f"recurrent.{k}.W"] = (width, gates * units)
        shapes[f"recurrent.{k}.U"] = (units, gates * units)
        shapes[f"recurrent.{k}.b"] = (gates * units,)
        if family.recurrent_bias:
            shapes[f"recurrent.{k}.b_U"] = (gates * units,)
        width = units
    for k, units in enumerate(spec.head):
        shapes[f"head.{k}.W"] = (width, units)
        shapes[f"head.{k}.b"] = (units,)
        width = units
    shapes["output.W"] = (width, spec.output_dim)
    shapes["output.b"] = (spec.output_dim,)
    return shapes


def check_weights(weights: Weights, spec: ModelSpec, family: Family) -> Weights:
    """Return ``weights`` as contiguous float32 arrays, or raise a WeightsError that names what is wrong."""
    expected = canonical_shapes(spec, family)
    missing = sorted(set(expected) - set(weights))
    extra = sorted(set(weights) - set(expected))
    if missing or extra:
        raise WeightsError(message("weights_mismatch", missing=missing or message("nothing"), extra=extra or message("nothing")))
    checked = {}
    for name, shape in expected.items():
        value = np.asarray(weights[name])
        if value.shape != shape:
            raise WeightsError(message("weight_wrong_shape", name=name, shape=value.shape, needed=shape))
        if not np.issubdtype(value.dtype, np.number):
            raise WeightsError(message("weight_not_numeric", name=name, dtype=value.dtype))
        value = np.ascontiguousarray(value, dtype=np.float32)
        if not np.isfinite(value).all():
            raise WeightsError(message("weight_not_finite", name=name))
        checked[name] = value
    return checked


def _glorot(rng: np.random.Generator, fan_in: int, fan_out: int) -> np.ndarray:
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out))


def _orthogonal(rng: np.random.Generator, n: int) -> np.ndarray:
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))


def init_weights(spec: ModelSpec, seed: int, family: Family, forget_bias: float = 1.0) -> Weights:
    """Keras's defaults made framework-neutral: Glorot-uniform kernels, orthogonal recurrent blocks,
    zero biases except an LSTM forget gate's (``forget_bias``, Keras's unit_forget_bias)."""
    rng = np.random.default_rng(seed)
    weights: Weights = {}
    for name, shape in canonical_shapes(spec, family).items():
        if name == "embedding":
            value = rng.uniform(-0.05, 0.05, size=shape)
        elif name.endswith(".U"):
            units = shape[0]
            value = np.concatenate([_orthogonal(rng, units) for _ in range(family.blocks)], axis=1)
        elif name.endswith(".W"):
            value = _glorot(rng, *shape)
        else:
            value = np.zeros(shape)
            if family.forget_gate is not None and name.startswith("recurrent."):
                units, block = shape[0] // family.blocks, family.gates.index(family.forget_gate)
                value[block * units:(block + 1) * units] = forget_bias
        weights[name] = value.astype(np.float32)
    return weights


def random_weights(spec: ModelSpec, seed: int, family: Family, scale: float = 0.5) -> Weights:
    """Weights with every entry random, biases included: what a parity check needs to exercise every path.

    Recurrent kernels get entries of variance scale²/H, a spectral radius near ``scale``: with a larger
    one a plain RNN turns chaotic and float32 rounding, not the implementation, decides the digits.
    """
    rng = np.random.default_rng(seed)
    weights = {}
    for name, shape in canonical_shapes(spec, family).items():
        limit = scale * np.sqrt(3.0 / shape[0]) if name.endswith(".U") else scale
        weights[name] = rng.uniform(-limit, limit, size=shape).astype(np.float32)
    return weights
