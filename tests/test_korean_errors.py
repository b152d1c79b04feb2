"""The lab answers in the request's language, errors included: a served lab, asked through gradio_client with and
without a Korean Accept-Language, and a ko-KR Chromium that triggers three different errors and reads them in
Korean (the catalog's text, zoo.messages) in the page's toasts."""
from __future__ import annotations

import html

import pytest

from conftest import require_module

pytestmark = pytest.mark.slow  # a served lab and a browser

require_module("gradio_client", "pip install 'rnn-zoo[lab]'")
from gradio_client import Client, handle_file  # noqa: E402
from gradio_client.exceptions import AppError  # noqa: E402
from labserver import chromium, open_page, serve_lab  # noqa: E402

from zoo.messages import message  # noqa: E402

TEXT_MODELS = ["default/long-dependency-numpy-rnn-seed0"]
SERIES_MODELS = ["default/sunspots-numpy-rnn-seed0"]
KOREAN = {"Accept-Language": "ko-KR,ko;q=0.9"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serve_lab(tmp_path_factory.mktemp("korean")) as lab:
        yield lab


def compare_text(client, text):
    return client.predict(text, TEXT_MODELS, 0, -1, "shared", "unit", api_name="/compare_text")


def compare_series(client, pasted):
    return client.predict("paste", pasted, None, None, "sunspots", SERIES_MODELS, 0, -1, "shared", "unit",
                          api_name="/compare_series")


@pytest.mark.parametrize("headers, lang", [(KOREAN, "ko"), ({"Accept-Language": "fr-FR"}, "en"), ({}, "en")])
def test_an_error_is_said_in_the_requests_language(server, headers, lang):
    client = Client(server.url, verbose=False, headers=headers)
    for call, expected in ((lambda: compare_text(client, "   "), message("type_a_sentence")),
                           (lambda: compare_series(client, "1, 2, nan, 4"), message("series_not_finite", position=3, part="nan"))):
        with pytest.raises(AppError) as raised:
            call()
        assert str(raised.value) == expected.said(lang), str(raised.value)
    # The unknown-word note comes back from the model's worker process and is said in the request's language too.
    status, table, *_ = compare_text(client, "그는 예쁜 소녀를 좋아한다")
    assert html.escape(message("only_unknown_words", tokens=4).said(lang), quote=False) in table, table


def test_a_refused_csv_upload_and_a_refused_model_file_are_said_in_korean(server, tmp_path):
    """Compare series refuses a CSV without numbers and one saved in EUC-KR; the Train tab's import refuses a
    .keras file that is no zip archive (read in a worker process: the message crosses it with its key)."""
    client = Client(server.url, verbose=False, headers=KOREAN)
    cities, korean_excel = tmp_path / "cities.csv", tmp_path / "population.csv"
    cities.write_text("date,city\n2020-01-01,Paris\n2020-01-02,Rome\n2020-01-03,Oslo\n")
    korean_excel.write_bytes("도시,인구\n서울,9411000\n부산,3349000\n".encode("euc-kr"))
    for path, expected in ((cities, message("csv_no_number_column", columns="'date', 'city'")),
                           (korean_excel, message("csv_not_utf8", encoding=message("encoding_euc_kr")))):
        with pytest.raises(AppError) as raised:
            client.predict("CSV file", "", handle_file(str(path)), None, "sunspots", SERIES_MODELS, 0, -1, "shared", "unit",
                           api_name="/compare_series")
        assert str(raised.value) == expected.said("ko"), str(raised.value)
    broken = tmp_path / "broken.keras"
    broken.write_bytes(b"not a zip archive")
    with pytest.raises(AppError) as raised:
        client.predict(handle_file(str(broken)), None, "", "", api_name="/import_model")
    expected = message("keras_not_zip", file="broken.keras", error="File is not a zip file")
    assert str(raised.value) == expected.said("ko"), str(raised.value)


def test_a_korean_browser_reads_three_errors_in_korean(server):
    from zoo.limits import LIMITS, limit

    most = int(limit("text_chars"))
    too_long = message("text_too_long", length=most + 1, most=most, env=LIMITS["text_chars"].env)
    with chromium() as browser:
        context, page = open_page(browser, server, locale="ko-KR")
        page.get_by_role("tab", name="텍스트 비교").click()
        text = page.locator("#compare-text").locator("xpath=ancestor::div[contains(@class,'row')][1]").locator("textarea")
        for typed, error in (("", message("type_a_sentence")), ("a" * (most + 1), too_long)):
            text.fill(typed)
            page.locator("#compare-text").click()
            page.get_by_text(error.said("ko")).first.wait_for(timeout=60_000)
            assert page.get_by_text(str(error)).count() == 0  # not the English
        page.get_by_role("tab", name="시계열 비교").click()
        page.locator("#series-task label", has_text="태양 흑점").click()  # the forecasting models read numbers
        page.wait_for_function("() => document.querySelector('#series-text textarea').value.startsWith('5, 11')")
        page.locator("#series-text textarea").fill("1, 2, nan, 4")
        page.locator("#compare-series").click()
        nan = message("series_not_finite", position=3, part="nan")
        page.get_by_text(nan.said("ko")).first.wait_for(timeout=60_000)
        assert page.get_by_text(str(nan)).count() == 0
        assert not page.errors, page.errors
        context.close()


def test_table_headers_are_in_the_requests_language(server):
    from zoo.tables import BACKEND_COLUMNS

    english = Client(server.url, verbose=False).predict(api_name="/backends")
    korean = Client(server.url, verbose=False, headers=KOREAN).predict(api_name="/backends")
    assert english["headers"] == list(BACKEND_COLUMNS)  # the CLI's and the API's column names
    assert korean["headers"][:3] == ["이름", "계열", "프레임워크"] and korean["data"] == english["data"]
