"""Every bundled backend passes the conformance kit that third-party backends run too."""
from zoo.testing import parametrize_with_checks

BUNDLED = ["keras-lstm", "torch-lstm", "numpy-rnn"]


@parametrize_with_checks(BUNDLED)
def test_conformance(backend, check):
    check(backend)
