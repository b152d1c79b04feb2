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
    assert korean["headers"][:3] == ["이름", "계열", "프레임워크"]
    status = BACKEND_COLUMNS.index("status")
    assert [row[:status] for row in korean["data"]] == [row[:status] for row in english["data"]]  # names, versions: as they are
    assert {row[status] for row in english["data"]} == {"available"} and {row[status] for row in korean["data"]} == {"사용 가능"}


@pytest.mark.parametrize("headers, lang", [(KOREAN, "ko"), ({}, "en")])
def test_a_compare_says_its_classes_plots_and_raw_numbers_in_the_requests_language(server, headers, lang):
    """The shipped task's class names, the plots' hover words and step columns, and the raw numbers' note follow the
    page's language; the numbers are the same in both."""
    from labserver import figure

    from zoo_lab.i18n import translate

    client = Client(server.url, verbose=False, headers=headers)
    status, table, readout, heatmaps, gates, numbers, *_ = compare_text(client, "he likes a girl zzz but he likes a boy")
    classes = {name: translate(f"class_{name}", lang) for name in ("changed", "same")}
    said = [name for name, word in classes.items() if f"**{word}**" in table]
    assert len(said) == 1 and f"P({classes['same']})" in table, table
    assert figure(readout)["layout"]["title"]["text"] == translate("readout_title", lang, positive=classes["same"])
    [heatmap] = [t for t in figure(heatmaps)["data"] if t["type"] == "heatmap"][:1]
    hover = {word: translate(f"plot_hover_{word}", lang) for word in ("token", "unit")}
    assert heatmap["hovertemplate"].startswith(f"{hover['token']} %{{x}}<br>{hover['unit']} %{{y}}<br>h = "), heatmap["hovertemplate"]
    assert heatmap["x"][2] == translate("plot_step_column", lang, token="a", step=2)
    [answer] = numbers
    assert answer["note"] == message("unknown_words", unknown=1, tokens=10, examples="zzz").said(lang)
    english = compare_text(Client(server.url, verbose=False), "he likes a girl zzz but he likes a boy")[5]
    assert answer["output"] == english[0]["output"]


def explore_units(client, **change):
    """The Units tab's Explore with every one of its inputs (a page event: the API documents none of them)."""
    inputs = {"model": TEXT_MODELS[0], "against": None, "source": "dataset", "dataset": "own", "split": "test",
              "texts": "", "upload": None, "column": "", "layer": 0, "unit": -1, "top": 3, "window": 2, **change}
    return client.predict(*inputs.values(), api_name="/units_explore")


def test_the_units_tab_says_its_errors_and_the_lab_tables_headers_in_korean(server):
    from zoo import checkpoint
    from zoo.workbench import catalog
    from zoo_lab.i18n import translate
    from zoo_lab.lab_tab import GRADIENT_COLUMNS, MEMORY_COLUMNS, SWEEP_COLUMNS
    from zoo_lab.units_tab import RANKING_COLUMNS, SATURATION_COLUMNS, TOKEN_COLUMNS

    korean, english = Client(server.url, verbose=False, headers=KOREAN), Client(server.url, verbose=False)
    path = next(card.path for card in catalog() if card.id == TEXT_MODELS[0])
    units = checkpoint.read_metadata(path)["spec"]["recurrent"][0]
    no_unit = message("no_unit", unit=units, layer=0, last=units - 1)
    for client, lang in ((korean, "ko"), (english, "en")):
        with pytest.raises(AppError) as raised:
            explore_units(client, unit=units)
        assert str(raised.value) == no_unit.said(lang), str(raised.value)
    # A span past the end of its sequence, in LSTMVis's select on the explored states.
    _, ranking, _, tokens, saturation, *_, numbers = explore_units(korean)
    sequence = numbers["contexts"]["h"]["highest"][0]["sequence"]
    with pytest.raises(AppError) as raised:
        korean.predict(sequence, 0, 100_000, 0.5, 1, api_name="/units_select")
    assert "구간은 시퀀스의" in str(raised.value) and "받은 구간: 0부터 100000까지" in str(raised.value), str(raised.value)

    def said(columns, lang="ko"):
        return [translate(f"column_{c}", lang) for c in columns]

    assert ranking["headers"] == said(RANKING_COLUMNS) and ranking["headers"][:3] == ["순위", "유닛(변화)", "시간에 따른 표준편차"]
    assert tokens["headers"] == said(TOKEN_COLUMNS) == ["토큰", "평균 h", "횟수"] and tokens["data"]
    assert saturation["headers"] == said(SATURATION_COLUMNS) and saturation["headers"][0] == "게이트"
    _, english_ranking, *_ = explore_units(english)
    assert english_ranking["headers"] == RANKING_COLUMNS and english_ranking["data"] == ranking["data"]
    # The Lab tab's three tables.
    _, sweep, _ = korean.predict(["numpy-rnn"], ["long-dependency"], "5", "0", api_name="/lab_results")
    assert sweep["headers"] == said(SWEEP_COLUMNS) and sweep["headers"][:2] == ["과제", "지연"] and sweep["data"]
    _, english_sweep, _ = english.predict(["numpy-rnn"], ["long-dependency"], "5", "0", api_name="/lab_results")
    assert english_sweep["headers"] == list(SWEEP_COLUMNS) and english_sweep["data"] == sweep["data"]
    _, gradients = korean.predict(["numpy-rnn"], "long-dependency", 20, api_name="/lab_gradients")
    assert gradients["headers"] == said(GRADIENT_COLUMNS) and gradients["headers"][:2] == ["백엔드", "가중치"]
    _, memory = korean.predict("torch-lstm", 50, "he likes a boy but he likes a girl", api_name="/lab_memory")
    assert memory["headers"] == said(MEMORY_COLUMNS) == ["층", "게이트", "0.1 미만", "0.9 초과"] and memory["data"]


def test_a_korean_page_shows_the_empty_units_tables_with_korean_headers(server):
    """Before anything is explored, the page load gives the Units tab's tables their headers in Korean."""
    with chromium() as browser:
        context, page = open_page(browser, server, locale="ko-KR")
        page.get_by_role("tab", name="유닛", exact=True).click()
        page.locator("#units-ranking").get_by_text("시간에 따른 표준편차").first.wait_for(timeout=60_000)
        page.locator("#units-saturation").get_by_text("층 전체 0.1 미만").first.wait_for(timeout=60_000)
        assert page.locator("#units-ranking").get_by_text("std over time").count() == 0
        assert not page.errors, page.errors
        context.close()


def test_a_korean_page_shows_the_backends_tab_and_the_datasets_in_korean(server):
    """The Backends tab on a page load: the statuses, the still empty parity table's headers and the limits in
    force, said in Korean (the CLI's rows, zoo.tables and zoo.limits, said at the page's edge); a dataset picker."""
    with chromium() as browser:
        context, page = open_page(browser, server, locale="ko-KR")
        page.get_by_role("tab", name="백엔드", exact=True).click()
        page.locator("#backends-table").get_by_text("사용 가능").locator("visible=true").first.wait_for(timeout=60_000)
        page.locator("#parity-table").get_by_text("최대 |차이|").locator("visible=true").first.wait_for(timeout=60_000)
        limits = page.locator("#limits-table")
        limits.get_by_text(message("limit_text_chars").said("ko")).locator("visible=true").first.wait_for(timeout=60_000)
        assert limits.get_by_text("5000 자").locator("visible=true").count() == 1
        for english in ("available", "text compared at once", "characters"):
            assert page.locator("#backends-table, #limits-table").get_by_text(english, exact=True).count() == 0, english
        # The Train tab's dataset picker names the bundled data set in Korean; its value stays the registered name.
        page.get_by_role("tab", name="학습", exact=True).click()
        page.get_by_label("데이터셋", exact=True).locator("visible=true").first.wait_for(timeout=60_000)
        assert page.get_by_label("데이터셋", exact=True).first.input_value() == "장기 의존성 (long-dependency)"
        assert not page.errors, page.errors
        context.close()
