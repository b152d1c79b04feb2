"""Text to token ids: one tokenizer and one vocabulary for every backend.

Unicode-safe by construction: text is NFKC-normalised and case-folded, control characters are
dropped, words (any script, Korean included) become tokens, and every other visible character
(punctuation, emoji) becomes a token of its own. Id 0 is padding, id 1 the unknown token.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Iterable

from .errors import InputError
from .messages import message

PAD, UNK = "<pad>", "<unk>"
TOKEN_PATTERN = re.compile(r"\w+|[^\w\s]")


def tokenize(text: str) -> list[str]:
    if not isinstance(text, str):
        raise InputError(message("text_not_a_string", kind=type(text).__name__))
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(ch if not unicodedata.category(ch).startswith("C") or ch.isspace() else " " for ch in text)
    return TOKEN_PATTERN.findall(text)


class Vocabulary:
    padding_id, unknown_id = 0, 1  # the ids of PAD and UNK, the first two tokens of every vocabulary

    def __init__(self, tokens: Iterable[str]):
        self.tokens = [PAD, UNK, *(t for t in tokens if t not in (PAD, UNK))]
        self.index = {token: i for i, token in enumerate(self.tokens)}

    @classmethod
    def build(cls, texts: Iterable[list[str]], max_size: int | None = None, min_count: int = 1) -> "Vocabulary":
        """The most frequent tokens first (ties in first-seen order), at most ``max_size`` ids in all."""
        counts = Counter(token for tokens in texts for token in tokens)
        ranked = [t for t, n in sorted(counts.items(), key=lambda item: -item[1]) if n >= min_count]
        return cls(ranked[: None if max_size is None else max(max_size - 2, 0)])

    def __len__(self) -> int:
        return len(self.tokens)

    def encode(self, tokens: list[str]) -> list[int]:
        return [self.index.get(token, self.unknown_id) for token in tokens]
