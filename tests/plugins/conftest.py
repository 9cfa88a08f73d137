"""pytest fixtures of the plugin tests (defined in plugin_helpers.py)."""

from plugin_helpers import home, server  # noqa: F401  (fixtures)
