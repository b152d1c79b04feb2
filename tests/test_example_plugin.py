"""The out-of-tree example plugin (examples/zoo-gru, a PyTorch GRU), installed like any third-party
package, shows up wherever a backend should: `zoo backends`, the lab's Backends tab, parity, training
and the comparisons. Its own tests/test_conformance.py, collected through pytest's testpaths, runs the
whole conformance kit on it.

Everything that must see the plugin runs in a fresh interpreter: an editable install made during this
session is importable only in processes started after it.
"""
import json
from pathlib import Path

import pytest

from conftest import parse_json, run_python, run_zoo


def last_line_json(out):
    """JSON printed last, after whatever a framework's import logs to stdout."""
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_zoo_backends_lists_it_with_its_distribution_and_version(example_plugin):
    rows = {row["name"]: row for row in parse_json(run_zoo("backends", "--json"))}
    row = rows["torch-gru"]
    assert (row["status"], row["family"], row["framework"]) == ("available", "gru", "PyTorch"), row
    assert (row["plugin"], row["distribution"], row["plugin_version"]) == ("zoo_gru", "zoo-gru", "0.1.0")
    assert row["version"], "the framework version must be listed"


def test_tracing_hooks_shows_it_load_and_register(example_plugin):
    out = run_zoo("backends", "--json", env={"RNN_ZOO_TRACE_HOOKS": "1"})
    assert "[rnn_zoo] loaded entry point zoo_gru = zoo_gru from zoo-gru 0.1.0" in out.stderr
    assert "[rnn_zoo] zoo_gru.register_backends() registered torch-gru" in out.stderr
    assert "torch-gru" in {row["name"] for row in parse_json(out)}, "tracing goes to stderr, never into the JSON"


def test_the_labs_backends_tab_lists_it(example_plugin):
    rows = {row[0]: row for row in last_line_json(run_python(
        "import json; from zoo_lab.backends_tab import backends_table; print(json.dumps(backends_table()['data']))"))}
    name, family, framework, _, plugin, distribution, _, status, _ = rows["torch-gru"]
    assert (family, framework, plugin, distribution, status) == ("gru", "PyTorch", "zoo_gru", "zoo-gru", "available")


def test_parity_checks_it_against_the_gru_reference(example_plugin):
    result = parse_json(run_zoo("parity", "--json", env={"RNN_ZOO_PLUGINS": "zoo_gru"}))
    assert set(result["max_abs_diff"]) == {"torch-gru"} and result["passed"], result
    assert result["details"]["torch-gru"]["family"] == "gru"
    assert {"layer0.z", "layer0.r", "layer0.n", "layer1.h"} <= set(result["details"]["torch-gru"]["tokens"])


@pytest.fixture(scope="module")
def trained_gru(example_plugin, tmp_path_factory):
    """A GRU trained briefly on sunspots into a per-user cache of its own, where the lab looks."""
    cache = tmp_path_factory.mktemp("xdg-cache")
    env = {"XDG_CACHE_HOME": str(cache)}
    out = parse_json(run_zoo("train", "--backend", "torch-gru", "--dataset", "sunspots", "--epochs", "1",
                             "--spec", '{"recurrent": [16], "head": [8]}', "--json", env=env))  # small: seconds, not half a minute
    path = Path(out["checkpoint"])
    assert path.is_relative_to(cache) and out["epochs_run"] == 1
    return path, env


COMPARE = """
import json
from zoo.datasets import load_dataset
from zoo.workbench import catalog, compare_series

cards = [card for card in catalog() if card.backend == "torch-gru" or card.id == "default/sunspots-torch-lstm-seed0"]
answers = compare_series(load_dataset("sunspots").values[-200:], cards)
print(json.dumps([{"id": a.card.id, "family": a.card.family, "error": a.error, "forecast": len(a.forecast),
                   "gates": list(a.trace.layers[0].gates)} for a in answers]))
"""


def test_a_trained_gru_joins_the_lab_comparisons(trained_gru):
    path, env = trained_gru
    answers = {a["id"]: a for a in last_line_json(run_python(COMPARE, env=env))}
    gru = answers[f"trained/{path.stem}"]
    assert gru["family"] == "gru" and gru["error"] is None and gru["forecast"] == 200 - 24
    assert gru["gates"] == ["z", "r", "n"]
    assert answers["default/sunspots-torch-lstm-seed0"]["error"] is None, "side by side with a shipped LSTM"
