"""The parts every PyTorch backend of the ModelSpec shares, public so that plugin authors can build on
them (the out-of-tree GRU example does): the network around the recurrent layers, seeded dropout, the
loss of zoo.reference in torch, and TorchBackend, which leaves a backend only its family's equations.
"""
from __future__ import annotations

import os
from types import SimpleNamespace
from typing import ClassVar

# One intra-op thread unless the user chose otherwise. OpenMP threads spin while they wait, so two
# processes running torch on two cores starve each other (measured: a training step went from 7 ms to
# 4 s); sleeping threads instead slow this model's many tiny per-step ops 25-fold. One thread does
# neither and costs about a quarter of the speed of a lone batch-training process. Read when torch loads.
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

import zoo  # noqa: E402
from zoo import reference  # noqa: E402
from zoo.backend import ADAM_BETAS, ADAM_EPSILON  # noqa: E402
from zoo.sequences import SequenceData  # noqa: E402
from zoo.spec import ModelSpec  # noqa: E402
from zoo.trace import LayerTrace  # noqa: E402
from zoo.weights import Weights  # noqa: E402


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
    def __init__(self, spec: ModelSpec, cell: type[nn.RNNBase] = nn.LSTM):
        super().__init__()
        self.spec = spec
        # No padding_idx: the canonical weights treat row 0 like any other, and padding never
        # reaches the output anyway (see forward).
        self.embedding = nn.Embedding(spec.vocab_size, spec.embedding_dim) if spec.input == "tokens" else None
        # One recurrent module per layer rather than num_layers=L: the layers differ in size.
        sizes = (spec.input_dim, *spec.recurrent)
        self.recurrent = nn.ModuleList(cell(n_in, n_out, batch_first=True) for n_in, n_out in zip(sizes, sizes[1:]))
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
        for layer in self.recurrent:
            a, _ = layer(a)
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


def training_loss(logits: torch.Tensor, y: torch.Tensor, task: str) -> torch.Tensor:
    """reference.mean_loss computed from logits, which stays finite and smooth where probabilities
    saturate (it differs from the clipped cross-entropy only there)."""
    if task == "binary":
        return F.binary_cross_entropy_with_logits(logits[:, 0], y)
    if task == "multiclass":
        return F.cross_entropy(logits, y)
    return F.mse_loss(logits[:, 0], y)


# The three operations zoo.reference.per_example_loss needs, in torch: with them it is the reference's
# loss to the letter, clipping included, so its derivative matches the reference's finite differences.
TORCH_OPS = SimpleNamespace(clip=torch.clamp, log=torch.log,
                            pick=lambda outputs, y: outputs.gather(1, y[:, None].long())[:, 0])


class TorchBackend(zoo.Backend):
    """A zoo.Backend on a Network of ``cell`` layers. Prediction, training, tracing, what-if runs,
    gradients and the weights around the recurrent layers are the same for every family, and so are the
    loops over layers and steps. A family's subclass maps its recurrent parameters to the canonical ones
    and writes its equations twice: for one step (``_step``), and for every step at once given the h the
    fused layer computed (``_quantities``, the fast trace)."""

    cell: ClassVar[type[nn.RNNBase]]
    capabilities = frozenset({"what-if"})

    # ----- what a family's subclass writes -----
    def _read_recurrent(self, layer: nn.RNNBase) -> dict[str, torch.Tensor]:
        """The layer's canonical W, U, b (and b_U) as tensors."""
        raise NotImplementedError

    def _write_recurrent(self, layer: nn.RNNBase, params: dict[str, np.ndarray]) -> None:
        """Copy canonical W, U, b (and b_U) into the layer; called under torch.no_grad."""
        raise NotImplementedError

    def _input_terms(self, layer: nn.RNNBase, a: torch.Tensor) -> torch.Tensor:
        """(T, blocks·H): the part of every step's pre-activations that comes from the input, all at once."""
        raise NotImplementedError

    def _step(self, layer: nn.RNNBase, x_term: torch.Tensor, previous: dict[str, torch.Tensor],
              forget: float | None) -> dict[str, torch.Tensor]:
        """One step of the family's equations: h (and c) and every gate, each (H,), from the step's input
        term and the ``previous`` step's h (and c). ``forget``, when given, holds the forget gate there."""
        raise NotImplementedError

    def _quantities(self, layer: nn.RNNBase, a: torch.Tensor, h: torch.Tensor) -> dict:
        """Every step's h (and c) and gates, each (T, H), given the h the fused layer computed from ``a``."""
        raise NotImplementedError

    # ----- the loops, the same for every family -----
    def _build(self, seed: int) -> None:
        # Vanishing gradients fill tensors with denormals, which made training steps 6x slower on CPU.
        torch.set_flush_denormal(True)
        self.net = Network(self.spec, cell=self.cell)

    def _unroll(self, layer: nn.RNNBase, a: torch.Tensor, delta=None, forget=None, silence=()) -> dict[str, torch.Tensor]:
        """The layer run step by step on its own parameters: every quantity of its family, each (T, H).
        ``delta[t]`` is added to h_t as it is made (and so seen by the next step and the layer above);
        ``forget`` and ``silence`` (units whose h is held at 0) are a what-if run's overrides."""
        state = {name: torch.zeros(layer.hidden_size) for name in ("h", "c")[:1 + self.layout.cell_state]}
        keep = torch.ones(layer.hidden_size)
        keep[list(silence)] = 0.0
        steps = []
        for t, x_term in enumerate(self._input_terms(layer, a)):
            state = self._step(layer, x_term, state, forget)
            if delta is not None:
                state["h"] = state["h"] + delta[t]
            state["h"] = state["h"] * keep
            steps.append(state)
        return {name: torch.stack([step[name] for step in steps]) for name in self.layout.quantities()}

    def _trace(self, x: np.ndarray) -> tuple[list[LayerTrace], np.ndarray]:
        # Each layer's h comes from its own fused module, the very forward predict runs; given h, the
        # gates need no recurrence (_quantities).
        self.net.eval()
        layers = []
        with torch.inference_mode():
            a = self.net.embed(torch.tensor(x)[None])[0]
            for layer in self.net.recurrent:
                h = layer(a[None])[0][0]
                layers.append(LayerTrace.of(self.layout, self._quantities(layer, a, h)))
                a = h
            readout = self.net.activate(self.net.readout(a)).numpy()
        return layers, readout

    def _what_if(self, x: np.ndarray, intervention) -> tuple[list[LayerTrace], np.ndarray]:
        self.net.eval()
        layers = []
        with torch.inference_mode():
            a = self.net.embed(torch.tensor(x)[None])[0]
            for k, layer in enumerate(self.net.recurrent):
                override = {"forget": intervention.forget, "silence": intervention.silence} if k == intervention.layer else {}
                quantities = self._unroll(layer, a, **override)
                layers.append(LayerTrace.of(self.layout, quantities))
                a = quantities["h"]
            readout = self.net.activate(self.net.readout(a)).numpy()
        return layers, readout

    def _gradients(self, x: np.ndarray, y: float) -> np.ndarray:
        # A fused recurrent layer exposes only its outputs, whose .grad misses the paths through later
        # steps. So each layer is unrolled with a zero delta_t added to every h_t: dL/d(delta_t) is the
        # total dL/dh_t.
        self.net.eval()
        deltas = []
        with torch.enable_grad():
            a = self.net.embed(torch.tensor(x)[None])[0]
            for layer in self.net.recurrent:
                deltas.append(torch.zeros(len(a), layer.hidden_size, requires_grad=True))
                a = self._unroll(layer, a, deltas[-1])["h"]
            output = self.net.activate(self.net.readout(a[-1:]))
            target = torch.tensor([y], dtype=torch.int64 if self.spec.task == "multiclass" else torch.float32)
            loss = reference.per_example_loss(output, target, self.spec.task, TORCH_OPS).mean()
            grads = torch.autograd.grad(loss, deltas)
        return np.stack([grad.norm(dim=1).numpy() for grad in grads])

    def _read_weights(self) -> Weights:
        net = self.net
        weights = {"embedding": net.embedding.weight} if net.embedding is not None else {}
        for k, layer in enumerate(net.recurrent):
            weights.update({f"recurrent.{k}.{name}": value for name, value in self._read_recurrent(layer).items()})
        for name, linear in net.named_dense():
            weights[f"{name}.W"], weights[f"{name}.b"] = linear.weight.T, linear.bias
        return {name: value.detach().numpy().copy() for name, value in weights.items()}

    @torch.no_grad()
    def _write_weights(self, weights: Weights) -> None:
        net = self.net
        if net.embedding is not None:
            net.embedding.weight.copy_(torch.from_numpy(weights["embedding"]))
        for k, layer in enumerate(net.recurrent):
            prefix = f"recurrent.{k}."
            self._write_recurrent(layer, {n[len(prefix):]: v for n, v in weights.items() if n.startswith(prefix)})
        for name, linear in net.named_dense():
            linear.weight.copy_(torch.from_numpy(weights[f"{name}.W"].T))
            linear.bias.copy_(torch.from_numpy(weights[f"{name}.b"]))

    def _predict(self, x: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        self.net.eval()
        with torch.inference_mode():
            return self.net.activate(self.net(torch.tensor(x), torch.tensor(lengths))).numpy()

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
