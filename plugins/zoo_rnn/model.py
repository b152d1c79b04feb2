"""The plain-RNN baseline, s_t = tanh(x_t W + s_{t-1} U + b), with backpropagation through time by hand.

Nothing here but NumPy: the proof that a backend needs no deep-learning framework. One forward pass
caches what the one backward pass needs, and predict, trace, gradients and training all go through them.
Arrays are time-major inside, (T, N, ...), so every step of the recurrence reads contiguous memory.
"""
from __future__ import annotations

import numpy as np

import zoo
from zoo import reference
from zoo.backend import ADAM_BETAS, ADAM_EPSILON
from zoo.sequences import SequenceData
from zoo.intervention import Intervention
from zoo.trace import LayerTrace

# Adam's first moment of an embedding row no batch touches shrinks by 0.9 a step and turns subnormal
# after ~800 steps; arithmetic on subnormals is slow on many CPUs and NumPy cannot set flush-to-zero.
# A moment below the floor moves a parameter by under lr·1e-22, so a sweep zeroes it. From the floor a
# moment needs ~175 steps to turn subnormal, so a sweep every 100 steps suffices and costs next to nothing.
MOMENT_FLOOR = 1e-30
SWEEP_EVERY = 100


class NumpyRNN(zoo.Backend):
    family = "rnn"
    capabilities = frozenset({"what-if"})

    # ----- parameters: float32 arrays under the canonical names, so reading and writing them is trivial -----
    def _build(self, seed: int) -> None:
        self.params: dict[str, np.ndarray] = {}  # _write_weights fills it right after
        self.optimizer: dict | None = None
        self.dropout_rng: np.random.Generator | None = None

    def _read_weights(self):
        return dict(self.params)  # get_weights copies

    def _write_weights(self, weights) -> None:
        # A copy: training updates the arrays in place and must not change the caller's.
        self.params = {name: np.array(value, dtype=np.float32) for name, value in weights.items()}

    # ----- forward -----
    def _forward(self, x, lengths=None, dropout_rng=None, silence=None):
        """Outputs at each row's step ``lengths - 1`` (N, output_dim), or at every step (T, N, output_dim)
        when ``lengths`` is None; and the cache the backward pass needs. Dropout is on only with a Generator;
        ``silence`` = (layer, units) holds those units' states at 0 (a what-if run)."""
        p = self.params
        inputs = p["embedding"][x.T] if self.spec.input == "tokens" else x.transpose(1, 0, 2)
        states, below = [], inputs
        for k in range(len(self.spec.recurrent)):
            W, U, b = p[f"recurrent.{k}.W"], p[f"recurrent.{k}.U"], p[f"recurrent.{k}.b"]
            z_in = below @ W + b  # every step's input term at once: only the recurrence has to be sequential
            s = np.empty_like(z_in)
            s_prev = np.zeros_like(z_in[0])
            muted = list(silence[1]) if silence is not None and silence[0] == k else []
            for t in range(len(z_in)):
                s_prev = np.tanh(z_in[t] + s_prev @ U, out=s[t])
                s_prev[:, muted] = 0
            states.append(s)
            below = s
        top = states[-1] if lengths is None else states[-1][lengths - 1, np.arange(len(x))]

        acts = [top]  # the input of every head Dense layer, then the head's output before dropout
        for k in range(len(self.spec.head)):
            z = acts[-1] @ p[f"head.{k}.W"] + p[f"head.{k}.b"]
            acts.append(np.tanh(z) if self.spec.activation == "tanh" else np.maximum(z, 0))
        mask = None
        if dropout_rng is not None and self.spec.dropout > 0:
            keep = 1.0 - self.spec.dropout
            mask = (dropout_rng.random(acts[-1].shape, dtype=np.float32) < keep) / np.float32(keep)
        dropped = acts[-1] if mask is None else acts[-1] * mask
        out = reference.output_activation(dropped @ p["output.W"] + p["output.b"], self.spec.task)
        return out, dict(x=x, lengths=lengths, inputs=inputs, states=states, acts=acts, mask=mask, dropped=dropped)

    # ----- backward -----
    def _output_gradient(self, out, y):
        """∂(mean loss)/∂(output pre-activation). The sigmoid's and softmax's derivatives cancel against
        the log of the cross-entropy, leaving p - y; the clipping of p in the loss is ignored, as
        frameworks that compute the loss from logits do."""
        if self.spec.task == "multiclass":
            d = out.copy()
            d[np.arange(len(out)), np.asarray(y, dtype=np.int64)] -= 1
        else:
            d = out - np.asarray(y, dtype=out.dtype)[:, None]
            if self.spec.task == "regression":
                d *= 2
        return d / out.dtype.type(len(out))

    def _backward(self, d_out, cache):
        """Every parameter's gradient and ∂L/∂h (T, N, H) per layer, from the output's gradient ``d_out``."""
        p, grads, states, acts = self.params, {}, cache["states"], cache["acts"]

        grads["output.W"] = cache["dropped"].T @ d_out
        grads["output.b"] = d_out.sum(axis=0)
        d_a = d_out @ p["output.W"].T
        if cache["mask"] is not None:
            d_a *= cache["mask"]
        for k in reversed(range(len(self.spec.head))):
            out = acts[k + 1]
            d_z = d_a * (1 - out * out) if self.spec.activation == "tanh" else d_a * (out > 0)
            grads[f"head.{k}.W"] = acts[k].T @ d_z
            grads[f"head.{k}.b"] = d_z.sum(axis=0)
            d_a = d_z @ p[f"head.{k}.W"].T

        # Only a row's last real step feeds the head, so steps after it get no gradient from anywhere.
        d_h = np.zeros_like(states[-1])
        d_h[cache["lengths"] - 1, np.arange(len(d_a))] = d_a
        d_states = [None] * len(states)
        for k in reversed(range(len(states))):
            W, U = p[f"recurrent.{k}.W"], p[f"recurrent.{k}.U"]
            s = states[k]
            d_z = np.empty_like(s)
            d_next = np.zeros_like(s[0])
            for t in reversed(range(len(s))):
                d_h[t] += d_next  # total derivative: from the layer above (already there) and from step t+1
                d_z[t] = d_h[t] * (1 - s[t] * s[t])
                d_next = d_z[t] @ U.T
            d_states[k] = d_h
            below = states[k - 1] if k > 0 else cache["inputs"]
            s_prev = np.concatenate([np.zeros_like(s[:1]), s[:-1]])
            grads[f"recurrent.{k}.W"] = _flat(below).T @ _flat(d_z)
            grads[f"recurrent.{k}.U"] = _flat(s_prev).T @ _flat(d_z)
            grads[f"recurrent.{k}.b"] = d_z.sum(axis=(0, 1))
            d_h = d_z @ W.T  # into the layer below, or into the embedding

        if self.spec.input == "tokens":
            grads["embedding"] = np.zeros_like(p["embedding"])
            np.add.at(grads["embedding"], cache["x"].T, d_h)  # add.at: a token repeated in the batch adds up
        return grads, d_states

    # ----- the backend contract -----
    def _predict(self, x, lengths):
        return self._forward(x, lengths)[0]

    def _trace(self, x):
        return self._what_if(x, Intervention())  # nothing overridden: one forward pass for both

    def _what_if(self, x, intervention):
        readout, cache = self._forward(x[None], silence=(intervention.layer, intervention.silence))
        return [LayerTrace(h=s[:, 0]) for s in cache["states"]], readout[:, 0]

    def _gradients(self, x, y):
        out, cache = self._forward(x[None], np.array([len(x)]))
        _, d_states = self._backward(self._output_gradient(out, [y]), cache)
        # in float64: the vanishing gradients of early steps square to below float32's range
        return np.stack([np.linalg.norm(d[:, 0].astype(np.float64), axis=1) for d in d_states])

    def _start_training(self, lr, clip_norm, seed):
        self.optimizer = {
            "lr": lr, "clip_norm": clip_norm, "step": 0,
            "m": {name: np.zeros_like(value) for name, value in self.params.items()},
            "v": {name: np.zeros_like(value) for name, value in self.params.items()},
        }
        self.dropout_rng = np.random.default_rng(seed)

    def _train_step(self, batch: SequenceData) -> float:
        out, cache = self._forward(batch.x, batch.lengths, self.dropout_rng)
        loss = reference.mean_loss(out, batch.y, self.spec.task)
        grads, _ = self._backward(self._output_gradient(out, batch.y), cache)
        clip_norm = self.optimizer["clip_norm"]
        if clip_norm is not None:
            # in float64: squares of tiny float32 gradients would underflow
            norm = np.sqrt(sum(np.sum(np.square(g, dtype=np.float64)) for g in grads.values()))
            if norm > clip_norm:
                grads = {name: g * np.float32(clip_norm / norm) for name, g in grads.items()}
        self._adam_update(grads)
        return loss

    def _adam_update(self, grads) -> None:
        opt = self.optimizer
        opt["step"] += 1
        beta1, beta2 = ADAM_BETAS
        lr_m = opt["lr"] / (1 - beta1 ** opt["step"])  # the bias corrections, folded into scalars
        v_correction = 1 / (1 - beta2 ** opt["step"])
        for name, g in grads.items():
            m, v = opt["m"][name], opt["v"][name]
            m *= beta1
            m += (1 - beta1) * g
            v *= beta2
            v += (1 - beta2) * g * g
            if opt["step"] % SWEEP_EVERY == 0:
                for moment in (m, v):
                    moment[np.abs(moment) < MOMENT_FLOOR] = 0
            self.params[name] -= lr_m * m / (np.sqrt(v * v_correction) + ADAM_EPSILON)


def _flat(a: np.ndarray) -> np.ndarray:
    """(T, N, D) -> (T·N, D): a gradient summed over steps and rows is one matrix product."""
    return a.reshape(-1, a.shape[-1])
