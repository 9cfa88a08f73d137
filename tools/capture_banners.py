"""Capture the detection corpus (tests/data/banners/*.json) from real services on 127.0.0.1.

    tools/start_services.sh            # install and start the Debian services (root)
    .venv/bin/python tools/capture_banners.py [NAME...]

For each service below, the truth is written down by hand: nmap's service name, the product as
prtip names it, and the version *the bytes show* (None where the service hides it: Postfix,
Dovecot, ProFTPD's Debian greeting, PostgreSQL, OpenLDAP, rsync's program version). The tool
records the Debian package's version from dpkg and refuses a truth whose version is not part of
it, so a hand-written version cannot drift from what is installed.

Each file holds two captures: `capture` is exactly what `grab_banner` collects during a scan
(it stops once a probe proved enough); `exhaustive` sends every probe, so the golden tests also
check that identify picks the right answer among all the others (Redis answering HTTP...).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from prtip.service import capture_to_json, grab_banner  # noqa: E402
from prtip.service.udpgrabber import grab_udp  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "banners"
UNPACKED_DEBS = Path("/opt/prtip-services/debs")  # see tools/start_services.sh


@dataclass(frozen=True)
class Truth:
    """One service of the corpus and what it is, written down by hand."""

    name: str                  # corpus file name (and tools/start_services.sh service name)
    port: int
    package: str               # the Debian package the daemon comes from
    service: str               # nmap's service name
    product: str | None
    version: str | None        # as the bytes show it; None when the service does not show it
    tunnel: str | None = None  # "ssl" for TLS-wrapped services
    protocol: str = "tcp"


SERVICES = (
    Truth("openssh", 22, "openssh-server", "ssh", "OpenSSH", "9.2p1"),
    Truth("dropbear", 2222, "dropbear-bin", "ssh", "Dropbear sshd", "2022.83"),
    Truth("vsftpd", 21, "vsftpd", "ftp", "vsftpd", "3.0.3"),
    Truth("vsftpd-ftps", 990, "vsftpd", "ftp", "vsftpd", "3.0.3", "ssl"),
    Truth("proftpd", 2121, "proftpd-core", "ftp", "ProFTPD", None),
    Truth("postfix", 25, "postfix", "smtp", "Postfix smtpd", None),
    Truth("postfix-smtps", 465, "postfix", "smtp", "Postfix smtpd", None, "ssl"),
    Truth("exim", 2525, "exim4-daemon-light", "smtp", "Exim smtpd", "4.96"),
    Truth("dovecot-pop3", 110, "dovecot-pop3d", "pop3", "Dovecot pop3d", None),
    Truth("dovecot-imap", 143, "dovecot-imapd", "imap", "Dovecot imapd", None),
    Truth("dovecot-pop3s", 995, "dovecot-pop3d", "pop3", "Dovecot pop3d", None, "ssl"),
    Truth("dovecot-imaps", 993, "dovecot-imapd", "imap", "Dovecot imapd", None, "ssl"),
    Truth("nginx", 80, "nginx-light", "http", "nginx", "1.22.1"),
    Truth("nginx-https", 443, "nginx-light", "http", "nginx", "1.22.1", "ssl"),
    Truth("apache", 8080, "apache2", "http", "Apache httpd", "2.4.71"),
    Truth("apache-https", 8443, "apache2", "http", "Apache httpd", "2.4.71", "ssl"),
    Truth("lighttpd", 8081, "lighttpd", "http", "lighttpd", "1.4.69"),
    Truth("mariadb", 3306, "mariadb-server", "mysql", "MariaDB", "10.11.19"),
    Truth("postgresql", 5432, "postgresql-15", "postgresql", "PostgreSQL DB", None),
    Truth("redis", 6379, "redis-server", "redis", "Redis key-value store", "7.0.15"),
    Truth("memcached", 11211, "memcached", "memcached", "Memcached", "1.6.18"),
    Truth("mosquitto", 1883, "mosquitto", "mqtt", "Mosquitto", "2.0.11"),
    Truth("rsync", 873, "rsync", "rsync", None, None),
    Truth("slapd", 389, "slapd", "ldap", "OpenLDAP", None),
    Truth("bind9", 53, "bind9", "domain", "ISC BIND", "9.18.49"),
    Truth("bind9-udp", 53, "bind9", "domain", "ISC BIND", "9.18.49", protocol="udp"),
    Truth("dnsmasq", 5300, "dnsmasq-base", "domain", "dnsmasq", "2.90"),
    Truth("dnsmasq-udp", 5300, "dnsmasq-base", "domain", "dnsmasq", "2.90", protocol="udp"),
)


def package_version(package: str) -> str:
    """dpkg's version of an installed package, or of the unpacked .deb start_services.sh used."""
    done = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package],
                          capture_output=True, text=True)
    if done.returncode == 0 and done.stdout:
        return done.stdout
    for deb in sorted(UNPACKED_DEBS.glob(f"{package}_*.deb")):
        return subprocess.run(["dpkg-deb", "-f", str(deb), "Version"], capture_output=True,
                              text=True, check=True).stdout.strip()
    raise SystemExit(f"capture_banners: package {package} is neither installed nor unpacked")


async def capture(truth: Truth, timeout: float) -> dict:
    version = package_version(truth.package)
    if truth.version is not None and truth.version not in version:
        raise SystemExit(f"capture_banners: {truth.name}: truth version {truth.version} is not "
                         f"part of {truth.package} {version}")
    if truth.protocol == "udp":
        normal = exhaustive = await grab_udp("127.0.0.1", truth.port, timeout=timeout)
    else:
        normal = await grab_banner("127.0.0.1", truth.port, timeout=timeout)
        exhaustive = await grab_banner("127.0.0.1", truth.port, timeout=timeout, exhaustive=True)
    if normal.error or not normal.exchanges:
        raise SystemExit(f"capture_banners: {truth.name} on port {truth.port}: "
                         f"{normal.error or 'no answer'} (is tools/start_services.sh running?)")
    return {
        "name": truth.name,
        "captured": datetime.date.today().isoformat(),
        "package": truth.package,
        "package_version": version,
        "truth": {"name": truth.service, "product": truth.product, "version": truth.version,
                  "tunnel": truth.tunnel},
        "capture": capture_to_json(normal),
        "exhaustive": capture_to_json(exhaustive),
    }


async def main(names: list[str], timeout: float) -> None:
    CORPUS.mkdir(parents=True, exist_ok=True)
    chosen = [t for t in SERVICES if not names or t.name in names]
    for truth in chosen:
        record = await capture(truth, timeout)
        path = CORPUS / f"{truth.name}.json"
        path.write_text(json.dumps(record, indent=1) + "\n")
        print(f"{path.relative_to(CORPUS.parent.parent.parent)}: "
              f"{len(record['capture']['exchanges'])} exchanges")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("names", nargs="*", help="services to capture (default: all)")
    parser.add_argument("--timeout", type=float, default=3.0)
    args = parser.parse_args()
    asyncio.run(main(args.names, args.timeout))
