"""pytest fixtures of the scanner tests (defined in scanner_helpers.py)."""

from scanner_helpers import listeners, udp_echo  # noqa: F401  (fixtures)
