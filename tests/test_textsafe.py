"""prtip.textsafe: foreign text as one safe line (no control characters, idempotent)."""

from __future__ import annotations

import unicodedata

import pytest

from prtip.textsafe import escape, escape_lines, truncate_utf8

FORGED = "x\n2099-01-01 00:00:00,000 error plugin other: FORGED \x1b[31mRED"


def unsafe(text: str) -> list[str]:
    """Characters a log line or a terminal must never receive from foreign text."""
    return [c for c in text if unicodedata.category(c)[0] in "CZ" and c != " "]


def test_the_forged_log_line_stays_one_visible_line():
    out = escape(FORGED)
    assert out == "x\\n2099-01-01 00:00:00,000 error plugin other: FORGED \\x1b[31mRED"
    assert unsafe(out) == []


@pytest.mark.parametrize("code", [*range(0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029, 0x202E, 0x2066,
                                  0x200B, 0xFEFF, 0xE000, 0x10FFFF])
def test_every_control_and_invisible_character_is_escaped(code):
    out = escape(f"a{chr(code)}b")
    assert unsafe(out) == [] and out.startswith("a\\") and out.endswith("b")


def test_bytes_that_are_not_utf8_show_as_hex_and_utf8_is_kept():
    assert escape(b"caf\xc3\xa9 \xff\xfe\x1b") == "café \\xff\\xfe\\x1b"


def test_escaping_is_idempotent_and_keeps_backslashes():
    for text in (FORGED, "a\\nb", "\\x1b", b"\x00\x9b\xff".decode("latin-1")):
        assert escape(escape(text)) == escape(text)
    assert escape("C:\\dir") == "C:\\dir"


def test_limit_cuts_and_says_so():
    assert escape("abcdef", limit=3) == "abc..."
    assert escape("abc", limit=3) == "abc"


def test_escape_lines_splits_only_at_newlines():
    assert escape_lines("one\r\ntwo\rthree\x1b\n") == ["one", "two\\rthree\\x1b", ""]


@pytest.mark.parametrize("limit", range(0, 12))
def test_truncate_utf8_never_cuts_a_character(limit):
    data = "aé€😀b".encode()
    cut = truncate_utf8(data, limit)
    assert len(cut) <= limit and data.startswith(cut)
    cut.decode("utf-8")  # strict: no partial sequence left
    assert len(cut) > limit - 4
