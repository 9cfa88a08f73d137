"""Port specifications, top ports, exclusions, order, and service names."""

from __future__ import annotations

import random

import pytest

from prtip.errors import PortSpecError
from prtip.ports import parse_port_spec, select_ports, service_name, top_ports


def test_list_and_ranges():
    sel = select_ports("22,80,1000-1002", randomize=False)
    assert sel.tcp == (22, 80, 1000, 1001, 1002)
    assert sel.udp == ()


def test_dash_means_all_ports():
    assert select_ports("-", randomize=False).tcp == tuple(range(1, 65536))
    assert select_ports("60000-", randomize=False).tcp[-1] == 65535
    assert select_ports("-3", randomize=False).tcp == (1, 2, 3)


def test_protocol_prefixes_apply_until_the_next():
    parsed = parse_port_spec("U:53,161,T:21-22,80")
    assert parsed["udp"] == [53, 161] and parsed["tcp"] == [21, 22, 80]
    sel = select_ports("U:53,T:80", protocols=("tcp", "udp"), randomize=False)
    assert sel.tcp == (80,) and sel.udp == (53,)


def test_udp_only_spec_without_sU_is_an_error():
    with pytest.raises(PortSpecError, match="-sU"):
        select_ports("U:53", protocols=("tcp",))


def test_service_names_in_specs():
    assert 22 in select_ports("ssh", randomize=False).tcp


def test_top_ports_follow_nmap_frequencies():
    assert top_ports("tcp", 3) == [80, 23, 443]
    assert len(select_ports(fast=True).tcp) == 100
    assert len(select_ports(top=10).tcp) == 10
    assert len(select_ports().tcp) == 1000
    assert 53 in top_ports("udp", 10)


def test_exclude_ports():
    sel = select_ports("1-10", exclude="2-9", randomize=False)
    assert sel.tcp == (1, 10)


def test_random_order_by_default_and_sorted_with_r():
    rng = random.Random(1)
    shuffled = select_ports("1-1000", rng=rng).tcp
    assert sorted(shuffled) == list(range(1, 1001)) and list(shuffled) != sorted(shuffled)
    assert select_ports("1-1000", randomize=False).tcp == tuple(range(1, 1001))


@pytest.mark.parametrize("spec, fragment", [
    ("70000", "out of range"),
    ("80-20", "backwards"),
    ("nosuchservice", "not a port number"),
    ("X:80", "unknown protocol prefix"),
    ("", "empty"),
    ("22,,80", "empty item"),
])
def test_bad_specs_name_the_spec(spec, fragment):
    with pytest.raises(PortSpecError) as exc:
        select_ports(spec)
    assert repr(spec) in str(exc.value) and fragment in str(exc.value)


def test_service_name_table():
    assert service_name(22, "tcp") == "ssh"
    assert service_name(53, "udp") == "domain"
    assert service_name(1, "tcp") == "tcpmux"
    assert service_name(4, "tcp") == "unknown"


def test_service_names_searched_first_then_parsed_agree():
    """The first lookups search the table's text, later ones use the parsed dicts: same names."""
    from prtip.ports import _ServiceNames

    parsed = _ServiceNames()
    tables = {proto: parsed.table(proto) for proto in ("tcp", "udp")}
    searched = _ServiceNames()
    rnd = random.Random(7)
    probes = [(1, "tcp"), (1, "tcp"), (65535, "udp"), (64738, "udp"), (0, "tcp"), (22, "sctp")]
    probes += [(rnd.choice(sorted(tables[p])) if i % 2 else rnd.randrange(1, 65536), p)
               for i, p in enumerate(rnd.choice(("tcp", "udp")) for _ in range(3 * _ServiceNames.SEARCHES))]
    seen: set[tuple[int, str]] = set()
    for port, proto in probes + probes[:3]:  # a port asked again is not searched again
        seen.add((port, proto))
        assert searched.name(port, proto) == tables.get(proto, {}).get(port, "unknown"), (port, proto)
        assert (searched._tables is None) == (len(seen) <= _ServiceNames.SEARCHES)
