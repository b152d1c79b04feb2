"""The Compare tabs' CSV download against a served lab: through the API (gradio_client) and in Chromium.
After a compare, each followed model's trace comes as a CSV file of its own, whose numbers are the core's."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pytest

from conftest import require_module

gradio_client = require_module("gradio_client", "pip install 'rnn-zoo[lab]'")
from gradio_client import Client  # noqa: E402
from gradio_client.exceptions import AppError  # noqa: E402
from labserver import chromium, serve_lab, show_log_on_failure  # noqa: E402

pytestmark = pytest.mark.slow

SENTENCE = 'He likes a "pretty", witty girl 🙂 but he likes a boy.'
SUNSPOTS = [5, 11, 16, 23, 36, 58, 29, 20, 10, 8, 3, 0, 0, 2, 11, 27, 47, 63, 60, 39, 28, 26, 22, 11, 21, 40, 78,
            122, 103, 73, 47, 35, 11, 5, 16, 34]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serve_lab(tmp_path_factory.mktemp("lab")) as lab:
        yield lab


@pytest.fixture(autouse=True)
def _server_log_on_failure(request, server):
    yield from show_log_on_failure(request, server)


def shipped(dataset: str, backends=("torch-lstm", "numpy-rnn")):
    from zoo.pretrained import PRETRAINED_DIR
    from zoo.workbench import catalog

    return [card for card in catalog((PRETRAINED_DIR,)) if card.dataset == dataset and card.backend in backends]


def assert_csv_is_the_trace(text: str, trace) -> None:
    header, *rows = list(csv.reader(io.StringIO(text, newline="")))
    assert header[:2] == ["step", "input"] and [row[1] for row in rows] == trace.tokens
    assert header[2:] == [f"{name}[{unit}]" for name, value in trace.arrays().items() for unit in range(value.shape[1])]
    np.testing.assert_allclose(np.array([row[2:] for row in rows], dtype=np.float64),
                               np.concatenate(list(trace.arrays().values()), axis=1), atol=1e-6)


def read_download(path) -> str:
    raw = Path(path).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark, for spreadsheets"
    return raw.decode("utf-8-sig")


def test_compare_text_offers_each_models_trace_as_csv(server):
    from zoo.workbench import compare_text

    cards = shipped("long-dependency")
    client = Client(server.url, verbose=False)
    client.predict(SENTENCE, [card.id for card in cards], 0, -1, "shared", "unit", api_name="/compare_text")
    files = client.predict(api_name="/text_traces_csv")
    by_name = {Path(path).name: path for path in files}
    assert sorted(by_name) == sorted(f"trace-default-long-dependency-{b}-seed0.csv" for b in ("torch-lstm", "numpy-rnn"))
    for answer in compare_text(SENTENCE, cards):
        text = read_download(by_name[f"trace-{answer.card.id.replace('/', '-')}.csv"])
        assert_csv_is_the_trace(text, answer.trace)
        if answer.card.backend == "torch-lstm":
            assert {"layer0.c[0]", "layer0.f[0]"} <= set(text.splitlines()[0].split(","))


def test_compare_series_offers_each_models_trace_as_csv(server):
    from zoo.workbench import compare_series

    cards = shipped("sunspots")
    client = Client(server.url, verbose=False)
    client.predict("paste", ", ".join(map(str, SUNSPOTS)), None, None, "sunspots", [card.id for card in cards], 0, -1,
                   "shared", "unit", api_name="/compare_series")
    files = {Path(path).name: path for path in client.predict(api_name="/series_traces_csv")}
    answers = compare_series(np.asarray(SUNSPOTS, dtype=np.float64), cards)
    assert sorted(files) == sorted(f"trace-{a.card.id.replace('/', '-')}.csv" for a in answers)
    for answer in answers:
        text = read_download(files[f"trace-{answer.card.id.replace('/', '-')}.csv"])
        assert_csv_is_the_trace(text, answer.trace)
        assert [row.split(",")[1] for row in text.splitlines()[1:4]] == ["5", "11", "16"]  # the values as typed


def test_each_session_downloads_its_own_last_compare(server):
    [rnn] = shipped("long-dependency", ("numpy-rnn",))
    first, second = Client(server.url, verbose=False), Client(server.url, verbose=False)
    first.predict("He likes a girl", [rnn.id], 0, -1, "shared", "unit", api_name="/compare_text")
    second.predict("He likes a boy", [rnn.id], 0, -1, "shared", "unit", api_name="/compare_text")
    [mine] = first.predict(api_name="/text_traces_csv")
    assert [row[1] for row in csv.reader(io.StringIO(read_download(mine)))][1:] == ["he", "likes", "a", "girl"]


def test_before_a_compare_there_is_nothing_to_download_and_it_says_so_in_korean(server):
    korean = Client(server.url, verbose=False, headers={"Accept-Language": "ko-KR,ko;q=0.9"})
    with pytest.raises(AppError, match="먼저 비교하세요"):
        korean.predict(api_name="/series_traces_csv")


def test_browser_downloads_a_trace_after_a_compare(server, tmp_path):
    """A person compares the Compare text tab's own sentence, asks for the CSV files, and downloads the
    plain RNN's: its numbers are the core's trace of that sentence."""
    from zoo.workbench import compare_text

    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.goto(server.url, wait_until="domcontentloaded")
        page.get_by_role("tab", name="Compare text").click()
        sentence = page.get_by_label("Text", exact=True).input_value()
        page.click("#compare-text")
        page.wait_for_selector("#text-heatmaps .js-plotly-plot", timeout=120_000)
        page.get_by_role("button", name="Download the traces as CSV").click()
        links = page.locator("#text-traces-csv-files a[download]")
        links.first.wait_for(timeout=60_000)
        names = sorted(links.nth(k).get_attribute("download") for k in range(links.count()))
        assert names == sorted(f"trace-default-long-dependency-{b}-seed0.csv" for b in ("keras-lstm", "numpy-rnn", "torch-lstm"))
        with page.expect_download() as download:
            page.locator("#text-traces-csv-files a[download*='numpy-rnn']").click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        context.close()
    assert errors == []
    [answer] = compare_text(sentence, shipped("long-dependency", ("numpy-rnn",)))
    assert path.name == "trace-default-long-dependency-numpy-rnn-seed0.csv"
    assert_csv_is_the_trace(read_download(path), answer.trace)
