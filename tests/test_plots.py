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
        shown = np.asarray(heatmap.x)
        assert shown[0] == 0 and shown[-1] == 9_999  # the whole span, evenly thinned
        np.testing.assert_array_equal(np.asarray(heatmap.z), trace.layers[0].h[shown].T)
    for figure in (plots.readout([("a", trace)], "binary", "t"), plots.gates([("a", trace)], 0, 3)):
        assert all(len(line.x) <= plots.MAX_DISPLAY_STEPS for line in figure.data)
    assert trace.layers[0].h.shape == (10_000, 8)


def test_short_inputs_show_every_step_with_their_tokens():
    trace = long_trace(steps=12)
    heatmap = plots.hidden_heatmaps([("a", trace)]).data[0]
    assert np.asarray(heatmap.z).shape == (8, 12)
    assert list(plots.display_steps(12)) == list(range(12))
