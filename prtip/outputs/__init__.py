"""Output formats, one module each, and the registry that maps -oN/-oG/-oX/-oJ to them."""

from __future__ import annotations

from prtip.errors import OutputError
from prtip.outputs.base import Output
from prtip.outputs.grepable import GrepableOutput
from prtip.outputs.jsonout import JsonOutput
from prtip.outputs.normal import NormalOutput
from prtip.outputs.xmlout import XmlOutput

FORMATS: dict[str, type[Output]] = {
    "normal": NormalOutput,
    "grepable": GrepableOutput,
    "xml": XmlOutput,
    "json": JsonOutput,
}
FLAGS = {"-oN": "normal", "-oG": "grepable", "-oX": "xml", "-oJ": "json"}
ALL_EXTENSIONS = {"normal": "nmap", "grepable": "gnmap", "xml": "xml", "json": "json"}  # -oA BASE


def open_outputs(requested: list[tuple[str, str]], stdout_normal: bool = True) -> list[Output]:
    """Open every requested (format, path) output, plus normal output on stdout unless some
    output already writes to stdout. Fails before scanning if a file cannot be written."""
    outputs: list[Output] = []
    try:
        for fmt, path in requested:
            outputs.append(FORMATS[fmt](path))
        if stdout_normal and not any(path == "-" for _, path in requested):
            outputs.insert(0, NormalOutput("-", interactive=True))
    except OutputError:
        for out in outputs:
            out.close()
        raise
    return outputs


def stdout_is_interactive(requested: list[tuple[str, str]]) -> bool:
    """True when stdout shows the interactive report (no -oX - and the like): nmap then prints
    -v's "Discovered open port" lines there too."""
    return not any(path == "-" for _, path in requested)


__all__ = ["ALL_EXTENSIONS", "FLAGS", "FORMATS", "Output", "open_outputs", "stdout_is_interactive"]
