"""`zoo new-plugin`: the generated package installs, registers its backend and passes the kit's
structural checks as generated, and the whole kit once the model code is filled in."""
import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from zoo import Backend, ZooError
from zoo.scaffold import TEMPLATES, _render, _template_values, new_plugin

from conftest import EXAMPLE_PLUGIN, parse_json, run_zoo

CONTRACT = sorted(Backend.__abstractmethods__)
GENERATED = ["README.md", "pyproject.toml", "tests/__init__.py", "tests/test_conformance.py",
             "{package}/__init__.py", "{package}/model.py"]


def files_under(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file() and "__pycache__" not in path.parts)


def backend_class(model_py: Path, name: str | None = None) -> ast.ClassDef:
    """The class ``name`` of a model.py, or else the zoo.Backend subclass it defines."""
    return next(node for node in ast.parse(model_py.read_text()).body if isinstance(node, ast.ClassDef)
                and (node.name == name if name else "zoo.Backend" in map(ast.unparse, node.bases)))


def class_attributes(cls: ast.ClassDef) -> dict:
    """The class attributes given as literals (family, gates, …); others, such as a layer class, are skipped."""
    attributes = {}
    for node in cls.body:
        if isinstance(node, ast.Assign):
            try:
                attributes[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                continue
    return attributes


def test_a_new_plugin_has_the_entry_point_a_documented_skeleton_and_the_kit(tmp_path):
    plugin = new_plugin("zoo-scratch-lstm", tmp_path / "plugin")
    assert plugin.package == "zoo_scratch_lstm" and plugin.backend == "zoo-scratch-lstm"
    assert files_under(plugin.root) == sorted(name.format(package=plugin.package) for name in GENERATED)
    assert sorted(plugin.files) == sorted(plugin.root / name.format(package=plugin.package) for name in GENERATED)

    project = tomllib.loads((plugin.root / "pyproject.toml").read_text())
    assert project["project"]["name"] == "zoo-scratch-lstm"
    assert project["project"]["entry-points"]["rnn_zoo"] == {"zoo_scratch_lstm": "zoo_scratch_lstm"}
    assert project["project"]["dependencies"] == ["rnn-zoo", "torch"]
    assert {"structural", "numerical"} <= {m.split(":")[0] for m in project["tool"]["pytest"]["ini_options"]["markers"]}

    registration = (plugin.root / "zoo_scratch_lstm" / "__init__.py").read_text()
    assert '@zoo.hookimpl\ndef register_backends(register):' in registration
    for field in ('name="zoo-scratch-lstm"', 'family="lstm"', 'factory="zoo_scratch_lstm.model:ZooScratchLstm"', 'module="torch"'):
        assert field in registration
    cls = backend_class(plugin.root / "zoo_scratch_lstm" / "model.py")
    assert cls.name == "ZooScratchLstm" and class_attributes(cls) == {"family": "lstm"}
    methods = {node.name: node for node in cls.body if isinstance(node, ast.FunctionDef)}
    assert sorted(methods) == CONTRACT
    for name, method in methods.items():
        docstring, body = ast.get_docstring(method), method.body[1:]
        assert docstring and len(docstring) > 80, f"{name} must say what to return"
        assert [ast.unparse(node) for node in body] == ["raise NotImplementedError"], name
    assert '@parametrize_with_checks(["zoo-scratch-lstm"])' in (plugin.root / "tests" / "test_conformance.py").read_text()


@pytest.mark.parametrize("family, framework, layout, dependencies", [
    ("gru", "torch", "(inputs, 3H), ``.U`` (H, 3H), ``.b`` (3H,), ``.b_U`` (3H,)", ["rnn-zoo", "torch"]),
    ("rnn", "numpy", "(inputs, H), ``.U`` (H, H), ``.b`` (H,);", ["rnn-zoo"]),
])
def test_the_family_sets_the_layout_and_the_framework_the_dependency(tmp_path, family, framework, layout, dependencies):
    """The class declares only its family; the docstrings spell out the family's layout from zoo.family."""
    plugin = new_plugin("zoo-scratch", tmp_path / "p", family=family, framework=framework, backend="scratch-net")
    source = (plugin.root / "zoo_scratch" / "model.py").read_text()
    cls = backend_class(plugin.root / "zoo_scratch" / "model.py")
    assert cls.name == "ScratchNet" and class_attributes(cls) == {"family": family}
    assert layout in source
    assert tomllib.loads((plugin.root / "pyproject.toml").read_text())["project"]["dependencies"] == dependencies
    assert f'module="{framework}"' in (plugin.root / "zoo_scratch" / "__init__.py").read_text()


@pytest.mark.parametrize("name, message", [
    ("my plugin", "not a valid plugin name"),
    ("2fast", "not a valid plugin name"),
    ("zoo--gru", "not a valid plugin name"),
    ("class", "Python keyword"),
    ("numpy", "already importable"),
    ("zoo", "already importable"),
])
def test_bad_names_are_refused_and_nothing_is_written(tmp_path, name, message):
    with pytest.raises(ZooError, match=message):
        new_plugin(name, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_an_existing_directory_or_a_taken_backend_name_is_refused(tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "keep.txt").write_text("mine")
    with pytest.raises(ZooError, match="already exists"):
        new_plugin("zoo-scratch", tmp_path / "taken")
    assert files_under(tmp_path / "taken") == ["keep.txt"]
    with pytest.raises(ZooError, match="'torch-lstm' is already registered by plugin 'zoo_torch'"):
        new_plugin("zoo-scratch", tmp_path / "new", backend="torch-lstm")
    with pytest.raises(ZooError, match="invalid backend name"):
        new_plugin("zoo-scratch", tmp_path / "new", backend="Scratch Net")


def test_the_command_line_creates_it_or_says_what_is_wrong(tmp_path):
    out = run_zoo("new-plugin", "zoo-scratch", "--dir", str(tmp_path / "plugin"), "--family", "gru")
    assert out.returncode == 0, out.stderr
    assert "created backend 'zoo-scratch' in package zoo_scratch" in out.stdout and "pip install -e" in out.stdout
    assert (tmp_path / "plugin" / "zoo_scratch" / "model.py").is_file()
    again = run_zoo("new-plugin", "zoo-scratch", "--dir", str(tmp_path / "plugin"))
    assert again.returncode == 2 and again.stderr.startswith("error: ") and "already exists" in again.stderr
    assert run_zoo("new-plugin", "zoo-scratch", "--family", "transformer").returncode == 2  # argparse's choices


def test_the_example_is_the_scaffolds_output_with_only_the_model_filled_in(tmp_path):
    """examples/zoo-gru came from `zoo new-plugin zoo-gru --family gru --backend torch-gru`: every
    generated file but model.py is still exactly what the templates make."""
    values = _template_values("zoo-gru", "zoo_gru", "torch-gru", "gru", "torch")
    fresh = {path.relative_to(tmp_path) for path in _render(TEMPLATES, tmp_path, "zoo_gru", values)}
    for path in fresh - {Path("zoo_gru/model.py")}:
        assert (EXAMPLE_PLUGIN / path).read_text() == (tmp_path / path).read_text(), f"{path} drifted from the template"
    scaffold = backend_class(tmp_path / "zoo_gru" / "model.py")
    example = backend_class(EXAMPLE_PLUGIN / "zoo_gru" / "model.py", scaffold.name)
    assert class_attributes(scaffold).items() <= class_attributes(example).items()


# Only the model code changes: the class delegates every contract method to a working backend.
WORKING_MODEL = '''
"""The scratch backend, its model code delegated to the bundled NumPy RNN."""
from zoo_rnn.model import NumpyRNN


class ZooScratch(NumpyRNN):
    pass
'''


def pip(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
                          capture_output=True, text=True, timeout=600)


def run_kit(root: Path, *args: str) -> subprocess.CompletedProcess:
    """The generated test file, run as its author would: pytest in the plugin's directory."""
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args], cwd=root,
                          capture_output=True, text=True, timeout=600)


def test_generated_plugin_installs_passes_the_structural_kit_then_the_whole_kit(tmp_path):
    root = tmp_path / "zoo_scratch"
    created = run_zoo("new-plugin", "zoo_scratch", "--dir", str(root), "--family", "rnn", "--framework", "numpy")
    assert created.returncode == 0, created.stderr
    # Build isolation would fetch setuptools from the network; the build itself is the generated pyproject's.
    installed = pip("install", "--quiet", "--no-deps", "--no-build-isolation", "-e", str(root))
    assert installed.returncode == 0, installed.stderr
    try:
        rows = {row["name"]: row for row in parse_json(run_zoo("backends", "--json"))}
        assert rows["zoo-scratch"]["status"] == "available", rows["zoo-scratch"]
        assert (rows["zoo-scratch"]["distribution"], rows["zoo-scratch"]["plugin_version"]) == ("zoo_scratch", "0.1.0")

        structural = run_kit(root, "-m", "structural")
        assert structural.returncode == 0, structural.stdout[-3000:]
        assert "2 passed" in structural.stdout and "deselected" in structural.stdout
        unfilled = run_kit(root, "-x", "-m", "numerical")
        assert unfilled.returncode == 1 and "NotImplementedError" in unfilled.stdout

        (root / "zoo_scratch" / "model.py").write_text(WORKING_MODEL)
        whole = run_kit(root)
        assert whole.returncode == 0, whole.stdout[-3000:]
        assert "passed" in whole.stdout and "failed" not in whole.stdout and "deselected" not in whole.stdout
    finally:
        removed = pip("uninstall", "--yes", "zoo_scratch")
        assert removed.returncode == 0, removed.stderr
