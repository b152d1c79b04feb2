"""Input parsing: any Unicode text tokenises, series are read strictly, specs are validated."""
import numpy as np
import pytest

import zoo
from zoo.series import parse_series
from zoo.text import Vocabulary, tokenize


@pytest.mark.parametrize("text, tokens", [
    ("He likes a pretty girl.", ["he", "likes", "a", "pretty", "girl", "."]),
    ("그는 예쁜 소녀를 좋아한다", ["그는", "예쁜", "소녀를", "좋아한다"]),
    ("great 👍🏽 film", ["great", "👍", "🏽", "film"]),
    ("a\x00b\x07c\u200bd", ["a", "b", "c", "d"]),
    ("שלום world", ["שלום", "world"]),
    ("ＦＵＬＬ width", ["full", "width"]),
    ("", []),
    ("   \n\t ", []),
])
def test_tokenize_any_text(text, tokens):
    assert tokenize(text) == tokens


def test_tokenize_rejects_non_strings():
    with pytest.raises(zoo.InputError):
        tokenize(None)


def test_vocabulary_reserves_padding_and_unknown():
    vocab = Vocabulary.build([["b", "a", "b"], ["c", "b", "a"]], max_size=4)
    assert vocab.tokens == ["<pad>", "<unk>", "b", "a"]
    assert vocab.encode(["a", "c", "zzz"]) == [3, 1, 1]


@pytest.mark.parametrize("text, values", [
    ("1, 2, 3", [1, 2, 3]),
    ("1;2.5\n-3e2\t4", [1, 2.5, -300, 4]),
    (" 7 ", [7]),
])
def test_parse_series(text, values):
    np.testing.assert_array_equal(parse_series(text), np.array(values, dtype=np.float32))


@pytest.mark.parametrize("text, message", [
    ("", "empty"),
    ("1, two, 3", "value 2 of the series, 'two', is not a number"),
    ("1, nan", "finite"),
    ("inf", "finite"),
])
def test_parse_series_errors(text, message):
    with pytest.raises(zoo.InputError, match=message):
        parse_series(text)


@pytest.mark.parametrize("changes, message", [
    ({"input": "pixels"}, "input must be"),
    ({"task": "ranking"}, "task must be"),
    ({"activation": "sigmoid"}, "head activation"),
    ({"recurrent": ()}, "at least one layer"),
    ({"dropout": 1.0}, "dropout"),
    ({"vocab_size": 1}, "vocab_size"),
    ({"task": "multiclass", "n_classes": 1}, "n_classes"),
])
def test_spec_validation(changes, message):
    with pytest.raises(zoo.SpecError, match=message):
        zoo.ModelSpec(**changes)


def test_spec_round_trips_through_a_dict():
    spec = zoo.ModelSpec(input="features", n_features=3, recurrent=(8, 4), head=(), task="regression")
    assert zoo.ModelSpec.from_dict(spec.to_dict()) == spec
    with pytest.raises(zoo.SpecError, match="unknown spec fields"):
        zoo.ModelSpec.from_dict({**spec.to_dict(), "layers": 3})


def test_default_spec_is_the_seed_model():
    spec = zoo.ModelSpec()
    assert (spec.recurrent, spec.head, spec.dropout, spec.activation, spec.task) == ((64, 32), (16,), 0.5, "tanh", "binary")
    assert spec.output_activation == "sigmoid" and spec.output_dim == 1
