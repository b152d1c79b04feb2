"""Plotly figures from the workbench's answers. Every figure that compares models shares its axes and
its colour scale, so the eye compares like with like; long inputs are thinned for display only."""
from __future__ import annotations

import base64
import json
from functools import lru_cache, wraps

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from _plotly_utils.utils import is_skipped_key, plotlyjsShortTypes
from plotly.subplots import make_subplots

from zoo.family import FAMILIES
from zoo.trace import Trace

from .i18n import translate

MAX_DISPLAY_STEPS = 400  # a heatmap wider than this is thinned to every k-th step, for the eye only
# Plotly's own template without the defaults of what the lab never draws: trace types (3D, maps, contours, …),
# subplot kinds (geo, polar, scene, ternary) and the default colour scales (every heatmap here is on a coloraxis
# that names its scale). The same look, and every figure the lab sends carries 1.2 kB of template instead of
# 7 kB (bench/serve_load.py).
_PLOTLY = pio.templates["plotly"]
_UNUSED_LAYOUT = ("geo", "polar", "scene", "ternary", "colorscale")
pio.templates["rnn-zoo"] = go.layout.Template(
    layout={k: v for k, v in _PLOTLY.layout.to_plotly_json().items() if k not in _UNUSED_LAYOUT},
    data={kind: _PLOTLY.data[kind] for kind in ("scatter", "bar")})
pio.templates.default = "rnn-zoo"
# The named colour scales as plotly writes them out (its validator turns a name into this list)
RDBU_R = go.layout.Coloraxis(colorscale="RdBu_r").to_plotly_json()["colorscale"]
VIRIDIS = go.layout.Coloraxis(colorscale="Viridis").to_plotly_json()["colorscale"]
COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]


@lru_cache(maxsize=128)
def _grid(key: tuple) -> go.Figure:
    return make_subplots(**{name: list(value) if isinstance(value, tuple) else value for name, value in key})


def _grid_key(grid: dict) -> tuple:
    return tuple(sorted((name, tuple(value) if isinstance(value, list) else value) for name, value in grid.items()))


def subplots(**grid) -> go.Figure:
    """make_subplots, its empty grid built once per shape and titles: building one costs plotly about 20 ms,
    more than the data it then holds (bench/serve_load.py); each figure is a copy of its own."""
    return go.Figure(_grid(_grid_key(grid)))


@lru_cache(maxsize=128)
def _grid_layout(key: tuple) -> tuple[str, dict]:
    """A subplot grid as plain JSON (its layout, template included) and each cell's axes."""
    fig = _grid(key)
    axes = {(r + 1, c + 1): cell[0].trace_kwargs for r, row in enumerate(fig._grid_ref) for c, cell in enumerate(row) if cell}
    return json.dumps(fig.to_plotly_json()["layout"]), axes


class Draft:
    """A figure written as the plain dicts plotly's JSON holds, for the Compare tabs' plots drawn on every
    request: plotly's objects validate every property as it is set (about 15 ms per figure, most of a
    compare's time; bench/serve_load.py), the dicts cost nothing. ``figure()`` is the go.Figure, not
    validated again; what goes in is what plotly's own builders write (tests/test_plots.py compares)."""

    def __init__(self, **grid):
        if grid:
            layout, self.axes = _grid_layout(_grid_key(grid))
            self.layout = json.loads(layout)  # a copy of its own
        else:
            self.layout, self.axes = {"template": json.loads(_template_json())}, {}
        self.data: list[dict] = []

    def _axis(self, letter: str, row: int | None, col: int | None) -> dict:
        if row is None:
            return self.layout.setdefault(letter + "axis", {})
        ref = self.axes[row, col][letter + "axis"]
        return self.layout.setdefault(letter + "axis" + ref[1:], {})

    def add_trace(self, trace: dict, row: int | None = None, col: int | None = None) -> None:
        self.data.append({**trace, **(self.axes[row, col] if row is not None else {})})

    def update_xaxes(self, row: int | None = None, col: int | None = None, **axis) -> None:
        self._axis("x", row, col).update(axis)

    def update_yaxes(self, row: int | None = None, col: int | None = None, **axis) -> None:
        self._axis("y", row, col).update(axis)

    def update_layout(self, **layout) -> None:
        self.layout.update(layout)

    def figure(self) -> go.Figure:
        return go.Figure({"data": self.data, "layout": self.layout}, _validate=False)

    def to_json(self) -> str:
        """The JSON go.Figure.to_json writes for ``figure()`` (arrays as base64 typed arrays), without
        building the go.Figure: it deep-copies every list it holds, most of the rest of a compare."""
        layout = {k: v if k == "template" else _typed_arrays(v) for k, v in self.layout.items()}  # the template: JSON already
        return pio.json.to_json_plotly({"data": _typed_arrays(self.data), "layout": layout})


def _typed_arrays(value):
    """``value`` with every NumPy array as plotly.js's typed array spec (base64), as plotly's
    convert_to_base64 writes it, but walking only the dicts and lists a Draft holds: plotly's walk asks
    every value of every list whether it is an array of some dataframe library, most of a figure's JSON time."""
    if isinstance(value, dict):
        return {k: v if is_skipped_key(k) else _typed_arrays(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_typed_arrays(v) for v in value] if any(isinstance(v, (dict, list, tuple, np.ndarray)) for v in value) else value
    if isinstance(value, np.ndarray) and value.size and value.dtype != object:
        return _typed_array(value)
    return value


def _typed_array(v: np.ndarray):
    """plotly's to_typed_array_spec for a NumPy array, without its detour through narwhals: a 64-bit int
    narrowed to the smallest that holds it, any dtype plotly.js has sent as it is, else the array itself."""
    narrower = {np.dtype(np.int64): (np.int8, np.int16, np.int32), np.dtype(np.uint64): (np.uint8, np.uint16, np.uint32)}
    if v.dtype in narrower:
        low, high = v.min(), v.max()
        v = next((v.astype(t) for t in narrower[v.dtype] if np.iinfo(t).min <= low and high <= np.iinfo(t).max), v)
    short = plotlyjsShortTypes.get(str(v.dtype))
    if short is None:
        return v
    spec = {"dtype": short, "bdata": base64.b64encode(np.ascontiguousarray(v)).decode("ascii")}
    if v.ndim > 1:
        spec["shape"] = str(v.shape)[1:-1]
    return spec


def drafted(build):
    """A figure function written as a Draft: called, it returns the go.Figure; its ``.json(...)`` is the
    JSON as gr.Plot sends it, straight from the dicts (zoo_lab.views.drawn)."""
    @wraps(build)
    def figure(*args, **kwargs) -> go.Figure:
        drawn = build(*args, **kwargs)
        return drawn.figure() if isinstance(drawn, Draft) else drawn

    figure.json = lambda *args, **kwargs: build(*args, **kwargs).to_json()
    return figure


@lru_cache(maxsize=1)
def _template_json() -> str:
    return json.dumps(pio.templates[pio.templates.default].to_plotly_json())


def heatmap_values(values: np.ndarray) -> np.ndarray:
    """What a heatmap sends to the browser: float32, the precision the Keras and torch models compute in
    (within 1e-7 of |values| ≤ 1), half the bytes of float64; the downloads keep every digit."""
    return np.asarray(values, dtype=np.float32)


def display_steps(steps: int) -> np.ndarray:
    """The steps a plot shows: all of them up to MAX_DISPLAY_STEPS, else an evenly spaced subset."""
    if steps <= MAX_DISPLAY_STEPS:
        return np.arange(steps)
    return np.unique(np.linspace(0, steps - 1, MAX_DISPLAY_STEPS).round().astype(int))


def _step_axis(trace: Trace, shown: np.ndarray) -> dict:
    labels = trace.tokens or [str(t) for t in range(trace.steps)]
    if len(shown) > 40:  # too many to label: show step numbers and keep the token in the hover
        return {}
    return {"tickmode": "array", "tickvals": shown.tolist(), "ticktext": [labels[t] for t in shown], "tickangle": -45}


def step_columns(trace: Trace, shown: np.ndarray, lang: str = "en") -> list[str]:
    """A heatmap's columns, one per shown step, each named by its token and step ("movie (step 3)"): the
    hover reads the token from the column (%{x}), not from a copy of it in every cell (units × steps
    strings, more than half of the heatmaps' JSON before; bench/serve_load.py)."""
    labels = trace.tokens or [str(t) for t in range(trace.steps)]
    return [translate("plot_step_column", lang, token=labels[t], step=t) for t in shown]


def hover_words(lang: str) -> dict[str, str]:
    """The words of a plot's hover text ("token", "unit", "step") in ``lang``; the hover template itself is
    plotly's %{…} syntax, so the words are put into it, not it through a format string."""
    return {word: translate(f"plot_hover_{word}", lang) for word in ("token", "unit", "step")}


def _column_axis(trace: Trace, shown: np.ndarray, columns: list[str], labelled: bool, panels: int = 1) -> dict:
    """The x axis of a heatmap whose columns are step_columns: labelled like _step_axis's (the tokens,
    or past 40 steps about ten step numbers), or with no labels (a panel above another). ``panels`` side
    by side share the width, so each names at most 40 / panels tokens (every k-th; the hover names them all)."""
    if not labelled:
        return {"type": "category", "showticklabels": False}
    if len(shown) > 40:
        ticks = np.unique(np.linspace(0, len(shown) - 1, 9).round().astype(int))
        return {"type": "category", "tickmode": "array", "tickvals": [columns[k] for k in ticks], "ticktext": [str(shown[k]) for k in ticks]}
    labels = trace.tokens or [str(t) for t in range(trace.steps)]
    every = -(-len(shown) // max(8, 40 // panels))
    return {"type": "category", "tickmode": "array", "tickvals": columns[::every],
            "ticktext": [labels[t] for t in shown[::every]], "tickangle": -45}


def empty(message: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, font={"size": 14}, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_layout(xaxis={"visible": False}, yaxis={"visible": False}, height=160, margin=dict(l=10, r=10, t=10, b=10))
    return fig


@drafted
def readout(named: list[tuple[str, Trace]], task: str, title: str, lang: str = "en", columns: list[int] | None = None) -> go.Figure:
    """The prediction after every step, one line per model: how it moves word by word. ``columns`` picks
    each model's output to follow (a multiclass model's answer); the first output by default."""
    if not named:
        return empty(translate("plot_no_answer", lang))
    fig = Draft()
    trace0 = named[0][1]
    shown = display_steps(trace0.steps)
    labels = np.array(trace0.tokens or [str(t) for t in range(trace0.steps)], dtype=object)
    for k, (name, trace) in enumerate(named):
        column = columns[k] if columns else 0
        fig.add_trace(dict(
            type="scatter", x=shown, y=trace.readout[shown, column], name=name, mode="lines+markers" if len(shown) <= 60 else "lines",
            line={"color": COLOURS[k % len(COLOURS)]}, customdata=labels[shown].tolist(),
            hovertemplate="%{customdata}<br>" + hover_words(lang)["step"] + " %{x}: %{y:.3f}<extra>" + name + "</extra>",
        ))
    if task in ("binary", "multiclass"):
        if task == "binary":  # plotly's add_hline, as it writes it
            fig.update_layout(shapes=[{"type": "line", "x0": 0, "x1": 1, "xref": "x domain", "y0": 0.5, "y1": 0.5, "yref": "y",
                                       "line": {"dash": "dot", "color": "grey"}}])
        fig.update_yaxes(range=[0, 1], title={"text": translate("plot_probability", lang)})
    fig.update_layout(title={"text": title}, height=330, margin=dict(l=50, r=20, t=50, b=60), xaxis=_step_axis(trace0, shown),
                      legend={"orientation": "h", "y": 1.12})
    return fig


def _shared_scale(name: str) -> tuple[float, float]:
    """The range a quantity can take: a sigmoid gate 0–1, everything tanh-shaped −1–1."""
    return (-1.0, 1.0) if name in SIGNED else (0.0, 1.0)


# tanh-shaped: the hidden state and every family's candidate (an LSTM's g, a GRU's n; zoo.family)
SIGNED = ("h", *dict.fromkeys(gate for family in FAMILIES.values() for gate in family.signed))


@drafted
def hidden_heatmaps(named: list[tuple[str, Trace]], lang: str = "en", scale: str = "shared") -> go.Figure:
    """h_t of every layer (rows) of every model (columns), units × steps. ``scale`` "shared": one colour
    scale, −1 to +1, for every panel; "layer": each panel divided by its own largest |h| (the panel's
    title states that number), so a layer whose states stay small still shows its pattern."""
    if not named:
        return empty(translate("plot_no_answer", lang))
    layers = max(len(trace.layers) for _, trace in named)
    units = [max(trace.layers[k].units for _, trace in named if k < len(trace.layers)) for k in range(layers)]
    peaks = {(col, k): float(np.abs(layer.h).max()) or 1.0 for col, (_, trace) in enumerate(named) for k, layer in enumerate(trace.layers)}
    titles = []
    for k in range(layers):
        for col, (name, _) in enumerate(named):
            title = translate("plot_model_layer", lang, name=name, layer=k)
            if scale == "layer" and (col, k) in peaks:
                title += " · " + translate("plot_layer_peak", lang, peak=peaks[col, k])
            titles.append(title)
    fig = Draft(rows=layers, cols=len(named), shared_xaxes=True, horizontal_spacing=0.03, vertical_spacing=0.08,
                row_heights=[u / sum(units) for u in units], subplot_titles=titles)
    words = hover_words(lang)
    for col, (name, trace) in enumerate(named, start=1):
        shown = display_steps(trace.steps)
        columns = step_columns(trace, shown, lang)
        for row, layer in enumerate(trace.layers, start=1):
            h = layer.h[shown].T
            divisor = peaks[col - 1, row - 1] if scale == "layer" else 1.0
            # The hover's h is z itself on the shared scale; divided by the layer's peak, h travels beside it.
            fig.add_trace(dict(
                type="heatmap", z=heatmap_values(h / divisor), x=columns, y=np.arange(layer.units), coloraxis="coloraxis",
                **({"customdata": heatmap_values(h)} if scale == "layer" else {}),
                hovertemplate=f"{words['token']} %{{x}}<br>{words['unit']} %{{y}}<br>h = %{{" + ("customdata" if scale == "layer" else "z")
                              + ":.4f}<extra>" + name + "</extra>",
            ), row=row, col=col)
            fig.update_xaxes(row=row, col=col, **_column_axis(trace, shown, columns, labelled=row == layers, panels=len(named)))
            if col == 1:
                fig.update_yaxes(title={"text": translate("plot_unit_axis", lang)}, row=row, col=col)
    bar = translate("plot_h_per_layer" if scale == "layer" else "plot_h_shared", lang)
    fig.update_layout(coloraxis={"colorscale": RDBU_R, "cmin": -1, "cmax": 1, "colorbar": {"title": {"text": bar}}},
                      height=170 + 4 * sum(units), margin=dict(l=50, r=20, t=40, b=60))
    return fig


def gated(named: list[tuple[str, Trace]], layer: int) -> list[tuple[str, Trace]]:
    return [(name, trace) for name, trace in named if layer < len(trace.layers) and trace.layers[layer].gates]


def followed_units(named: list[tuple[str, Trace]], layer: int, unit: int | None) -> list[int]:
    """The unit each model's panel follows: ``unit`` (clamped to the layer), or with None each model's
    own most active unit on this input (zoo.memory.most_moving_unit)."""
    from zoo.memory import most_moving_unit

    chosen = [trace.layers[layer] for _, trace in named]
    return [most_moving_unit(c) if unit is None else min(unit, c.units - 1) for c in chosen]


@drafted
def gates(named: list[tuple[str, Trace]], layer: int, unit: int | None, lang: str = "en") -> go.Figure:
    """Every gate of one unit over the steps (and an LSTM's cell state), one line per gated model; the
    gates share the 0–1 axis. ``unit`` None follows each model's most active unit (named in the legend)."""
    with_gates = gated(named, layer)
    if not with_gates:
        return empty(translate("plot_no_lstm", lang))
    quantities = list(dict.fromkeys(q for _, t in with_gates for q in (*t.layers[layer].gates, *(["c"] if t.layers[layer].c is not None else []))))
    fig = Draft(rows=len(quantities), cols=1, shared_xaxes=True, vertical_spacing=0.04,
                subplot_titles=[translate(f"plot_gate_{q}", lang) for q in quantities])
    trace0 = with_gates[0][1]
    shown = display_steps(trace0.steps)
    for k, ((name, trace), u) in enumerate(zip(with_gates, followed_units(with_gates, layer, unit))):
        chosen = trace.layers[layer].quantities()
        label = translate("plot_model_unit", lang, name=name, unit=u)
        labels = np.array(trace.tokens or [str(t) for t in range(trace.steps)], dtype=object)[shown].tolist()
        for row, quantity in enumerate(quantities, start=1):
            if quantity not in chosen:
                continue
            fig.add_trace(dict(
                type="scatter", x=shown, y=chosen[quantity][shown, u], name=label, legendgroup=name, showlegend=row == 1,
                line={"color": COLOURS[k % len(COLOURS)]}, customdata=labels,
                hovertemplate="%{customdata}: %{y:.3f}<extra>" + label + "</extra>",
            ), row=row, col=1)
            if quantity != "c":
                low, high = _shared_scale(quantity)
                fig.update_yaxes(range=[low - 0.02, high + 0.02], row=row, col=1)
    fig.update_xaxes(row=len(quantities), col=1, **_step_axis(trace0, shown))
    title = translate("plot_layer_auto", lang, layer=layer) if unit is None else translate("plot_layer_unit", lang, layer=layer, unit=unit)
    fig.update_layout(height=140 * len(quantities) + 60, margin=dict(l=50, r=20, t=60, b=60),
                      legend={"orientation": "h", "y": 1.08}, title={"text": title})
    return fig


@drafted
def gate_heatmaps(named: list[tuple[str, Trace]], layer: int, lang: str = "en") -> go.Figure:
    """Every unit's gates at once: one row per gate, one column per gated model, units × steps; sigmoid
    gates on one 0–1 colour scale, the tanh candidates on −1–1."""
    with_gates = gated(named, layer)
    if not with_gates:
        return empty(translate("plot_no_lstm", lang))
    quantities = list(dict.fromkeys(q for _, t in with_gates for q in t.layers[layer].gates))
    fig = Draft(rows=len(quantities), cols=len(with_gates), shared_xaxes=True, horizontal_spacing=0.03,
                vertical_spacing=0.05, subplot_titles=[f"{name} · {translate(f'plot_gate_{q}', lang)}"
                                                       for q in quantities for name, _ in with_gates])
    words = hover_words(lang)
    for col, (name, trace) in enumerate(with_gates, start=1):
        chosen = trace.layers[layer]
        shown = display_steps(trace.steps)
        columns = step_columns(trace, shown, lang)
        for row, quantity in enumerate(quantities, start=1):
            if quantity not in chosen.gates:
                continue
            fig.add_trace(dict(
                type="heatmap", z=heatmap_values(chosen.gates[quantity][shown].T), x=columns, y=np.arange(chosen.units),
                coloraxis="coloraxis2" if quantity in SIGNED else "coloraxis",
                hovertemplate=f"{words['token']} %{{x}}<br>{words['unit']} %{{y}}<br>{quantity} = %{{z:.3f}}<extra>{name}</extra>",
            ), row=row, col=col)
            fig.update_xaxes(row=row, col=col, **_column_axis(trace, shown, columns, labelled=row == len(quantities),
                                                              panels=len(with_gates)))
            if col == 1:
                fig.update_yaxes(title={"text": translate("plot_unit_axis", lang)}, row=row, col=col)
    units = max(t.layers[layer].units for _, t in with_gates)
    fig.update_layout(coloraxis={"colorscale": VIRIDIS, "cmin": 0, "cmax": 1, "colorbar": {"title": {"text": translate("plot_gate_bar", lang)}, "x": 1.0, "len": 0.45, "y": 0.78}},
                      coloraxis2={"colorscale": RDBU_R, "cmin": -1, "cmax": 1, "colorbar": {"title": {"text": translate("plot_candidate_bar", lang)}, "x": 1.0, "len": 0.45, "y": 0.22}},
                      height=80 + len(quantities) * (60 + 3 * units), margin=dict(l=50, r=80, t=60, b=60),
                      title={"text": translate("plot_layer_every_unit", lang, layer=layer)})
    return fig


def forecast(values: np.ndarray, window: int, named: list[tuple[str, np.ndarray, str]], lang: str = "en") -> go.Figure:
    """The series and every model's one-step-ahead prediction for each step after the first window;
    up/down models in a lower panel as the probability that the next step goes up."""
    values = np.asarray(values, dtype=np.float64)
    level = values[:, 0] if values.ndim == 2 else values
    has_updown = any(target == "updown" for _, _, target in named)
    fig = make_subplots(rows=2 if has_updown else 1, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        row_heights=[0.65, 0.35] if has_updown else [1.0])
    shown = display_steps(len(level))
    fig.add_trace(go.Scatter(x=shown, y=level[shown], name=translate("plot_truth", lang), line={"color": "black", "width": 2}), row=1, col=1)
    for k, (name, predicted, target) in enumerate(named):
        steps = np.arange(window, len(level))
        keep = np.isin(steps, shown) if len(level) > MAX_DISPLAY_STEPS else slice(None)
        fig.add_trace(go.Scatter(x=steps[keep], y=np.asarray(predicted)[keep], name=f"{name} ({'P(up)' if target == 'updown' else translate('plot_forecast', lang)})",
                                 line={"color": COLOURS[k % len(COLOURS)], "dash": "solid" if target == "forecast" else "dot"}),
                      row=2 if target == "updown" else 1, col=1)
    fig.add_vrect(x0=0, x1=window - 1, fillcolor="grey", opacity=0.1, line_width=0, row=1, col=1)
    if has_updown:
        fig.update_yaxes(range=[0, 1], title_text="P(up)", row=2, col=1)
    fig.update_layout(height=440 if has_updown else 360, margin=dict(l=50, r=20, t=70, b=40), legend={"orientation": "h", "y": 1.15})
    return fig


def sweep(results: list[dict], lang: str = "en") -> go.Figure:
    """Score against lag, one panel per task, with the score of knowing nothing: per backend a line
    through the mean over the seeds with bars of ± the spread, and every seed's own point beside it."""
    from zoo.long_range import over_seeds

    tasks = list(dict.fromkeys(r["task"] for r in results))
    if not tasks:
        return empty(translate("plot_no_results", lang))
    fig = make_subplots(rows=1, cols=len(tasks), subplot_titles=tasks, horizontal_spacing=0.1)
    backends = list(dict.fromkeys(r["backend"] for r in results))
    stats = over_seeds(results)
    for col, task in enumerate(tasks, start=1):
        rows = [r for r in results if r["task"] == task]
        for k, backend in enumerate(backends):
            colour = COLOURS[k % len(COLOURS)]
            mine = sorted((lag, s) for (t, lag, b), s in stats.items() if t == task and b == backend)
            if not mine:
                continue
            fig.add_trace(go.Scatter(x=[lag for lag, _ in mine], y=[s["mean"] for _, s in mine], name=backend, legendgroup=backend,
                                     showlegend=col == 1, mode="lines+markers", line={"color": colour},
                                     error_y={"type": "data", "array": [s["spread"] for _, s in mine], "visible": True},
                                     hovertemplate=translate("plot_mean_spread", lang) + f"<extra>{backend}</extra>",
                                     customdata=[[s["spread"], len(s["seeds"])] for _, s in mine]), row=1, col=col)
            seeds = [r for r in rows if r["backend"] == backend]
            fig.add_trace(go.Scatter(x=[r["lag"] for r in seeds], y=[r["score"] for r in seeds], name=f"{backend} · seeds",
                                     legendgroup=backend, showlegend=False, mode="markers", text=[r["seed"] for r in seeds],
                                     marker={"color": colour, "size": 6, "opacity": 0.45, "symbol": "circle-open"},
                                     hovertemplate=translate("plot_seed_point", lang) + f"<extra>{backend}</extra>"), row=1, col=col)
        fig.add_hline(y=rows[0]["chance"], line_dash="dot", line_color="grey", row=1, col=col,
                      annotation_text=translate("plot_chance" if rows[0]["metric"] == "accuracy" else "plot_guess_one", lang))
        lags = sorted({r["lag"] for r in rows})  # label the lags run, not plotly's log-axis minor ticks ("2" for 20)
        fig.update_xaxes(type="log", tickvals=lags, ticktext=[str(lag) for lag in lags],
                         title_text=translate("plot_lag_axis", lang), row=1, col=col)
        fig.update_yaxes(title_text=translate("plot_accuracy_axis" if rows[0]["metric"] == "accuracy" else "plot_mse_axis", lang),
                         row=1, col=col)
    fig.update_layout(height=380, margin=dict(l=60, r=20, t=60, b=50), legend={"orientation": "h", "y": 1.18})
    return fig


def gradient_norms(profiles: dict, lang: str = "en") -> go.Figure:
    """‖∂L/∂h_t‖ against t on a log scale: dashed at initialisation, solid after training."""
    fig = go.Figure()
    for k, (backend, stages) in enumerate(profiles.items()):
        for stage, dash in (("init", "dash"), ("trained", "solid")):
            norms = np.asarray(stages[stage]["norms"])
            fig.add_trace(go.Scatter(x=np.arange(len(norms)), y=np.maximum(norms, 1e-30), name=f"{backend} ({translate(f'plot_{stage}', lang)})",
                                     line={"color": COLOURS[k % len(COLOURS)], "dash": dash}))
    fig.update_yaxes(type="log", title_text="‖∂L/∂h_t‖")
    fig.update_xaxes(title_text=translate("plot_step_axis", lang))
    fig.update_layout(height=360, margin=dict(l=60, r=20, t=30, b=50), legend={"orientation": "h", "y": 1.15})
    return fig


def forget_memory(product: np.ndarray, trace: Trace, lang: str = "en") -> go.Figure:
    """How much of each unit's cell state at step 0 is left at step t: the running product of f."""
    fig = go.Figure()
    steps = np.arange(len(product))
    labels = np.array(trace.tokens or [str(t) for t in steps], dtype=object)
    strongest = np.argsort(-product[-1])[:5]
    for k, unit in enumerate(strongest):
        name = translate("plot_unit_name", lang, unit=unit)
        fig.add_trace(go.Scatter(x=steps, y=product[:, unit], name=name, customdata=labels,
                                 line={"color": COLOURS[k % len(COLOURS)]},
                                 hovertemplate="%{customdata}: %{y:.3g}<extra>" + name + "</extra>"))
    fig.add_trace(go.Scatter(x=steps, y=product.mean(axis=1), name=translate("plot_mean_units", lang),
                             line={"color": "black", "dash": "dot"}))
    fig.update_yaxes(type="log", title_text=translate("plot_kept_axis", lang))
    fig.update_layout(height=340, margin=dict(l=60, r=20, t=30, b=60), xaxis=_step_axis(trace, steps),
                      legend={"orientation": "h", "y": 1.15})
    return fig


def remembered(named: list[tuple[str, dict]], title: str, kept_name: str, y_title: str) -> go.Figure:
    """How much each model's first-layer state still differs, step by step, once an early word is
    swapped (zoo.learn.remembered_word); an LSTM's forget-gate product on a second axis."""
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    for k, (name, result) in enumerate(named):
        steps = np.arange(len(result["difference"]))
        colour = COLOURS[k % len(COLOURS)]
        fig.add_trace(go.Scatter(x=steps, y=result["difference"], name=f"{name} ‖Δh‖", line={"color": colour},
                                 customdata=result["tokens"], hovertemplate="%{customdata}: %{y:.3f}<extra>" + name + "</extra>"))
        if result["kept"] is not None:
            fig.add_trace(go.Scatter(x=steps[result["step"]:], y=result["kept"][result["step"]:], name=f"{name}: {kept_name}",
                                     line={"color": colour, "dash": "dot"}), secondary_y=True)
    fig.add_vline(x=named[0][1]["step"], line_dash="dot", line_color="grey")
    fig.update_yaxes(title_text=y_title, secondary_y=False)
    fig.update_yaxes(title_text="∏ f", range=[0, 1.05], secondary_y=True)
    fig.update_layout(title=title, height=340, margin=dict(l=60, r=60, t=50, b=60),
                      xaxis={"tickmode": "array", "tickvals": list(range(len(named[0][1]["tokens"]))),
                             "ticktext": named[0][1]["tokens"], "tickangle": -45},
                      legend={"orientation": "h", "y": -0.35})
    return fig


def head_activations(head: dict, title: str, unit_title: str) -> go.Figure:
    """The head's real pre-activations z beside tanh(z) and relu(z), unit by unit."""
    units = np.arange(len(head["z"]))
    fig = go.Figure()
    for k, (name, values) in enumerate((("z", head["z"]), ("tanh(z)", head["tanh"]), ("relu(z)", head["relu"]))):
        fig.add_trace(go.Bar(x=units, y=values, name=name, marker_color=COLOURS[k]))
    fig.update_layout(title=title, barmode="group", height=320, xaxis_title=unit_title,
                      margin=dict(l=50, r=20, t=50, b=50), legend={"orientation": "h", "y": 1.12})
    return fig
