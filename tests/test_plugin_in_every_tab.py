"""A throwaway backend plugin, installed through the public entry-point path as a third party's would be,
is first-class in every tab of the served lab: the Train tab offers and trains it, its model joins the
Compare pickers and answers there, the Units tab explores it, the Lab tab's sweep, gradients and what-if offer it, and the Backends
tab lists it; a blocked plugin shows as blocked with its reason. The Backends tab's tables are the rows
`zoo backends --json` and `zoo plugins --json` print.
"""
from __future__ import annotations

import pytest

from conftest import GOOD_PLUGIN, install_plugins, parse_json, require_module, run_zoo

require_module("gradio_client", "pip install 'rnn-zoo[lab]'")
from labserver import page_control, serve_lab  # noqa: E402

BLOCKED = '''
import zoo


@zoo.hookimpl
def register_backends(register):
    register(zoo.BackendInfo(name="blocked-rnn", family="rnn", framework="NumPy",
                             factory="zoo_rnn.model:NumpyRNN", module="numpy"))
'''


@pytest.fixture(scope="module")
def plugin_env(tmp_path_factory) -> dict:
    env = install_plugins(tmp_path_factory.mktemp("plugins"), {"fake_throwaway": GOOD_PLUGIN, "fake_blocked": BLOCKED})
    return {**env, "RNN_ZOO_BLOCK_PLUGINS": "fake_blocked"}


@pytest.fixture(scope="module")
def server(tmp_path_factory, plugin_env):
    with serve_lab(tmp_path_factory.mktemp("lab"), env=plugin_env) as lab:
        yield lab


def offered(client, elem_id: str) -> set[str]:
    """The choices a control of the page offers, as the page received them."""
    return {value for _, value in page_control(client, elem_id)["choices"]}


def table_rows(table: dict) -> list[dict]:
    return [dict(zip(table["headers"], row)) for row in table["data"]]


def as_cells(rows: list[dict]) -> list[dict]:
    """The CLI's JSON rows as a dataframe shows them: no value is an empty cell, a list its items joined."""
    return [{k: "" if v is None else ", ".join(v) if isinstance(v, list) else v for k, v in row.items()} for row in rows]


def test_the_train_tab_trains_it_and_its_model_joins_the_compare_pickers(client):
    assert "throwaway-rnn" in offered(client, "train-backends")
    status, _, results, text_models, *_ = client.predict("long-dependency", ["throwaway-rnn"], 1, "tanh", 0.003,
                                                        api_name="/train")
    assert status == "**throwaway-rnn**: done 100%", status
    [row] = results["data"]
    assert row[:4] == ["throwaway-rnn", "long-dependency", "done", 1], row
    model = "trained/long-dependency-throwaway-rnn-seed0"
    assert model in [value for _, value in text_models["choices"]], text_models
    *_, summary, _ = client.predict("He likes a girl but he likes a boy.", [model], 0, -1, "shared", "unit",
                                   api_name="/compare_text")
    assert [(a["backend"], a["error"]) for a in summary] == [("throwaway-rnn", None)], summary


def test_the_units_tab_explores_its_model(client):
    """After the training above: the plugin's model across its test split, a plain RNN's h only (no gates)."""
    *_, numbers = client.predict("trained/long-dependency-throwaway-rnn-seed0", None, "dataset", "own", "test", "", None,
                                 "", 0, -1, 3, 5, api_name="/units_explore")
    assert numbers["states"].startswith("throwaway-rnn on long-dependency, test split"), numbers["states"]
    assert list(numbers["contexts"]) == ["h"] and numbers["saturation"] == []
    assert len(numbers["contexts"]["h"]["highest"]) == 3


def test_the_lab_tab_offers_it_for_the_sweep_the_gradients_and_what_if(client):
    for control in ("lab-sweep-backends", "lab-gradient-backends", "lab-what-if-backend"):
        choices = offered(client, control)
        assert "throwaway-rnn" in choices and "blocked-rnn" not in choices, (control, choices)


def test_the_backends_tab_lists_it_and_the_blocked_plugin_as_the_cli_does(client, plugin_env):
    backends = table_rows(client.predict(api_name="/backends"))
    [mine] = [row for row in backends if row["name"] == "throwaway-rnn"]
    assert (mine["family"], mine["plugin"], mine["distribution"], mine["status"]) == (
        "rnn", "fake_throwaway", "zoo-fake-plugins", "available"), mine
    [blocked] = [row for row in backends if row["plugin"] == "fake_blocked"]
    assert blocked["name"] == "" and blocked["status"] == "blocked" and "RNN_ZOO_BLOCK_PLUGINS" in blocked["reason"]
    assert backends == as_cells(parse_json(run_zoo("backends", "--json", env=plugin_env)))
    plugins = table_rows(client.predict(api_name="/plugins"))
    assert {row["name"]: row["backends"] for row in plugins}["fake_throwaway"] == "throwaway-rnn"
    assert plugins == as_cells(parse_json(run_zoo("plugins", "--json", env=plugin_env)))
