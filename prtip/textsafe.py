"""Text that came from the network or a plugin, made safe for a terminal, a line format or XML.

A service chooses its banner and a plugin chooses what it stores, so neither may decide what a
terminal does (ESC sequences set titles and fake lines, CR overwrites, BEL rings), where a line
ends in -oN/-oG, or whether an XML document is well-formed. Two views of the same rule:

* ``escape_terminal``: every control character (C0, DEL, C1, the Unicode line/paragraph
  separators and bidirectional overrides) becomes a visible ``\\xNN`` / ``\\uNNNN`` escape, as
  nmap prints banners; bytes that are not UTF-8 become ``\\xNN`` too. The result holds no line
  break and no tab, so it fits in one field of one line.
* ``xml_safe``: only what XML 1.0 forbids (C0 controls other than TAB/LF/CR, U+FFFE/U+FFFF,
  lone surrogates) is escaped the same way; markup characters are left to the XML writer.

Both accept ``bytes`` (decoded as UTF-8, each undecodable byte escaped) or ``str``, and are
deterministic and lossless for printable text.
"""

from __future__ import annotations

import re

# C0, DEL, C1; U+2028/U+2029 (line breaks to some terminals); bidi embeddings, overrides and
# isolates (they reorder what is displayed); lone surrogates (from surrogateescape decoding)
_TERMINAL_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                              "\u2066-\u2069\ud800-\udfff]")
# the complement of XML 1.0's Char production
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "surrogateescape") if isinstance(value, bytes) else value


def escape_terminal(value: bytes | str) -> str:
    """``value`` with every control character escaped: safe to print, one line, no tabs."""
    return _TERMINAL_UNSAFE.sub(_escape, _text(value))


def escape_lines(value: bytes | str) -> list[str]:
    """``value`` split at its line breaks, each line escaped: for text that may span lines."""
    return [escape_terminal(line) for line in _text(value).rstrip("\r\n").split("\n")]


def xml_safe(value: bytes | str) -> str:
    """``value`` with every character XML 1.0 forbids escaped, so any bytes give well-formed XML."""
    return _XML_UNSAFE.sub(_escape, _text(value))


__all__ = ["escape_lines", "escape_terminal", "xml_safe"]
