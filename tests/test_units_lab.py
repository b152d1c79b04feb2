"""The Units tab against a real server: its API endpoints give the core's numbers (zoo.units), bad input
is a clear error after which the server keeps serving, the tab works in Chromium in English and Korean,
and a Compare tab's followed unit opens there."""
from __future__ import annotations

import pytest

from conftest import require_module

gradio_client = require_module("gradio_client", "pip install 'rnn-zoo[lab]'")
from gradio_client import handle_file  # noqa: E402
from gradio_client.exceptions import AppError  # noqa: E402
from labserver import ROOT, chromium, open_page, serve_lab  # noqa: E402

pytestmark = pytest.mark.slow

MODEL = "default/long-dependency-torch-lstm-seed0"
KERAS = "default/long-dependency-keras-lstm-seed0"
SERIES = "default/sunspots-torch-lstm-seed0"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serve_lab(tmp_path_factory.mktemp("units-lab")) as lab:
        yield lab


def explore(client, model=MODEL, against=None, source="dataset", dataset="own", split="test", texts="", upload=None,
            column="", layer=0, unit=-1, top=5, window=5):
    return client.predict(model, against, source, dataset, split, texts, upload, column, layer, unit, top, window,
                          api_name="/units_explore")


@pytest.fixture(scope="module")
def core(tmp_path_factory):
    """What zoo.units says in this process about a shipped model on its own test split, from states it
    computes itself (in a cache of its own, not the server's)."""
    from zoo import units
    from zoo.workbench import catalog

    directory = tmp_path_factory.mktemp("core-states")

    def answer(model_id: str):
        path = next(card.path for card in catalog() if card.id == model_id)
        states = units.states(path, units.dataset_split(path), directory=directory)
        return states, units.explore(states, 0, None, 5)

    return answer


def test_explore_gives_the_cores_numbers(client, core):
    summary, ranking, contexts, tokens, saturation, note, numbers = explore(client, against=KERAS)
    _, want = core(MODEL)
    assert numbers["unit"] == want["unit"] and f"unit {want['unit']}" in summary
    assert [row[1] for row in ranking["data"]] == [r["unit"] for r in want["ranking"]["change"]]
    assert [row[3] for row in ranking["data"]] == [r["unit"] for r in want["ranking"]["output"]]
    assert numbers["contexts"]["h"]["highest"] == want["contexts"]["h"]["highest"]
    assert [row[0] for row in tokens["data"][:5]] == [t["token"] for t in want["tokens"]["highest"]]
    assert [row[0] for row in saturation["data"]] == ["i", "f", "o"]
    first = want["contexts"]["h"]["highest"][0]
    assert f"<mark>{' '.join(first['span'])}</mark>" in contexts
    assert "Against keras-lstm" in note


def test_select_and_match_through_the_api(client, core):
    _, _, _, _, _, _, numbers = explore(client)
    unit = numbers["unit"]
    context = numbers["contexts"]["h"]["highest"][0]
    html, found = client.predict(context["sequence"], context["step"], context["step"] + 1, 0.5, 0,
                                 api_name="/units_select")
    states, _ = core(MODEL)
    from zoo import units

    want = units.select(states, context["sequence"], context["step"], context["step"] + 1, 0.5, 0, margin=0)
    assert found["units"] == want and unit in want
    assert found["matches"] == units.match(states, want, 0.5, 0, 1, k=5, exclude=(context["sequence"], context["step"]))
    assert "<mark>" in html


def test_a_series_model_and_your_own_csv(client, tmp_path):
    csv = tmp_path / "series.csv"
    csv.write_text("spots\n" + "\n".join(f"{(k * 37) % 150}" for k in range(200)), encoding="utf-8")
    summary, ranking, *_, numbers = explore(client, model=SERIES, source="csv", upload=handle_file(str(csv)))
    assert numbers["sequences"] == 200 // 24 and len(ranking["data"]) == 5 and numbers["tokens"] is None
    *_, own = explore(client, model=SERIES)
    assert own["sequences"] > 0 and "sunspots" in own["states"]


@pytest.mark.parametrize("change, message", [
    ({"model": "default/no-such-model"}, "no model named default/no-such-model"),
    ({"source": "texts", "texts": "\n \n"}, "none of the texts has a word"),
    ({"unit": 99}, "no unit 99 in layer 0"),
    ({"layer": 4}, "layer 4 does not exist"),
    ({"top": 0}, "How many must be a whole number"),
    ({"model": SERIES, "source": "texts", "texts": "a b c"}, "reads numbers, not text"),
    ({"dataset": "sunspots"}, "sunspots is a series dataset, and this model reads text"),
    ({"model": "default/temporal-order-torch-lstm-seed0", "dataset": "sunspots"}, "preprocessing \\(sequences\\) cannot read sunspots"),
])
def test_bad_input_is_a_clear_error_and_the_server_keeps_serving(client, change, message):
    with pytest.raises(AppError, match=message):
        explore(client, **change)
    *_, numbers = explore(client, source="texts", texts="he likes a boy and the old house but he likes a girl .\n그는 소녀를 좋아한다")
    assert numbers["sequences"] == 2


def test_a_csv_with_nan_is_refused(client, tmp_path):
    csv = tmp_path / "bad.csv"
    csv.write_text("v\n1\n2\nnan\n" + "\n".join(["3"] * 40), encoding="utf-8")
    with pytest.raises(AppError, match="row 3 of column 'v'"):
        explore(client, model=SERIES, source="csv", upload=handle_file(str(csv)))


# ----- a real browser -----
@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched




@pytest.mark.parametrize("locale, tab, words, absent", [
    ("en-US", "Units", ["What each unit does across a whole dataset", "Select and match", "highest"], "가장 높은 곳"),
    ("ko-KR", "유닛", ["데이터셋 전체에서 각 유닛이 하는 일", "선택과 매칭", "가장 높은 곳"], "Select and match"),
])
def test_browser_units_tab_in_both_languages(browser, server, core, locale, tab, words, absent):
    context, page = open_page(browser, server, locale)
    try:
        page.get_by_role("tab", name=tab, exact=True).click()
        page.click("#units-explore")
        page.wait_for_selector("#units-contexts mark", timeout=120_000)
        _, want = core(MODEL)
        body = page.locator("body").inner_text()
        for word in words:
            assert word in body, (locale, word)
        assert absent not in body
        assert f"{want['unit']}" in page.locator("#units-summary").inner_text()
        marked = page.locator("#units-contexts mark").first.inner_text()
        assert marked == " ".join(want["contexts"]["h"]["highest"][0]["span"])
        top = want["contexts"]["h"]["highest"][0]  # select the unit's own top step: it is on there
        for control, value in (("sequence", top["sequence"]), ("start", top["step"]), ("stop", top["step"] + 1),
                               ("margin", 0)):
            page.locator(f"#units-{control} input").fill(str(value))
        page.click("#units-select")
        page.wait_for_selector("#units-matches b", timeout=60_000)
        assert str(want["unit"]) in page.locator("#units-matches b").inner_text().split(", ")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"units-{locale[:2]}.png"), full_page=True)
        assert page.errors == []
    finally:
        context.close()


def test_browser_compare_opens_its_unit_in_the_units_tab(browser, server):
    context, page = open_page(browser, server, "en-US")
    try:
        page.get_by_role("tab", name="Compare text").click()
        page.click("#compare-text")
        page.wait_for_selector("#text-gates .js-plotly-plot", timeout=120_000)
        page.locator("#text-unit input").click()
        page.get_by_role("option", name="3", exact=True).click()
        page.click("#text-open-units")
        # the Units tab's components exist in the page only once it is shown
        page.wait_for_function("() => document.querySelector('#units-summary')?.innerText.includes('unit 3')",
                               timeout=120_000)
        assert page.get_by_role("tab", name="Units", exact=True).get_attribute("aria-selected") == "true"
        assert page.locator("#units-unit input").input_value() == "3"
        assert page.errors == []
    finally:
        context.close()
