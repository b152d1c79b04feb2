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

from zoo.trace import GATES, LayerTrace


def lstm_gates(z: torch.Tensor) -> tuple[torch.Tensor, ...]:
    """i, f, g, o from the pre-activations z = x W + h U + b, split in PyTorch's (and the canonical) order."""
    i, f, g, o = z.chunk(4, dim=-1)
    return torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)


class TorchLSTM(TorchBackend):
    family = "lstm"
    gates = 4
    capabilities = frozenset({"what-if"})
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

    # ----- inference -----
    def _trace(self, x: np.ndarray) -> tuple[list[LayerTrace], np.ndarray]:
        # Each layer's h comes from its own fused nn.LSTM, the very forward predict runs. Given h, the
        # gates need no recurrence (one matmul over all steps); only c_t = f_t c_{t-1} + i_t g_t is
        # sequential, and it is a cheap elementwise loop.
        self.net.eval()
        layers = []
        with torch.inference_mode():
            a = self.net.embed(torch.tensor(x)[None])[0]
            for lstm in self.net.recurrent:
                h = lstm(a[None])[0][0]
                h_prev = torch.cat([h.new_zeros(1, h.shape[1]), h[:-1]])
                z = F.linear(a, lstm.weight_ih_l0, lstm.bias_ih_l0) + F.linear(h_prev, lstm.weight_hh_l0, lstm.bias_hh_l0)
                i, f, g, o = lstm_gates(z)
                gates = {name: gate.numpy() for name, gate in zip(GATES, (i, f, g, o))}
                layers.append(LayerTrace(h=h.numpy(), c=cell_states(gates["f"], (i * g).numpy()), gates=gates))
                a = h
            readout = self.net.activate(self.net.readout(a)).numpy()
        return layers, readout

    def _unroll(self, lstm, a, delta):
        return unrolled(lstm, a, delta=delta)[0]

    def _what_if(self, x: np.ndarray, intervention) -> tuple[list[LayerTrace], np.ndarray]:
        self.net.eval()
        layers = []
        with torch.inference_mode():
            a = self.net.embed(torch.tensor(x)[None])[0]
            for k, lstm in enumerate(self.net.recurrent):
                override = {"forget": intervention.forget, "silence": intervention.silence} if k == intervention.layer else {}
                h, c, *gates = unrolled(lstm, a, **override)
                layers.append(LayerTrace(h=h.numpy(), c=c.numpy(), gates={n: g.numpy() for n, g in zip(GATES, gates)}))
                a = h
            readout = self.net.activate(self.net.readout(a)).numpy()
        return layers, readout



def cell_states(f: np.ndarray, ig: np.ndarray) -> np.ndarray:
    """c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t for every step. Elementwise, so a NumPy loop: iterating a torch
    tensor's rows costs ~8 µs a step, NumPy's ~1 µs, which keeps long traces linear in T."""
    c = np.empty_like(f)
    c_t = np.zeros(f.shape[1], dtype=f.dtype)
    for t in range(len(f)):
        c_t = c[t] = f[t] * c_t + ig[t]
    return c


def unrolled(lstm: nn.LSTM, a: torch.Tensor, delta=None, forget=None, silence=()) -> list[torch.Tensor]:
    """One nn.LSTM layer step by step on its own parameters: (h, c, i, f, g, o), each (T, H). ``delta``
    is added to every h_t (for ∂L/∂h_t); ``forget`` clamps f and ``silence`` zeroes units of h (what-if)."""
    z_input = F.linear(a, lstm.weight_ih_l0, lstm.bias_ih_l0 + lstm.bias_hh_l0)
    h_t = c_t = torch.zeros(lstm.hidden_size)
    keep = torch.ones(lstm.hidden_size)
    keep[list(silence)] = 0.0
    steps = []
    for t, z_t in enumerate(z_input):
        i, f, g, o = lstm_gates(z_t + F.linear(h_t, lstm.weight_hh_l0))
        if forget is not None:
            f = torch.full_like(f, forget)
        c_t = f * c_t + i * g
        h_t = o * torch.tanh(c_t)
        if delta is not None:
            h_t = h_t + delta[t]
        h_t = h_t * keep
        steps.append((h_t, c_t, i, f, g, o))
    return [torch.stack(quantity) for quantity in zip(*steps)]
