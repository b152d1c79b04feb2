"""The Keras backend: an Embedding/LSTM stack with a Dense head, and compiled step-by-step views of it.

``predict`` and training run the Keras layers themselves. ``trace`` and ``gradients`` need what the
LSTM layer keeps to itself (gates, cell states, every h_t), so they replay the same equations in a
compiled ``tf.scan`` that reads the layers' own weight variables: one set of weights, two ways to run it.
"""
import os
from types import SimpleNamespace

from zoo.paths import cache_dir

# Before TensorFlow loads, or its C++ and oneDNN start-up messages land in the user's terminal.
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("KERAS_HOME", str(cache_dir() / "keras"))  # Keras writes its keras.json there, not in ~

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402

import zoo  # noqa: E402
from zoo import reference  # noqa: E402
from zoo.backend import ADAM_BETAS, ADAM_EPSILON  # noqa: E402
from zoo.family import LSTM  # noqa: E402

# The three operations zoo.reference.per_example_loss needs, in TensorFlow.
TF_OPS = SimpleNamespace(clip=tf.clip_by_value, log=tf.math.log,
                         pick=lambda outputs, y: tf.gather(outputs, tf.cast(y, tf.int32), batch_dims=1))


class LSTMNet(keras.Model):
    """Embedding (or raw features) -> LSTM stack -> Dense head -> Dropout -> output Dense.

    Every LSTM returns its whole sequence and the head reads the top one at step length - 1. An LSTM
    is causal, so with right padding that state never saw a padded step, whatever the padding holds
    (zero is a legitimate feature value). It gives the outputs Keras masking would, without the
    per-step selects that made a training step about 30% slower.
    """

    def __init__(self, spec: zoo.ModelSpec):
        super().__init__()
        self.embedding = keras.layers.Embedding(spec.vocab_size, spec.embedding_dim) if spec.input == "tokens" else None
        self.recurrent = [keras.layers.LSTM(units, return_sequences=True) for units in spec.recurrent]
        self.hidden = [keras.layers.Dense(units, activation=spec.activation) for units in spec.head]
        self.dropout = keras.layers.Dropout(spec.dropout)
        self.classifier = keras.layers.Dense(spec.output_dim, activation=spec.output_activation)

    def call(self, x, lengths, training=False):
        a = self.embed(x)
        for lstm in self.recurrent:
            a = lstm(a, training=training)
        return self.head(tf.gather(a, lengths - 1, batch_dims=1), training=training)

    def embed(self, x):
        return self.embedding(x) if self.embedding is not None else x

    def head(self, h, training=False):
        for dense in self.hidden:
            h = dense(h)
        return self.classifier(self.dropout(h, training=training))


class KerasLSTM(zoo.Backend):
    family = "lstm"
    capabilities = frozenset({"what-if"})

    def _build(self, seed: int) -> None:
        spec = self.spec
        self.net = LSTMNet(spec)
        dummy = np.zeros((1, 1), np.int64) if spec.input == "tokens" else np.zeros((1, 1, spec.n_features), np.float32)
        self.net(dummy, np.ones(1, np.int64))  # creates the variables; their values are overwritten next

        # None for batch and time: one trace per function, whatever the shapes it is called with.
        if spec.input == "tokens":
            batch, sequence = tf.TensorSpec([None, None], tf.int64), tf.TensorSpec([None], tf.int64)
        else:
            batch = tf.TensorSpec([None, None, spec.n_features], tf.float32)
            sequence = tf.TensorSpec([None, spec.n_features], tf.float32)
        lengths, targets = tf.TensorSpec([None], tf.int64), tf.TensorSpec([None], tf.float32)
        self._batch_signature = [batch, targets, lengths]
        self._predict_fn = tf.function(lambda x, n: self.net(x, n, training=False), input_signature=[batch, lengths])
        self._gradients_fn = tf.function(self._compiled_gradients, input_signature=[sequence, tf.TensorSpec([], tf.float32)])
        # Per layer: the forget gate's clamp (below 0: as trained) and a 0/1 mask over its units.
        overrides = [[tf.TensorSpec([], tf.float32)] * len(spec.recurrent), [tf.TensorSpec([n], tf.float32) for n in spec.recurrent]]
        # One Python path, compiled twice: a plain trace's graph has none of the overrides' per-step ops.
        self._trace_fn = tf.function(self._compiled_run, input_signature=[sequence])
        self._what_if_fn = tf.function(self._compiled_run, input_signature=[sequence, *overrides])

    # ----- canonical weights -----
    def _variables(self) -> dict:
        """Each canonical weight name and the Keras variable that holds it (Keras's gate order is i, f, g, o)."""
        net, variables = self.net, {}
        if net.embedding is not None:
            variables["embedding"] = net.embedding.embeddings
        for k, lstm in enumerate(net.recurrent):
            variables[f"recurrent.{k}.W"] = lstm.cell.kernel
            variables[f"recurrent.{k}.U"] = lstm.cell.recurrent_kernel
            variables[f"recurrent.{k}.b"] = lstm.cell.bias
        for k, dense in enumerate(net.hidden):
            variables[f"head.{k}.W"], variables[f"head.{k}.b"] = dense.kernel, dense.bias
        variables["output.W"], variables["output.b"] = net.classifier.kernel, net.classifier.bias
        return variables

    def _read_weights(self):
        return {name: variable.numpy() for name, variable in self._variables().items()}

    def _write_weights(self, weights) -> None:
        for name, variable in self._variables().items():
            variable.assign(weights[name])

    # ----- inference -----
    def _predict(self, x, lengths):
        return self._predict_fn(x, lengths).numpy()

    def _trace(self, x):
        return self._layer_traces(*self._trace_fn(x))

    def _what_if(self, x, intervention):
        forget = [-1.0] * len(self.spec.recurrent)
        keep = [np.ones(n, np.float32) for n in self.spec.recurrent]
        if intervention.forget is not None:
            forget[intervention.layer] = intervention.forget
        keep[intervention.layer][list(intervention.silence)] = 0.0
        return self._layer_traces(*self._what_if_fn(x, [tf.constant(f, tf.float32) for f in forget], keep))

    @staticmethod
    def _layer_traces(layers, readout):
        # _scan_layer's quantities come in LSTM.quantities() order: h, c, i, f, g, o
        return [zoo.LayerTrace.of(LSTM, dict(zip(LSTM.quantities(), layer))) for layer in layers], readout.numpy()

    def _gradients(self, x, y):
        return self._gradients_fn(x, tf.constant(y, tf.float32)).numpy()

    def _compiled_run(self, x, forget=None, keep=None):
        """Every layer's quantities and the readout at every step; ``forget`` and ``keep`` per layer in a
        what-if run (None: as trained, and no op of theirs in the graph)."""
        steps = tf.shape(x)[0]
        layers = self._unroll(x, [tf.zeros([steps, units]) for units in self.spec.recurrent], forget, keep)
        return layers, self.net.head(layers[-1][0])

    def _compiled_gradients(self, x, y):
        # A zero added to every h_t as it is made: the loss's derivative with respect to it is the
        # total derivative ∂L/∂h_t, through later steps and the layers above alike.
        steps = tf.shape(x)[0]
        deltas = [tf.zeros([steps, units]) for units in self.spec.recurrent]
        with tf.GradientTape(watch_accessed_variables=False) as tape:
            tape.watch(deltas)
            top_h = self._unroll(x, deltas)[-1][0]
            loss = reference.per_example_loss(self.net.head(top_h[-1:]), y[None], self.spec.task, TF_OPS)
        return tf.stack([tf.norm(grad, axis=1) for grad in tape.gradient(loss, deltas)])

    def _unroll(self, x, deltas, forget=None, keep=None):
        """Every layer's (h, c, i, f, g, o), each (T, H), for one sequence; deltas[k] is added to layer k's h_t,
        and in a what-if run forget[k] and keep[k] override layer k."""
        a = self.net.embed(x)
        layers = []
        for k, (lstm, delta) in enumerate(zip(self.net.recurrent, deltas)):
            overrides = (forget[k], keep[k]) if forget is not None else (None, None)
            layers.append(self._scan_layer(lstm.cell, a, delta, *overrides))
            a = layers[-1][0]
        return layers

    @staticmethod
    def _scan_layer(cell, inputs, deltas, forget=None, keep=None):
        """keras.layers.LSTMCell's equations, one step at a time, on the cell's own variables."""
        z_inputs = tf.matmul(inputs, cell.kernel) + cell.bias  # the input half of every step at once

        def step(previous, step_inputs):
            h, c = previous[0], previous[1]
            z_input, delta = step_inputs
            z = z_input + tf.linalg.matvec(cell.recurrent_kernel, h, transpose_a=True)
            i, f, g, o = tf.split(z, 4)
            i, f, g, o = tf.sigmoid(i), tf.sigmoid(f), tf.tanh(g), tf.sigmoid(o)
            if forget is not None:
                f = tf.where(forget >= 0, tf.fill(tf.shape(f), forget), f)
            c = f * c + i * g
            h = o * tf.tanh(c) + delta
            if keep is not None:
                h = h * keep
            return h, c, i, f, g, o

        zeros = tf.zeros([cell.units])
        return tf.scan(step, (z_inputs, deltas), initializer=(zeros,) * 6)

    # ----- training -----
    def _start_training(self, lr, clip_norm, seed):
        # Adam written out rather than keras.optimizers.Adam, which differs from the other backends in two
        # ways the fairness tests measure (tests/test_fairness.py): it adds epsilon to the uncorrected
        # sqrt(v) (in effect epsilon / sqrt(1 - beta2^t), 30 times ADAM_EPSILON at the first step), and it
        # applies an Embedding's sparse gradient row by row, once per occurrence of a token in the batch.
        # Here: the textbook update on dense gradients, clipped by their global norm, as torch and NumPy do.
        variables = self.net.trainable_variables
        beta1, beta2 = ADAM_BETAS
        self.optimizer = {
            "step": tf.Variable(0.0, trainable=False),
            "m": [tf.Variable(tf.zeros_like(v), trainable=False) for v in variables],
            "v": [tf.Variable(tf.zeros_like(v), trainable=False) for v in variables],
        }
        step, moments, squares = self.optimizer["step"], self.optimizer["m"], self.optimizer["v"]
        if self.spec.dropout > 0:  # a rate of 0 leaves Dropout without a generator
            self.net.dropout.seed_generator.state.assign([seed, 0])

        # New optimiser variables, so each fit compiles its own step (once, given the signature).
        @tf.function(input_signature=self._batch_signature)
        def train_step(x, y, lengths):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(reference.per_example_loss(self.net(x, lengths, training=True), y, self.spec.task, TF_OPS))
            grads = [tf.convert_to_tensor(g) for g in tape.gradient(loss, variables)]
            if clip_norm is not None:
                grads, _ = tf.clip_by_global_norm(grads, clip_norm)  # scales by clip_norm / norm when norm > clip_norm
            t = step.assign_add(1.0)
            lr_m = lr / (1 - tf.pow(beta1, t))
            v_correction = 1 / (1 - tf.pow(beta2, t))
            for variable, g, m, v in zip(variables, grads, moments, squares):
                m.assign(beta1 * m + (1 - beta1) * g)
                v.assign(beta2 * v + (1 - beta2) * tf.square(g))
                variable.assign_sub(lr_m * m / (tf.sqrt(v * v_correction) + ADAM_EPSILON))
            return loss

        self._train_fn = train_step

    def _train_step(self, batch):
        return float(self._train_fn(batch.x, batch.y.astype(np.float32), batch.lengths))
