"""The Compare text tab: one sentence through every chosen text model, side by side, opening on the
notes' own question (the long-dependency task). UI only: the answers come from zoo.workbench."""
from __future__ import annotations

import gradio as gr

from zoo import ZooError
from zoo.messages import say
from zoo.pretrained import default_run
from zoo.workbench import compare_text, default_ids

from . import plots
from .i18n import I18N as i18n, language, translate, word
from .views import class_views, memory_note, model_picker, start_compare, state_views, task_picker, trace_downloads, wire_views

# The notes' own sentences first, then two of the task's own (drawn from its generator, the longest
# gaps: where the plain RNN has forgotten), then the reviews' and a Korean sentence.
NOTES_SENTENCES = [
    "He likes a pretty girl",
    "He seems to like that he likes a girl but he likes a boy.",
]
REVIEW_EXAMPLES = [
    "A gorgeous, witty, seductive movie.",
    "The plot is a dull, tedious mess that never comes to life.",
    "Not bad at all: funny, sharp and surprisingly moving.",
]
KOREAN_SENTENCE = "그는 예쁜 소녀를 좋아한다"  # words no model knows: each answers with its unknown-word note


def generated_examples(dataset: str, count: int = 2) -> list[str]:
    """Sentences of a generated text task with the most words between what must be remembered and the
    question, one of each label where the task has two."""
    from zoo.datasets import load_dataset

    data = load_dataset(dataset, **{**default_run(dataset).dataset_params, "n": 200})
    longest = sorted(range(len(data.texts)), key=lambda i: -len(data.texts[i]))
    picked = [next(i for i in longest if data.labels[i] == label) for label in sorted(set(data.labels))]
    return [data.texts[i] for i in picked[:count]]


def text_examples(dataset: str) -> list[str]:
    if dataset == "rotten-tomatoes":
        return REVIEW_EXAMPLES + [KOREAN_SENTENCE] + NOTES_SENTENCES
    if dataset == "long-dependency":
        return NOTES_SENTENCES + generated_examples(dataset) + [
            "He likes a girl and the old house near the river with blue windows but he likes a boy.", KOREAN_SENTENCE]
    return NOTES_SENTENCES + REVIEW_EXAMPLES + [KOREAN_SENTENCE]


def run_compare_text(text, models, layer, unit, scale="shared", view="unit", request: gr.Request = None,
                     progress=gr.Progress()):
    lang, layer, unit, cards = start_compare(models, layer, unit, request, progress)
    try:
        answers = compare_text(text, cards)
    except ZooError as err:
        raise gr.Error(say(err, lang)) from None
    positive = next((word("class", a.card.classes[1], lang) for a in answers if len(a.card.classes) == 2), translate("class_one", lang))
    title = translate("readout_title", lang, positive=positive)
    return class_views(answers, lambda named: plots.readout.json(named, "binary", title, lang),
                      {"kind": "text", "input": text}, layer, unit, scale, view, lang)


def choose_text_task(dataset, request: gr.Request):
    """A task choice's handler: that task's shipped models, its examples and its note."""
    examples = text_examples(dataset)
    return (gr.update(value=default_ids("text", dataset)), memory_note(dataset, "text", language(request)),
            gr.update(samples=[[e] for e in examples]), examples[0])


def build_compare_text_tab():
    """The tab's components; returns the model picker and the task with its note, which the app
    refreshes on page load and after training, and the followed unit with its button for the Units tab."""
    task, task_note = task_picker("text")
    first_examples = text_examples(task.value or "long-dependency")
    with gr.Row(equal_height=True):
        text = gr.Textbox(label=i18n("text"), value=first_examples[2], lines=2, scale=5)  # the task's own long one
        compare = gr.Button(i18n("compare"), variant="primary", scale=1, min_width=140, elem_id="compare-text")
    examples_box = gr.Examples(first_examples, inputs=text, label=i18n("examples"))
    models = model_picker("text")
    status = gr.Markdown()
    table = gr.Markdown(elem_id="text-predictions")
    gr.Markdown(i18n("read_predictions"))
    readout = gr.Plot(label=i18n("readout_plot"), elem_id="text-readout")
    gr.Markdown(i18n("read_readout"))
    scale, heatmaps, layer, unit, view, gates, numbers, last, open_units = state_views("text")
    trace_downloads("text", last)
    inputs = [text, models, layer, unit, scale, view]
    outputs = [status, table, readout, heatmaps, gates, numbers, layer, last]
    compare.click(run_compare_text, inputs, outputs, api_name="compare_text")
    text.submit(run_compare_text, inputs, outputs, api_name=False)
    wire_views("text", scale, heatmaps, layer, unit, view, gates, last)
    task.input(choose_text_task, task, [models, task_note, examples_box.dataset, text], api_name="choose_text_task")
    return models, task, task_note, (open_units, models, layer, unit)
