"""The ModelSpec on torch.nn: Embedding -> one nn.LSTM per recurrent layer -> Linear head -> output.

Everything runs in float32. Canonical weights map one to one onto PyTorch's: W and U are the
transposed ``weight_ih_l0`` and ``weight_hh_l0`` (same gate order i, f, g, o), and the canonical bias
is the sum of PyTorch's two, so it is written to ``bias_ih_l0`` with ``bias_hh_l0`` left at zero.
"""
from __future__ import annotations

# First: the network module sets torch's thread count, which torch reads once, as it loads.
from .network import TorchBackend  # isort: skip

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


def lstm_gates(z: torch.Tensor) -> tuple[torch.Tensor, ...]:
    """i, f, g, o from the pre-activations z = x W + h U + b, split in PyTorch's (and the canonical) order."""
    i, f, g, o = z.chunk(4, dim=-1)
    return torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)


class TorchLSTM(TorchBackend):
    family = "lstm"
    cell = nn.LSTM

    def _build(self, seed: int) -> None:
        super()._build(seed)
        # The canonical b is one bias, kept in bias_ih; bias_hh stays at zero. Were it trained too, Adam
        # would move both by its step and so the canonical bias by twice the step of every other backend.
        for lstm in self.net.recurrent:
            lstm.bias_hh_l0.requires_grad_(False)

    # ----- weights: PyTorch's gate order is the canonical i, f, g, o; its two biases sum to b -----
    def _read_recurrent(self, lstm):
        return {"W": lstm.weight_ih_l0.T, "U": lstm.weight_hh_l0.T, "b": lstm.bias_ih_l0 + lstm.bias_hh_l0}

    def _write_recurrent(self, lstm, params):
        lstm.weight_ih_l0.copy_(torch.from_numpy(params["W"].T))
        lstm.weight_hh_l0.copy_(torch.from_numpy(params["U"].T))
        lstm.bias_ih_l0.copy_(torch.from_numpy(params["b"]))
        lstm.bias_hh_l0.zero_()

    # ----- the equations -----
    def _input_terms(self, lstm, a):
        return F.linear(a, lstm.weight_ih_l0, lstm.bias_ih_l0 + lstm.bias_hh_l0)

    def _step(self, lstm, x_term, previous, forget):
        i, f, g, o = lstm_gates(x_term + F.linear(previous["h"], lstm.weight_hh_l0))
        if forget is not None:
            f = torch.full_like(f, forget)
        c = f * previous["c"] + i * g
        return {"h": o * torch.tanh(c), "c": c, "i": i, "f": f, "g": g, "o": o}

    def _quantities(self, lstm, a, h):
        # Given h, the gates are one matmul over all steps; only c_t = f_t c_{t-1} + i_t g_t is
        # sequential, and it is a cheap elementwise loop.
        h_prev = torch.cat([h.new_zeros(1, h.shape[1]), h[:-1]])
        i, f, g, o = lstm_gates(self._input_terms(lstm, a) + F.linear(h_prev, lstm.weight_hh_l0))
        return {"h": h, "c": cell_states(f.numpy(), (i * g).numpy()), "i": i, "f": f, "g": g, "o": o}


def cell_states(f: np.ndarray, ig: np.ndarray) -> np.ndarray:
    """c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t for every step. Elementwise, so a NumPy loop: iterating a torch
    tensor's rows costs ~8 µs a step, NumPy's ~1 µs, which keeps long traces linear in T."""
    c = np.empty_like(f)
    c_t = np.zeros(f.shape[1], dtype=f.dtype)
    for t in range(len(f)):
        c_t = c[t] = f[t] * c_t + ig[t]
    return c
