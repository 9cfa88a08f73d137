"""Target specifications: every accepted form, exclusions, and errors that name the spec."""

from __future__ import annotations

import pytest

from prtip.errors import TargetSpecError
from prtip.targets import expand, parse_spec, split_exclude_list


def addresses(*specs: str, **kw) -> list[str]:
    return [t.address for t in expand(specs, **kw)]


def test_single_addresses_ipv4_and_ipv6():
    assert addresses("127.0.0.1", "::1") == ["127.0.0.1", "::1"]


def test_cidr_includes_network_and_broadcast_like_nmap():
    got = addresses("10.0.0.0/30")
    assert got == ["10.0.0.0", "10.0.0.1", "10.0.0.2", "10.0.0.3"]
    assert addresses("::1/128") == ["::1"]
    assert len(addresses("fe80::/120")) == 256


def test_octet_ranges_and_lists():
    assert addresses("192.168.1.1-3") == ["192.168.1.1", "192.168.1.2", "192.168.1.3"]
    assert addresses("10.0.0,1.5") == ["10.0.0.5", "10.0.1.5"]
    assert len(addresses("10.0.0.*")) == 256
    assert addresses("10.0.0.-2") == ["10.0.0.0", "10.0.0.1", "10.0.0.2"]


def test_hostname_resolved_once_and_kept_as_name():
    (target,) = expand(["localhost"])
    assert target.address == "127.0.0.1"
    assert target.hostname == "localhost"


def test_duplicates_scanned_once():
    assert addresses("127.0.0.1", "127.0.0.0/31", "127.0.0.1") == ["127.0.0.1", "127.0.0.0"]


def test_exclude_and_exclude_file(tmp_path):
    ex = tmp_path / "ex.txt"
    ex.write_text("# comment\n10.0.0.3  # trailing comment\n")
    got = addresses("10.0.0.0/29", excludes=["10.0.0.0,10.0.0.6-7"], exclude_files=[str(ex)])
    assert got == ["10.0.0.1", "10.0.0.2", "10.0.0.4", "10.0.0.5"]


def test_exclude_list_split_keeps_octet_lists():
    assert split_exclude_list("10.0.0.1,2,localhost,::1") == ["10.0.0.1,2", "localhost", "::1"]


def test_input_file(tmp_path):
    f = tmp_path / "targets.txt"
    f.write_text("127.0.0.1 127.0.0.2\n\n# nothing\n::1\n")
    assert addresses(input_files=[str(f)]) == ["127.0.0.1", "127.0.0.2", "::1"]


@pytest.mark.parametrize("spec, fragment", [
    ("10.0.0.300", "not within 0-255"),
    ("10.0.0.1/33", "10.0.0.1/33"),
    ("1.2.3", "not a valid IPv4 address"),
    ("no-such-host.invalid", "cannot resolve"),
    ("::1::2", "::1::2"),
    ("10.0.0.1/x", "bad prefix length"),
    ("10.0.0.0/4", "more than prtip scans"),
    ("10.0.0.5-2", "not within 0-255"),
    ("bad host!", "not an address"),
])
def test_bad_specs_name_the_spec(spec, fragment):
    with pytest.raises(TargetSpecError) as exc:
        parse_spec(spec)
    assert spec in str(exc.value)
    assert fragment in str(exc.value)


def test_missing_input_file_names_it(tmp_path):
    with pytest.raises(TargetSpecError, match="nope.txt"):
        expand([], input_files=[str(tmp_path / "nope.txt")])


def test_bad_line_in_input_file_says_where(tmp_path):
    f = tmp_path / "t.txt"
    f.write_text("127.0.0.1\n999.1.1.1\n")
    with pytest.raises(TargetSpecError, match="line 2"):
        expand([], input_files=[str(f)])
