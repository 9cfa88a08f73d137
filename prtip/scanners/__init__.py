"""Scan techniques: one module per family, a shared probe loop in base.py, a registry there."""

from prtip.scanners.base import RateLimiter, Scanner, scanner_class

__all__ = ["RateLimiter", "Scanner", "scanner_class"]
