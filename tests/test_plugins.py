"""The plugin manager: entry points loaded one at a time, failures isolated, frameworks never imported."""
import json
from pathlib import Path

import numpy as np
import pytest

import zoo
from zoo.plugins import registered_plugin
from zoo.testing import TOKEN_SPEC

from conftest import (BROKEN_IMPORT, DUPLICATE_NAME, GOOD_PLUGIN, HEAVY, MISSING_FRAMEWORK, RAISES_IN_HOOK, UNKNOWN_HOOK,
                      WRONG_ARGUMENT, parse_json, run_python, run_zoo)

BUNDLED = {"keras-lstm", "torch-lstm", "numpy-rnn"}

def backends_by_name(env=None) -> dict:
    return {row["name"]: row for row in parse_json(run_zoo("backends", "--json", env=env))}


def test_bundled_backends_come_through_the_public_entry_point_group():
    rows = backends_by_name()
    assert BUNDLED <= set(rows)
    for name in BUNDLED:
        row = rows[name]
        assert row["status"] == "available", row
        assert row["distribution"] == "rnn-zoo" and row["plugin"].startswith("zoo_")
        assert row["version"], "the framework version must be listed"
    assert {rows[n]["family"] for n in BUNDLED} == {"lstm", "rnn"}


def test_broken_plugins_are_listed_as_errors_and_the_rest_keep_working(fake_plugins):
    env = fake_plugins({
        "fake_good": GOOD_PLUGIN, "fake_broken": BROKEN_IMPORT, "fake_wrongarg": WRONG_ARGUMENT,
        "fake_unknownhook": UNKNOWN_HOOK, "fake_duplicate": DUPLICATE_NAME, "fake_raises": RAISES_IN_HOOK,
    })
    rows = parse_json(run_zoo("backends", "--json", env=env))
    by_plugin = {}
    for row in rows:
        by_plugin.setdefault(row["plugin"], []).append(row)
    for name in BUNDLED:
        assert next(r for r in rows if r["name"] == name and r["distribution"] == "rnn-zoo")["status"] == "available"
    assert by_plugin["fake_good"][0]["status"] == "available"
    expected_reasons = {
        "fake_broken": "broken on purpose",
        "fake_wrongarg": "callback",
        "fake_unknownhook": "register_widgets",
        "fake_duplicate": "already registered by plugin 'zoo_torch'",  # bundled plugins load first
        "fake_raises": "hook exploded",
    }
    for plugin, reason in expected_reasons.items():
        (row,) = by_plugin[plugin]
        assert row["status"] == "error" and reason in row["reason"], row
        assert row["distribution"] == "zoo-fake-plugins"
    # The broken plugins do not stop a model from being built and run.
    out = run_zoo("trace", "--backend", "throwaway-rnn", "--series", "1,2,3", "--json", env=env)
    assert len(parse_json(out)["readout"]) == 3


def test_allow_list_and_block_list(fake_plugins):
    env = fake_plugins({"fake_good": GOOD_PLUGIN})
    only = parse_json(run_zoo("backends", "--json", env={**env, "RNN_ZOO_PLUGINS": "zoo_rnn,fake_good"}))
    assert {row["name"] for row in only if row["status"] != "blocked"} == {"numpy-rnn", "throwaway-rnn"}
    # each plugin left out is listed, with no backend, as blocked and why
    left_out = {row["plugin"]: row for row in only if row["status"] == "blocked"}
    assert {"zoo_keras", "zoo_torch"} <= set(left_out), only
    assert all(row["name"] is None and row["reason"] == "not in RNN_ZOO_PLUGINS" for row in left_out.values())
    blocked = backends_by_name({**env, "RNN_ZOO_BLOCK_PLUGINS": "zoo_keras, fake_good"})
    assert "keras-lstm" not in blocked and "throwaway-rnn" not in blocked and "torch-lstm" in blocked
    assert blocked[None]["status"] == "blocked" and blocked[None]["reason"] == "named in RNN_ZOO_BLOCK_PLUGINS"
    plugins = {p["name"]: p for p in parse_json(run_zoo("plugins", "--json", env={**env, "RNN_ZOO_BLOCK_PLUGINS": "zoo_keras"}))}
    assert plugins["zoo_keras"]["status"] == "blocked" and "RNN_ZOO_BLOCK_PLUGINS" in plugins["zoo_keras"]["reason"]


def test_missing_framework_is_unavailable_with_the_install_command(fake_plugins):
    rows = backends_by_name(fake_plugins({"fake_jaxless": MISSING_FRAMEWORK}))
    row = rows["jaxless-lstm"]
    assert row["status"] == "unavailable"
    assert "pip install surely-not-installed-framework" in row["reason"]


def test_frameworks_hidden_leave_the_numpy_backend_working():
    """torch and tensorflow made unimportable in-process: listed unavailable, the plain RNN still runs."""
    code = (
        "import sys, json\n"
        "sys.modules['torch'] = None; sys.modules['tensorflow'] = None\n"
        "from zoo.cli import main\n"
        "main(['backends', '--json'])\n"
    )
    rows = {r["name"]: r for r in json.loads(run_python(code).stdout)}
    assert rows["numpy-rnn"]["status"] == "available"
    assert rows["torch-lstm"]["status"] == "unavailable" and "pip install torch==2.13.0" in rows["torch-lstm"]["reason"]
    assert rows["keras-lstm"]["status"] == "unavailable" and "tensorflow-cpu==2.21.0" in rows["keras-lstm"]["reason"]


@pytest.mark.parametrize("argv", [["--help"], ["backends"], ["backends", "--json"], ["plugins"], ["trace", "--help"]])
def test_cli_listing_imports_no_framework(argv):
    code = (
        "import sys, json\n"
        "from zoo.cli import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    out = run_python(code)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_import_zoo_imports_no_framework():
    out = run_python(f"import sys, json, zoo; zoo.registry(); print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))")
    assert json.loads(out.stdout) == []


def test_a_worker_spawned_by_the_demo_loads_no_gradio():
    """A spawned worker re-runs the main script's top level as __mp_main__ (multiprocessing's spawn):
    demo.py's must not pull Gradio (or a framework) into every backend's worker."""
    demo = Path(__file__).resolve().parents[1] / "demo.py"
    out = run_python(f"import sys, json, runpy\nrunpy.run_path({str(demo)!r}, run_name='__mp_main__')\n"
                     f"print(json.dumps([m for m in ('gradio', *{HEAVY!r}) if m in sys.modules]))")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == []


class ThrowawayPlugin:
    """Registered in-process, as llm's and datasette's tests do."""

    @zoo.hookimpl
    def register_backends(self, register):
        register(zoo.BackendInfo(name="inprocess-rnn", family="rnn", framework="NumPy",
                                 factory="zoo_rnn.model:NumpyRNN", module="numpy"))
        register(zoo.BackendInfo(name="Bad Name!", family="rnn", framework="NumPy", factory="x:y", module="numpy"))

    @zoo.hookimpl
    def register_datasets(self, register):
        register(zoo.DatasetInfo(name="tiny", kind="series", task="regression", loader="nowhere:load"))
        register("not a DatasetInfo")


def test_in_process_plugin_registers_backends_and_datasets():
    with registered_plugin(ThrowawayPlugin(), "throwaway") as reg:
        assert reg is zoo.registry()  # the process's registry, as the CLI and the lab see it
        entry = reg.backend("inprocess-rnn")
        assert entry.status == "available" and entry.plugin.name == "throwaway"
        bad = next(e for e in reg.backends if e.name == "Bad Name!")
        assert bad.status == "error" and "invalid name" in bad.reason
        assert [e.name for e in reg.datasets if e.plugin.name == "throwaway" and e.info is not None] == ["tiny"]
        assert any(e.status == "error" and "expected DatasetInfo" in e.reason for e in reg.datasets)
        model = reg.create("inprocess-rnn", TOKEN_SPEC)
        assert model.name == "inprocess-rnn"
        assert model.trace(np.array([1, 2, 3])).steps == 3
    assert all(e.name != "inprocess-rnn" for e in zoo.registry().backends)


def test_a_registered_plugin_cannot_take_a_bundled_name_or_a_taken_plugin_name():
    class Thief:
        @zoo.hookimpl
        def register_backends(self, register):
            register(zoo.BackendInfo(name="numpy-rnn", family="rnn", framework="NumPy", factory="x:y", module="numpy"))

    with registered_plugin(Thief(), "thief") as reg:
        assert reg.backend("numpy-rnn").plugin.name != "thief"
        assert any(e.plugin.name == "thief" and e.status == "error" for e in reg.backends)
        with pytest.raises(ValueError, match="registered already"):
            with registered_plugin(Thief(), "thief"):
                pass


def test_unknown_backend_names_the_registered_ones():
    with pytest.raises(zoo.BackendUnavailable, match="numpy-rnn"):
        zoo.registry().backend("no-such-backend")


def test_a_factory_that_fails_to_import_turns_the_backend_into_an_error():
    class Broken:
        @zoo.hookimpl
        def register_backends(self, register):
            register(zoo.BackendInfo(name="ghost", family="rnn", framework="NumPy",
                                     factory="zoo_no_such_module:Ghost", module="numpy"))

    with registered_plugin(Broken(), "broken") as reg:
        with pytest.raises(zoo.BackendUnavailable, match="zoo_no_such_module"):
            reg.create("ghost")
        assert reg.backend("ghost").status == "error"
