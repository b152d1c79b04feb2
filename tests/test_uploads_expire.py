"""Uploads are deleted after an hour (README, "Limits and reliability"). The hour itself is not waited
for: the real app, as `zoo serve` builds it, is checked to ask Gradio's sweep for an hourly pass over
files older than an hour, and that sweep is run on the app's own upload set, where the upload route
records every file it stores."""
import re
from pathlib import Path

from conftest import require_module

ROOT = Path(__file__).resolve().parents[1]


def test_the_lab_deletes_uploads_older_than_an_hour(tmp_path):
    require_module("gradio", "pip install 'rnn-zoo[lab]'")
    from gradio.route_utils import delete_files_created_by_app

    from zoo_lab.app import build

    app = build()
    frequency, age = app.delete_cache
    assert (frequency, age) == (3600, 3600)
    assert re.search(r"uploads are deleted\s+after an hour", (ROOT / "README.md").read_text())
    upload = tmp_path / "readings.csv"
    upload.write_text("value\n1\n2\n3\n")
    app.upload_file_set.add(str(upload))  # what gradio's upload route does with each stored file
    assert any(app.upload_file_set is files for files in app.temp_file_sets)
    delete_files_created_by_app(app, age)
    assert upload.exists(), "a fresh upload must survive the sweep"
    delete_files_created_by_app(app, -1)  # the same sweep, once the file is past its age
    assert not upload.exists()
