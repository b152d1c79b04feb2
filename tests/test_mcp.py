"""The lab for agents: a real server's MCP tools, driven by the `mcp` client SDK over streamable HTTP.

The tools list exactly zoo_lab.tools.TOOLS, each described for an agent; a text compare over MCP gives the
numbers the core computes alone; a person's own PyTorch model imports as a data: URL and answers as its
own framework does; bad input is the tool's error and the server keeps serving. gradio_client sees the
same tools as the lab's documented API, and none of the page's own events."""
from __future__ import annotations

import asyncio
import base64
import json

import numpy as np
import pytest

from conftest import require_module

pytestmark = pytest.mark.slow  # a served lab

require_module("gradio_client", "pip install 'rnn-zoo[lab]'")
require_module("mcp", "pip install 'rnn-zoo[lab]' (gradio[mcp])")
from gradio_client import Client  # noqa: E402
from labserver import serve_lab  # noqa: E402
from mcp import ClientSession  # noqa: E402
from mcp.client.streamable_http import streamable_http_client  # noqa: E402

from zoo_lab.tools import TOOLS  # noqa: E402

SENTENCE = "He likes a girl and the old house near the river but he likes a boy."


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serve_lab(tmp_path_factory.mktemp("mcp")) as lab:
        yield lab


def mcp_session(server, work):
    """Run ``work(session)`` in a fresh MCP session with the server, as an agent's client would."""
    async def run():
        async with streamable_http_client(f"{server.url}gradio_api/mcp/") as (read, write, _):
            async with ClientSession(read, write) as session:
                await session.initialize()
                return await work(session)

    return asyncio.run(run())


def call(server, name: str, arguments: dict):
    """One tool call: (is it an error, its text)."""
    async def work(session):
        return await session.call_tool(name, arguments)

    result = mcp_session(server, work)
    return result.isError, "".join(part.text for part in result.content if part.type == "text")


def answer(server, name: str, arguments: dict):
    error, text = call(server, name, arguments)
    assert not error, text
    return json.loads(text)


def test_the_tools_are_the_lab_actions_described_for_an_agent(server):
    async def work(session):
        return (await session.list_tools()).tools

    tools = {tool.name: tool for tool in mcp_session(server, work)}
    assert sorted(tools) == sorted(tool.__name__ for tool in TOOLS)  # and no page event among them
    for tool in tools.values():
        assert len(tool.description) > 120 and "Returns:" in tool.description, tool
        for name, schema in tool.inputSchema.get("properties", {}).items():
            assert schema.get("description"), (tool.name, name)  # every argument explained
            assert "type" in schema or "oneOf" in schema or "anyOf" in schema, (tool.name, name, schema)
    assert "request" not in tools["compare_models_on_text"].inputSchema["properties"]  # Gradio fills it in
    # gradio_client sees the same API, and the page's events stay callable but undocumented.
    client = Client(server.url, verbose=False)
    assert sorted(client.view_api(return_format="dict", print_info=False)["named_endpoints"]) == sorted(
        f"/{tool.__name__}" for tool in TOOLS)


def test_a_text_compare_over_mcp_gives_the_core_numbers(server):
    from zoo.memory import memory_use
    from zoo.pretrained import PRETRAINED_DIR
    from zoo.workbench import catalog, compare_text, default_ids

    found = answer(server, "compare_models_on_text", {"text": SENTENCE})
    defaults = default_ids("text", "long-dependency")
    assert [a["model"] for a in found["answers"]] == defaults
    cards = {card.id: card for card in catalog((PRETRAINED_DIR,))}
    alone = {a.card.id: a for a in compare_text(SENTENCE, [cards[m] for m in defaults])}  # the core, in this process
    assert found["tokens"] == alone[defaults[0]].trace.tokens and found["steps"] == len(found["tokens"])
    for served in found["answers"]:
        core = alone[served["model"]]
        assert served["error"] is None, served
        np.testing.assert_allclose(served["output"], core.output, atol=2e-6)
        np.testing.assert_allclose(served["readout_per_step"], core.trace.readout, atol=2e-6)
        p_same = float(core.output[0])
        assert served["probabilities"] == pytest.approx({"changed": 1 - p_same, "same": p_same}, abs=2e-6)
        assert served["predicted_class"] == ("same" if p_same >= 0.5 else "changed")
        assert [[u["unit"] for u in layer["units"]] for layer in served["most_active_units"]] == [
            [u["unit"] for u in layer["most_active"]] for layer in memory_use([core.trace])]

    # One model's every number, and its Learn-tab equations for one unit and step: the trace's own.
    model = defaults[-1]
    traced = answer(server, "trace_model", {"model": model, "text": SENTENCE, "layer": 0})
    [layer] = traced["layers"]
    np.testing.assert_allclose(layer["c"], alone[model].trace.layers[0].c, atol=2e-6)
    np.testing.assert_allclose(layer["f"], alone[model].trace.layers[0].gates["f"], atol=2e-6)
    step = answer(server, "explain_step", {"model": model, "text": SENTENCE, "step": 3, "layer": 0, "unit": 5})
    assert step["token"] == found["tokens"][3]
    forget = next(e for e in step["equations"] if e["name"] == "f")
    assert forget["value"] == pytest.approx(layer["f"][3][5], abs=2e-6)
    assert 1 / (1 + np.exp(-sum(forget["terms"].values()))) == pytest.approx(forget["value"], abs=1e-5)


def test_the_other_tools_answer_with_the_core_numbers(server):
    from zoo import long_range
    from zoo.plugins import registry
    from zoo.tables import backend_rows

    text_models = answer(server, "list_models", {"kind": "text"})
    assert {"default/long-dependency-torch-lstm-seed0", "default/rotten-tomatoes-keras-lstm-seed0"} <= {m["id"] for m in text_models}
    assert all(m["kind"] == "text" for m in text_models)
    series = answer(server, "compare_models_on_series", {"series": ", ".join(str(v) for v in range(30))})
    assert all(a["error"] is None and len(a["forecast"]) == 30 - 24 for a in series["answers"]), series
    results = answer(server, "long_range_results", {"task": "long-dependency", "backends": ["numpy-rnn"]})
    [lag_50] = [row for row in results["rows"] if row["lag"] == 50]
    shipped = [long_range.cached_result("numpy-rnn", "long-dependency", 50, seed)[0]["score"] for seed in (0, 1, 2)]
    assert lag_50["scores"] == pytest.approx(shipped, abs=1e-6) and results["chance"] == 0.5
    listed = answer(server, "list_backends", {})
    assert [row["name"] for row in listed["backends"]] == [row["name"] for row in backend_rows(registry())]


def test_bad_input_is_the_tools_error_and_the_server_keeps_serving(server):
    error, text = call(server, "compare_models_on_text", {"text": "   "})
    assert error and "type a sentence first" in text, text
    error, text = call(server, "compare_models_on_series", {"series": "1, 2, nan, 4"})
    assert error and "nan" in text, text
    error, text = call(server, "trace_model", {"model": "default/no-such-model", "text": "hi"})
    assert error and "default/no-such-model" in text, text
    assert answer(server, "compare_models_on_text", {"text": "He likes a pretty girl"})["steps"] == 5


def test_an_agent_imports_a_model_file_as_a_data_url(server, tmp_path):
    torch = require_module("torch", "pip install 'rnn-zoo[torch]'")
    torch.manual_seed(0)
    lstm = torch.nn.LSTM(1, 3, batch_first=True)
    head = torch.nn.Linear(3, 1)
    weights = tmp_path / "agent_lstm.pt"
    torch.save({**{f"lstm.{k}": v for k, v in lstm.state_dict().items()},
                **{f"out.{k}": v for k, v in head.state_dict().items()}}, weights)
    url = "data:application/octet-stream;base64," + base64.b64encode(weights.read_bytes()).decode()
    imported = answer(server, "import_model_file", {"model_file": url, "file_name": "agent_lstm.pt", "task": "regression"})
    assert imported["within_tolerance"] and imported["family"] == "lstm", imported
    series = [0.5, -1.0, 2.0, 0.25, 1.5]
    found = answer(server, "compare_models_on_series", {"series": ", ".join(map(str, series)), "models": [imported["model"]]})
    with torch.no_grad():
        h, _ = lstm(torch.tensor(series, dtype=torch.float32).reshape(1, -1, 1))
        own = float(head(h[:, -1])[0, 0])
    assert found["answers"][0]["output"][0] == pytest.approx(own, abs=1e-5), found


def test_the_readme_agent_example_runs(server):
    """The README's MCP example, against this server: each default model's class and its most active unit."""
    import re
    import subprocess
    import sys
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    [example] = re.findall(r"With the `mcp` client SDK:\n\n```python\n(.*?)```", readme, re.S)
    code = example.replace("http://127.0.0.1:7860/", server.url)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert sorted(line.split()[0] for line in lines) == ["keras-lstm", "numpy-rnn", "torch-lstm"], run.stdout
    assert all(line.split()[1] in ("same", "changed") and "'unit'" in line for line in lines), run.stdout


def test_no_mcp_serves_the_same_api_without_the_mcp_server(tmp_path):
    import urllib.error
    import urllib.request

    with serve_lab(tmp_path, args=("--no-mcp",)) as lab:
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{lab.url}gradio_api/mcp/schema", timeout=10)
        assert refused.value.code == 404
        found = json.loads(Client(lab.url, verbose=False).predict("text", api_name="/list_models"))
        assert found and all(model["kind"] == "text" for model in found)
