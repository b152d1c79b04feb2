"""What the core says to a user, in English and Korean: one catalog of message keys and their texts.

``message(key, **values)`` is a :class:`Message`: a ``str`` whose value is the English text, so everything
that prints or matches it (the CLI, logs, a ZooError's ``str``) reads English, and which keeps its key and
values, so the lab can say it in the request's language with :func:`say`. A message pickles like any
str, so it crosses the backends' worker processes inside a ZooError. A plain string (a third-party
plugin's own message) stays as written.
"""
from __future__ import annotations

EN = {
    # ----- text, series and symbols typed into the lab (workbench, series, prepare) -----
    "type_a_sentence": "type a sentence first",
    "text_too_long": "the text is {length:,} characters long; the lab takes at most {most:,} ({env})",
    "text_broken_unicode": "the text is not valid Unicode (a broken character at position {position})",
    "no_text_model": "none of the chosen models reads text: pick a text model",
    "no_words": "the text has no words or symbols in it",
    "unknown_words": "{unknown} of {tokens} tokens are not in this model's vocabulary (read as <unk>): {examples}",
    "only_unknown_words": "none of the {tokens} token(s) is in this model's vocabulary: it sees only <unk>, "
                          "so its answer says nothing about the text",
    "series_nan_or_inf": "the series contains NaN or infinite values",
    "no_series_model": "none of the chosen models forecasts a series: pick a series model",
    "series_too_long": "the series has {steps:,} steps; the lab takes at most {most:,} ({env})",
    "series_not_text": "a series must be given as text, not {kind}",
    "series_empty": "the series is empty: give numbers separated by commas or spaces, e.g. 1, 2, 3",
    "series_not_a_number": "value {position} of the series, {part!r}, is not a number",
    "series_not_finite": "value {position} of the series is {part!r}: only finite numbers can be used",
    "series_too_short": "only {count} number(s) given; a series needs at least 3",
    "type_symbols": "type a sequence of symbols first",
    "no_symbol_model": "none of the chosen models reads a sequence of symbols: pick one of that task's models",
    "unknown_symbols": "this model reads the symbols {symbols}; not {unknown}",
    "needs_window": "this model needs more than {window} steps (its window)",
    # ----- the backends' worker processes (workers) -----
    "backend_killed": "{backend} was killed after {seconds:g} s without an answer ({env}){then}",
    "backend_killed_trying": "{backend} was killed after {seconds:g} s trying to {what}{then}",
    "backend_crashed": "{backend} {how} while it tried to {what}{then}",
    "crashed_with": "crashed with {signal}",
    "exited_with": "exited with status {status}",
    "backend_over_memory": "{backend} went over its memory limit of {most:g} MiB ({env}) and was stopped{then}",
    "fresh_worker_next": "; a fresh worker takes the next request",

    # ----- files: CSV uploads, checkpoints, imported models (userdata, checkpoint, interchange, plugins' files.py) -----

    # ----- units, the Learn step, what-if and limits (units, learn, intervention, limits) -----

    # ----- the rest of what the lab says (backends, training, datasets) -----
}

KO = {
    # ----- text, series and symbols typed into the lab (workbench, series, prepare) -----
    "type_a_sentence": "먼저 문장을 입력하세요",
    "text_too_long": "텍스트가 {length:,}자입니다. 랩은 최대 {most:,}자까지 받습니다({env})",
    "text_broken_unicode": "텍스트가 올바른 유니코드가 아닙니다({position}번째 위치에 깨진 문자)",
    "no_text_model": "고른 모델 중 텍스트를 읽는 모델이 없습니다. 텍스트 모델을 고르세요",
    "no_words": "텍스트에 단어나 기호가 없습니다",
    "unknown_words": "토큰 {tokens}개 중 {unknown}개가 이 모델의 어휘에 없습니다(<unk>로 읽음): {examples}",
    "only_unknown_words": "토큰 {tokens}개 중 이 모델의 어휘에 있는 것이 하나도 없습니다. 모델은 <unk>만 보므로 "
                          "그 답은 텍스트에 대해 아무것도 말해 주지 않습니다",
    "series_nan_or_inf": "시계열에 NaN이나 무한대 값이 있습니다",
    "no_series_model": "고른 모델 중 시계열을 예측하는 모델이 없습니다. 시계열 모델을 고르세요",
    "series_too_long": "시계열이 {steps:,} 스텝입니다. 랩은 최대 {most:,} 스텝까지 받습니다({env})",
    "series_not_text": "시계열은 텍스트로 주어야 합니다({kind}가 아니라)",
    "series_empty": "시계열이 비어 있습니다. 쉼표나 공백으로 구분한 숫자를 주세요(예: 1, 2, 3)",
    "series_not_a_number": "시계열의 {position}번째 값 {part!r}은(는) 숫자가 아닙니다",
    "series_not_finite": "시계열의 {position}번째 값이 {part!r}입니다. 유한한 숫자만 쓸 수 있습니다",
    "series_too_short": "숫자가 {count}개뿐입니다. 시계열에는 적어도 3개가 필요합니다",
    "type_symbols": "먼저 기호의 나열을 입력하세요",
    "no_symbol_model": "고른 모델 중 기호의 나열을 읽는 모델이 없습니다. 그 과제의 모델 중 하나를 고르세요",
    "unknown_symbols": "이 모델은 기호 {symbols}을(를) 읽습니다. {unknown}은(는) 읽지 않습니다",
    "needs_window": "이 모델에는 {window} 스텝(윈도)보다 긴 입력이 필요합니다",
    # ----- the backends' worker processes (workers) -----
    "backend_killed": "{backend}이(가) {seconds:g}초 동안 답하지 않아 종료되었습니다({env}){then}",
    "backend_killed_trying": "{backend}이(가) '{what}' 작업을 {seconds:g}초 안에 끝내지 못해 종료되었습니다{then}",
    "backend_crashed": "{backend}이(가) '{what}' 작업 중에 {how}{then}",
    "crashed_with": "{signal} 신호로 비정상 종료되었습니다",
    "exited_with": "종료 코드 {status}로 끝났습니다",
    "backend_over_memory": "{backend}이(가) 메모리 한도 {most:g} MiB({env})를 넘어 중지되었습니다{then}",
    "fresh_worker_next": ". 다음 요청은 새 작업자 프로세스가 받습니다",

    # ----- files: CSV uploads, checkpoints, imported models (userdata, checkpoint, interchange, plugins' files.py) -----

    # ----- units, the Learn step, what-if and limits (units, learn, intervention, limits) -----

    # ----- the rest of what the lab says (backends, training, datasets) -----
}

CATALOGS = {"en": EN, "ko": KO}


class Message(str):
    """A message's English text, with its key and values to say it in another language."""

    key: str
    values: dict

    def __new__(cls, key: str, values: dict):
        self = super().__new__(cls, EN[key].format(**values))
        self.key, self.values = key, values
        return self

    def __reduce__(self):
        return Message, (self.key, self.values)

    def said(self, lang: str) -> str:
        """The message in ``lang`` (English for a language the catalog lacks); values that are Messages
        themselves are said in it too."""
        values = {k: v.said(lang) if isinstance(v, Message) else v for k, v in self.values.items()}
        return CATALOGS.get(lang, EN)[self.key].format(**values)


def message(key: str, **values) -> Message:
    return Message(key, values)


def text_of(err: BaseException) -> str:
    """What an error says: the Message it carries (str() of an exception would drop its key), else its text."""
    return err.args[0] if len(err.args) == 1 and isinstance(err.args[0], Message) else str(err)


def say(text, lang: str) -> str:
    """A Message, or a ZooError carrying one, in ``lang``; anything else as its plain text."""
    if isinstance(text, BaseException):
        text = text_of(text)
    return text.said(lang) if isinstance(text, Message) else str(text)
