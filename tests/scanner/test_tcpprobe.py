"""tcpprobe.py writes TCP probes with struct: every byte must be what scapy builds for the same fields."""

from __future__ import annotations

import logging
import random
import warnings

import pytest

from prtip.scanners import tcpprobe

logging.getLogger("scapy").setLevel(logging.CRITICAL)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from scapy.layers.inet import IP, TCP

SCAPY_FLAGS = {"syn": "S", "fin": "F", "null": "", "xmas": "FPU", "ack": "A", "rst": "R"}


def scapy_segment(sport: int, dport: int, kind: str, seq: int, ack: int) -> TCP:
    return TCP(sport=sport, dport=dport, flags=SCAPY_FLAGS[kind], seq=seq, ack=ack, window=1024,
               options=[("MSS", 1460)] if kind == "syn" else [])


def random_ipv4(rng: random.Random) -> str:
    return ".".join(str(rng.randrange(256)) for _ in range(4))


@pytest.mark.parametrize("kind", list(SCAPY_FLAGS))
def test_ipv4_probes_are_scapys_bytes(kind):
    rng = random.Random(kind)
    for _ in range(300):
        src, dst = random_ipv4(rng), random_ipv4(rng)
        sport, dport = rng.randrange(65536), rng.randrange(65536)
        seq, ack = rng.getrandbits(32), rng.getrandbits(32)
        expected = bytes(IP(src=src, dst=dst, ttl=64, id=0x5052) / scapy_segment(sport, dport, kind, seq, ack))
        assert tcpprobe.tcp_packet(src, dst, sport, dport, kind, seq, ack) == expected


def test_a_template_patched_again_and_again_stays_exact():
    # the scan's hot path: one template, every port patched in place in turn
    template = tcpprobe.tcp_template("127.0.0.1", "127.0.0.1", 40000, "syn", 0xDEADBEEF)
    for dport in (*range(0, 70), *range(65466, 65536), 443, 1, 65535, 0, 8080):
        expected = IP(src="127.0.0.1", dst="127.0.0.1", ttl=64, id=0x5052) / scapy_segment(
            40000, dport, "syn", 0xDEADBEEF, 0)
        assert bytes(template.probe(dport)) == bytes(expected)


@pytest.mark.parametrize("kind", list(SCAPY_FLAGS))
def test_ipv6_probes_are_the_segment_with_the_checksum_left_to_the_kernel(kind):
    segment = scapy_segment(50000, 22, kind, 7, 9)
    segment.chksum = 0
    assert tcpprobe.tcp_packet("::1", "::1", 50000, 22, kind, 7, 9) == bytes(segment)


def test_ones_sum_pads_odd_lengths():
    assert tcpprobe.ones_sum(b"\x01") == 0x0100
    assert tcpprobe.ones_sum(b"\xff\xff\x00\x01") == 0x0001
