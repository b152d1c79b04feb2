"""The Backends tab: every registered backend and plugin with its status and reason, the parity check,
and the limits in force. The rows are zoo.tables', the same that `zoo backends`, `zoo plugins` and
`zoo parity` print."""
from __future__ import annotations

import gradio as gr

from zoo.limits import describe as describe_limits
from zoo.messages import say
from zoo.plugins import registry
from zoo.tables import BACKEND_COLUMNS, PARITY_COLUMNS, PLUGIN_COLUMNS, backend_rows, parity_rows, plugin_rows

from .i18n import I18N as i18n, language, table, word


def cells(rows: list[dict], columns, lang: str) -> list[list]:
    """A table's rows as the lists a gr.Dataframe shows, in the order of ``columns`` and in ``lang``: a status
    and a reason said in it, a list in a cell shown as its items separated by commas, a missing value as an
    empty cell."""
    def cell(column, value):
        if value is None:
            return ""
        if isinstance(value, list):
            return ", ".join(value)
        if column in ("status", "ok"):
            return word(column, value, lang)
        return say(value, lang) if isinstance(value, str) else value
    return [[cell(c, row[c]) for c in columns] for row in rows]


def backends_table(request: gr.Request = None) -> dict:
    lang = language(request)
    return table(cells(backend_rows(registry()), BACKEND_COLUMNS, lang), BACKEND_COLUMNS, lang)


def plugins_table(request: gr.Request = None) -> dict:
    lang = language(request)
    return table(cells(plugin_rows(registry()), PLUGIN_COLUMNS, lang), PLUGIN_COLUMNS, lang)


def checked_parity(steps: int = 50, seed: int = 0) -> list[dict]:
    """zoo.parity's rows, computed in a worker process of its own: parity builds every backend's models, and
    the server runs no plugin code (zoo.workers)."""
    from zoo import workers
    from zoo.parity import run_parity

    return parity_rows(workers.isolated("parity", "check parity", run_parity, steps=steps, seed=seed))


def run_parity(request: gr.Request = None) -> dict:
    lang = language(request)
    return table(cells(checked_parity(), PARITY_COLUMNS, lang), PARITY_COLUMNS, lang)


LIMIT_COLUMNS = ("limit on", "value", "environment variable")


def limits_table(request: gr.Request = None) -> dict:
    lang = language(request)
    rows = [[say(l["what"], lang), f"{l['value']:g} {say(l['unit'], lang)}", l["env"]] for l in describe_limits()]
    return table(rows, LIMIT_COLUMNS, lang)


def page_tables(request: gr.Request):
    """The tables as a page load shows them: headers in the browser's language (parity's still empty)."""
    return (backends_table(request), plugins_table(request), table([], PARITY_COLUMNS, language(request)),
            limits_table(request))


def build_backends_tab(app: gr.Blocks) -> None:
    gr.Markdown(i18n("backends_intro"))
    backends = gr.Dataframe(backends_table(), elem_id="backends-table")
    plugins = gr.Dataframe(plugins_table(), label=i18n("plugins_label"), elem_id="plugins-table")
    refresh = gr.Button(i18n("refresh"))
    refresh.click(backends_table, None, backends, api_name="backends")
    refresh.click(plugins_table, None, plugins, api_name="plugins")
    parity_button = gr.Button(i18n("check_parity"))
    parity = gr.Dataframe(headers=list(PARITY_COLUMNS), label=i18n("parity_label"), elem_id="parity-table")
    parity_button.click(run_parity, None, parity, api_name="parity")
    gr.Markdown(i18n("limits_intro"))
    limits = gr.Dataframe(limits_table(), label=i18n("limits"), elem_id="limits-table")
    app.load(page_tables, None, [backends, plugins, parity, limits], api_name=False)
