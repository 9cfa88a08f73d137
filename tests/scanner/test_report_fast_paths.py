"""The quick paths a large scan takes must give what the plain ones give: ``bare_result`` is a
PortResult in every field, a port's -oJ line is ``json.dumps`` of its document, and a host's
port order and state counts follow every ``add_result``."""

from __future__ import annotations

import dataclasses
from collections import Counter
import json

from hypothesis import given, strategies as st

from prtip.config import ScanConfig
from prtip.model import PortResult, ServiceInfo, HostStatus, Target, bare_result
from prtip.outputs.jsonout import _compact, port_document, port_json
from prtip.report import Report

texts = st.text(max_size=12)
states = st.sampled_from(["open", "closed", "filtered", "open|filtered", 'we"ird\\\n\u00e9'])
services = st.none() | st.builds(ServiceInfo, name=texts, product=st.none() | texts, version=st.none() | texts,
                                 info=st.none() | texts, os_type=st.none() | texts,
                                 confidence=st.floats(0, 1), method=texts, tunnel=st.none() | st.just("ssl"))
results = st.builds(PortResult, host=texts, port=st.integers(0, 65535), protocol=st.sampled_from(["tcp", "udp"]),
                    state=states, reason=states, service=services, banner=st.none() | st.binary(max_size=8),
                    plugins=st.dictionaries(texts, st.dictionaries(texts, st.integers() | texts, max_size=2),
                                            max_size=2))


@given(results)
def test_a_ports_json_line_is_json_dumps_of_its_document(r):
    assert port_json(r) == _compact(port_document(r)) == json.dumps(port_document(r), default=str)


@given(texts, st.integers(0, 65535), st.sampled_from(["tcp", "udp"]), states, states, st.none() | st.binary())
def test_a_bare_result_is_a_port_result(host, port, protocol, state, reason, banner):
    made = PortResult(host, port, protocol, state, reason, banner=banner)
    bare = bare_result(host, port, protocol, state, reason, banner)
    assert type(bare) is PortResult and bare == made and repr(bare) == repr(made)
    assert vars(bare) == vars(made)
    assert set(vars(bare)) == {f.name for f in dataclasses.fields(PortResult)}
    assert dataclasses.replace(bare, port=1) == dataclasses.replace(made, port=1)
    assert bare.plugins is not made.plugins  # each result has a mapping of its own


def test_port_order_and_counts_follow_every_added_result():
    report = Report(ScanConfig())
    report.host_started(HostStatus(Target("127.0.0.1"), up=True, reason="localhost-response"))
    host = report.hosts["127.0.0.1"]
    for port in (30, 10, 20):
        report.add_result(PortResult("127.0.0.1", port, "tcp", "closed", "conn-refused"))
    assert [r.port for r in host.ports()] == [10, 20, 30]
    assert host.state_counts() == {"closed": 3}
    report.add_result(PortResult("127.0.0.1", 20, "tcp", "open", "syn-ack"))  # same key, new state
    report.add_result(PortResult("127.0.0.1", 5, "udp", "open|filtered", "no-response"))
    assert [(r.protocol, r.port, r.state) for r in host.ports()] == [
        ("tcp", 10, "closed"), ("tcp", 20, "open"), ("tcp", 30, "closed"), ("udp", 5, "open|filtered")]
    assert host.state_counts() == {"closed": 2, "open": 1, "open|filtered": 1}
    assert host.ignored_summary({"closed"}) == [("closed", "tcp", "conn-refused", 2)]
    assert report.stats()["states"] == {"closed": 2, "open": 1, "open|filtered": 1}
    listed = host.ports()
    listed.clear()  # a caller's list is its own
    assert len(host.ports()) == 4


@given(st.lists(st.tuples(st.sampled_from(["tcp", "udp", "sctp"]), st.integers(0, 65535),
                          st.sampled_from(["open", "closed", "filtered"])), max_size=60),
       st.sets(st.sampled_from(["open", "closed", "filtered"])))
def test_a_hosts_listed_ports_and_counts_are_the_plain_passes(entries, ignored):
    report = Report(ScanConfig())
    report.host_started(HostStatus(Target("127.0.0.1"), up=True, reason="localhost-response"))
    host = report.hosts["127.0.0.1"]
    for protocol, port, state in entries:
        report.add_result(bare_result("127.0.0.1", port, protocol, state, "why"))
    plain = [host.results[k] for k in sorted(host.results)]
    assert host.ports() == plain
    assert host.listed(ignored) == [r for r in plain if r.state not in ignored]
    assert host.state_counts() == Counter(r.state for r in plain)
    assert list(host.state_counts().values()) == sorted(host.state_counts().values(), reverse=True)
