"""The Gradio lab. Not built yet: until it lands, this points at what already works."""
import sys

print(
    "The RNN Zoo lab (Gradio UI) is not built yet.\n"
    "What works today:\n"
    "  zoo backends                      # the registered backends and whether they run here\n"
    "  zoo parity                        # every backend against the NumPy reference\n"
    '  zoo trace --backend torch-lstm --text "He likes a pretty girl"\n'
    f"(run them with {sys.prefix}/bin/zoo, or activate the venv first)"
)
