"""Under CI a missing piece of the install fails the run; elsewhere it skips, and says why.

Throwaway test files run in a real pytest subprocess with this suite's conftest loaded as a plugin
(-p conftest), so the hooks and helpers under test are the ones every other test uses.
"""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent

NEEDS_BROWSER = '''
from labserver import chromium

def test_drives_the_browser():
    with chromium() as browser:
        browser.new_page().close()

def test_skips_for_another_reason():
    import pytest
    pytest.skip("nothing to do here")
'''
NEEDS_MODULE = '''
from conftest import require_module

surely = require_module("surely_not_an_installed_module", "pip install surely")

def test_uses_it():
    assert surely
'''


def run_pytest(folder: Path, env: dict, files=("test_needs_browser.py", "test_needs_module.py")) -> subprocess.CompletedProcess:
    (folder / "test_needs_browser.py").write_text(NEEDS_BROWSER)
    (folder / "test_needs_module.py").write_text(NEEDS_MODULE)
    full = {k: v for k, v in os.environ.items() if k != "CI"}
    full.update({"PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")]),
                 "RNN_ZOO_CHROMIUM": str(folder / "no-chromium-here"), **env})
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "conftest", "-p", "no:cacheprovider", *files],
                          cwd=folder, capture_output=True, text=True, timeout=300, env=full)


def test_without_ci_missing_pieces_skip_and_say_why(tmp_path):
    out = run_pytest(tmp_path, {})
    assert out.returncode == 0, out.stdout
    assert re.search(r"\b3 skipped\b", out.stdout) and "failed" not in out.stdout, out.stdout
    assert "no-chromium-here is not installed" in out.stdout  # -rs lists each reason
    assert "surely_not_an_installed_module is not importable" in out.stdout


@pytest.mark.parametrize("ci", ["true", "1"])
def test_under_ci_a_missing_browser_fails_and_so_does_any_skip(tmp_path, ci):
    out = run_pytest(tmp_path, {"CI": ci}, files=["test_needs_browser.py"])
    assert out.returncode == 1, out.stdout
    assert out.stdout.splitlines()[-1].startswith("2 failed"), out.stdout  # not one skipped
    assert "no-chromium-here is not installed" in out.stdout and "CI is set" in out.stdout
    assert "skipped under CI, which must run every test: nothing to do here" in out.stdout


def test_under_ci_a_missing_module_stops_the_run(tmp_path):
    out = run_pytest(tmp_path, {"CI": "true"}, files=["test_needs_module.py"])
    assert out.returncode != 0 and "1 error" in out.stdout.splitlines()[-1], out.stdout
    assert "surely_not_an_installed_module is not importable" in out.stdout and "CI is set" in out.stdout


def test_ci_false_is_not_ci(tmp_path):
    out = run_pytest(tmp_path, {"CI": "false"})
    assert out.returncode == 0 and re.search(r"\b3 skipped\b", out.stdout), out.stdout


def test_the_makefile_and_the_tests_use_the_same_chromium():
    from labserver import CHROMIUM

    makefile = (TESTS.parent / "Makefile").read_text()
    assert re.search(r"^CHROMIUM \?= /usr/bin/chromium$", makefile, re.M)
    assert "export RNN_ZOO_CHROMIUM := $(CHROMIUM)" in makefile and "test -x $(CHROMIUM)" in makefile
    assert re.search(r"^test:.*\n\t\$\(PYTHON\) -m pytest -q -rs$", makefile, re.M)
    if "RNN_ZOO_CHROMIUM" not in os.environ:
        assert CHROMIUM == Path("/usr/bin/chromium")


REQUIRED_MODULES = {"gradio_client": "pip install 'rnn-zoo[lab]'", "gradio": "pip install 'rnn-zoo[lab]'",
                    "playwright": "pip install 'rnn-zoo[test]'", "torch": "pip install 'rnn-zoo[torch]'",
                    "tensorflow": "pip install 'rnn-zoo[tensorflow]'", "keras": "pip install 'rnn-zoo[tensorflow]'"}


@pytest.mark.parametrize("module", sorted(REQUIRED_MODULES))
def test_a_complete_install_has_every_module(module):
    import importlib.util

    from conftest import missing

    if importlib.util.find_spec(module) is None:
        missing(f"{module} is not installed: {REQUIRED_MODULES[module]}")


def test_a_complete_install_has_every_backend_and_the_browser(example_plugin):
    from conftest import missing, run_zoo
    from labserver import CHROMIUM
    import json

    if not CHROMIUM.is_file():
        missing(f"{CHROMIUM} is not installed (make browser)")
    rows = {row["name"]: row for row in json.loads(run_zoo("backends", "--json").stdout)}
    for name in ("keras-lstm", "torch-lstm", "numpy-rnn", "torch-gru"):
        if rows.get(name, {}).get("status") != "available":
            missing(f"backend {name} is not available: {rows.get(name)}")
