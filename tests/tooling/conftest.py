"""pytest fixtures of the tooling tests (defined in tooling_helpers.py)."""

from tooling_helpers import home  # noqa: F401  (fixture)
