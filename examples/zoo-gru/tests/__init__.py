# A package, so that pytest tells this test_conformance.py apart from other projects' files of that name.
