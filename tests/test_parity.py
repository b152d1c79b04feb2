"""`zoo parity` must fail when a backend it compares crashes, not move it aside and pass.

The broken backends here are real plugins, installed through the ``rnn_zoo`` entry-point group
(conftest.fake_plugins) and run by the real command in a subprocess.
"""
import json
import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT, run_zoo

CRASHING_PLUGIN = '''
import zoo

@zoo.hookimpl
def register_backends(register):
    for name, cls in (("crashes-rnn", "CrashesInTrace"), ("numbers-crash-rnn", "CrashesOnNumbers")):
        register(zoo.BackendInfo(name=name, family="rnn", framework="NumPy", factory=f"fake_crashing_models:{cls}",
                                 module="numpy"))
'''
CRASHING_MODELS = '''
from zoo_rnn.model import NumpyRNN

class CrashesInTrace(NumpyRNN):
    def _trace(self, x):
        raise RuntimeError("boom: a bug in trace")

class CrashesOnNumbers(NumpyRNN):
    """Right on token input, broken on numeric input."""
    def _trace(self, x):
        if self.spec.input == "features":
            raise ValueError("numbers broke me")
        return super()._trace(x)
'''
BROKEN_IMPORT = "raise ImportError('this plugin is broken on purpose')\n"
ONLY = "zoo_rnn,fake_crashing"  # numpy-rnn and the fakes: no framework to load, so these stay quick


def parity(env, *args):
    out = run_zoo("parity", *args, env=env)
    return out, (json.loads(out.stdout) if "--json" in args else None)


def test_a_backend_that_raises_in_trace_fails_parity(fake_plugins):
    env = fake_plugins({"fake_crashing": CRASHING_PLUGIN, "fake_crashing_models": CRASHING_MODELS})
    out, result = parity({**env, "RNN_ZOO_PLUGINS": ONLY}, "--json", "--steps", "10")
    assert out.returncode == 1, out.stderr
    assert result["passed"] is False
    assert set(result["failed"]["crashes-rnn"]) == {"tokens", "features"}
    assert all("boom: a bug in trace" in why for why in result["failed"]["crashes-rnn"].values())
    assert "crashes-rnn" not in result["skipped"] and "crashes-rnn" not in result["max_abs_diff"]
    # the healthy backend of the same family is still compared, and within tolerance
    assert result["max_abs_diff"]["numpy-rnn"] <= result["tolerance"]


def test_a_backend_that_raises_on_one_input_kind_keeps_the_other_kinds_results(fake_plugins):
    env = fake_plugins({"fake_crashing": CRASHING_PLUGIN, "fake_crashing_models": CRASHING_MODELS})
    out, result = parity({**env, "RNN_ZOO_PLUGINS": ONLY}, "--json", "--steps", "10")
    assert out.returncode == 1
    assert list(result["failed"]["numbers-crash-rnn"]) == ["features"]
    assert "numbers broke me" in result["failed"]["numbers-crash-rnn"]["features"]
    tokens = result["details"]["numbers-crash-rnn"]["tokens"]
    assert "features" not in result["details"]["numbers-crash-rnn"]
    assert {"layer0.h", "layer1.h", "readout", "predict", "weights"} <= set(tokens)
    assert max(tokens.values()) <= result["tolerance"]  # its token results are real, and right


def test_the_parity_table_names_the_failure_and_exits_non_zero(fake_plugins):
    env = fake_plugins({"fake_crashing": CRASHING_PLUGIN, "fake_crashing_models": CRASHING_MODELS})
    out, _ = parity({**env, "RNN_ZOO_PLUGINS": ONLY, "COLUMNS": "250"}, "--steps", "10")
    assert out.returncode == 1, out.stdout
    assert "crashes-rnn" in out.stdout and "FAILED (tokens)" in out.stdout and "boom: a bug in trace" in out.stdout


def test_a_plugin_that_fails_to_import_is_listed_and_fails_parity(fake_plugins):
    env = fake_plugins({"fake_broken": BROKEN_IMPORT})
    out, result = parity({**env, "RNN_ZOO_PLUGINS": "zoo_rnn,fake_broken"}, "--json", "--steps", "10")
    assert out.returncode == 1
    assert "broken on purpose" in result["plugin_errors"]["fake_broken"]
    assert result["passed"] is False and result["max_abs_diff"]["numpy-rnn"] <= result["tolerance"]


def test_healthy_backends_pass(fake_plugins):
    out, result = parity({"RNN_ZOO_PLUGINS": "zoo_rnn"}, "--json", "--steps", "10")
    assert out.returncode == 0, out.stderr
    assert result["passed"] and result["failed"] == {} and result["plugin_errors"] == {}


@pytest.mark.slow
def test_a_broken_backend_makes_the_suites_parity_test_fail(fake_plugins):
    """With every installed plugin plus one that crashes in trace, the suite's own parity test fails."""
    env = fake_plugins({"fake_crashing": CRASHING_PLUGIN, "fake_crashing_models": CRASHING_MODELS})
    test = "tests/test_cli.py::test_parity_every_backend_within_1e5_of_the_reference"
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test], cwd=ROOT,
                         capture_output=True, text=True, timeout=600, env={**os.environ, **env})
    assert out.returncode == 1, out.stdout[-3000:]
    assert re.search(r"\b1 (failed|error)\b", out.stdout) and "crashes-rnn failed in trace" in out.stdout, out.stdout[-3000:]
