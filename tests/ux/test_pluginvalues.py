"""prtip/outputs/pluginvalues.py and the XML escaping, on values Lua can store: one rendering,
Lua's spelling, NSE's structure."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from prtip.outputs.pluginvalues import scalar_text, script_element, text_lines
from prtip.outputs.xmlout import xml_safe


def test_scalars_read_as_lua_tostring():
    assert [scalar_text(v) for v in (True, False, 3, 1.5, 2.0, 1e100, -0.0, "x")] == [
        "true", "false", "3", "1.5", "2.0", "1e+100", "-0.0", "x"]


def test_text_lines_nest_like_nse_and_escape_every_line():
    values = {"a": {"b": [1, {"c": "d\x1b[31m"}]}, "e\n": "f\r\ng"}
    assert text_lines(values) == ["a:", "  b:", "    1", "", "      c: d\\x1b[31m", "e\\n: f\\r\\ng"]


def test_script_element_is_structured_and_survives_any_text():
    parent = ET.Element("port")
    script = script_element(parent, "p", {"k": "\x00\x07ok", "t": [True, 2]})
    for el in parent.iter():  # what xmlout.py's final pass does
        el.attrib.update({k: xml_safe(v) for k, v in el.attrib.items()})
        if el.text:
            el.text = xml_safe(el.text)
    again = ET.fromstring(ET.tostring(parent))
    assert [(e.tag, e.get("key"), e.text) for e in again.find("script")] == [
        ("elem", "k", "\\x00\\x07ok"), ("table", "t", None)]
    assert [e.text for e in again.find("script/table")] == ["true", "2"]
    assert script.get("output").splitlines() == ["  k: \\x00\\x07ok", "  t:", "    true", "    2"]


def test_xml_safe_keeps_what_xml_allows():
    assert xml_safe("a\tb\nc\rd\x7fé\u2028") == "a\tb\nc\rd\x7fé\u2028"
    assert xml_safe("\x00\x1f\ufffe\udc80") == "\\x00\\x1f\\ufffe\\x80"
