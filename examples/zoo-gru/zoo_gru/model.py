"""A GRU backend for RNN Zoo on PyTorch: Embedding -> one nn.GRU per recurrent layer -> Linear head -> output.

Made with ``zoo new-plugin zoo-gru --family gru --backend torch-gru`` and filled in after RNN Zoo's
PyTorch LSTM: the network around the recurrent layers, the loops over layers and steps (trace, what-if
runs, gradients), seeded dropout and the loss come from ``zoo_torch.network`` (shipped with rnn-zoo,
public for plugin authors), so only the GRU's weights and equations live here. Everything runs in float32.

Weights: PyTorch stores a GRU's gate blocks in the order r, z, n, the canonical layout (like Keras) in
the order z, r, n, so the first two blocks swap on the way in and out. W and U are the transposed
``weight_ih_l0`` and ``weight_hh_l0``; b is ``bias_ih_l0`` and b_U ``bias_hh_l0``. nn.GRU applies the
reset gate after the recurrent product, bias included, as the canonical GRU does (Keras's
reset_after=True), which is why the two biases stay apart.
"""
from __future__ import annotations

# First: zoo_torch's shared network sets torch's thread count, which torch reads once, as it loads.
from zoo_torch.network import TorchBackend  # isort: skip

import torch
import torch.nn.functional as F
from torch import nn


def swap_r_z(blocks: torch.Tensor) -> torch.Tensor:
    """Gate blocks along dim 0 from PyTorch's order r, z, n to the canonical z, r, n, and back: the
    swap is its own inverse."""
    first, second, n = blocks.chunk(3, dim=0)
    return torch.cat([second, first, n])


def gru_gates(x_part: torch.Tensor, h_part: torch.Tensor) -> tuple[torch.Tensor, ...]:
    """z, r, n from the input term x W_ih + b_ih and the recurrent term h W_hh + b_hh, both in
    PyTorch's block order r, z, n (any leading shape)."""
    x_r, x_z, x_n = x_part.chunk(3, dim=-1)
    h_r, h_z, h_n = h_part.chunk(3, dim=-1)
    r = torch.sigmoid(x_r + h_r)
    z = torch.sigmoid(x_z + h_z)
    return z, r, torch.tanh(x_n + r * h_n)


class TorchGru(TorchBackend):
    family = "gru"  # zoo.family: gate blocks z, r, n; a second bias b_U; no cell state
    cell = nn.GRU

    # ----- weights: PyTorch's gate blocks r, z, n swap to the canonical z, r, n; the biases stay apart -----
    def _read_recurrent(self, gru):
        return {"W": swap_r_z(gru.weight_ih_l0).T, "U": swap_r_z(gru.weight_hh_l0).T,
                "b": swap_r_z(gru.bias_ih_l0), "b_U": swap_r_z(gru.bias_hh_l0)}

    def _write_recurrent(self, gru, params):
        gru.weight_ih_l0.copy_(swap_r_z(torch.from_numpy(params["W"].T)))
        gru.weight_hh_l0.copy_(swap_r_z(torch.from_numpy(params["U"].T)))
        gru.bias_ih_l0.copy_(swap_r_z(torch.from_numpy(params["b"])))
        gru.bias_hh_l0.copy_(swap_r_z(torch.from_numpy(params["b_U"])))

    # ----- the equations -----
    def _input_terms(self, gru, a):
        return F.linear(a, gru.weight_ih_l0, gru.bias_ih_l0)

    def _step(self, gru, x_term, previous, forget):
        z, r, n = gru_gates(x_term, F.linear(previous["h"], gru.weight_hh_l0, gru.bias_hh_l0))
        return {"h": (1 - z) * n + z * previous["h"], "z": z, "r": r, "n": n}

    def _quantities(self, gru, a, h):
        # Given h, every gate is one matmul over all steps: nothing in a GRU's gates is sequential but h.
        h_prev = torch.cat([h.new_zeros(1, h.shape[1]), h[:-1]])
        z, r, n = gru_gates(self._input_terms(gru, a), F.linear(h_prev, gru.weight_hh_l0, gru.bias_hh_l0))
        return {"h": h, "z": z, "r": r, "n": n}
