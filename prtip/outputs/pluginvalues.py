"""Plugin data (prtip.add_result values) rendered one way for every output, as NSE renders them.

The values are JSON-ready Python data (str, int, float, bool, list, dict: see
prtip/plugins/api.py). Every format shows them with Lua's spelling (``true``, ``1.5``, never
Python's ``True`` or ``{'a': 1}``):

* text (normal output, and the ``output`` attribute of XML's ``<script>``) follows NSE's
  format_output: ``key: value`` lines, nested tables indented two spaces under ``key: ``,
  array items one per line; every line is terminal-safe (textsafe.escape);
* XML follows NSE's structured output: ``<elem key="k">value</elem>`` for scalars and
  ``<table key="k">`` for tables, array items without ``key`` (xmlout.py makes the finished
  document XML-safe in one pass).

JSON output keeps the values as JSON (jsonout.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping


from prtip.textsafe import escape

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

INDENT = "  "


def scalar_text(value: Any) -> str:
    """A scalar as Lua's tostring writes it (unescaped: each output escapes for itself)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        from luavm import number2str  # lazily: only plugin values need luavm

        return number2str(value).decode("ascii")
    return str(value)


def _lines(value: Any, depth: int) -> list[str]:
    pad = INDENT * depth
    if isinstance(value, Mapping):
        items: list[tuple[str | None, Any]] = [(str(k), v) for k, v in value.items()]
    elif isinstance(value, list):
        items = [(None, v) for v in value]
    else:
        return [pad + escape(scalar_text(value))]
    out: list[str] = []
    for key, item in items:
        label = "" if key is None else escape(key) + ": "
        if isinstance(item, (Mapping, list)):
            out.append(pad + (label or ""))  # NSE writes "key: " then the table indented below
            out.extend(_lines(item, depth + 1))
        else:
            out.append(pad + label + escape(scalar_text(item)))
    return [line.rstrip() for line in out]  # a table inside an array: an empty line opens it


def text_lines(values: Mapping[str, Any]) -> list[str]:
    """One plugin's data as NSE-style lines (without the plugin's name), each terminal-safe."""
    return _lines(values, 0)


def script_text(values: Mapping[str, Any]) -> str:
    """The ``output`` attribute of ``<script>``: the same lines as normal output, newline-joined."""
    return "\n".join(INDENT + line for line in text_lines(values))


def xml_children(parent: ET.Element, value: Any) -> None:
    """``<elem>``/``<table>`` children of ``parent`` for a table value, as NSE writes them."""
    import xml.etree.ElementTree as ET  # only the XML output needs it

    items = value.items() if isinstance(value, Mapping) else ((None, v) for v in value)
    for key, item in items:
        attrs = {} if key is None else {"key": str(key)}
        if isinstance(item, (Mapping, list)):
            xml_children(ET.SubElement(parent, "table", attrs), item)
        else:
            ET.SubElement(parent, "elem", attrs).text = scalar_text(item)


def script_element(parent: ET.Element, plugin: str, values: Mapping[str, Any]) -> ET.Element:
    """``<script id=PLUGIN output=TEXT>`` with its structured children, under ``parent``."""
    import xml.etree.ElementTree as ET

    script = ET.SubElement(parent, "script", {"id": plugin, "output": script_text(values)})
    xml_children(script, values)
    return script


__all__ = ["script_element", "script_text", "scalar_text", "text_lines", "xml_children"]
