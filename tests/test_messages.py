"""What the core says, in English and Korean (zoo.messages), and the lab's own strings (zoo_lab.i18n): every
key in both languages with the same placeholders, every key the code uses in the catalog, and a message that
keeps its language across a worker process."""
from __future__ import annotations

import ast
import pickle
import string
from pathlib import Path

import pytest

from zoo import BackendInfo, hookimpl, messages
from zoo.errors import BackendError, InputError
from zoo.messages import Message, message, say

ROOT = Path(__file__).resolve().parents[1]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def lab_catalogs():
    from conftest import require_module

    require_module("gradio", "pip install 'rnn-zoo[lab]'")
    from zoo_lab import i18n

    return i18n.EN, i18n.KO


@pytest.mark.parametrize("which", ["core", "lab"])
def test_every_key_in_both_languages_with_the_same_placeholders(which):
    en, ko = (messages.EN, messages.KO) if which == "core" else lab_catalogs()
    assert sorted(en) == sorted(ko)
    for key in en:
        assert placeholders(en[key]) == placeholders(ko[key]), key
        assert ko[key].strip(), key
        if which == "core":  # the core's messages are sentences: each is said in Korean (Hangul), not left English
            assert any("\uac00" <= c <= "\ud7a3" for c in ko[key]), key


def used_keys() -> set[str]:
    """Every key a ``message("…")`` call in the core, the plugins and the lab names."""
    keys = set()
    for path in [*ROOT.glob("zoo/*.py"), *ROOT.glob("zoo_lab/*.py"), *ROOT.glob("plugins/*/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "message" and node.args
                    and isinstance(node.args[0], ast.Constant)):
                keys.add(node.args[0].value)
    return keys


def test_every_key_the_code_says_is_in_the_catalog_and_every_catalog_key_is_said():
    used = used_keys()
    assert len(used) > 20
    assert used == set(messages.EN), (used - set(messages.EN), set(messages.EN) - used)


def test_a_message_is_english_text_that_can_be_said_in_korean():
    err = InputError(message("series_not_finite", position=3, part="nan"))
    assert str(err) == "value 3 of the series is 'nan': only finite numbers can be used"
    assert say(err, "ko") == "시계열의 3번째 값이 'nan'입니다. 유한한 숫자만 쓸 수 있습니다"
    assert say(err, "fr") == str(err)  # a language the catalog lacks: English
    assert say(InputError("a plugin's own words"), "ko") == "a plugin's own words"
    # Nested: how a worker died, inside what became of the request.
    from zoo.workers import died_how

    crashed = BackendError(message("backend_crashed", backend="x-rnn", how=died_how(-6), what="answer",
                                   then=message("fresh_worker_next")))
    assert str(crashed) == "x-rnn crashed with SIGABRT while it tried to answer; a fresh worker takes the next request"
    assert "SIGABRT 신호로 비정상 종료" in say(crashed, "ko") and "crashed" not in say(crashed, "ko")


def test_the_units_and_learn_errors_are_keyed_and_said_in_korean(tmp_path):
    """The Units tab's and the Learn step's refusals carry their Message: the lab can say them in Korean."""
    import numpy as np

    from zoo import learn, units
    from zoo.family import family
    from zoo.intervention import Intervention

    states = units.States({"layer0.h": np.zeros((4, 3), np.float32), "readout": np.zeros((4, 1), np.float32)},
                          np.array([0, 4]), ["a", "b", "c", "d"], True, "rnn", "test")
    said = []
    for call in (lambda: states.unit(0, 7), lambda: units.select(states, 0, 2, 9, 0.5, 0),
                 lambda: units.dataset_split(tmp_path / "missing.safetensors"),
                 lambda: learn.find_card("default/no-such-model"),
                 lambda: Intervention(forget=0.5).check((3,), family("gru"))):
        with pytest.raises(InputError) as raised:
            call()
        said.append(raised.value.args[0])
    assert all(isinstance(m, Message) for m in said), said
    unit, span, missing, model, gate = said
    assert unit.key == "no_unit" and str(unit) == "no unit 7 in layer 0: it has units 0 to 2"
    assert gate.key == "no_forget_gate" and say(raised.value, "ko") == "이 모델(a GRU)에는 고정할 망각 게이트가 없습니다"
    assert span.said("ko") == ("구간은 시퀀스의 4 스텝 안에 있어야 하고 적어도 한 스텝을 담아야 합니다. "
                               "받은 구간: 2부터 9까지")
    assert unit.said("ko") == "0층에는 유닛 7이(가) 없습니다. 유닛은 0부터 2까지입니다"
    # "checkpoint", a Message inside the message, is said in Korean too
    assert str(missing).startswith("no checkpoint at ") and missing.said("ko").endswith("에 체크포인트이(가) 없습니다")
    assert model.key == "learn_no_model" and model.said("ko").startswith("default/no-such-model(이)라는 모델은 없습니다")


def test_a_message_survives_pickling_as_the_workers_send_it():
    err = pickle.loads(pickle.dumps(InputError(message("text_too_long", length=5000, most=2000, env="RNN_ZOO_MAX_TEXT_CHARS"))))
    assert isinstance(err.args[0], Message) and err.args[0].key == "text_too_long"
    assert "5,000자" in say(err, "ko")


def test_an_error_from_a_backend_worker_keeps_its_key():
    """The unknown-word note and a model's error come back from its worker process as Messages."""
    from zoo.pretrained import PRETRAINED_DIR
    from zoo.workbench import catalog, compare_series, compare_text

    cards = [c for c in catalog((PRETRAINED_DIR,)) if c.dataset == "long-dependency" and c.backend == "numpy-rnn"]
    [answer] = compare_text("그는 예쁜 소녀를 좋아한다", cards)
    assert isinstance(answer.note, Message) and "어휘에 있는 것이 하나도 없습니다" in say(answer.note, "ko")
    sunspots = [c for c in catalog((PRETRAINED_DIR,)) if c.dataset == "sunspots" and c.backend == "numpy-rnn"]
    [short] = compare_series([1.0, 2.0, 3.0], sunspots)
    assert isinstance(short.error, Message) and "스텝(윈도)보다 긴 입력" in say(short.error, "ko")


class RaisingPlugin:
    """A throwaway plugin: its backend needs a framework that is not installed, and its datasets hook raises."""

    @hookimpl
    def register_backends(self, register):
        register(BackendInfo(name="missing-framework-rnn", family="rnn", framework="Nowhere", factory="nowhere:RNN",
                             module="surely_not_installed_framework"))

    @hookimpl
    def register_datasets(self, register):
        raise ZeroDivisionError("division by zero")


def test_a_plugins_status_and_reason_are_said_in_the_pages_language():
    """The Backends tab's rows are the CLI's (English reasons, which keep their keys) said in the page's language:
    the status words and the reasons."""
    lab_catalogs()
    from zoo.plugins import registered_plugin
    from zoo.tables import BACKEND_COLUMNS, backend_rows, plugin_rows
    from zoo_lab.backends_tab import cells

    with registered_plugin(RaisingPlugin(), "raising-plugin") as reg:
        rows, plugins = backend_rows(reg), plugin_rows(reg)
        english = {row[0]: row for row in cells(rows, BACKEND_COLUMNS, "en")}
        korean = {row[0]: row for row in cells(rows, BACKEND_COLUMNS, "ko")}
    status, reason = BACKEND_COLUMNS.index("status"), BACKEND_COLUMNS.index("reason")
    missing = english["missing-framework-rnn"]
    assert missing[status] == "unavailable" and missing[reason] == "surely_not_installed_framework is not installed: install it"
    assert korean["missing-framework-rnn"][status] == "사용 불가"
    assert korean["missing-framework-rnn"][reason] == "surely_not_installed_framework이(가) 설치되어 있지 않습니다. 설치하세요"
    [raised] = [row for row in plugins if row["name"] == "raising-plugin"]
    assert raised["reason"] == "register_datasets raised ZeroDivisionError: division by zero"
    assert say(raised["reason"], "ko") == "register_datasets에서 오류가 났습니다: ZeroDivisionError: division by zero"
    assert korean["numpy-rnn"][status] == "사용 가능" and english["numpy-rnn"][status] == "available"


def test_the_files_errors_carry_their_key_and_are_said_in_korean(tmp_path):
    """A CSV upload, a checkpoint and a model file a plugin's reader refuses: each a Message, said in Korean
    with the values nested in it (an encoding's name, the module a reader names) in Korean too."""
    from conftest import require_module

    from zoo import checkpoint, userdata
    from zoo.errors import CheckpointError

    with pytest.raises(InputError) as cities:
        userdata.series_from_csv(b"date,city\n2020-01-01,Paris\n2020-01-02,Rome\n2020-01-03,Oslo\n")
    assert cities.value.args[0].key == "csv_no_number_column"
    assert str(cities.value) == "no column of numbers in this CSV; its columns are 'date', 'city'"
    assert say(cities.value, "ko") == "이 CSV에는 숫자로 된 열이 없습니다. 열은 'date', 'city'입니다"
    with pytest.raises(InputError) as korean_excel:
        userdata.read_csv("도시,인구\n서울,9411000\n부산,3349000\n".encode("euc-kr"))
    assert korean_excel.value.args[0].key == "csv_not_utf8"
    assert str(korean_excel.value).startswith("the file is not UTF-8 text (looks like EUC-KR, Korean?)")
    assert say(korean_excel.value, "ko") == ("파일이 UTF-8 텍스트가 아닙니다(EUC-KR, 한국어인 것 같습니다). "
                                             "스프레드시트나 텍스트 편집기에서 열어 'CSV UTF-8'로 저장하세요")

    garbage = tmp_path / "model.safetensors"
    garbage.write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00not json")
    with pytest.raises(CheckpointError) as unreadable:
        checkpoint.read_metadata(garbage)
    said = unreadable.value.args[0]
    assert said.key == "checkpoint_unreadable" and str(said).startswith("model.safetensors is not a readable safetensors")
    assert say(said, "ko") == f"model.safetensors은(는) 읽을 수 있는 safetensors 체크포인트가 아닙니다({said.values['error']})"

    torch = require_module("torch", "pip install torch")
    from zoo_torch import files as torch_files

    bidirectional = tmp_path / "bi.pt"
    torch.save({"weight_ih_l0_reverse": torch.zeros(8, 2)}, bidirectional)
    with pytest.raises(InputError) as refused:
        torch_files.read(bidirectional)
    assert refused.value.args[0].key == "torch_in_file"
    assert str(refused.value) == ("bi.pt: the top level is bidirectional (its *_reverse weights read the sequence "
                                  "backwards): the canonical model reads forwards only")
    assert say(refused.value, "ko") == ("bi.pt 파일: 최상위 모듈은 양방향입니다(*_reverse 가중치가 시퀀스를 거꾸로 읽습니다). "
                                        "표준 모델은 순방향으로만 읽습니다")


def test_the_train_tabs_results_have_headers_in_the_pages_language():
    lab_catalogs()  # the lab's dependencies, or a skip that says what to install
    from zoo_lab.train_tab import TRAINING_COLUMNS, training_table

    assert training_table([], "en") == {"headers": list(TRAINING_COLUMNS), "data": []}  # the API's column names
    assert training_table([], "ko")["headers"] == ["백엔드", "데이터셋", "상태", "에포크", "테스트 지표"]
