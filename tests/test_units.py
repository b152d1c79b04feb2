"""The unit explorer (zoo.units) finds a unit that was planted by hand.

A torch-lstm gets random weights, then one unit is rewired in canonical weights so that it is on (h ≈
0.76) at exactly one token (or at one kind of step of a series) and off everywhere else, and the output
reads that unit alone. The explorer must rank it first, list that token's contexts on top, and select
and match must find every planted span. Nothing here knows the answer except by how the weights were built.
"""
from __future__ import annotations

import numpy as np
import pytest

from conftest import parse_json, run_zoo
from zoo import InputError, ModelSpec, registry
from zoo import checkpoint, units
from zoo.family import LSTM
from zoo.weights import random_weights

PLANTED = 11  # the rewired unit: in the middle, so that "first" is not "unit 0"
HIDDEN = 16
WORDS = [f"w{k}" for k in range(30)]
KEY = "zebra"


def column(gate: str, unit: int = PLANTED) -> int:
    """The column of ``gate`` for ``unit`` in the canonical W, U and b (blocks in the family's gate order)."""
    return LSTM.gates.index(gate) * HIDDEN + unit


def plant(weights: dict, input_row: int, input_weight: float, candidate_bias: float) -> dict:
    """Rewire PLANTED: it forgets at once (f ≈ 0), lets everything in (i ≈ o ≈ 1), reads only input
    dimension ``input_row`` through its candidate g, ignores the past; no other unit reads it or that
    input, and the output reads it alone."""
    w = {name: value.copy() for name, value in weights.items()}
    mine = [column(g) for g in LSTM.gates]
    w["recurrent.0.W"][input_row, :] = 0.0
    w["recurrent.0.W"][:, mine] = 0.0
    w["recurrent.0.W"][input_row, column("g")] = input_weight
    w["recurrent.0.U"][:, mine] = 0.0
    w["recurrent.0.U"][PLANTED, :] = 0.0
    w["recurrent.0.b"][mine] = [6.0, -6.0, candidate_bias, 6.0]  # i, f, g, o
    w["output.W"][:] = 0.0
    w["output.W"][PLANTED] = 4.0
    return w


@pytest.fixture(scope="module")
def text_model(tmp_path_factory):
    """A text checkpoint whose unit PLANTED fires at "zebra", and generated texts that hold it."""
    vocabulary = ["<pad>", "<unk>", *WORDS, KEY]
    spec = ModelSpec(input="tokens", vocab_size=len(vocabulary), embedding_dim=8, recurrent=(HIDDEN,), head=(),
                     dropout=0.0)
    weights = random_weights(spec, seed=1, family=LSTM)
    weights["embedding"][:, 0] = 0.0
    weights["embedding"][vocabulary.index(KEY), 0] = 1.0  # only "zebra" has input dimension 0
    model = registry().create("torch-lstm", spec)
    model.set_weights(plant(weights, input_row=0, input_weight=6.0, candidate_bias=0.0))
    path = tmp_path_factory.mktemp("units") / "planted.safetensors"
    model.save(path, {"preprocessing": {"kind": "text", "vocabulary": vocabulary, "max_length": 100}})
    rng = np.random.default_rng(0)
    texts = []
    for _ in range(150):
        words = list(rng.choice(WORDS, size=rng.integers(6, 20)))
        # at odd positions: never first (select needs a step before it), never two side by side
        for position in rng.choice(np.arange(1, len(words), 2), size=rng.integers(0, 3), replace=False):
            words[position] = KEY
        texts.append(" ".join(words))
    return path, texts


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    units._recent.clear()
    return tmp_path / "cache" / "rnn-zoo" / "units"


def text_states(text_model):
    path, texts = text_model
    return units.states(path, units.text_split(path, texts))


def test_the_planted_unit_ranks_first(text_model, cache):
    ranked = units.ranking(text_states(text_model), layer=0)
    assert ranked["change"][0]["unit"] == PLANTED, ranked["change"][:3]
    assert ranked["output"][0]["unit"] == PLANTED, ranked["output"][:3]
    assert ranked["output"][0]["output_r"] > 0.9 > abs(ranked["output"][1]["output_r"])


def test_its_top_contexts_are_the_planted_token(text_model, cache):
    states = text_states(text_model)
    highest = units.top_contexts(states, 0, "h", PLANTED, k=10)
    assert [c["span"] for c in highest] == [[KEY]] * 10
    assert all(c["before"] and c["value"] > 0.5 for c in highest)
    lowest = units.top_contexts(states, 0, "h", PLANTED, k=10, lowest=True)
    assert all(c["span"] != [KEY] for c in lowest)
    means = units.token_means(states, 0, "h", PLANTED)
    assert means["highest"][0]["token"] == KEY
    assert means["highest"][0]["count"] == states.labels.count(KEY)
    assert means["highest"][0]["mean"] > 0.5 > means["highest"][1]["mean"]


def test_select_and_match_find_the_planted_spans(text_model, cache):
    states = text_states(text_model)
    step = states.labels.index(KEY)
    sequence = states.sequence_of(step)
    start = step - int(states.starts[sequence])
    selected = units.select(states, sequence, start, start + 1, threshold=0.5, layer=0)
    assert selected == [PLANTED]
    found = units.match(states, selected, 0.5, layer=0, length=1, k=10_000, exclude=(sequence, start))
    assert [m["span"] for m in found] == [[KEY]] * (states.labels.count(KEY) - 1)
    # a span wider than where the unit is on selects nothing, and match then says why
    assert units.select(states, sequence, start - 1, start + 1, threshold=0.5, layer=0) == []
    with pytest.raises(InputError, match="no unit follows"):
        units.match(states, [], 0.5, layer=0, length=2)


def test_saturation_per_unit_and_layer(text_model, cache):
    states = text_states(text_model)
    rows = {row["gate"]: row for row in units.saturation(states, 0)}
    assert sorted(rows) == ["f", "i", "o"]  # g is tanh: no gate to saturate
    assert rows["f"]["units_below"][PLANTED] == 1.0 and rows["i"]["units_above"][PLANTED] == 1.0
    f = states.values(0, "f")
    assert rows["f"]["below"] == pytest.approx(float(np.mean(f < 0.1)))
    assert rows["o"]["above"] == pytest.approx(float(np.mean(states.values(0, "o") > 0.9)))


def test_states_are_cached_per_checkpoint_and_input(text_model, cache):
    path, texts = text_model
    first = text_states(text_model)
    [stored] = list(cache.iterdir())
    units._recent.clear()

    def must_not_run(*args):
        raise AssertionError("the cached states were computed again")

    again = units.states(path, units.text_split(path, texts), run=must_not_run)
    for name, value in first.arrays.items():
        np.testing.assert_array_equal(again.arrays[name], value)
    np.testing.assert_array_equal(np.load(stored / "layer0.h.npy", allow_pickle=False), first.arrays["layer0.h"])
    units.states(path, units.text_split(path, texts[:20]))
    assert len(list(cache.iterdir())) == 2  # another input is another entry


def test_the_states_are_the_traces(text_model, cache):
    from zoo.backend import Backend

    path, texts = text_model
    states = text_states(text_model)
    model = Backend.load(path)
    split = units.text_split(path, texts)
    for row in (0, 7, len(texts) - 1):
        trace = model.trace(split.x[row, :split.lengths[row]])
        a, b = states.starts[row], states.starts[row + 1]
        for name, value in trace.arrays().items():
            np.testing.assert_allclose(states.arrays[name][a:b], value, atol=1e-6)


def test_bad_input_is_a_clear_error(text_model, cache, tmp_path, monkeypatch):
    path, texts = text_model
    with monkeypatch.context() as limit:
        limit.setenv("RNN_ZOO_MAX_UPLOAD_MB", "0.001")  # 1 KiB: the texts are larger
        with pytest.raises(InputError, match="over the upload limit"):
            units.text_split(path, texts)
    with pytest.raises(InputError, match="none of the texts"):
        units.text_split(path, ["", "   "])
    with pytest.raises(InputError, match="reads numbers, not text|reads text, not numbers"):
        units.series_split(path, [1.0, 2.0, 3.0])
    states = text_states(text_model)
    with pytest.raises(InputError, match="no unit 99"):
        units.top_contexts(states, 0, "h", 99)
    with pytest.raises(InputError, match="layer 3 does not exist"):
        units.ranking(states, 3)
    with pytest.raises(InputError, match="span must lie"):
        units.select(states, 0, 5, 500, 0.5, 0)
    korean = units.text_split(path, ["그는 예쁜 소녀를 좋아한다 zebra"])  # unknown words read as <unk>, shown as written
    assert korean.labels == ["그는", "예쁜", "소녀를", "좋아한다", KEY]
    with pytest.raises(InputError, match="no checkpoint"):
        units.states(tmp_path / "missing.safetensors", korean)


@pytest.fixture(scope="module")
def series_model(tmp_path_factory):
    """A series checkpoint whose unit PLANTED is on at the spikes (value ≈ 1) of a noisy flat series."""
    spec = ModelSpec(input="features", n_features=1, recurrent=(HIDDEN,), head=(), dropout=0.0, task="regression")
    model = registry().create("torch-lstm", spec)
    # g = tanh(10 x - 5): −1 on the flat part (x ≈ 0), +1 at a spike, so h is −0.76 or +0.76
    model.set_weights(plant(random_weights(spec, seed=2, family=LSTM), input_row=0, input_weight=10.0, candidate_bias=-5.0))
    path = tmp_path_factory.mktemp("units") / "planted-series.safetensors"
    state = {"kind": "series", "window": 20, "target": "forecast", "columns": ["value"], "mean": [0.0], "scale": [1.0]}
    model.save(path, {"preprocessing": state})
    rng = np.random.default_rng(3)
    values = rng.normal(0.0, 0.02, 2000)
    spikes = np.sort(rng.choice(np.arange(1, 2000, 5), size=60, replace=False))  # never two side by side
    values[spikes] += 1.0
    return path, values, spikes


def test_series_the_planted_unit_and_its_spikes(series_model, cache, monkeypatch):
    path, values, spikes = series_model
    states = units.states(path, units.series_split(path, values))
    assert units.ranking(states, 0)["output"][0]["unit"] == PLANTED
    top = units.top_contexts(states, 0, "h", PLANTED, k=20)
    assert all(float(c["span"][0]) > 0.5 for c in top)
    step = int(spikes[spikes % 20 != 0][0])  # a spike with a step before it in its window
    sequence = states.sequence_of(step)
    start = step - int(states.starts[sequence])
    selected = units.select(states, sequence, start, start + 1, threshold=0.0, layer=0)
    assert selected == [PLANTED]
    found = units.match(states, selected, 0.0, layer=0, length=1, k=10_000, exclude=(sequence, start))
    assert sorted(int(states.starts[m["sequence"]]) + m["step"] for m in found) == sorted(set(spikes) - {step})
    with pytest.raises(InputError, match="per-token means need words"):
        units.token_means(states, 0, "h", PLANTED)
    with pytest.raises(InputError, match="NaN"):
        units.series_split(path, [1.0, np.nan] * 20)
    with pytest.raises(InputError, match="1 number"):
        units.series_split(path, np.zeros((40, 3)))
    monkeypatch.setenv("RNN_ZOO_MAX_UPLOAD_MB", "0.001")  # 1 KiB: 2,000 numbers are 16 KB
    with pytest.raises(InputError, match="over the upload limit"):
        units.series_split(path, values)


def test_the_same_weights_in_two_frameworks_track_unit_by_unit(text_model, cache, tmp_path):
    """Keras and PyTorch given the same canonical weights: every unit that moves correlates ≈ 1 with
    itself across frameworks, and far less with any other unit."""
    from zoo.backend import Backend

    path, texts = text_model
    preprocessing = checkpoint.read_metadata(path)["preprocessing"]
    keras_path = Backend.load(path, name="keras-lstm").save(tmp_path / "planted-keras.safetensors",
                                                             {"preprocessing": preprocessing})
    torch_states = text_states(text_model)
    keras_states = units.states(keras_path, units.text_split(keras_path, texts))
    result = units.correlation(torch_states, keras_states, layer=0)
    assert min(result["units"]) > 0.999, result["units"]
    assert result["best_other"][PLANTED] < 0.9


def test_cli_units(text_model, tmp_path):
    path, texts = text_model
    lines = tmp_path / "texts.txt"
    lines.write_text("\n".join(texts), encoding="utf-8")
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "HOME": str(tmp_path)}
    out = run_zoo("units", str(path), "--texts", str(lines), "--top", "3", "--json", env=env)
    assert out.returncode == 0, out.stderr
    found = parse_json(out)
    assert found["unit"] == PLANTED and found["ranking"]["output"][0]["unit"] == PLANTED
    assert [c["span"] for c in found["contexts"]["h"]["highest"]] == [[KEY]] * 3
    assert found["tokens"]["highest"][0]["token"] == KEY
    split = units.text_split(path, texts)
    step = split.labels.index(KEY)
    sequence = int(np.searchsorted(np.cumsum(split.lengths), step, side="right"))
    start = step - int(np.cumsum(split.lengths)[sequence - 1] if sequence else 0)
    selected = parse_json(run_zoo("units", str(path), "--texts", str(lines), "--select", f"{sequence}:{start}:{start + 1}",
                                  "--top", "4", "--json", env=env))["select"]
    assert selected["units"] == [PLANTED] and selected["span"]["span"] == [KEY]
    assert [m["span"] for m in selected["matches"]] == [[KEY]] * 4
    table = run_zoo("units", str(path), "--texts", str(lines), "--unit", str(PLANTED), env=env)
    assert table.returncode == 0, table.stderr
    assert f"[{KEY}]" in table.stdout and f"unit {PLANTED}" in table.stdout
    missing = run_zoo("units", str(tmp_path / "nope.safetensors"), "--texts", str(lines), env=env)
    assert missing.returncode == 2 and "nope.safetensors" in missing.stderr
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    blank = run_zoo("units", str(path), "--texts", str(empty), env=env)
    assert blank.returncode == 2 and "none of the texts" in blank.stderr


def test_the_readme_says_what_the_explorer_measures_on_the_shipped_lstm(tmp_path):
    """The README's account of the shipped long-dependency LSTM's units is the example's output, figure by figure."""
    import os
    import re
    import subprocess
    import sys

    from labserver import ROOT

    out = subprocess.run([sys.executable, str(ROOT / "examples" / "units_long_dependency.py")], capture_output=True,
                         text=True, timeout=600, check=True,
                         env={**os.environ, "XDG_CACHE_HOME": str(tmp_path)}).stdout  # its states cached there
    readme = (ROOT / "README.md").read_text()
    section = " ".join(readme[readme.index("**What a unit of the shipped long-dependency LSTM does.**"):
                              readme.index("## The long-range")].split())  # one line: the README wraps anywhere
    minus = lambda number: number.replace("-", "−")  # noqa: E731  (the README prints a real minus sign)
    rows = {int(m[0]): m[1:] for m in re.findall(r"^\s+(\d+)\s+([\d.]+)\s+([+-][\d.]+)\s+([+-][\d.]+)\s+([+-][\d.]+)\s+([\d.]+)%",
                                                  out, re.M)}
    latch = next(iter(rows))  # the unit that changes most
    change, r, after_boy, after_girl, forget = rows[latch]
    assert f"**Unit {latch} is a latch for the first object.**" in section
    assert f"std over time {change}" in section and f"Pearson r = {minus(r)}" in section
    assert f"{float(after_boy):+.2f} on average after *boy* and {minus(f'{float(after_girl):+.2f}')} after *girl*" in section
    assert f"above 0.9 on {float(forget):.0f} % of the steps" in section
    held = re.search(r"\|r\| > 0.9 with X: (\d+) of (\d+)", out)
    assert f"{held[1]} of the {held[2]} units carry X" in section
    selected = re.search(r"units \[([\d, ]+)\]; they are all on in (\d+) other spans, \d+ of them \((\d+)%\).*\((\d+)% of", out)
    assert f"picks units {' and '.join(selected[1].rsplit(', ', 1))}" in section
    assert f"of the {selected[2]} other spans where all three are on only {selected[3]} % are in *boy* sentences ({selected[4]} %" in section
    alone = re.search(r"alone: on \(h >= 0.5\) for 5 steps or more in (\d+) spans, (\d+) of them", out)
    assert alone[1] == alone[2] and f"in {alone[1]} spans of the split, every one" in section
