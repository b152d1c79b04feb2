"""The lab's figures stay light at any length: display thins steps, the data keeps them all."""
import numpy as np

from zoo.trace import LayerTrace, Trace
from zoo_lab import plots


def long_trace(steps=10_000, units=8):
    rng = np.random.default_rng(0)
    gates = {g: rng.random((steps, units)) for g in "ifgo"}
    layer = LayerTrace(h=rng.uniform(-1, 1, (steps, units)), c=rng.normal(size=(steps, units)), gates=gates)
    return Trace("t", [layer], readout=rng.random((steps, 1)), tokens=[str(k) for k in range(steps)])


def test_a_10000_step_trace_is_thinned_for_display_only():
    trace = long_trace()
    figure = plots.hidden_heatmaps([("a", trace), ("b", trace)])
    for heatmap in figure.data:
        assert np.asarray(heatmap.z).shape == (8, plots.MAX_DISPLAY_STEPS)
        shown = np.array([int(column.rsplit("(step ", 1)[1][:-1]) for column in heatmap.x])  # plots.step_columns
        assert shown[0] == 0 and shown[-1] == 9_999  # the whole span, evenly thinned
        np.testing.assert_allclose(np.asarray(heatmap.z), trace.layers[0].h[shown].T, atol=1e-7)  # float32, plots.heatmap_values
    for figure in (plots.readout([("a", trace)], "binary", "t"), plots.gates([("a", trace)], 0, 3)):
        assert all(len(line.x) <= plots.MAX_DISPLAY_STEPS for line in figure.data)
    assert trace.layers[0].h.shape == (10_000, 8)


def test_short_inputs_show_every_step_with_their_tokens():
    trace = long_trace(steps=12)
    heatmap = plots.hidden_heatmaps([("a", trace)]).data[0]
    assert np.asarray(heatmap.z).shape == (8, 12)
    assert list(plots.display_steps(12)) == list(range(12))


def test_heatmaps_send_every_step_and_unit_in_float32():
    """The served heatmap keeps every step and unit; its values are float32 (within 1e-7 of h), its hover
    reads h from z on the shared scale and from customdata on the per-layer one, and the token from its
    column (one label per step, not a copy in every cell)."""
    trace = long_trace(steps=12)
    h = trace.layers[0].h
    shared = plots.hidden_heatmaps([("a", trace)]).data[0]
    assert np.asarray(shared.z).dtype == np.float32 and np.asarray(shared.z).shape == (8, 12)
    np.testing.assert_allclose(np.asarray(shared.z), h.T, atol=1e-7)
    assert shared.customdata is None and "%{z:.4f}" in shared.hovertemplate
    assert shared.text is None and "token %{x}" in shared.hovertemplate
    assert list(shared.x) == [f"{token} (step {t})" for t, token in enumerate(trace.tokens)]
    per_layer = plots.hidden_heatmaps([("a", trace)], scale="layer").data[0]
    np.testing.assert_allclose(np.asarray(per_layer.customdata), h.T, atol=1e-7)
    np.testing.assert_allclose(np.asarray(per_layer.z), h.T / np.abs(h).max(), atol=1e-7)


def test_a_figure_from_the_cached_grid_is_its_own():
    """Two figures built on one remembered subplot grid do not share their traces or layout."""
    trace = long_trace(steps=12)
    first = plots.gates([("a", trace)], 0, 3)
    second = plots.gates([("b", trace)], 0, 5)
    assert first.layout.title.text != second.layout.title.text
    assert {t.name for t in first.data}.isdisjoint({t.name for t in second.data})
    assert first.to_json() == plots.gates([("a", trace)], 0, 3).to_json()


def test_figures_written_as_dicts_are_what_plotly_validates_them_to():
    """The Compare tabs' figures are written as plain dicts (plots.Draft, not validated as they are built):
    plotly's own validation of each, property by property, changes nothing in the JSON sent."""
    import json

    import plotly.graph_objects as go

    from zoo.trace import LayerTrace, Trace

    rng = np.random.default_rng(1)
    lstm = long_trace(steps=16, units=8)
    gru = Trace("g", [LayerTrace(h=rng.uniform(-1, 1, (16, 4)), c=None,
                                 gates={"r": rng.random((16, 4)), "z": rng.random((16, 4)), "n": rng.uniform(-1, 1, (16, 4))})],
                readout=rng.random((16, 2)), tokens=None)
    named = [("a", lstm), ("b", gru)]
    cases = [(plots.readout, (named, "binary", "t")), (plots.readout, (named, "multiclass", "t", "en", [0, 1])),
             (plots.hidden_heatmaps, (named,)), (plots.hidden_heatmaps, (named, "en", "layer")), (plots.gates, (named, 0, 3)),
             (plots.gates, (named, 0, None)), (plots.gate_heatmaps, (named, 0)), (plots.hidden_heatmaps, ([("a", long_trace(500, 4))],))]
    for draw, args in cases:
        sent = json.loads(draw(*args).to_json())
        assert json.loads(go.Figure(sent).to_json()) == sent
        assert json.loads(draw.json(*args)) == sent  # what the Compare tabs send, straight from the dicts


def test_every_heatmap_column_is_one_step_and_the_axis_reads_its_token():
    """Heatmap columns are categories (step_columns), each step's token once: the labelled axis shows
    the tokens (or, past 40 steps, step numbers), the gate heatmaps the same; every cell is a value of the trace."""
    trace = long_trace(steps=12)
    figure = plots.hidden_heatmaps([("a", trace), ("b", trace)])
    assert figure.layout.xaxis.type == "category" and list(figure.layout.xaxis.ticktext) == trace.tokens
    assert list(figure.layout.xaxis.tickvals) == list(figure.data[0].x)
    gates = plots.gate_heatmaps([("a", trace)], 0)
    for heatmap in gates.data:
        assert heatmap.text is None and list(heatmap.x) == list(figure.data[0].x) and "token %{x}" in heatmap.hovertemplate
    np.testing.assert_allclose(np.asarray(gates.data[0].z), trace.layers[0].gates["i"].T, atol=1e-7)
    # Three panels side by side share the width: a 30-token sentence names every third token, its own column's.
    crowded = long_trace(steps=30)
    three = plots.hidden_heatmaps([("a", crowded), ("b", crowded), ("c", crowded)]).layout.xaxis
    assert list(three.ticktext) == crowded.tokens[::3] and list(three.tickvals) == [
        plots.step_columns(crowded, np.arange(30))[k] for k in range(0, 30, 3)]
    long = plots.hidden_heatmaps([("a", long_trace(steps=500))])
    ticks = [int(text) for text in long.layout.xaxis.ticktext]
    assert ticks[0] == 0 and ticks[-1] == 499 and len(ticks) <= 10
