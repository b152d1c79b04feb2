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
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def read_csv(source: str | os.PathLike | bytes, *, max_bytes: int | None = None) -> pd.DataFrame:
    """A CSV as a DataFrame. ``source`` is a file path (a ``pathlib.Path``), the file's bytes (an upload),
    or the CSV text itself: a ``str`` is always the text, so nothing pasted can name a file to read.
    At most ``max_bytes``, by default the upload limit (RNN_ZOO_MAX_UPLOAD_MB)."""
    text = _text_of(source, max_bytes or limits.max_bytes("upload_mb")).lstrip("\ufeff")
    if "\0" in text:
        raise InputError(message("csv_binary"))
    if not text.strip():
        raise InputError(message("csv_empty"))
    try:
        frame = pd.read_csv(io.StringIO(text))
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as err:
        reason = (str(err).strip().splitlines() or [type(err).__name__])[-1]
        raise InputError(message("csv_unreadable", reason=reason)) from None
    if frame.empty:
        raise InputError(message("csv_no_rows", columns=_names(frame.columns)))
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
            raise InputError(message("csv_no_number_column", columns=_names(frame.columns)))
        columns = [found]
    elif column not in frame.columns:
        raise InputError(message("csv_no_such_column", column=column, columns=_names(frame.columns)))
    else:
        columns = [column]
    values = np.stack([_numbers(frame[c], c) for c in columns], axis=1)
    if len(values) < 3:
        raise InputError(message("csv_series_too_short", column=columns[0], count=len(values)))
    where = f"CSV column {columns[0]!r}" if len(columns) == 1 else f"CSV columns {_names(columns)}"
    return SeriesDataset(name, values, columns, source=where)


def _numbers(raw: pd.Series, column) -> np.ndarray:
    """One column as float64, or an error naming the first row that is not a finite number."""
    numbers = pd.to_numeric(raw, errors="coerce").to_numpy(np.float64)
    bad = np.flatnonzero(~np.isfinite(numbers))
    if bad.size:
        row, value = bad[0] + 1, raw.iloc[bad[0]]
        if pd.isna(value):
            raise InputError(message("csv_value_empty", row=row, column=column))
        raise InputError(message("csv_value_not_a_number", row=row, column=column, value=str(value)[:30]))
    return numbers


def text_from_csv(source, text_column: str, label_column: str, name: str = "csv") -> TextDataset:
    """Labelled texts from two columns of a CSV; the classes are the distinct labels, sorted."""
    frame = read_csv(source)
    for column in (text_column, label_column):
        if column not in frame.columns:
            raise InputError(message("csv_no_such_column", column=column, columns=_names(frame.columns)))
    if text_column == label_column:
        raise InputError(message("csv_same_columns"))
    texts = frame[text_column].fillna("").astype(str).str.strip()
    texts = texts[texts != ""]  # blank lines and empty cells are not examples
    if texts.empty:
        raise InputError(message("csv_texts_empty", column=text_column))
    if len(texts) < 4:
        raise InputError(message("csv_too_few_texts", count=len(texts)))
    labels = frame.loc[texts.index, label_column]
    unlabelled = texts.index[labels.isna()]
    if len(unlabelled):
        raise InputError(message("csv_no_label", row=unlabelled[0] + 1, column=label_column))
    labels = labels.astype(str).str.strip()
    classes = sorted(labels.unique())
    if len(classes) < 2:
        raise InputError(message("csv_one_label", label=classes[0]))
    if len(classes) > MAX_CLASSES:
        raise InputError(message("csv_too_many_labels", column=label_column, count=len(classes), most=MAX_CLASSES))
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
            raise InputError(message("csv_paste_too_big", most=_size(max_bytes)))
        return source
    if isinstance(source, os.PathLike):
        if not os.path.isfile(source):
            raise InputError(message("csv_no_file", path=os.fspath(source)))
        _check_size(os.path.getsize(source), max_bytes)
        with open(source, "rb") as file:
            return _decode(file.read())
    if isinstance(source, bytes):
        _check_size(len(source), max_bytes)
        return _decode(source)
    raise InputError(message("csv_wrong_source", kind=type(source).__name__))


def _check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise InputError(message("csv_too_big", size=_size(size), most=_size(max_bytes), env=limits.LIMITS["upload_mb"].env))


def _decode(data: bytes) -> str:
    if b"\0" in data and not data.startswith(UTF16_BOMS):  # UTF-16 text is full of NULs; other text has none
        raise InputError(message("csv_binary"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(message("csv_not_utf8", encoding=_guess_encoding(data))) from None


def _guess_encoding(data: bytes) -> str:
    """A hint for the message only, from the encodings spreadsheets commonly save in."""
    if data.startswith(UTF16_BOMS):
        return "UTF-16"
    try:
        if any("\uac00" <= ch <= "\ud7a3" for ch in data.decode("euc-kr")):  # Hangul syllables
            return message("encoding_euc_kr")
    except UnicodeDecodeError:
        pass
    try:
        data.decode("cp1252")
        return message("encoding_windows")
    except UnicodeDecodeError:
        return message("encoding_legacy")


def _names(columns) -> str:
    names = [repr(str(c)) for c in columns]
    listed = ", ".join(names[:20])
    return message("names_and_more", names=listed, more=len(names) - 20) if len(names) > 20 else listed


def _size(n: int) -> str:
    for unit, scale in (("MB", 2**20), ("KB", 2**10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}".replace(".0 ", " ")
    return message("size_bytes", count=n)
