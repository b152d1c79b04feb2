"""The Learn tab's maths and words, without a server: every equation the tab shows must hold with the
trace's own numbers, the rendered maths must show those numbers, and both languages must say everything."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from zoo import learn
from zoo.errors import InputError
from zoo.family import FAMILIES, LSTM, RNN
from zoo.reference import forward
from zoo.spec import ModelSpec
from zoo.weights import random_weights

from conftest import recomputed

ROOT = Path(__file__).resolve().parents[1]
SYMBOLS = "a X b c d a b c Y d a"  # a short temporal-order sequence, typed as symbols
SERIES = np.array([5, 11, 16, 23, 36, 58, 29, 20, 10, 8, 3, 0, 0, 2, 11, 27, 47, 63, 60, 39, 28, 26, 22, 11, 21, 40, 78, 122.0])


def assert_equations_hold(found, atol: float) -> None:
    for equation in found.equations:
        assert recomputed(equation, found.family) == pytest.approx(equation.value, abs=atol), (found.step, equation)


GATE_BLOCKS = {"lstm": ("i", "f", "g", "o"), "gru": ("z", "r", "n"), "rnn": ("s",)}


def assert_terms_are_the_models(found, weights, spec, x, trace, atol: float) -> None:
    """Each term from the weights and the trace directly, written out here: the column of the gate's
    block (gate order i, f, g, o / z, r, n as zoo.reference documents it), the layer's input (the token's
    embedding row, or the layer below's h_t) and the layer's own h_{t-1}."""
    layer, unit, step = found.layer, found.unit, found.step
    units = trace.layers[layer].units
    below = weights["embedding"][x[step]] if layer == 0 else trace.layers[layer - 1].h[step]
    h_prev = trace.layers[layer].h[step - 1] if step > 0 else np.zeros(units)
    for equation in found.equations:
        if not equation.activation:
            continue
        column = GATE_BLOCKS[found.family].index(equation.name) * units + unit
        want = {"Wx": np.dot(below, weights[f"recurrent.{layer}.W"][:, column]),
                "Uh": np.dot(h_prev, weights[f"recurrent.{layer}.U"][:, column]),
                "b": weights[f"recurrent.{layer}.b"][column]}
        if found.family == "gru":
            want["b_U"] = weights[f"recurrent.{layer}.b_U"][column]
            if equation.name == "n":
                want["r"] = trace.layers[layer].gates["r"][step, unit]
        assert equation.terms == pytest.approx(want, abs=atol), (found.family, equation.name, layer, unit, step)


@pytest.mark.parametrize("family", ["lstm", "gru", "rnn"])
def test_equations_hold_on_the_reference_model(family):
    """A two-layer model with every weight random: the terms rebuild each trace value to float64 precision,
    so a wrong gate block, weight column or layer input shows at once."""
    spec = ModelSpec(vocab_size=20, embedding_dim=5, recurrent=(6, 4), head=(3,))
    weights = random_weights(spec, seed=3, family=FAMILIES[family], scale=1.0)
    x = np.array([3, 7, 1, 19, 4, 4, 12])
    trace = forward(weights, spec, family, x)
    for layer, units in enumerate(spec.recurrent):
        for unit in range(units):
            for step in range(len(x)):
                found = learn.step_equations(weights, spec, family, x, trace, layer, unit, step)
                assert found.steps == len(x) and (found.layer, found.unit, found.step) == (layer, unit, step)
                assert_equations_hold(found, atol=1e-9)
                assert_terms_are_the_models(found, weights, spec, x, trace, atol=1e-6)
    expected = {"lstm": ["f", "i", "g", "o", "c", "h"], "gru": ["z", "r", "n", "h"], "rnn": ["s"]}[family]
    assert [e.name for e in found.equations] == expected


def test_values_are_the_trace_values():
    spec = ModelSpec(vocab_size=20, embedding_dim=5, recurrent=(6, 4), head=(3,))
    weights = random_weights(spec, seed=1, family=LSTM)
    x = np.array([2, 5, 9])
    trace = forward(weights, spec, "lstm", x)
    found = learn.step_equations(weights, spec, "lstm", x, trace, 1, 2, 2)
    layer = trace.layers[1]
    for name in ("i", "f", "g", "o"):
        assert found.equation(name).value == layer.gates[name][2, 2]
    assert found.equation("c").value == layer.c[2, 2] and found.equation("h").value == layer.h[2, 2]
    assert found.equation("c").terms["c_prev"] == layer.c[1, 2]


def test_out_of_range_choices_are_refused():
    spec = ModelSpec(vocab_size=20, embedding_dim=5, recurrent=(6,), head=())
    weights = random_weights(spec, seed=1, family=RNN)
    trace = forward(weights, spec, "rnn", np.array([2, 5]))
    for layer, unit, step in ((1, 0, 0), (0, 6, 0), (0, 0, 2)):
        with pytest.raises(InputError):
            learn.step_equations(weights, spec, "rnn", np.array([2, 5]), trace, layer, unit, step)


@pytest.mark.parametrize("card", learn.learn_cards(), ids=lambda card: card.id)
def test_equations_hold_for_every_shipped_model(card):
    """The backends' own traces (float32) against their canonical weights: this is what the tab shows."""
    lesson = learn.lesson(card, learn.LONG_SENTENCE if card.kind == "text" else SYMBOLS if card.reads_symbols else SERIES)
    for layer, states in enumerate(lesson.trace.layers):
        for unit in (0, states.units // 2, states.units - 1):
            for step in range(lesson.trace.steps):
                assert_equations_hold(lesson.equations(layer, unit, step), atol=2e-5)


def test_the_lab_models_are_the_long_dependency_ones():
    cards = learn.lab_cards()
    assert sorted(card.family for card in cards) == ["lstm", "lstm", "rnn"]
    assert all(card.classes == ("changed", "same") and card.metrics["accuracy"] == 1.0 for card in cards)


def test_remembered_word_follows_the_swap():
    rnn = next(card for card in learn.lab_cards() if card.family == "rnn")
    lstm = next(card for card in learn.lab_cards() if card.family == "lstm")
    by_rnn = learn.remembered_word(rnn, learn.LONG_SENTENCE, "girl", "boy")
    by_lstm = learn.remembered_word(lstm, learn.LONG_SENTENCE, "girl", "boy")
    step = by_lstm["tokens"].index("girl")
    assert by_lstm["swapped"] == learn.LONG_SENTENCE.replace("girl", "boy", 1)
    for result in (by_rnn, by_lstm):
        assert result["step"] == step
        assert result["difference"][:step] == [0.0] * step  # nothing differs before the swapped word
        assert result["difference"][step] > 0
    assert by_rnn["kept"] is None
    kept = np.array(by_lstm["kept"][step:])
    assert ((kept > 0) & (kept <= 1)).all() and np.all(np.diff(kept) <= 1e-12)  # a product of gates in (0, 1)
    # the measured point of the guided path: the LSTM's answer follows the word, the RNN's does not
    assert abs(by_lstm["output"] - by_lstm["swapped_output"]) > 0.5
    assert abs(by_rnn["output"] - by_rnn["swapped_output"]) < 0.5


def test_head_activations_are_the_real_head_inputs():
    from zoo.reference import head as reference_head

    card = next(c for c in learn.learn_cards() if c.dataset == "rotten-tomatoes" and c.family == "lstm" and c.pretrained)
    lesson = learn.lesson(card, learn.SHORT_SENTENCE)
    found = learn.head_activations(lesson, lesson.trace.steps - 1)
    z = np.array(found["z"])
    assert found["activation"] == lesson.spec.activation == "tanh"
    np.testing.assert_allclose(found["tanh"], np.tanh(z))
    np.testing.assert_allclose(found["relu"], np.maximum(z, 0))
    # the head on these activations gives the model's own output at that step
    rebuilt = reference_head(lesson.weights, lesson.spec, lesson.trace.layers[-1].h[-1:].astype(np.float64))
    assert rebuilt[0, 0] == pytest.approx(float(lesson.trace.readout[-1, 0]), abs=1e-5)
    assert len(z) == lesson.spec.head[0]
    assert found["negative"] == int(np.sum(z < 0)) and found["largest"] == pytest.approx(float(np.abs(z).max()))
    # and z is the model's: the output layer applied to tanh(z) is the backend's own readout at that step
    logit = np.tanh(z) @ lesson.weights["output.W"].astype(np.float64) + lesson.weights["output.b"]
    assert 1 / (1 + np.exp(-logit[0])) == pytest.approx(float(lesson.trace.readout[-1, 0]), abs=1e-5)
    # and at another step too, where a z from the wrong step would give another output
    middle = lesson.trace.steps // 2
    z_mid = np.array(learn.head_activations(lesson, middle)["z"])
    logit = np.tanh(z_mid) @ lesson.weights["output.W"].astype(np.float64) + lesson.weights["output.b"]
    assert 1 / (1 + np.exp(-logit[0])) == pytest.approx(float(lesson.trace.readout[middle, 0]), abs=1e-5)
    assert not np.allclose(z_mid, z)


# ----- what the tab renders -----
def rendered_numbers(markdown: str) -> dict[str, list[float]]:
    """Per equation line ``$$f_t = ...$$`` every number in it, in order."""
    found = {}
    for name, body in re.findall(r"\$\$(\w)_t = (.*?)\$\$", markdown):
        found[name] = [float(v) for v in re.findall(r"-?\d+\.\d+", body)]
    return found


@pytest.mark.parametrize("family", ["lstm", "gru", "rnn"])
def test_rendered_maths_shows_the_numbers(family):
    from zoo_lab.learn_tab import equations_markdown, number

    spec = ModelSpec(vocab_size=20, embedding_dim=5, recurrent=(6,), head=())
    weights = random_weights(spec, seed=2, family=FAMILIES[family], scale=1.0)
    x = np.array([3, 7, 1])
    found = learn.step_equations(weights, spec, family, x, forward(weights, spec, family, x), 0, 1, 2)
    for lang in ("en", "ko"):
        shown = rendered_numbers(equations_markdown(found, lang))
        assert sorted(shown) == sorted("s" if family == "rnn" else e.name for e in found.equations)
        for equation in found.equations:
            numbers = shown["s" if family == "rnn" else equation.name]
            # the equation ends in the trace's value; every term, and the pre-activation, appear in it
            assert numbers[-1] == float(number(equation.value))
            for value in [*equation.terms.values(), *([equation.pre] if equation.pre is not None else [])]:
                assert float(number(value)) in numbers, (equation.name, value, numbers)


# ----- the two languages -----
def test_both_languages_say_everything():
    from zoo_lab.i18n import EN, KO

    assert set(EN) == set(KO)
    assert all(isinstance(v, str) and v.strip() for v in [*EN.values(), *KO.values()])
    for key in EN:  # request-time strings take the same values in both languages
        assert set(re.findall(r"\{(\w+)", EN[key])) == set(re.findall(r"\{(\w+)", KO[key])), key
    untranslated = [key for key, text in KO.items() if not re.search("[가-힣]", text)]
    assert all(KO[key] == EN[key] for key in untranslated), untranslated  # symbols only, such as "relu → tanh"


def test_every_key_the_ui_uses_exists():
    from zoo_lab.i18n import EN

    source = "".join(path.read_text() for path in (ROOT / "zoo_lab").glob("*.py"))
    used = set(re.findall(r"""(?:i18n|translate)\(\s*f?["']([\w{}\[\]. ]+)["']""", source))
    static = {key for key in used if "{" not in key}
    assert static and static <= set(EN), sorted(static - set(EN))


# What a person reads: a component's label, info or placeholder, a Markdown, Button, Tab or Accordion text,
# an error, warning or notice, a progress line, and the labels of a choice's (label, value) pairs.
READ_KEYWORDS = ("label", "info", "placeholder")
READ_FIRST_ARGUMENT = ("Markdown", "Button", "Tab", "Accordion", "HTML", "Error", "Warning", "Info")
CHOICES = ("Radio", "Dropdown", "CheckboxGroup")


def english_literals(source: str) -> list[str]:
    """The string literals with a Latin letter that the UI code ``source`` shows a person directly
    instead of through i18n(...) or translate(...). A literal dataframe header is no such text: the
    headers are the API's column names (the core's, for the tables the CLI prints too)."""
    import ast

    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        shown = [k.value for k in node.keywords if k.arg in READ_KEYWORDS]
        if name in READ_FIRST_ARGUMENT:
            shown += node.args[:1]
        if name == "progress":
            shown += node.args[:1] + [k.value for k in node.keywords if k.arg == "desc"]
        if name in CHOICES and node.args and isinstance(node.args[0], ast.List):
            shown += [pair.elts[0] for pair in node.args[0].elts if isinstance(pair, ast.Tuple)]
        for value in shown:
            text = value.value if isinstance(value, ast.Constant) else ast.unparse(value) if isinstance(value, ast.JoinedStr) else None
            if isinstance(text, str) and re.search("[A-Za-z]", text):
                found.append(f"line {value.lineno}: {ast.unparse(value)}")
    return found


def test_the_ui_shows_no_english_literal():
    for path in sorted((ROOT / "zoo_lab").glob("*.py")):
        assert english_literals(path.read_text()) == [], path.name


def test_the_literal_check_finds_what_it_looks_for():
    caught = english_literals('''
gr.Textbox(label="Sentence")
gr.Button("Run")
raise gr.Error(f"{backend} does not offer what-if runs")
progress(0.5, desc=f"{task} done")
gr.Radio([("forget gate clamped to 0", "clamp")], value="clamp")
''')
    assert len(caught) == 5, caught
    assert english_literals('''
gr.Textbox(label=i18n("text"), value="He likes a pretty girl")
gr.Button("◀")
raise gr.Error(translate("pick_model", lang))
gr.Radio([(i18n("view_unit"), "unit")], value="unit")
gr.Dataframe(headers=["backend", "status"])
''') == []


def test_static_strings_are_safe_for_the_browser():
    """Strings the browser translates are read as ICU messages: braces and apostrophes would break them."""
    from zoo_lab.i18n import EN, KO

    source = "".join(path.read_text() for path in (ROOT / "zoo_lab").glob("*.py"))
    static = set(re.findall(r"""i18n\(\s*["']([\w.]+)["']""", source))
    for table in (EN, KO):
        for key in static:
            assert not re.search(r"[{}']", table[key]), (key, table[key])


def test_language_follows_accept_language():
    from zoo_lab.i18n import language, translate

    class Request:
        def __init__(self, header):
            self.headers = {"accept-language": header}

    assert language(Request("ko-KR,ko;q=0.9,en-US;q=0.8")) == "ko"
    assert language(Request("fr-FR,en;q=0.5")) == "en"
    assert language(Request("")) == "en" and language(None) == "en"
    assert translate("learn_step_of", "ko", step=1, last=4, token="likes") == "단계 t = 1 (0–4): “likes”"
