"""Output formats, one module each, and the registry that maps -oN/-oG/-oX/-oJ to them."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from prtip.errors import OutputError

if TYPE_CHECKING:
    from prtip.outputs.base import Output

# format -> (module, class): a writer's module (json, xml.etree...) is imported only when asked
# for, so a scan that prints normal output alone does not pay for the others at start-up
FORMATS: dict[str, tuple[str, str]] = {
    "normal": ("prtip.outputs.normal", "NormalOutput"),
    "grepable": ("prtip.outputs.grepable", "GrepableOutput"),
    "xml": ("prtip.outputs.xmlout", "XmlOutput"),
    "json": ("prtip.outputs.jsonout", "JsonOutput"),
}
FLAGS = {"-oN": "normal", "-oG": "grepable", "-oX": "xml", "-oJ": "json"}
ALL_EXTENSIONS = {"normal": "nmap", "grepable": "gnmap", "xml": "xml", "json": "json"}  # -oA BASE


def output_class(fmt: str) -> type[Output]:
    module, name = FORMATS[fmt]
    return getattr(importlib.import_module(module), name)


def open_outputs(requested: list[tuple[str, str]], stdout_normal: bool = True) -> list[Output]:
    """Open every requested (format, path) output, plus normal output on stdout unless some
    output already writes to stdout. Fails before scanning if a file cannot be written."""
    outputs: list[Output] = []
    try:
        for fmt, path in requested:
            outputs.append(output_class(fmt)(path))
        if stdout_normal and not any(path == "-" for _, path in requested):
            outputs.insert(0, output_class("normal")("-", interactive=True))
    except OutputError:
        for out in outputs:
            out.close()
        raise
    return outputs


def stdout_is_interactive(requested: list[tuple[str, str]]) -> bool:
    """True when stdout shows the interactive report (no -oX - and the like): nmap then prints
    -v's "Discovered open port" lines there too."""
    return not any(path == "-" for _, path in requested)


__all__ = ["ALL_EXTENSIONS", "FLAGS", "FORMATS", "open_outputs", "output_class", "stdout_is_interactive"]
