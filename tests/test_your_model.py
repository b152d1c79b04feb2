"""Your own model in the lab: a text LSTM trained in plain PyTorch (not through the zoo), saved as a
state_dict with a vocabulary file, imported through the Train tab (the API and a real browser), answers in
Compare text as its own framework does, and its Learn-tab equations add up."""
from __future__ import annotations

import numpy as np
import pytest

from conftest import recomputed, require_module

pytestmark = pytest.mark.slow  # a served lab and a browser

require_module("gradio_client", "pip install 'rnn-zoo[lab]'")
torch = require_module("torch", "pip install 'rnn-zoo[torch]'")
from gradio_client import handle_file  # noqa: E402
from labserver import chromium, choose_file, serve_lab  # noqa: E402

WORDS = ["<pad>", "<unk>", "he", "likes", "a", "pretty", "girl", "but", "boy", "seems", "to", "like", "that"]
SENTENCE = "He likes a pretty girl but he likes a boy"


class TextLSTM(torch.nn.Module):
    """What a practitioner writes: Embedding → LSTM → Linear → tanh → Linear, reading the last step."""

    def __init__(self):
        super().__init__()
        self.embedding = torch.nn.Embedding(len(WORDS), 6)
        self.lstm = torch.nn.LSTM(6, 5, batch_first=True)
        self.hidden = torch.nn.Linear(5, 4)
        self.out = torch.nn.Linear(4, 1)

    def forward(self, ids):
        h, _ = self.lstm(self.embedding(ids))
        return torch.sigmoid(self.out(torch.tanh(self.hidden(h[:, -1]))))


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """A briefly trained model (so its weights are not the initial ones) and its vocabulary, one token a line."""
    torch.manual_seed(0)
    model = TextLSTM()
    optimiser = torch.optim.Adam(model.parameters(), lr=0.05)
    x = torch.randint(2, len(WORDS), (32, 7))
    y = (x[:, 0] > 6).float()[:, None]
    for _ in range(20):
        optimiser.zero_grad()
        torch.nn.functional.binary_cross_entropy(model(x), y).backward()
        optimiser.step()
    folder = tmp_path_factory.mktemp("mine")
    torch.save(model.state_dict(), folder / "my_lstm.pt")
    (folder / "words.txt").write_text("\n".join(WORDS) + "\n", encoding="utf-8")
    return model.eval(), folder / "my_lstm.pt", folder / "words.txt"


def own_output(model, text: str) -> float:
    ids = [WORDS.index(w) if w in WORDS else 1 for w in text.lower().split()]
    with torch.no_grad():
        return float(model(torch.tensor([ids]))[0, 0])


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serve_lab(tmp_path_factory.mktemp("lab")) as lab:
        yield lab


class Payload:
    """Unpickling this would open (create) ``path``: what a hostile .pt would do with worse code."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return open, (self.path, "w")


def test_a_hostile_file_is_refused_and_nothing_runs_or_is_written(server, client, tmp_path):
    from gradio_client.exceptions import AppError

    marker, hostile = tmp_path / "pwned", tmp_path / "weights.pt"
    torch.save({"embedding.weight": Payload(marker)}, hostile)
    with pytest.raises(AppError, match="nothing in it was run"):
        client.predict(handle_file(str(hostile)), None, "", "", api_name="/import_model")
    assert not marker.exists()
    assert not server.checkpoints.exists() or not list(server.checkpoints.glob("imported-*"))  # nothing was written


def test_an_imported_model_answers_as_its_own_framework_and_its_equations_add_up(server, client, files):
    from zoo import learn
    from zoo.workbench import catalog

    model, weights, vocabulary = files
    message, text_models, _, learn_models, units_models, _ = client.predict(handle_file(str(weights)), handle_file(str(vocabulary)), "tanh", "binary",
                                             api_name="/import_model")
    assert "Imported **torch-lstm · imported my_lstm.pt" in message and "PyTorch" in message, message
    [model_id] = [value for _, value in text_models["choices"] if "imported-my_lstm" in value]
    assert model_id in [value for _, value in learn_models["choices"]]  # the Learn tab opens it too
    assert model_id in [value for _, value in units_models["choices"]]  # and the Units tab explores it
    answer = {row["backend"]: row for row in client.predict(SENTENCE, [model_id], 0, -1, "shared", "unit", api_name="/compare_text")[5]}
    assert answer["torch-lstm"]["output"][0] == pytest.approx(own_output(model, SENTENCE), abs=1e-5)

    # The Learn tab's equations for the imported model, from the server's own checkpoint: they add up.
    [card] = [c for c in catalog((server.checkpoints,)) if c.id == model_id]
    lesson = learn.lesson(card, SENTENCE)
    for step in range(lesson.trace.steps):
        found = learn.step_equations(lesson.weights, lesson.spec, lesson.family, lesson.x, lesson.trace, 0, 2, step)
        for equation in found.equations:
            assert recomputed(equation, found.family) == pytest.approx(equation.value, abs=1e-5), equation


def test_the_upload_works_in_the_browser(server, files):
    _, weights, vocabulary = files
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(server.url, wait_until="domcontentloaded")
        page.get_by_role("tab", name="Train").click()
        page.get_by_text("Your own model: a Keras or PyTorch file").click()
        choose_file(page, "model-upload", weights)
        choose_file(page, "vocabulary-upload", vocabulary)
        page.locator("#import-model").click()
        page.wait_for_function("() => document.querySelector('#imported-model').innerText.includes('Imported')",
                               timeout=120_000)
        shown = page.locator("#imported-model").inner_text()
        assert "torch-lstm" in shown and "PyTorch" in shown, shown
        page.get_by_role("tab", name="Compare text").click()
        page.locator("#text-models input").click()
        page.get_by_role("option", name=__import__("re").compile(r"imported my_lstm\.pt")).first.click()
        page.keyboard.press("Escape")
        page.click("#compare-text")
        page.wait_for_function("""() => { const p = document.querySelector('#text-readout .js-plotly-plot');
            return p && p._fullData.length === 4; }""", timeout=90_000)  # the three defaults and the imported model
        assert np.isfinite(figure_lines(page)).all()


def figure_lines(page):
    return page.evaluate("() => document.querySelector('#text-readout .js-plotly-plot')._fullData.map(t => Array.from(t.y)).flat()")


def test_the_notes_keras_model_imports_and_reads_a_csv_of_its_100_features(client, tmp_path):
    """The notes' LstmModel, built and saved with plain Keras (a few training steps), imported through the
    lab, then given 24 steps of 100 numbers as a CSV of 100 columns: the lab's answer is Keras's."""
    keras = require_module("keras", "pip install 'rnn-zoo[tensorflow]'")
    rng = np.random.default_rng(0)
    model = keras.Sequential([keras.Input((24, 100)), keras.layers.LSTM(64, return_sequences=True), keras.layers.LSTM(32),
                              keras.layers.Dense(16, activation="relu"), keras.layers.Dropout(0.5),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.compile(loss="binary_crossentropy", optimizer="adam")
    model.fit(rng.normal(size=(32, 24, 100)), rng.integers(0, 2, 32), epochs=1, verbose=0)
    model.save(tmp_path / "lstm_model.keras")
    message, _, series_models, *_ = client.predict(handle_file(str(tmp_path / "lstm_model.keras")), None, "", "",
                                                  api_name="/import_model")
    assert "Imported **keras-lstm · imported lstm_model.keras" in message, message
    [model_id] = [value for _, value in series_models["choices"] if "imported-lstm_model" in value]

    steps = rng.normal(size=(24, 100)).astype(np.float32)
    csv = tmp_path / "steps.csv"
    csv.write_text(",".join(f"f{k}" for k in range(100)) + "\n" + "\n".join(",".join(f"{v:.9g}" for v in row) for row in steps))
    status, table, *_, summary = client.predict("CSV file", "", handle_file(str(csv)), "*", "sunspots", [model_id], 0, -1,
                                               "shared", "unit", api_name="/compare_series")[:6]
    [row] = summary
    want = float(model.predict(steps[None], verbose=0)[0, 0])
    assert row["error"] is None and row["output"][0] == pytest.approx(want, abs=1e-5), (row, want)
    assert "reads the whole series as one sequence" in table, table
