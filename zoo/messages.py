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

    # ----- plugins, backends and the lab's sweeps (plugins, workers, long_range, fanout) -----
    "module_not_installed": "{module} is not installed: {install}",
    "module_not_installed_plain": "{module} is not installed: install it",
    "plugin_not_allowed": "not in {env}",
    "plugin_blocked": "named in {env}",
    "plugin_failed_to_load": "failed to load: {error}",
    "hook_raised": "{hook} raised {error}",
    "name_taken": "name {name!r} is already registered by plugin {owner!r}",
    "registered_wrong_kind": "registered a {got}, expected {kind}",
    "invalid_registered_name": "invalid name {name!r}: use 1-64 lowercase letters, digits, '.', '_' or '-'",
    "unknown_family": "family {family!r} is not one of zoo.family's ({families}): add it there first",
    "no_backend_named": "no backend named {name!r}; registered: {names}",
    "no_dataset_named": "no dataset named {name!r}; registered: {names}",
    "no_format_named": "no model format named {name!r}; registered: {names}",
    "format_not_available": "the {name} format is {status}: {reason}",
    "no_format_reads": "{file}: no installed plugin reads {suffix} files (readable: {readable})",
    "no_format_reads_bare": "{file}: no installed plugin reads files without a suffix (readable: {readable})",
    "framework_file_unavailable": "{file} is a {framework} file: {reason}",
    "backend_not_available": "backend {name!r} is {status}: {reason}",
    "backend_failed_import": "failed to import {factory}: {error}",
    "backend_broken": "backend {name!r} is broken: {reason}",
    "worker_could_not_start": "{backend}'s worker process could not start ({error}); a script that uses the lab's models "
                              "must guard its top level with if __name__ == '__main__', as multiprocessing asks",
    "worker_stopped": "{backend}'s worker was stopped before it could {what}",
    "backend_failed": "{backend} failed: {error}",
    "cell_failed": "{backend} on {task} at lag {lag}, seed {seed}: {error}",
    "needs_ray": "running on Ray needs Ray: {install}",
    "job_raised": "{kind}: {error}",
    "job_worker_died": "its worker process died ({how})",
    "job_ray_worker_died": "its Ray worker process died",

    # ----- files: CSV uploads, checkpoints, imported models (userdata, checkpoint, interchange, plugins' files.py) -----

    # ----- units, the Learn step, what-if and limits (units, learn, intervention, limits) -----
    # the limits in force and their units (limits)
    "limit_text_chars": "text compared at once",
    "limit_series_steps": "series compared at once",
    "limit_upload_mb": "one uploaded file (CSV or checkpoint)",
    "limit_checkpoint_mb": "a checkpoint file read from disk",
    "limit_backend_seconds": "one model answering one input (loading its framework not counted)",
    "limit_backend_mb": "the memory of one backend's worker process (its framework, models and answers)",
    "limit_training_minutes": "one training started from the lab; it then stops and keeps its best epoch",
    "limit_training_jobs": "trainings running at once; more wait in line",
    "unit_characters": "characters",
    "unit_steps": "steps",
    "unit_seconds": "seconds",
    "unit_minutes": "minutes",
    "unit_trainings": "trainings",
    "no_checkpoint_or_lab_model": "no checkpoint file or lab model {name!r}: give a .safetensors file or an id such as "
                                  "default/long-dependency-torch-lstm-seed0",
    "no_preprocessing_record": "{file} has no record of its preprocessing: the explorer reads checkpoints written by "
                               "`zoo train` or `zoo import`",
    "split_one_of": "the split is one of {splits}, not {split!r}",
    "no_dataset_recorded": "{file} does not say which dataset it was trained on: give a dataset, or your own texts or series",
    "dataset_not_text": "{name} is a {kind} dataset, and this model reads text",
    "dataset_is_text": "{name} is a text dataset, and this model reads numbers",
    "preprocessing_cannot_read": "this model's preprocessing ({kind}) cannot read {name}, a {type}: explore it on its own "
                                 "dataset, or on your own texts or series",
    "reads_numbers_not_text": "this model reads numbers, not text: give it a series (a CSV of numbers)",
    "no_text_has_words": "none of the texts has a word or symbol in it: give at least one line of text",
    "reads_text_not_numbers": "this model reads text, not numbers: give it texts",
    "reads_symbols_use_dataset": "this model reads sequences of symbols: explore it on its dataset",
    "series_must_be_numbers": "a series must be numbers",
    "series_wrong_shape": "this model reads {features} number(s) per step; the series has shape {shape}",
    "series_shorter_than_window": "this model reads windows of {window} steps; the series has {steps}",
    "input_over_upload_limit": "the input is {size:.3g} MiB, over the upload limit ({env})",
    "no_layer": "no layer {layer}: the model has layer(s) 0 to {last}",
    "no_quantity": "no {quantity!r} in layer {layer}: it has {quantities}",
    "no_unit": "no unit {unit} in layer {layer}: it has units 0 to {last}",
    "token_means_need_tokens": "per-token means need words or symbols; this model reads numbers",
    "no_sequence": "no sequence {sequence}: the split has 0 to {last}",
    "span_outside_sequence": "the span must lie within the sequence's {steps} steps and hold at least one, not {start} to {stop}",
    "no_unit_follows": "no unit follows the selected pattern: widen the span or lower the threshold",
    "models_read_different_inputs": "the two models were run on different inputs (their vocabularies or preprocessing differ)",
    "layer_units_differ": "layer {layer} has {one} units in one model and {other} in the other",
    "learn_no_model": "no model named {name}; the Learn tab has {known}",
    "layer_does_not_exist": "layer {layer} does not exist: the model has layers 0 to {last}",
    "layer_has_units": "layer {layer} has units 0 to {last}, not {given}",
    "input_has_steps": "the input has steps 0 to {last}, not {step}",
    "learn_unknown_family": "the Learn tab knows the LSTM, GRU and plain RNN equations, not a {family}'s",
    "word_not_in_text": "{word!r} is not in {text!r}",
    "no_forget_gate": "{family} has no forget gate to clamp",
    "forget_gate_range": "a forget gate lies between 0 and 1",
    "unusable_limit": "{env}={raw!r} is not a usable limit: give a positive number of {unit}",
    "no_file_at": "no {what} at {path}",
    "what_file": "file",
    "what_checkpoint": "checkpoint",
    "file_over_limit": "{file} is {size:.3g} MiB, over the {most:g} MiB limit ({env} raises it)",
    "sequences_at_least_one": "the number of sequences must be at least 1, not {sequences}",
    "lstmvis_needs_text": "LSTMVis shows states against words, and this model reads numbers: "
                          "`zoo trace --checkpoint … --series … --csv FILE` writes its trace for one series",
    "no_registered_dataset_named": "no registered dataset is named {name!r}",
    "own_dataset_not_registered": "the checkpoint's own dataset, {name!r}, is not registered",
    "choose_text_dataset": "{unknown}: choose a text dataset with --dataset ({datasets})",

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

    # ----- plugins, backends and the lab's sweeps (plugins, workers, long_range, fanout) -----
    "module_not_installed": "{module}이(가) 설치되어 있지 않습니다: {install}",
    "module_not_installed_plain": "{module}이(가) 설치되어 있지 않습니다. 설치하세요",
    "plugin_not_allowed": "{env}에 없습니다",
    "plugin_blocked": "{env}에 올라 있습니다",
    "plugin_failed_to_load": "불러오지 못했습니다: {error}",
    "hook_raised": "{hook}에서 오류가 났습니다: {error}",
    "name_taken": "이름 {name!r}은(는) 플러그인 {owner!r}이(가) 이미 등록했습니다",
    "registered_wrong_kind": "{kind}이(가) 아니라 {got}을(를) 등록했습니다",
    "invalid_registered_name": "잘못된 이름 {name!r}: 영문 소문자, 숫자, '.', '_', '-'로 1~64자를 쓰세요",
    "unknown_family": "계열 {family!r}은(는) zoo.family의 계열({families})이 아닙니다. 먼저 거기에 추가하세요",
    "no_backend_named": "{name!r}(이)라는 백엔드가 없습니다. 등록된 것: {names}",
    "no_dataset_named": "{name!r}(이)라는 데이터셋이 없습니다. 등록된 것: {names}",
    "no_format_named": "{name!r}(이)라는 모델 파일 형식이 없습니다. 등록된 것: {names}",
    "format_not_available": "{name} 형식을 쓸 수 없습니다({status}): {reason}",
    "no_format_reads": "{file}: 설치된 플러그인 중 {suffix} 파일을 읽는 것이 없습니다(읽을 수 있는 것: {readable})",
    "no_format_reads_bare": "{file}: 설치된 플러그인 중 확장자 없는 파일을 읽는 것이 없습니다(읽을 수 있는 것: {readable})",
    "framework_file_unavailable": "{file}은(는) {framework} 파일입니다: {reason}",
    "backend_not_available": "백엔드 {name!r}을(를) 쓸 수 없습니다({status}): {reason}",
    "backend_failed_import": "{factory}을(를) 가져오지 못했습니다: {error}",
    "backend_broken": "백엔드 {name!r}이(가) 고장 났습니다: {reason}",
    "worker_could_not_start": "{backend}의 작업자 프로세스를 시작하지 못했습니다({error}). 랩의 모델을 쓰는 스크립트는 "
                              "multiprocessing이 요구하는 대로 최상위 코드를 if __name__ == '__main__'으로 감싸야 합니다",
    "worker_stopped": "{backend}의 작업자 프로세스가 '{what}' 작업을 하기 전에 중지되었습니다",
    "backend_failed": "{backend}이(가) 실패했습니다: {error}",
    "cell_failed": "{backend}, {task}, 지연 {lag}, 시드 {seed}: {error}",
    "needs_ray": "Ray에서 실행하려면 Ray가 필요합니다: {install}",
    "job_raised": "{kind} 오류: {error}",
    "job_worker_died": "작업자 프로세스가 죽었습니다({how})",
    "job_ray_worker_died": "Ray 작업자 프로세스가 죽었습니다",

    # ----- files: CSV uploads, checkpoints, imported models (userdata, checkpoint, interchange, plugins' files.py) -----

    # ----- units, the Learn step, what-if and limits (units, learn, intervention, limits) -----
    # the limits in force and their units (limits)
    "limit_text_chars": "한 번에 비교하는 텍스트",
    "limit_series_steps": "한 번에 비교하는 시계열",
    "limit_upload_mb": "업로드한 파일 하나(CSV 또는 체크포인트)",
    "limit_checkpoint_mb": "디스크에서 읽는 체크포인트 파일",
    "limit_backend_seconds": "모델 하나가 입력 하나에 답하는 시간(프레임워크를 불러오는 시간은 빼고)",
    "limit_backend_mb": "백엔드 작업자 프로세스 하나의 메모리(프레임워크, 모델, 답 포함)",
    "limit_training_minutes": "랩에서 시작한 학습 하나. 그 뒤에는 멈추고 가장 좋은 에포크를 남깁니다",
    "limit_training_jobs": "동시에 도는 학습 수. 더 들어오면 줄을 섭니다",
    "unit_characters": "자",
    "unit_steps": "스텝",
    "unit_seconds": "초",
    "unit_minutes": "분",
    "unit_trainings": "개",
    "no_checkpoint_or_lab_model": "체크포인트 파일이나 랩 모델 {name!r}이(가) 없습니다. .safetensors 파일이나 "
                                  "default/long-dependency-torch-lstm-seed0 같은 id를 주세요",
    "no_preprocessing_record": "{file}에는 전처리 기록이 없습니다. 탐색기는 `zoo train`이나 `zoo import`로 쓴 "
                               "체크포인트를 읽습니다",
    "split_one_of": "분할은 {splits} 중 하나여야 합니다. 받은 값: {split!r}",
    "no_dataset_recorded": "{file}에는 어떤 데이터셋으로 학습했는지 적혀 있지 않습니다. 데이터셋을 고르거나, 직접 "
                           "텍스트나 시계열을 주세요",
    "dataset_not_text": "{name}은(는) {kind} 데이터셋인데, 이 모델은 텍스트를 읽습니다",
    "dataset_is_text": "{name}은(는) 텍스트 데이터셋인데, 이 모델은 숫자를 읽습니다",
    "preprocessing_cannot_read": "이 모델의 전처리({kind})로는 {type}인 {name}을(를) 읽을 수 없습니다. 모델이 학습한 "
                                 "데이터셋이나 직접 넣은 텍스트나 시계열로 살펴보세요",
    "reads_numbers_not_text": "이 모델은 텍스트가 아니라 숫자를 읽습니다. 시계열(숫자가 담긴 CSV)을 주세요",
    "no_text_has_words": "어느 텍스트에도 단어나 기호가 없습니다. 적어도 한 줄은 텍스트를 주세요",
    "reads_text_not_numbers": "이 모델은 숫자가 아니라 텍스트를 읽습니다. 텍스트를 주세요",
    "reads_symbols_use_dataset": "이 모델은 기호의 나열을 읽습니다. 모델의 데이터셋으로 살펴보세요",
    "series_must_be_numbers": "시계열은 숫자여야 합니다",
    "series_wrong_shape": "이 모델은 스텝마다 숫자 {features}개를 읽는데, 시계열의 모양은 {shape}입니다",
    "series_shorter_than_window": "이 모델은 {window} 스텝짜리 윈도를 읽는데, 시계열은 {steps} 스텝입니다",
    "input_over_upload_limit": "입력이 {size:.3g} MiB로, 업로드 한도를 넘습니다({env})",
    "no_layer": "{layer}층은 없습니다. 모델의 층은 0부터 {last}까지입니다",
    "no_quantity": "{layer}층에는 {quantity!r}이(가) 없습니다. 있는 것: {quantities}",
    "no_unit": "{layer}층에는 유닛 {unit}이(가) 없습니다. 유닛은 0부터 {last}까지입니다",
    "token_means_need_tokens": "토큰별 평균에는 단어나 기호가 필요합니다. 이 모델은 숫자를 읽습니다",
    "no_sequence": "시퀀스 {sequence}은(는) 없습니다. 이 분할의 시퀀스는 0부터 {last}까지입니다",
    "span_outside_sequence": "구간은 시퀀스의 {steps} 스텝 안에 있어야 하고 적어도 한 스텝을 담아야 합니다. 받은 구간: "
                             "{start}부터 {stop}까지",
    "no_unit_follows": "선택한 모양을 따르는 유닛이 없습니다. 구간을 넓히거나 문턱값을 낮추세요",
    "models_read_different_inputs": "두 모델이 서로 다른 입력으로 실행되었습니다(어휘나 전처리가 다릅니다)",
    "layer_units_differ": "{layer}층의 유닛 수가 한 모델은 {one}개, 다른 모델은 {other}개입니다",
    "learn_no_model": "{name}(이)라는 모델은 없습니다. 배우기 탭에 있는 모델: {known}",
    "layer_does_not_exist": "{layer}층은 없습니다. 모델의 층은 0부터 {last}까지입니다",
    "layer_has_units": "{layer}층의 유닛은 0부터 {last}까지입니다. 받은 값: {given}",
    "input_has_steps": "입력의 스텝은 0부터 {last}까지입니다. 받은 값: {step}",
    "learn_unknown_family": "배우기 탭은 LSTM, GRU, 기본 RNN의 식을 압니다. {family}의 식은 모릅니다",
    "word_not_in_text": "{text!r}에 {word!r}이(가) 없습니다",
    "no_forget_gate": "이 모델({family})에는 고정할 망각 게이트가 없습니다",
    "forget_gate_range": "망각 게이트 값은 0과 1 사이여야 합니다",
    "unusable_limit": "{env}={raw!r}은(는) 쓸 수 있는 한도가 아닙니다. 양수({unit})를 주세요",
    "no_file_at": "{path}에 {what}이(가) 없습니다",
    "what_file": "파일",
    "what_checkpoint": "체크포인트",
    "file_over_limit": "{file}은(는) {size:.3g} MiB로, 한도 {most:g} MiB를 넘습니다({env}로 늘릴 수 있습니다)",
    "sequences_at_least_one": "시퀀스 수는 적어도 1이어야 합니다. 받은 값: {sequences}",
    "lstmvis_needs_text": "LSTMVis는 상태를 단어에 맞춰 보여 주는데, 이 모델은 숫자를 읽습니다. 시계열 하나의 추적은 "
                          "`zoo trace --checkpoint … --series … --csv FILE`로 쓰세요",
    "no_registered_dataset_named": "{name!r}(이)라는 등록된 데이터셋은 없습니다",
    "own_dataset_not_registered": "체크포인트가 학습한 데이터셋 {name!r}이(가) 등록되어 있지 않습니다",
    "choose_text_dataset": "{unknown}. --dataset으로 텍스트 데이터셋을 고르세요({datasets})",

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
