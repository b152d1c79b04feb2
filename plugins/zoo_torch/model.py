"""The ModelSpec on torch.nn: Embedding -> one nn.LSTM per recurrent layer -> Linear head -> output.

Everything runs in float32. Canonical weights map one to one onto PyTorch's: W and U are the
transposed ``weight_ih_l0`` and ``weight_hh_l0`` (same gate order i, f, g, o), and the canonical bias
is the sum of PyTorch's two, so it is written to ``bias_ih_l0`` with ``bias_hh_l0`` left at zero.
"""
from __future__ import annotations

import os

# One intra-op thread unless the user chose otherwise. OpenMP threads spin while they wait, so two
# processes running torch on two cores starve each other (measured: a training step went from 7 ms to
# 4 s); sleeping threads instead slow this model's many tiny per-step ops 25-fold. One thread does
# neither and costs about a quarter of the speed of a lone batch-training process. Read when torch loads.
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F
from torch import nn

import zoo
from zoo.backend import ADAM_BETAS, ADAM_EPSILON, SequenceData
from zoo.spec import ModelSpec
from zoo.trace import GATES, LayerTrace
from zoo.weights import Weights


class SeededDropout(nn.Dropout):
    """nn.Dropout drawing its masks from its own generator, so a training run depends only on its
    seed and never on (or disturbs) torch's global random state."""

    def __init__(self, p: float):
        super().__init__(p)
        self.generator = torch.Generator()

    def forward(self, a: torch.Tensor) -> torch.Tensor:
        if not self.training or self.p == 0:
            return a
        keep = torch.empty_like(a).bernoulli_(1 - self.p, generator=self.generator)
        return a * keep / (1 - self.p)


class Network(nn.Module):
    def __init__(self, spec: ModelSpec):
        super().__init__()
        self.spec = spec
        # No padding_idx: the canonical weights treat row 0 like any other, and padding never
        # reaches the output anyway (see forward).
        self.embedding = nn.Embedding(spec.vocab_size, spec.embedding_dim) if spec.input == "tokens" else None
        # One nn.LSTM per layer rather than num_layers=L: the layers differ in size.
        sizes = (spec.input_dim, *spec.recurrent)
        self.recurrent = nn.ModuleList(nn.LSTM(n_in, n_out, batch_first=True) for n_in, n_out in zip(sizes, sizes[1:]))
        sizes = (spec.recurrent[-1], *spec.head)
        self.head = nn.ModuleList(nn.Linear(n_in, n_out) for n_in, n_out in zip(sizes, sizes[1:]))
        self.activation = torch.tanh if spec.activation == "tanh" else torch.relu
        self.dropout = SeededDropout(spec.dropout)
        self.output = nn.Linear(sizes[-1], spec.output_dim)

    def named_dense(self) -> list[tuple[str, nn.Linear]]:
        """The Linear layers under their canonical weight names."""
        return [*((f"head.{k}", linear) for k, linear in enumerate(self.head)), ("output", self.output)]

    def embed(self, x: torch.Tensor) -> torch.Tensor:
        return self.embedding(x) if self.embedding is not None else x

    def readout(self, h: torch.Tensor) -> torch.Tensor:
        """Output logits from top-layer states (any leading shape)."""
        for linear in self.head:
            h = self.activation(linear(h))
        return self.output(self.dropout(h))

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        a = self.embed(x)
        for lstm in self.recurrent:
            a, _ = lstm(a)
        # Batches are right-padded, so step length-1 has seen only real steps: gathering it makes
        # the answer independent of padding without packing.
        last = a[torch.arange(len(a)), lengths - 1]
        return self.readout(last)

    def activate(self, logits: torch.Tensor) -> torch.Tensor:
        if self.spec.task == "binary":
            return torch.sigmoid(logits)
        if self.spec.task == "multiclass":
            return torch.softmax(logits, dim=-1)
        return logits


def lstm_gates(z: torch.Tensor) -> tuple[torch.Tensor, ...]:
    """i, f, g, o from the pre-activations z = x W + h U + b, split in PyTorch's (and the canonical) order."""
    i, f, g, o = z.chunk(4, dim=-1)
    return torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)


class TorchLSTM(zoo.Backend):
    family = "lstm"
    gates = 4
    capabilities = frozenset({"what-if"})

    def _build(self, seed: int) -> None:
        # Vanishing gradients fill tensors with denormals, which made training steps 6x slower on CPU.
        torch.set_flush_denormal(True)
        self.net = Network(self.spec)

    # ----- weights -----
    def _read_weights(self) -> Weights:
        def numpy(tensor: torch.Tensor) -> np.ndarray:
            return tensor.detach().numpy().copy()

        net, weights = self.net, {}
        if net.embedding is not None:
            weights["embedding"] = numpy(net.embedding.weight)
        for k, lstm in enumerate(net.recurrent):
            weights[f"recurrent.{k}.W"] = numpy(lstm.weight_ih_l0.T)
            weights[f"recurrent.{k}.U"] = numpy(lstm.weight_hh_l0.T)
            weights[f"recurrent.{k}.b"] = numpy(lstm.bias_ih_l0 + lstm.bias_hh_l0)
        for name, linear in net.named_dense():
            weights[f"{name}.W"] = numpy(linear.weight.T)
            weights[f"{name}.b"] = numpy(linear.bias)
        return weights

    @torch.no_grad()
    def _write_weights(self, weights: Weights) -> None:
        def load(param: nn.Parameter, value: np.ndarray) -> None:
            param.copy_(torch.from_numpy(value))

        net = self.net
        if net.embedding is not None:
            load(net.embedding.weight, weights["embedding"])
        for k, lstm in enumerate(net.recurrent):
            load(lstm.weight_ih_l0, weights[f"recurrent.{k}.W"].T)
            load(lstm.weight_hh_l0, weights[f"recurrent.{k}.U"].T)
            load(lstm.bias_ih_l0, weights[f"recurrent.{k}.b"])
            lstm.bias_hh_l0.zero_()
        for name, linear in net.named_dense():
            load(linear.weight, weights[f"{name}.W"].T)
            load(linear.bias, weights[f"{name}.b"])

    # ----- inference -----
    def _predict(self, x: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        self.net.eval()
        with torch.inference_mode():
            logits = self.net(torch.tensor(x), torch.tensor(lengths))
            return self.net.activate(logits).numpy()

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

    def _gradients(self, x: np.ndarray, y: float) -> np.ndarray:
        # A fused nn.LSTM exposes only its outputs, whose .grad misses the paths through later steps.
        # So unroll each layer with the same parameters and add a zero delta_t to every h_t, used by
        # both the next step and the layer above: dL/d(delta_t) is then the total dL/dh_t.
        self.net.eval()
        deltas = []
        with torch.enable_grad():
            a = self.net.embed(torch.tensor(x)[None])[0]
            for lstm in self.net.recurrent:
                deltas.append(torch.zeros(len(a), lstm.hidden_size, requires_grad=True))
                a = unrolled(lstm, a, delta=deltas[-1])[0]
            output = self.net.activate(self.net.readout(a[-1:]))
            target = torch.tensor([y], dtype=torch.int64 if self.spec.task == "multiclass" else torch.float32)
            loss = reference_loss(output, target, self.spec.task)
            grads = torch.autograd.grad(loss, deltas)
        return np.stack([grad.norm(dim=1).numpy() for grad in grads])

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

    # ----- training -----
    def _start_training(self, lr: float, clip_norm: float | None, seed: int) -> None:
        self.optimizer = torch.optim.Adam(self.net.parameters(), lr=lr, betas=ADAM_BETAS, eps=ADAM_EPSILON)
        self.clip_norm = clip_norm
        self.net.dropout.generator.manual_seed(seed)

    def _train_step(self, batch: SequenceData) -> float:
        self.net.train()
        logits = self.net(torch.tensor(batch.x), torch.tensor(batch.lengths))
        loss = training_loss(logits, torch.tensor(batch.y), self.spec.task)
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        if self.clip_norm is not None:
            nn.utils.clip_grad_norm_(self.net.parameters(), self.clip_norm)
        self.optimizer.step()
        return loss.item()


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


def training_loss(logits: torch.Tensor, y: torch.Tensor, task: str) -> torch.Tensor:
    """reference.mean_loss computed from logits, which stays finite and smooth where probabilities
    saturate (it differs from the clipped cross-entropy only there)."""
    if task == "binary":
        return F.binary_cross_entropy_with_logits(logits[:, 0], y)
    if task == "multiclass":
        return F.cross_entropy(logits, y)
    return F.mse_loss(logits[:, 0], y)


def reference_loss(output: torch.Tensor, y: torch.Tensor, task: str) -> torch.Tensor:
    """reference.mean_loss to the letter, clipping included, so its derivative matches the
    reference's finite differences even where a probability saturates."""
    if task == "binary":
        p = output[:, 0].clamp(1e-7, 1 - 1e-7)
        return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()
    if task == "multiclass":
        picked = output[torch.arange(len(output)), y]
        return -torch.log(picked.clamp_min(1e-7)).mean()
    return ((output[:, 0] - y) ** 2).mean()
