"""The conformance kit's checks fail a backend that breaks what they name: real plugins with one
deliberate fault each, installed through the entry-point group, checked in a fresh interpreter."""
import json

from conftest import run_python

SEEDLESS_PLUGIN = '''
import zoo

@zoo.hookimpl
def register_backends(register):
    for name, cls in (("fixed-dropout-rnn", "FixedDropout"), ("build-seed-dropout-rnn", "BuildSeedDropout"),
                      ("global-dropout-rnn", "GlobalDropout"), ("honest-rnn", "Honest")):
        register(zoo.BackendInfo(name=name, family="rnn", framework="NumPy", factory=f"fake_seedless_models:{cls}",
                                 module="numpy"))
'''
SEEDLESS_MODELS = '''
import numpy as np
from zoo_rnn.model import NumpyRNN

class Honest(NumpyRNN):
    pass

class FixedDropout(NumpyRNN):
    def _start_training(self, lr, clip_norm, seed):
        super()._start_training(lr, clip_norm, seed)
        self.dropout_rng = np.random.default_rng(1234)  # ignores fit's seed

class BuildSeedDropout(NumpyRNN):
    def _build(self, seed):
        super()._build(seed)
        self.build_seed = seed

    def _start_training(self, lr, clip_norm, seed):
        super()._start_training(lr, clip_norm, seed)
        self.dropout_rng = np.random.default_rng(self.build_seed)  # the construction's seed, not fit's

class GlobalDropout(NumpyRNN):
    def _start_training(self, lr, clip_norm, seed):
        super()._start_training(lr, clip_norm, seed)
        self.dropout_rng = np.random.default_rng()  # fresh entropy every run
'''
def run_check(check: str, names: tuple[str, ...]) -> str:
    """A script that runs one check of zoo.testing on each backend and prints passed/failed per name."""
    return f"""
import json
from zoo.testing import {check}
out = {{}}
for name in {names!r}:
    try:
        {check}(name)
        out[name] = "passed"
    except AssertionError as err:
        out[name] = "failed: " + str(err)
print(json.dumps(out))
"""


def test_the_seed_check_fails_backends_that_ignore_the_seed_for_dropout(fake_plugins):
    env = fake_plugins({"fake_seedless": SEEDLESS_PLUGIN, "fake_seedless_models": SEEDLESS_MODELS})
    out = run_python(run_check("check_seed_determinism", ("fixed-dropout-rnn", "build-seed-dropout-rnn", "global-dropout-rnn", "honest-rnn")), env={**env, "RNN_ZOO_PLUGINS": "zoo_rnn,fake_seedless"})
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["honest-rnn"] == "passed"
    assert "dropout ignores the seed" in result["fixed-dropout-rnn"], result
    assert "same seed, different result" in result["build-seed-dropout-rnn"], result
    assert "same seed, different result" in result["global-dropout-rnn"], result


UNFAIR_PLUGIN = '''
import zoo

@zoo.hookimpl
def register_backends(register):
    for name, cls in (("unclipped-rnn", "Unclipped"), ("keras-epsilon-rnn", "KerasEpsilon")):
        register(zoo.BackendInfo(name=name, family="rnn", framework="NumPy", factory=f"fake_unfair_models:{cls}",
                                 module="numpy"))
'''
UNFAIR_MODELS = '''
import numpy as np
from zoo_rnn.model import NumpyRNN

class Unclipped(NumpyRNN):
    def _start_training(self, lr, clip_norm, seed):
        super()._start_training(lr, None, seed)  # forgets the clipping

class KerasEpsilon(NumpyRNN):
    """Adam as keras.optimizers.Adam writes it: epsilon on the uncorrected sqrt(v)."""
    def _adam_update(self, grads):
        opt = self.optimizer
        opt["step"] += 1
        t = opt["step"]
        alpha = opt["lr"] * np.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
        for name, g in grads.items():
            m, v = opt["m"][name], opt["v"][name]
            m += (g - m) * 0.1
            v += (g * g - v) * 0.001
            self.params[name] -= alpha * m / (np.sqrt(v) + 1e-7)
'''
def test_the_adam_check_fails_backends_that_train_otherwise(fake_plugins):
    env = fake_plugins({"fake_unfair": UNFAIR_PLUGIN, "fake_unfair_models": UNFAIR_MODELS})
    out = run_python(run_check("check_adam_steps_match_reference", ("unclipped-rnn", "keras-epsilon-rnn", "numpy-rnn")), env={**env, "RNN_ZOO_PLUGINS": "zoo_rnn,fake_unfair"})
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["numpy-rnn"] == "passed"
    for name in ("unclipped-rnn", "keras-epsilon-rnn"):
        assert "from two steps of Adam with clipping" in result[name], result
