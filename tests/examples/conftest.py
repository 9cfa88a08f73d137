"""pytest fixtures of the example-plugin tests (defined in example_helpers.py)."""

from example_helpers import examples  # noqa: F401  (fixture)
