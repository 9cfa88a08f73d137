"""ARP host discovery on directly attached Ethernet subnets (nmap's -PR), and those subnets.

On a local segment an ARP reply is the surest and fastest sign of life: a host that firewalls
every IP probe still answers ARP, and one that does not answer ARP cannot be reached by IP at
all (the kernel's own neighbour resolution would make every connect() wait ~3 s to learn
that). So, as root and unless --send-ip, targets on an attached Ethernet subnet are asked by
ARP only: who-has requests go out on an AF_PACKET socket (templates built by scapy in
scanners/packets.py, the first one per target, then patched bytes), replies are parsed with
struct, and unanswered targets are asked again a few times with a short timeout.

The network and broadcast addresses of an attached subnet are never hosts (bind() accepts the
broadcast address, which must not make it "this machine").
"""

from __future__ import annotations

import asyncio
import fcntl
import ipaddress
import socket
import struct
import time
from dataclasses import dataclass
from typing import Iterable

ETH_P_ARP = 0x0806
ARP_TIMEOUT = 0.5  # per round; replies on a segment come in well under a millisecond
ARP_ROUNDS = 3  # nmap asks an unanswered address a few times too
_SIOCGIFFLAGS, _SIOCGIFADDR, _SIOCGIFNETMASK, _SIOCGIFHWADDR = 0x8913, 0x8915, 0x891B, 0x8927
_IFF_UP, _IFF_BROADCAST, _IFF_LOOPBACK, _IFF_NOARP = 0x1, 0x2, 0x8, 0x80
_ARPHRD_ETHER = 1


@dataclass(frozen=True)
class LocalLink:
    """One directly attached IPv4 Ethernet subnet: the interface, our address and MAC on it."""

    interface: str
    network: ipaddress.IPv4Network
    address: str
    mac: str

    def is_host_address(self, address: str) -> bool:
        """In the subnet and neither its network nor its broadcast address."""
        ip = ipaddress.IPv4Address(address)
        if ip not in self.network:
            return False
        if self.network.prefixlen >= 31:  # point-to-point: both addresses are hosts
            return True
        return ip not in (self.network.network_address, self.network.broadcast_address)


def _ioctl(sock: socket.socket, request: int, name: str) -> bytes:
    return fcntl.ioctl(sock.fileno(), request, struct.pack("256s", name.encode()[:15]))


def local_links() -> list[LocalLink]:
    """The attached Ethernet subnets that are up (one address per interface, as SIOCGIFADDR)."""
    links = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for _, name in socket.if_nameindex():
            try:
                flags = struct.unpack_from("H", _ioctl(s, _SIOCGIFFLAGS, name), 16)[0]
                if not flags & _IFF_UP or flags & (_IFF_LOOPBACK | _IFF_NOARP) or not flags & _IFF_BROADCAST:
                    continue
                hw = _ioctl(s, _SIOCGIFHWADDR, name)
                if struct.unpack_from("H", hw, 16)[0] != _ARPHRD_ETHER:
                    continue
                addr = socket.inet_ntoa(_ioctl(s, _SIOCGIFADDR, name)[20:24])
                mask = socket.inet_ntoa(_ioctl(s, _SIOCGIFNETMASK, name)[20:24])
            except OSError:  # no IPv4 address on it
                continue
            mac = ":".join(f"{b:02x}" for b in hw[18:24])
            links.append(LocalLink(name, ipaddress.IPv4Network(f"{addr}/{mask}", strict=False), addr, mac))
    return links


def link_for(address: str, links: Iterable[LocalLink]) -> LocalLink | None:
    """The attached subnet holding `address` (IPv4 only), or None."""
    if ":" in address:
        return None
    ip = ipaddress.IPv4Address(address)
    return next((link for link in links if ip in link.network), None)


def is_subnet_edge(address: str, links: Iterable[LocalLink]) -> bool:
    """True for the network or broadcast address of an attached subnet (never a host)."""
    link = link_for(address, links)
    return link is not None and not link.is_host_address(address)


def _parse_reply(frame: bytes) -> tuple[str, str] | None:
    """(sender IP, sender MAC) of an ARP reply frame, else None."""
    if len(frame) < 42 or frame[12:14] != b"\x08\x06" or frame[20:22] != b"\x00\x02":
        return None
    mac = ":".join(f"{b:02x}" for b in frame[22:28])
    return socket.inet_ntoa(frame[28:32]), mac


async def arp_sweep(link: LocalLink, addresses: Iterable[str], *, timeout: float = ARP_TIMEOUT,
                    rounds: int = ARP_ROUNDS) -> dict[str, tuple[str, float]]:
    """Ask every address of `link` who has it; {address: (MAC, latency)} of those that answered."""
    from prtip.scanners.packets import arp_request

    wanted = [a for a in dict.fromkeys(addresses)]
    if not wanted:
        return {}
    template = bytearray(arp_request(link.mac, link.address, "0.0.0.0"))
    loop = asyncio.get_running_loop()
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ARP))
    sock.bind((link.interface, ETH_P_ARP))
    sock.setblocking(False)
    found: dict[str, tuple[str, float]] = {}
    sent_at: dict[str, float] = {}
    all_answered = loop.create_future()
    wanted_set = set(wanted)

    def on_readable() -> None:
        while True:
            try:
                frame = sock.recv(2048)
            except (BlockingIOError, InterruptedError):
                return
            reply = _parse_reply(frame)
            if reply and reply[0] in wanted_set and reply[0] not in found:
                found[reply[0]] = (reply[1], time.monotonic() - sent_at.get(reply[0], time.monotonic()))
                if len(found) == len(wanted_set) and not all_answered.done():
                    all_answered.set_result(None)

    loop.add_reader(sock.fileno(), on_readable)
    try:
        for _ in range(rounds):
            pending = [a for a in wanted if a not in found]
            if not pending:
                break
            for address in pending:
                template[38:42] = socket.inet_aton(address)
                sent_at.setdefault(address, time.monotonic())
                try:
                    sock.send(template)
                except BlockingIOError:
                    await asyncio.sleep(0.001)
                    sock.send(template)
            try:
                await asyncio.wait_for(asyncio.shield(all_answered), timeout)
            except asyncio.TimeoutError:
                pass
    finally:
        loop.remove_reader(sock.fileno())
        sock.close()
    return found
