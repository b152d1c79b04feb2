"""RNN Zoo's conformance kit for torch-gru.

`pytest -m structural` runs the checks that need no model code, `pytest` all of them,
`pytest -k check_matches_reference` one check.
"""
from zoo.testing import parametrize_with_checks


@parametrize_with_checks(["torch-gru"])
def test_conformance(backend, check):
    check(backend)
