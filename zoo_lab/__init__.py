"""The Gradio lab: the UI layer over zoo.workbench. Nothing in the core imports it."""
import os
import tempfile

from zoo.paths import cache_dir

# The lab writes nowhere but its cache: Gradio keeps uploads in GRADIO_TEMP_DIR (read when gradio is
# imported), and TensorFlow's autograph and others put scratch files in the temp directory.
os.environ.setdefault("GRADIO_TEMP_DIR", str(cache_dir() / "uploads"))
# TMPDIR too, so the backends' worker processes (spawned: they never import this package) inherit it.
(cache_dir() / "tmp").mkdir(parents=True, exist_ok=True)
tempfile.tempdir = os.environ["TMPDIR"] = str(cache_dir() / "tmp")
