"""pytest fixtures of the new-user tests (defined in tests/plugins/plugin_helpers.py)."""

from ux_helpers import home, server  # noqa: F401  (fixtures)
