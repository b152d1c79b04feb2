"""A user's own data: a CSV (a file path, uploaded bytes or pasted text) or pasted numbers, as a dataset.

Every problem is an :class:`InputError` whose message says what is wrong and what to do: they are
shown as they are in the web UI.
"""
from __future__ import annotations

import io
import os

import numpy as np
import pandas as pd

from . import limits
from .datasets import SeriesDataset, TextDataset
from .errors import InputError
from .messages import message
from .series import parse_series

MAX_CLASSES = 20
SAVE_AS_UTF8 = "open it in a spreadsheet or text editor and save it as 'CSV UTF-8'"
BINARY = ("this is a binary file (an image, a spreadsheet, an archive?), not CSV text: "
          "export the data as CSV and try again")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def read_csv(source: str | os.PathLike | bytes, *, max_bytes: int | None = None) -> pd.DataFrame:
    """A CSV as a DataFrame. ``source`` is a file path (a ``pathlib.Path``), the file's bytes (an upload),
    or the CSV text itself: a ``str`` is always the text, so nothing pasted can name a file to read.
    At most ``max_bytes``, by default the upload limit (RNN_ZOO_MAX_UPLOAD_MB)."""
    text = _text_of(source, max_bytes or limits.max_bytes("upload_mb")).lstrip("\ufeff")
    if "\0" in text:
        raise InputError(BINARY)
    if not text.strip():
        raise InputError("the CSV is empty: give a header line and at least one row of values")
    try:
        frame = pd.read_csv(io.StringIO(text))
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as err:
        reason = (str(err).strip().splitlines() or [type(err).__name__])[-1]
        raise InputError(f"could not read this as CSV ({reason}): check that every row has as many "
                         "comma-separated values as the header and that every quote is closed") from None
    if frame.empty:
        raise InputError(f"the CSV has a header ({_names(frame.columns)}) but no rows of data")
    return frame


EVERY_COLUMN = "*"  # series_from_csv's column for "every column, one number each per step" (a model of many features)


def series_from_csv(source, column: str | None = None, name: str = "csv") -> SeriesDataset:
    """Numeric columns of a CSV as a series: ``column``, or else the first column holding numbers; with
    EVERY_COLUMN, every column, one feature each (what a model reading many numbers a step needs)."""
    frame = read_csv(source)
    if column == EVERY_COLUMN:
        columns = [str(c) for c in frame.columns]
    elif column is None:
        # Mostly numbers is enough to be chosen: a stray word in the column is then reported by its row.
        found = next((c for c in frame.columns if pd.to_numeric(frame[c], errors="coerce").notna().mean() > 0.5), None)
        if found is None:
            raise InputError(f"no column of numbers in this CSV; its columns are {_names(frame.columns)}")
        columns = [found]
    elif column not in frame.columns:
        raise InputError(f"no column named {column!r}; the CSV has {_names(frame.columns)}")
    else:
        columns = [column]
    values = np.stack([_numbers(frame[c], c) for c in columns], axis=1)
    if len(values) < 3:
        raise InputError(f"column {columns[0]!r} has {len(values)} value(s); a series needs at least 3")
    where = f"CSV column {columns[0]!r}" if len(columns) == 1 else f"CSV columns {_names(columns)}"
    return SeriesDataset(name, values, columns, source=where)


def _numbers(raw: pd.Series, column) -> np.ndarray:
    """One column as float64, or an error naming the first row that is not a finite number."""
    numbers = pd.to_numeric(raw, errors="coerce").to_numpy(np.float64)
    bad = np.flatnonzero(~np.isfinite(numbers))
    if bad.size:
        row, value = bad[0] + 1, raw.iloc[bad[0]]
        what = "is empty" if pd.isna(value) else f"is {str(value)[:30]!r}, not a finite number"
        raise InputError(f"row {row} of column {column!r} {what} (rows are counted after the header): "
                         "every value of a series must be a number")
    return numbers


def text_from_csv(source, text_column: str, label_column: str, name: str = "csv") -> TextDataset:
    """Labelled texts from two columns of a CSV; the classes are the distinct labels, sorted."""
    frame = read_csv(source)
    for column in (text_column, label_column):
        if column not in frame.columns:
            raise InputError(f"no column named {column!r}; the CSV has {_names(frame.columns)}")
    if text_column == label_column:
        raise InputError("the text column and the label column must be two different columns")
    texts = frame[text_column].fillna("").astype(str).str.strip()
    texts = texts[texts != ""]  # blank lines and empty cells are not examples
    if texts.empty:
        raise InputError(f"every text in column {text_column!r} is empty")
    if len(texts) < 4:
        raise InputError(f"only {len(texts)} row(s) have a text; at least 4 are needed to train and test")
    labels = frame.loc[texts.index, label_column]
    unlabelled = texts.index[labels.isna()]
    if len(unlabelled):
        raise InputError(f"row {unlabelled[0] + 1} has a text but no label in column {label_column!r}: "
                         "give every text a label or delete the row (rows are counted after the header)")
    labels = labels.astype(str).str.strip()
    classes = sorted(labels.unique())
    if len(classes) < 2:
        raise InputError(f"every row has the label {classes[0]!r}: a classifier needs at least 2 different labels")
    if len(classes) > MAX_CLASSES:
        raise InputError(f"column {label_column!r} has {len(classes)} different labels; at most {MAX_CLASSES} "
                         "are supported. Is it really the label column?")
    return TextDataset(
        name=name,
        texts=texts.tolist(),
        labels=labels.map(classes.index).to_numpy(np.int64),
        classes=classes,
        source=f"CSV columns {text_column!r} (text) and {label_column!r} (label)",
    )


def series_from_text(text: str, name: str = "pasted") -> SeriesDataset:
    """Pasted numbers (separated by commas, semicolons or white space) as a one-column series."""
    values = parse_series(text)
    if len(values) < 3:
        raise InputError(message("series_too_short", count=len(values)))
    return SeriesDataset(name, values.astype(np.float64)[:, None], ["value"], source="pasted numbers")


def _text_of(source, max_bytes: int) -> str:
    if isinstance(source, str):
        if len(source.encode("utf-8", "surrogatepass")) > max_bytes:
            raise InputError(f"the pasted text is over {_size(max_bytes)}: paste fewer rows or upload the file")
        return source
    if isinstance(source, os.PathLike):
        if not os.path.isfile(source):
            raise InputError(f"there is no file {os.fspath(source)!r}")
        _check_size(os.path.getsize(source), max_bytes)
        with open(source, "rb") as file:
            return _decode(file.read())
    if isinstance(source, bytes):
        _check_size(len(source), max_bytes)
        return _decode(source)
    raise InputError(f"a CSV must be given as a file path, bytes or text, not {type(source).__name__}")


def _check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise InputError(f"the file is {_size(size)}; the limit is {_size(max_bytes)} "
                         f"({limits.LIMITS['upload_mb'].env}): use fewer rows or columns")


def _decode(data: bytes) -> str:
    if b"\0" in data and not data.startswith(UTF16_BOMS):  # UTF-16 text is full of NULs; other text has none
        raise InputError(BINARY)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"the file is not UTF-8 text (looks like {_guess_encoding(data)}?): {SAVE_AS_UTF8}") from None


def _guess_encoding(data: bytes) -> str:
    """A hint for the message only, from the encodings spreadsheets commonly save in."""
    if data.startswith(UTF16_BOMS):
        return "UTF-16"
    try:
        if any("\uac00" <= ch <= "\ud7a3" for ch in data.decode("euc-kr")):  # Hangul syllables
            return "EUC-KR, Korean"
    except UnicodeDecodeError:
        pass
    try:
        data.decode("cp1252")
        return "Windows-1252 or Latin-1"
    except UnicodeDecodeError:
        return "a legacy 8-bit encoding"


def _names(columns) -> str:
    names = [repr(str(c)) for c in columns]
    return ", ".join(names[:20]) + (f" and {len(names) - 20} more" if len(names) > 20 else "")


def _size(n: int) -> str:
    for unit, scale in (("MB", 2**20), ("KB", 2**10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}".replace(".0 ", " ")
    return f"{n} bytes"
