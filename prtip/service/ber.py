"""Just enough BER (X.690) to send LDAP's rootDSE search and read its answer.

Decoding never trusts a length: a truncated or lying TLV ends parsing with `BerError`, which
callers treat as "not LDAP", so hostile bytes cannot crash detection.
"""

from __future__ import annotations

from dataclasses import dataclass


class BerError(ValueError):
    """Bytes that are not well-formed BER."""


def tlv(tag: int, value: bytes) -> bytes:
    """One definite-length TLV."""
    n = len(value)
    if n < 0x80:
        length = bytes([n])
    else:
        raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
        length = bytes([0x80 | len(raw)]) + raw
    return bytes([tag]) + length + value


def integer(value: int, tag: int = 0x02) -> bytes:
    return tlv(tag, value.to_bytes(max(1, (value.bit_length() + 8) // 8), "big", signed=True))


def octets(value: bytes, tag: int = 0x04) -> bytes:
    return tlv(tag, value)


def sequence(*items: bytes, tag: int = 0x30) -> bytes:
    return tlv(tag, b"".join(items))


@dataclass(frozen=True)
class Element:
    """A decoded TLV: its tag byte and raw value (constructed values decode with `children`)."""

    tag: int
    value: bytes

    def children(self) -> list[Element]:
        return decode_all(self.value)

    def as_int(self) -> int:
        if not self.value or len(self.value) > 8:
            raise BerError("bad integer")
        return int.from_bytes(self.value, "big", signed=True)


def decode_one(data: bytes, offset: int = 0) -> tuple[Element, int]:
    """The TLV at `offset` and the offset just past it."""
    if offset + 2 > len(data):
        raise BerError("truncated header")
    tag = data[offset]
    if tag & 0x1F == 0x1F:
        raise BerError("multi-byte tags are not used by LDAP")
    first = data[offset + 1]
    pos = offset + 2
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        if count == 0 or count > 4 or pos + count > len(data):
            raise BerError("bad length")
        length = int.from_bytes(data[pos:pos + count], "big")
        pos += count
    end = pos + length
    if end > len(data):
        raise BerError("truncated value")
    return Element(tag, data[pos:end]), end


def decode_all(data: bytes) -> list[Element]:
    """Every TLV in `data`, which must hold nothing else."""
    out = []
    offset = 0
    while offset < len(data):
        element, offset = decode_one(data, offset)
        out.append(element)
    return out


def decode_prefix(data: bytes) -> list[Element]:
    """The complete TLVs at the start of `data` (a stream may end in a partial one)."""
    out = []
    offset = 0
    while offset < len(data):
        try:
            element, offset = decode_one(data, offset)
        except BerError:
            break
        out.append(element)
    return out
