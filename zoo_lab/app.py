"""The RNN Zoo lab: the same input through every model, side by side, down to every gate.

This module only composes the tabs, each built by a module of its own (learn_tab, compare_text_tab,
compare_series_tab, units_tab, train_tab, lab_tab, backends_tab; the Compare tabs' shared views are in views),
and wires what crosses tabs: a model trained or added in the Train tab joins the Compare tabs' pickers,
a Compare tab's followed unit opens in the Units tab, and every page load lists the models trained since start-up. UI only: every number comes from the core
(zoo.workbench, zoo.learn, zoo.long_range, zoo.units, zoo.tables). Models stay in the workbench's process-wide cache (never
in gr.State, which deep-copies); frameworks load in the models' worker processes, the first page's models as the server starts.
"""
from __future__ import annotations

import argparse
import signal
import threading
import time

import gradio as gr

from zoo import workers
from zoo.limits import max_bytes
from zoo.workbench import catalog, default_ids, warm

from .backends_tab import build_backends_tab
from .compare_series_tab import build_compare_series_tab
from .compare_text_tab import build_compare_text_tab
from .i18n import I18N as i18n, language
from .lab_tab import build_lab_tab
from .learn_tab import build_learn_tab, default_card
from .tools import serve_tools
from .train_tab import build_train_tab
from .units_tab import TAB_ID as UNITS_TAB, build_units_tab
from .views import memory_note, picker_updates


def on_page_load(text_task, series_task, request: gr.Request):
    """Every page load sees the models trained, added or imported since start-up, whoever did it, and the
    tasks' notes in the browser's language."""
    lang = language(request)
    return (*picker_updates(), memory_note(text_task, "text", lang) if text_task else "",
            memory_note(series_task, "series", lang) if series_task else "")


# The lab's queue (Gradio's Blocks.queue), which bench/serve_load.py gives its echo app too: each event runs
# 4 requests at once.
QUEUE = {"default_concurrency_limit": 4}


def build() -> gr.Blocks:
    # Uploads are only needed for the request that sent them: clear them out every hour.
    with gr.Blocks(title="RNN Zoo", delete_cache=(3600, 3600)) as app:
        gr.Markdown(i18n("app_intro"))
        with gr.Tabs() as tabs:
            with gr.Tab(i18n("tab_learn"), elem_id="tab-learn"):
                learn_model = build_learn_tab(app)
            with gr.Tab(i18n("tab_compare_text")):
                text_models, text_task, text_task_note, text_unit = build_compare_text_tab()
            with gr.Tab(i18n("tab_compare_series")):
                series_models, series_task, series_task_note, series_unit = build_compare_series_tab()
            with gr.Tab(i18n("tab_units"), id=UNITS_TAB, elem_id="tab-units"):
                units_pickers = build_units_tab(app, tabs, [text_unit, series_unit])
            with gr.Tab(i18n("tab_train")):
                pickers = [text_models, series_models, learn_model, *units_pickers]  # views.PICKERS' order
                build_train_tab(app, pickers)
            with gr.Tab(i18n("tab_lab")):
                build_lab_tab(app)
            with gr.Tab(i18n("tab_backends")):
                build_backends_tab(app)
        app.load(on_page_load, [text_task, series_task], [*pickers, text_task_note, series_task_note], api_name=False)
        tools = set(serve_tools())
    # The documented API (the API page, and the MCP tools with mcp_server=True) is the tools': they take
    # and give JSON. The page's own events answer with plots and Markdown for the page; they stay callable
    # by their names (gradio_client, the tests) but are left undocumented, so no agent meets them.
    for event in app.fns.values():
        if event.fn not in tools and event.api_visibility == "public":
            event.api_visibility = "undocumented"
    return app


# On unless --no-mcp: serving the tools over MCP costs nothing measurable (bench/mcp_cost.py, README).
MCP_BY_DEFAULT = True


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the RNN Zoo lab.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7860)
    parser.add_argument("--share", action="store_true", help="ask Gradio for a public share link")
    parser.add_argument("--mcp", action=argparse.BooleanOptionalAction, default=MCP_BY_DEFAULT,
                        help="also serve the lab's tools to agents over MCP at /gradio_api/mcp/ (default: on)")
    args = parser.parse_args(argv)
    # A service manager stops the lab with SIGTERM: treated as Ctrl-C, Gradio closes its server and the
    # backends' worker processes are ended with it instead of being left behind.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        app = build().queue(**QUEUE)
        app.launch(server_name=args.host, server_port=args.port, share=args.share, max_file_size=max_bytes("upload_mb"),
                   i18n=i18n, mcp_server=args.mcp, prevent_thread_lock=True)
        threading.Thread(target=warm_first_views, name="zoo warm-up", daemon=True).start()
        app.block_thread()
    finally:
        workers.shutdown()


def warm_first_views() -> None:
    """Load the models the page opens with (the Learn tab's and the Compare tabs' defaults) while nobody
    waits yet: the Learn tab's Keras model alone takes seconds to start, and it is the first thing a person
    sees. Said on the console when done, with the time it took."""
    started = time.perf_counter()
    ids = [default_card().id, *default_ids("text"), *default_ids("series")]  # the Learn tab's first: it shows first
    cards = {card.id: card for card in catalog()}
    warmed = warm([cards[i] for i in dict.fromkeys(ids)])
    print(f"Warm: {', '.join(sorted(card.id for card in warmed)) or 'nothing'} in {time.perf_counter() - started:.1f} s", flush=True)
