"""What the Compare tabs send for a repeated request is the figure a fresh one draws (zoo_lab.views.drawn),
and a compare's reply stays within the size it was measured at (bench/serve_load.py)."""
import pytest

pytest.importorskip("gradio")

from zoo.pretrained import PRETRAINED_DIR  # noqa: E402
from zoo.workbench import catalog  # noqa: E402
from zoo_lab import views  # noqa: E402
from zoo_lab.compare_text_tab import run_compare_text  # noqa: E402

SENTENCE = "A gorgeous, witty, seductive movie that never loses its nerve or its heart."


def review_ids():
    return [card.id for card in catalog((PRETRAINED_DIR,)) if card.dataset == "rotten-tomatoes"]


def test_a_remembered_figure_is_the_fresh_one_and_the_reply_stays_small():
    ids = review_ids()
    assert len(ids) == 3
    views._drawn.clear()
    fresh = run_compare_text(SENTENCE, ids, 0, -1)
    assert len(views._drawn) == 3
    again = run_compare_text(SENTENCE, ids, 0, -1)
    views._drawn.clear()
    redrawn = run_compare_text(SENTENCE, ids, 0, -1)
    for k in (2, 3, 4):  # readout, heatmaps, gates
        assert again[k] is fresh[k]  # from the memo
        assert redrawn[k].plot == fresh[k].plot  # drawn again: the same JSON
    # another view setting is another figure, not the remembered one retitled
    other = run_compare_text(SENTENCE, ids, 1, 3)
    assert other[4].plot != fresh[4].plot and other[3].plot == fresh[3].plot
    # 16 tokens, three models of 64 + 32 units: 54 kB for the three figures, measured (213 kB before float32 heatmaps,
    # the lean template and the token once per heatmap column instead of in every cell; 87 kB with it in every cell)
    size = sum(len(fresh[k].plot) for k in (2, 3, 4))
    assert size < 65_000, size


def test_an_answer_with_an_error_is_not_remembered():
    views._drawn.clear()
    from zoo.workbench import Answer

    card = catalog((PRETRAINED_DIR,))[0]
    assert views.answers_key("text", SENTENCE, [Answer(card, error="it failed")]) is None
