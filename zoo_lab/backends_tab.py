"""The Backends tab: every registered backend and plugin with its status and reason, the parity check,
and the limits in force. The rows are zoo.tables', the same that `zoo backends`, `zoo plugins` and
`zoo parity` print."""
from __future__ import annotations

import gradio as gr

from zoo.limits import describe as describe_limits
from zoo.plugins import registry
from zoo.tables import BACKEND_COLUMNS, PARITY_COLUMNS, PLUGIN_COLUMNS, backend_rows, parity_rows, plugin_rows

from .i18n import I18N as i18n


def cells(rows: list[dict], columns) -> list[list]:
    """A table's rows as the lists a gr.Dataframe shows, in the order of ``columns``; a list in a cell is
    shown as its items separated by commas, and a missing value as an empty cell."""
    return [["" if row[c] is None else ", ".join(row[c]) if isinstance(row[c], list) else row[c] for c in columns]
            for row in rows]


def backends_table() -> list[list]:
    return cells(backend_rows(registry()), BACKEND_COLUMNS)


def plugins_table() -> list[list]:
    return cells(plugin_rows(registry()), PLUGIN_COLUMNS)


def checked_parity(steps: int = 50, seed: int = 0) -> list[dict]:
    """zoo.parity's rows, computed in a worker process of its own: parity builds every backend's models, and
    the server runs no plugin code (zoo.workers)."""
    from zoo import workers
    from zoo.parity import run_parity

    return parity_rows(workers.isolated("parity", "check parity", run_parity, steps=steps, seed=seed))


def run_parity() -> list[list]:
    return cells(checked_parity(), PARITY_COLUMNS)


def limits_table() -> list[list]:
    return [[l["what"], f"{l['value']:g} {l['unit']}", l["env"]] for l in describe_limits()]


def build_backends_tab() -> None:
    gr.Markdown(i18n("backends_intro"))
    backends = gr.Dataframe(backends_table(), headers=list(BACKEND_COLUMNS), elem_id="backends-table")
    plugins = gr.Dataframe(plugins_table(), headers=list(PLUGIN_COLUMNS), label=i18n("plugins_label"), elem_id="plugins-table")
    refresh = gr.Button(i18n("refresh"))
    refresh.click(backends_table, None, backends, api_name="backends")
    refresh.click(plugins_table, None, plugins, api_name="plugins")
    parity_button = gr.Button(i18n("check_parity"))
    parity = gr.Dataframe(headers=list(PARITY_COLUMNS), label=i18n("parity_label"))
    parity_button.click(run_parity, None, parity, api_name="parity")
    gr.Markdown(i18n("limits_intro"))
    gr.Dataframe(limits_table(), headers=["limit on", "value", "environment variable"], label=i18n("limits"))
