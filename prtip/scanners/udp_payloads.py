"""Protocol payloads for -sU: a UDP service only answers a request it understands.

An empty datagram gets no reply from most UDP services, so an open DNS or SNMP server would
look exactly like a firewall ("open|filtered"). For the common services we send a real,
harmless request (a status or version query), as nmap's nmap-payloads does.
"""

from __future__ import annotations

import struct


def _ber(tag: int, content: bytes) -> bytes:
    """A BER TLV with short-form length (SNMP messages here are < 128 bytes)."""
    return bytes([tag, len(content)]) + content


def _snmp_get_sysdescr(community: bytes = b"public") -> bytes:
    """SNMPv2c GetRequest for sysDescr.0 (1.3.6.1.2.1.1.1.0)."""
    oid = _ber(0x06, bytes([0x2B, 6, 1, 2, 1, 1, 1, 0]))
    varbind = _ber(0x30, oid + b"\x05\x00")
    pdu = _ber(0xA0, _ber(0x02, b"\x50\x52") + _ber(0x02, b"\x00") + _ber(0x02, b"\x00")
               + _ber(0x30, varbind))
    return _ber(0x30, _ber(0x02, b"\x01") + _ber(0x04, community) + pdu)


def _dns_query(name: str, qtype: int, qclass: int, ident: int = 0x5052, flags: int = 0x0100) -> bytes:
    labels = b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\x00"
    return struct.pack("!HHHHHH", ident, flags, 1, 0, 0, 0) + labels + struct.pack("!HH", qtype, qclass)


DNS_VERSION_BIND = _dns_query("version.bind", 16, 3)  # TXT CH: answered even when not recursive
MDNS_SERVICES = _dns_query("_services._dns-sd._udp.local", 12, 1, ident=0, flags=0)
NTP_CLIENT = b"\xe3" + b"\x00" * 47  # NTPv4 client request (LI=3, VN=4, mode 3)
NETBIOS_NODE_STATUS = (struct.pack("!HHHHHH", 0x8052, 0, 1, 0, 0, 0)
                       + b"\x20" + b"CK" + b"A" * 30 + b"\x00" + struct.pack("!HH", 0x21, 1))
RPC_PORTMAP_NULL = struct.pack("!IIIIIIIIII", 0x50525450, 0, 2, 100000, 2, 0, 0, 0, 0, 0)
SSDP_MSEARCH = (b"M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\n"
                b"MX: 1\r\nST: ssdp:all\r\n\r\n")
MEMCACHED_STATS = b"\x00\x01\x00\x00\x00\x01\x00\x00stats\r\n"
TFTP_READ = b"\x00\x01prtip.txt\x00octet\x00"
SIP_OPTIONS = (b"OPTIONS sip:nm SIP/2.0\r\nVia: SIP/2.0/UDP nm;branch=z9hG4bKprtip;rport\r\n"
               b"From: <sip:nm@nm>;tag=prtip\r\nTo: <sip:nm2@nm2>\r\nCall-ID: 50000\r\nCSeq: 42 OPTIONS\r\n"
               b"Max-Forwards: 70\r\nContent-Length: 0\r\nContact: <sip:nm@nm>\r\nAccept: application/sdp\r\n\r\n")
STUN_BINDING = struct.pack("!HHI", 1, 0, 0x2112A442) + b"prtip-stun!!"
IPMI_RMCP_PING = bytes.fromhex("0600ff06000011be80000000")
RIP_REQUEST = b"\x01\x02\x00\x00" + b"\x00" * 16 + b"\x00\x00\x00\x10"
MSSQL_PING = b"\x02"
XDMCP_QUERY = b"\x00\x01\x00\x02\x00\x01\x00"
ECHO = b"prtip\r\n"

PAYLOADS: dict[int, bytes] = {
    7: ECHO,
    53: DNS_VERSION_BIND,
    69: TFTP_READ,
    111: RPC_PORTMAP_NULL,
    123: NTP_CLIENT,
    137: NETBIOS_NODE_STATUS,
    161: _snmp_get_sysdescr(),
    177: XDMCP_QUERY,
    520: RIP_REQUEST,
    623: IPMI_RMCP_PING,
    1434: MSSQL_PING,
    1900: SSDP_MSEARCH,
    3478: STUN_BINDING,
    5060: SIP_OPTIONS,
    5353: MDNS_SERVICES,
    5355: _dns_query("prtip", 1, 1),  # LLMNR
    11211: MEMCACHED_STATS,
}


def payload_for(port: int) -> bytes:
    """The request to send to a UDP port (empty when no protocol is known for it)."""
    return PAYLOADS.get(port, b"")
