"""Meta-tests, as datasette has them: the plugin guide cannot drift from the code it documents, and no
hook goes untested."""
import dataclasses
import inspect
import re
from pathlib import Path

import pytest

from zoo import Backend, BackendInfo, DatasetInfo, FormatInfo, hookspecs, plugins, testing
from zoo.cli import main

from conftest import BROKEN_IMPORT, DUPLICATE_NAME, GOOD_PLUGIN, MISSING_FRAMEWORK, RAISES_IN_HOOK, parse_json, run_zoo

ROOT = Path(__file__).resolve().parents[1]
GUIDE = (ROOT / "docs" / "plugin-guide.md").read_text()
HOOKS = {name: fn for name, fn in vars(hookspecs).items() if hasattr(fn, "rnn_zoo_spec")}


def section(title: str, text: str = GUIDE) -> str:
    """The ``## title`` section of a Markdown text (the guide's by default), up to the next one."""
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end != -1 else None]


def test_the_hookspecs_are_found():
    assert set(HOOKS) == {"register_backends", "register_datasets", "register_formats"}


@pytest.mark.parametrize("hook", sorted(HOOKS))
def test_every_hook_is_documented_with_its_exact_signature(hook):
    assert f"### `{hook}{inspect.signature(HOOKS[hook])}`" in section("Hooks")


def test_the_guide_documents_no_hook_that_does_not_exist():
    documented = set(re.findall(r"^### `(\w+)\(", section("Hooks"), flags=re.MULTILINE))
    assert documented == set(HOOKS)
    assert set(re.findall(r"\b(register_\w+)\(", GUIDE)) <= set(HOOKS)


@pytest.mark.parametrize("hook", sorted(HOOKS))
def test_every_hook_has_a_test_that_implements_it(hook):
    implemented = re.compile(rf"@(?:zoo\.)?hookimpl\s*\n\s*def {hook}\(")
    tests = sorted(path.name for path in (ROOT / "tests").glob("test_*.py") if implemented.search(path.read_text()))
    assert tests, f"no test implements the hook {hook}"


@pytest.mark.parametrize("info", [BackendInfo, DatasetInfo, FormatInfo])
def test_every_registration_field_is_documented(info):
    for field in dataclasses.fields(info):
        assert f"`{field.name}`" in section("Hooks"), f"{info.__name__}.{field.name}"


def test_every_contract_method_and_class_attribute_is_documented():
    contract = section("The backend contract")
    for name in sorted(Backend.__abstractmethods__):
        params = ", ".join(list(inspect.signature(getattr(Backend, name)).parameters)[1:])
        assert f"`{name}({params})`" in contract, name
    class_attributes = [name for name, kind in Backend.__annotations__.items() if str(kind).startswith("ClassVar")]
    assert sorted(class_attributes) == ["capabilities", "family"]
    for attribute in class_attributes:
        assert f"`{attribute}" in contract, attribute


def test_every_check_of_the_kit_is_documented_under_its_kind():
    kit = section("The conformance kit")
    checks = {name: fn.kind for name, fn in vars(testing).items() if name.startswith("check_") and hasattr(fn, "kind")}
    assert len(checks) >= 14
    for name, kind in checks.items():
        at = kit.find(f"- `{name}`")
        assert at != -1, f"{name} is not documented"
        heading = max(("structural", "numerical"), key=lambda k: kit.rfind(f"**{k.capitalize()}**", 0, at))
        assert heading == kind, f"{name} is {kind} but documented as {heading}"


def test_every_environment_switch_is_documented():
    switches = [value for name, value in vars(plugins).items() if name.endswith("_ENV")]
    assert set(switches) == {"RNN_ZOO_PLUGINS", "RNN_ZOO_BLOCK_PLUGINS", "RNN_ZOO_TRACE_HOOKS"}
    for switch in switches:
        assert f"`{switch}=" in section("When a plugin does not load"), switch


def test_every_zoo_command_the_guide_shows_exists(capsys):
    # At a prompt (after any VAR=value), in backticks, or after "or: " in a console comment.
    commands = set(re.findall(r"(?:^\$ (?:\S+=\S+ )*|`|or: )zoo ([a-z][a-z-]*)", GUIDE, flags=re.MULTILINE))
    assert {"new-plugin", "backends", "plugins", "train", "parity", "serve", "trace"} <= commands
    for command in sorted(commands):
        with pytest.raises(SystemExit) as done:
            main([command, "--help"])
        assert done.value.code == 0, f"`zoo {command}` in the guide is not a command"
    capsys.readouterr()


def test_the_readme_links_the_guide():
    assert "(docs/plugin-guide.md)" in section("Plugins", (ROOT / "README.md").read_text())


def test_tracing_hooks_tells_why_each_plugin_loaded_or_not(fake_plugins):
    """What the guide's debugging section promises from RNN_ZOO_TRACE_HOOKS=1, failure by failure."""
    env = fake_plugins({"fake_good": GOOD_PLUGIN, "fake_broken": BROKEN_IMPORT, "fake_duplicate": DUPLICATE_NAME,
                        "fake_raises": RAISES_IN_HOOK, "fake_jaxless": MISSING_FRAMEWORK})
    env.update(RNN_ZOO_TRACE_HOOKS="1", RNN_ZOO_BLOCK_PLUGINS="zoo_keras")
    out = run_zoo("trace", "--backend", "throwaway-rnn", "--series", "1,2", "--json", env=env)
    assert parse_json(out)["steps"] == 2, "stdout stays clean JSON"
    lines = out.stderr.splitlines()
    for expected in [
        "[rnn_zoo] skipped entry point zoo_keras = zoo_keras from rnn-zoo 0.1.0: named in RNN_ZOO_BLOCK_PLUGINS",
        "[rnn_zoo] loaded entry point fake_good = fake_good from zoo-fake-plugins 0.0.1 in ",
        "[rnn_zoo] entry point fake_broken = fake_broken from zoo-fake-plugins 0.0.1 failed to load: ImportError: this plugin is broken on purpose",
        "[rnn_zoo] fake_good.register_backends() registered throwaway-rnn",
        "[rnn_zoo] fake_duplicate.register_backends() registered torch-lstm (rejected: name 'torch-lstm' is already registered by plugin 'zoo_torch')",
        "[rnn_zoo] fake_raises.register_backends() raised RuntimeError: hook exploded",
        "[rnn_zoo] jaxless-lstm (plugin fake_jaxless) is unavailable: surely_not_installed_framework is not installed",
        "[rnn_zoo] throwaway-rnn: imported fake_good:ThrowawayRNN in ",
    ]:
        assert any(line.startswith(expected) for line in lines), f"{expected!r} not in:\n{out.stderr}"
    assert "[rnn_zoo]" not in run_zoo("backends", "--json", env={**env, "RNN_ZOO_TRACE_HOOKS": "0"}).stderr
