import importlib.metadata
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

HEAVY = ("torch", "tensorflow", "keras", "jax", "ray")

# ----- no silent skips under CI -----
# With CI set (to anything but "", "0", "false" or "no"), a test that would skip because a piece of a
# complete install is missing (gradio_client, Playwright, Chromium, a framework) fails instead, and so
# does any other skip: a green CI run has run every test. Elsewhere the skip stays, and `make test`
# lists every skip with its reason (-rs).
CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing(what: str) -> None:
    """A required piece is not installed: fail under CI, skip elsewhere (listed by -rs)."""
    if CI:
        pytest.fail(f"{what} (CI is set, so this fails instead of skipping)", pytrace=False)
    pytest.skip(what, allow_module_level=True)


def require_module(name: str, install: str):
    """Import ``name`` or call :func:`missing`; usable at module level."""
    try:
        return importlib.import_module(name)
    except ImportError as err:
        missing(f"{name} is not importable ({err}); {install}")


def _skip_reason(report) -> str:
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    return reason.removeprefix("Skipped: ")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if CI and report.skipped and not hasattr(report, "wasxfail"):
        reason = _skip_reason(report)
        report.outcome, report.longrepr = "failed", f"skipped under CI, which must run every test: {reason}"
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector):
    report = yield
    if CI and report.skipped:  # a module-level skip would take every test in the file with it
        reason = _skip_reason(report)
        report.outcome, report.longrepr = "failed", f"{collector.nodeid} skipped under CI: {reason}"
    return report


def run_python(code: str, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    """Run code in a fresh interpreter of this environment, so sys.modules starts empty."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def run_zoo(*args: str, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    return run_python(f"import sys; from zoo.cli import main; sys.exit(main({list(args)!r}))", env=env, timeout=timeout)


# Throwaway plugins' sources, for fake_plugins: one that works and one for each way a plugin can fail.
GOOD_PLUGIN = '''
import zoo
from zoo_rnn.model import NumpyRNN


class ThrowawayRNN(NumpyRNN):
    """The bundled NumPy RNN under a name of its own: a third party's backend in all but its code."""


@zoo.hookimpl
def register_backends(register):
    register(zoo.BackendInfo(name="throwaway-rnn", family="rnn", framework="NumPy",
                             factory=f"{__name__}:ThrowawayRNN", module="numpy"))
'''
BROKEN_IMPORT = "raise ImportError('this plugin is broken on purpose')\n"
WRONG_ARGUMENT = '''
import zoo

@zoo.hookimpl
def register_backends(callback):
    pass
'''
UNKNOWN_HOOK = '''
import zoo

@zoo.hookimpl
def register_widgets(register):
    pass
'''
DUPLICATE_NAME = '''
import zoo

@zoo.hookimpl
def register_backends(register):
    register(zoo.BackendInfo(name="torch-lstm", family="lstm", framework="PyTorch",
                             factory="nowhere:Nothing", module="numpy"))
'''
RAISES_IN_HOOK = '''
import zoo

@zoo.hookimpl
def register_backends(register):
    raise RuntimeError("hook exploded")
'''
MISSING_FRAMEWORK = '''
import zoo

@zoo.hookimpl
def register_backends(register):
    register(zoo.BackendInfo(name="jaxless-lstm", family="lstm", framework="JAX",
                             factory="nowhere:Nothing", module="surely_not_installed_framework",
                             install="pip install surely-not-installed-framework"))
'''


CRASHING_MODELS = '''
import ctypes
import os
import time

import numpy as np
from zoo_rnn.model import NumpyRNN

class Aborts(NumpyRNN):
    def _trace(self, x):
        os.abort()

class Segfaults(NumpyRNN):
    def _trace(self, x):
        ctypes.string_at(0)  # reads address 0: SIGSEGV, as a bug in a native extension would

class Exits(NumpyRNN):
    def _trace(self, x):
        os._exit(3)

class Hangs(NumpyRNN):
    def _trace(self, x):
        time.sleep(3600)

class Allocates(NumpyRNN):
    def _trace(self, x):
        hoard = []
        while True:  # a leak without bound: 64 MiB more address space at a time until the OS says no
            hoard.append(np.empty(2**23))
'''  # backends whose models end, stall or outgrow their own process, for the tests of zoo.workers


def install_plugins(folder: Path, modules: dict[str, str], entry_points: list[str] | None = None, name: str = "zoo-fake-plugins") -> dict:
    """Install throwaway plugins through the real entry-point mechanism: the modules' sources, and a
    .dist-info folder declaring ``entry_points`` (every module by default) in the ``rnn_zoo`` group. Returns
    the environment (PYTHONPATH) under which a fresh interpreter finds them."""
    folder.mkdir(exist_ok=True)
    for module, source in modules.items():
        (folder / f"{module}.py").write_text(textwrap.dedent(source))
    info = folder / f"{name.replace('-', '_')}-0.0.1.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.0.1\n")
    declared = [f"{module} = {module}" for module in (modules if entry_points is None else entry_points)]
    (info / "entry_points.txt").write_text("\n".join(["[rnn_zoo]", *declared]) + "\n")
    return {"PYTHONPATH": os.pathsep.join([str(folder), os.environ.get("PYTHONPATH", "")])}


@pytest.fixture
def fake_plugins(tmp_path):
    """install_plugins into the test's own folder: ``fake_plugins({module: source})`` gives the environment."""
    return lambda plugins: install_plugins(tmp_path, plugins)


def parse_json(out: subprocess.CompletedProcess):
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_PLUGIN = ROOT / "examples" / "zoo-gru"


@pytest.fixture(scope="session")
def example_plugin() -> Path:
    """The out-of-tree GRU plugin, installed into this environment as its users would (make does it
    already; this covers a bare pytest run). Anything that must see it runs in a fresh interpreter."""
    try:
        importlib.metadata.version("zoo-gru")
    except importlib.metadata.PackageNotFoundError:
        out = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                              "--no-deps", "-e", str(EXAMPLE_PLUGIN)], capture_output=True, text=True, timeout=600)
        assert out.returncode == 0, out.stderr
    return EXAMPLE_PLUGIN


def recomputed(equation, family: str) -> float:
    """What a Learn-tab equation's own terms give (zoo.learn.Equation): the activation of the
    pre-activation, or the combination that makes c or h."""
    import numpy as np

    from zoo.reference import sigmoid

    t = equation.terms
    if equation.activation:
        return float({"sigmoid": sigmoid, "tanh": np.tanh}[equation.activation](equation.pre))
    if equation.name == "c":
        return t["f"] * t["c_prev"] + t["i"] * t["g"]
    if family == "lstm":
        return t["o"] * np.tanh(t["c"])
    return (1 - t["z"]) * t["n"] + t["z"] * t["h_prev"]


@pytest.fixture(autouse=True)
def _lab_log_on_failure(request):
    """In a module that serves the lab (it defines a ``server`` fixture), a failing test prints the end of
    the server's log, where the traceback is."""
    if "server" not in request.fixturenames:
        yield
        return
    from labserver import show_log_on_failure

    yield from show_log_on_failure(request, request.getfixturevalue("server"))


@pytest.fixture(scope="module")
def client(server):
    """A gradio_client of the module's served lab."""
    from gradio_client import Client

    return Client(server.url, verbose=False)
