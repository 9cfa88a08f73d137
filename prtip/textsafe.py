"""Text from outside (plugins, banners, error values) made safe for one line of a log or a terminal.

Every sink that writes foreign text where a reader or a terminal interprets it — prtip.log,
stderr, progress lines, error summaries, the terminal's port table — passes it through
:func:`escape` (or :func:`escape_lines` for text whose line breaks are meant). The invariant:

- the result holds no C0 control character (U+0000–U+001F, so no newline, carriage return,
  tab or ESC), no DEL, no C1 control (U+0080–U+009F), and none of the other characters
  ``str.isprintable`` rejects (line/paragraph separators, bidi overrides, zero-width and other
  format characters, lone surrogates, unassigned code points), so foreign text can neither
  start a forged log line nor send a terminal escape sequence;
- each such character becomes a visible escape in Python's spelling: ``\\n``, ``\\r``,
  ``\\t``, ``\\xNN``, ``\\uNNNN``, ``\\UNNNNNNNN``; bytes that are not UTF-8 become ``\\xNN``;
- a backslash is kept as is, so escaping is idempotent: ``escape(escape(t)) == escape(t)``.
  Two sinks that both escape (the log formatter and an output) never double the
  backslashes. The price: a plugin can print the four characters ``\\x1b`` literally, which
  reads like an escape but is harmless text.
"""

from __future__ import annotations

__all__ = ["escape", "escape_lines", "truncate_utf8"]

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(c: str) -> str:
    named = _NAMED.get(c)
    if named is not None:
        return named
    n = ord(c)
    if 0xDC80 <= n <= 0xDCFF:  # a byte that was not UTF-8, kept by "surrogateescape"
        return f"\\x{n - 0xDC00:02x}"
    if n < 0x100:
        return f"\\x{n:02x}"
    if n < 0x10000:
        return f"\\u{n:04x}"
    return f"\\U{n:08x}"


def escape(text: str | bytes, limit: int | None = None) -> str:
    """``text`` as one safe line (see the module docstring); cut to ``limit`` characters, then "...".

    Bytes are read as UTF-8; bytes that are not become ``\\xNN``.
    """
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("utf-8", "surrogateescape")
    cut = limit is not None and len(text) > limit
    if cut:
        text = text[:limit]
    if not text.isprintable():  # the common case (plain text) costs one C-level scan
        text = "".join(c if c.isprintable() else _escape_char(c) for c in text)
    return text + "..." if cut else text


def escape_lines(text: str | bytes) -> list[str]:
    """Text whose line breaks are meant (a multi-line plugin answer, a traceback) as safe lines.

    Only ``\\n`` (and ``\\r\\n``) separate lines; every other control character, a lone ``\\r``
    included, is escaped inside its line.
    """
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("utf-8", "surrogateescape")
    lines = text.split("\n")
    return [escape(line[:-1] if line.endswith("\r") else line) for line in lines]


def truncate_utf8(data: bytes, limit: int) -> bytes:
    """At most ``limit`` bytes of ``data``, never ending inside a UTF-8 sequence it cut."""
    if len(data) <= limit:
        return data
    cut = data[:limit]
    # step back over continuation bytes to the start of the last sequence; drop it if incomplete
    i = len(cut) - 1
    while i >= 0 and i > len(cut) - 4 and 0x80 <= cut[i] < 0xC0:
        i -= 1
    if i >= 0 and cut[i] >= 0xC0:
        need = 2 if cut[i] < 0xE0 else 3 if cut[i] < 0xF0 else 4
        if len(cut) - i < need:
            cut = cut[:i]
    return cut
