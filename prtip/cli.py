"""The `prtip` command: nmap's flags parsed by click into a ScanConfig, and `prtip db ...`.

A thin layer: it validates flag combinations, builds the ScanConfig and calls
pipeline.execute(); everything else lives in the pipeline's modules. Errors come out as one
line, ``prtip: error: <message>``, with exit status 2 for usage errors (click's and ours) and
1 for the rest: prtip's own (the PrtipError tree) through prtip.errors.reported, click's in
main(); Ctrl-C ends a scan with status 130 after writing what was found.
"""

from __future__ import annotations

import re
import shlex
import sys
import time
from collections import Counter

import click

from prtip import PLUGIN_API_VERSION, __version__
from prtip.config import TCP_SCAN_TYPES, ScanConfig
from prtip.errors import OptionError, reported
from prtip.outputs import ALL_EXTENSIONS, FLAGS
from prtip.timing import timing_for

_TIME = re.compile(r"^(\d+(?:\.\d+)?)(ms|s|m|h)?$")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, None: 1.0}


class TimeSpec(click.ParamType):
    """nmap's time values: 500ms, 30s, 5m, 1h, or plain seconds."""

    name = "time"

    def convert(self, value, param, ctx):  # type: ignore[override]
        if isinstance(value, float):
            return value
        m = _TIME.match(str(value).strip())
        if not m:
            self.fail(f"{value!r} is not a time (examples: 500ms, 30s, 5m, 1h)", param, ctx)
        return float(m.group(1)) * _UNITS[m.group(2)]


TIME = TimeSpec()
SCAN_FLAGS = {"-sT": "connect", "-sS": "syn", "-sF": "fin", "-sN": "null", "-sX": "xmas", "-sA": "ack"}
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _tcp_scan_type(flags: dict[str, bool], udp: bool, root: bool) -> str | None:
    chosen = [kind for flag, kind in SCAN_FLAGS.items() if flags[flag]]
    if len(chosen) > 1:
        names = ", ".join(TCP_SCAN_TYPES[k] for k in chosen)
        raise OptionError(f"only one TCP scan type at a time ({names} given)")
    if chosen:
        return chosen[0]
    if udp:
        return None
    return "syn" if root else "connect"  # nmap's default


SUBCOMMANDS = """\b
Other commands:
  prtip plugin new|test|validate|info|install|update|remove|list ...
                 write, check and install plugins (prtip plugin --help)
  prtip db list|show|diff ...
                 the scans stored with --db (prtip db --help)"""


@click.command(context_settings=CONTEXT, no_args_is_help=True, epilog=SUBCOMMANDS)
@click.argument("targets", nargs=-1)
# ---- targets ---------------------------------------------------------------------------------
@click.option("-iL", "input_files", multiple=True, metavar="FILE", help="Read targets from FILE ('-': stdin).")
@click.option("--exclude", "excludes", multiple=True, metavar="SPECS", help="Comma-separated targets to skip.")
@click.option("--exclude-file", "exclude_files", multiple=True, metavar="FILE", help="Skip the targets in FILE.")
@click.option("-n", "no_resolve", is_flag=True, help="Never do reverse DNS resolution.")
@click.option("-6", "ipv6", is_flag=True, help="Prefer IPv6 addresses of host names.")
# ---- ports -----------------------------------------------------------------------------------
@click.option("-p", "ports", metavar="SPEC", help="Ports: 22,80,1000-2000, U:53,T:80, '-' for all.")
@click.option("-F", "fast", is_flag=True, help="Fast: the 100 most common ports.")
@click.option("--top-ports", type=int, metavar="N", help="The N most common ports.")
@click.option("--exclude-ports", metavar="SPEC", help="Ports not to scan.")
@click.option("-r", "sequential", is_flag=True, help="Scan ports in order (default: random order).")
# ---- scan techniques -------------------------------------------------------------------------
@click.option("-sT", "sT", is_flag=True, help="TCP connect scan (no privileges needed).")
@click.option("-sS", "sS", is_flag=True, help="TCP SYN scan (root; the default as root).")
@click.option("-sU", "sU", is_flag=True, help="UDP scan.")
@click.option("-sF", "sF", is_flag=True, help="TCP FIN scan (root).")
@click.option("-sN", "sN", is_flag=True, help="TCP NULL scan (root).")
@click.option("-sX", "sX", is_flag=True, help="TCP Xmas scan (root).")
@click.option("-sA", "sA", is_flag=True, help="TCP ACK scan (root): filtered or unfiltered.")
@click.option("-sV", "sV", is_flag=True, help="Detect service names and versions on open ports.")
@click.option("--version-intensity", type=click.IntRange(0, 9), default=7, show_default=True,
              help="How many -sV probes to try (0-9).")
@click.option("-Pn", "no_ping", is_flag=True, help="Skip host discovery: treat every host as up.")
@click.option("-sn", "sn", is_flag=True, help="Host discovery only, no port scan.")
@click.option("--send-ip", "send_ip", is_flag=True,
              help="No ARP discovery on local Ethernet segments: probe with IP packets.")
# ---- timing ----------------------------------------------------------------------------------
@click.option("-T", "template", type=click.IntRange(0, 5), default=3, metavar="0-5",
              help="Timing template: 0 paranoid ... 3 normal ... 5 insane (see docs/SCANNING.md).")
@click.option("--max-retries", type=click.IntRange(0, 50), help="Retransmissions per probe.")
@click.option("--host-timeout", type=TIME, help="Give up on a host after this long.")
@click.option("--scan-delay", type=TIME, help="Wait this long between probes to a host.")
@click.option("--min-rate", type=click.FloatRange(min=0, min_open=True), help="Send at least N probes/s.")
@click.option("--max-rate", type=click.FloatRange(min=0, min_open=True), help="Send at most N probes/s.")
@click.option("--max-parallelism", type=click.IntRange(1), help="Most probes in flight per host.")
# ---- output ----------------------------------------------------------------------------------
@click.option("-oN", "out_normal", metavar="FILE", help="Normal output to FILE ('-': stdout).")
@click.option("-oG", "out_grepable", metavar="FILE", help="Grepable output to FILE.")
@click.option("-oX", "out_xml", metavar="FILE", help="nmap XML output to FILE.")
@click.option("-oJ", "out_json", metavar="FILE", help="JSON output to FILE (docs/OUTPUT.md).")
@click.option("-oA", "out_all", metavar="BASE", help="All formats: BASE.nmap .gnmap .xml .json.")
@click.option("--open", "open_only", is_flag=True, help="Show only open (or possibly open) ports.")
@click.option("--reason", is_flag=True, help="Show why each port is in its state.")
@click.option("-v", "verbose", count=True, help="More output: progress, discovered ports (-vv: more).")
@click.option("--db", "db_path", metavar="FILE", help="Also store the results in this SQLite file.")
# ---- at scale (docs/SCANNING.md "Scanning at scale") -----------------------------------------
@click.option("--seed", type=click.IntRange(0), metavar="N",
              help="Fix the random order of (target, port) probes (the same N on every shard).")
@click.option("--shard", metavar="I/N", help="Scan only part I of N of the probes (needs --seed).")
@click.option("--resume", "resume_path", metavar="FILE",
              help="Record progress in FILE; rerun with --resume FILE alone to continue an interrupted scan.")
@click.option("--cluster", metavar="ADDRESS",
              help="Run the scan's shards on a Dask cluster: tcp://HOST:8786, or local:N worker processes.")
# ---- plugins (prtip/plugins/integration.py) --------------------------------------------------
@click.option("--plugin", "plugins", multiple=True, metavar="NAME",
              help="Run this plugin (repeatable; NAME,NAME also works). See --list-plugins.")
@click.option("--list-plugins", is_flag=True,
              help="List installed plugins (NAME vVERSION (TYPE), source, state) and exit.")
@click.option("--plugin-output", metavar="PATH", help="File given to output plugins' export(results, path).")
@click.option("--log-level", type=click.Choice(["debug", "info", "warn", "error"], case_sensitive=False),
              default="warn", show_default=True,
              help="Messages shown on stderr (the log file $PRTIP_HOME/logs/prtip.log gets info and up).")
@click.version_option(__version__, "-V", "--version", prog_name="prtip",
                      message=f"%(prog)s %(version)s (plugin API {PLUGIN_API_VERSION}, Lua 5.4 by luavm)")
def scan_command(targets: tuple[str, ...], **o) -> None:
    """Scan TARGETS (addresses, CIDR blocks, octet ranges, host names) like nmap.

    Example: prtip -sV -p- 127.0.0.1
    """
    import os

    from prtip.pipeline import execute  # keep `prtip --help` fast
    from prtip.plugins.integration import list_plugins, scan_hooks, setup_logging  # luavm-free

    level = o["log_level"].lower()
    setup_logging(level)
    if o["list_plugins"]:
        for line in list_plugins():
            click.echo(line)
        return
    flags = {flag: o[flag[1:]] for flag in SCAN_FLAGS}
    tcp_scan = _tcp_scan_type(flags, o["sU"], os.geteuid() == 0)
    if o["sn"]:
        if any(flags.values()) or o["sU"] or o["sV"] or o["ports"]:
            raise OptionError("-sn (host discovery only) cannot be combined with a port scan")
        if o["no_ping"]:
            raise OptionError("-sn and -Pn together scan nothing")
        tcp_scan = None
    if not targets and not o["input_files"]:
        raise click.UsageError("no targets given (e.g. prtip 127.0.0.1, or -iL FILE)")
    outputs: list[tuple[str, str]] = []
    for flag, fmt in FLAGS.items():
        value = o[{"normal": "out_normal", "grepable": "out_grepable", "xml": "out_xml", "json": "out_json"}[fmt]]
        if value:
            outputs.append((fmt, value))
    if o["out_all"]:
        outputs.extend((fmt, f"{o['out_all']}.{ext}") for fmt, ext in ALL_EXTENSIONS.items())
    if sum(path == "-" for _, path in outputs) > 1:
        raise OptionError("only one output can go to stdout ('-')")
    if o["min_rate"] and o["max_rate"] and o["min_rate"] > o["max_rate"]:
        raise OptionError("--min-rate is greater than --max-rate")
    shard = None
    if o["shard"] is not None:
        from prtip.shards import Shard

        shard = Shard.parse(o["shard"])
        if o["seed"] is None:
            raise OptionError("--shard needs --seed N, the same on every machine, so the shards agree")
    if o["cluster"] and (o["shard"] or o["resume_path"]):
        raise OptionError("--cluster makes its own shards and cannot be combined with --shard or --resume")
    timing = timing_for(o["template"], max_retries=o["max_retries"], host_timeout=o["host_timeout"],
                        scan_delay=o["scan_delay"], min_rate=o["min_rate"], max_rate=o["max_rate"],
                        max_parallelism=o["max_parallelism"])
    config = ScanConfig(
        targets=targets, input_files=o["input_files"], excludes=o["excludes"],
        exclude_files=o["exclude_files"], ports=o["ports"], fast=o["fast"], top_ports=o["top_ports"],
        exclude_ports=o["exclude_ports"], randomize=not o["sequential"], tcp_scan=tcp_scan,
        udp_scan=o["sU"], version_detection=o["sV"], version_intensity=o["version_intensity"],
        skip_discovery=o["no_ping"], ping_only=o["sn"], send_ip=o["send_ip"], resolve_names=not o["no_resolve"], prefer_ipv6=o["ipv6"],
        timing=timing, open_only=o["open_only"], show_reason=o["reason"], verbosity=o["verbose"],
        outputs=tuple(outputs), db_path=o["db_path"], args=_command_line(),
        seed=o["seed"], shard=shard, resume_path=o["resume_path"], cluster=o["cluster"],
        argv=tuple((click.get_current_context().obj or {}).get("argv", sys.argv[1:])),
        plugins=_plugin_names(o["plugins"]), plugin_output=o["plugin_output"], log_level=level,
    )
    status = execute(config, scan_hooks(config))
    if status:
        sys.exit(status)


def _resumed_command(args: list[str]) -> list[str]:
    """``prtip --resume FILE`` alone: the command line the journal recorded (nmap's --resume)."""
    if len(args) == 2 and args[0] == "--resume":
        path = args[1]
    elif len(args) == 1 and args[0].startswith("--resume="):
        path = args[0].partition("=")[2]
    else:
        return args
    from prtip.journal import stored_command

    return stored_command(path)


def _command_line() -> str:
    return "prtip " + shlex.join(sys.argv[1:]) if sys.argv[1:] else "prtip"


def _plugin_names(values: tuple[str, ...]) -> tuple[str, ...]:
    """--plugin a,b --plugin a: ("a", "b"), in the order given, each once."""
    names: list[str] = []
    for value in values:
        for name in value.split(","):
            name = name.strip()
            if name and name not in names:
                names.append(name)
    return tuple(names)


# ---- prtip db ------------------------------------------------------------------------------------
DB_OPTION = click.option("--db", "db_path", envvar="PRTIP_DB", required=True, metavar="FILE",
                         help="The SQLite file given to --db when scanning (or $PRTIP_DB).")


@click.group(context_settings=CONTEXT)
def db_command() -> None:
    """Look at scans stored with --db: list them, show one, diff two."""


@db_command.command("list")
@DB_OPTION
def db_list(db_path: str) -> None:
    """List the stored scans."""
    from prtip import db
    scans = db.list_scans(db_path)
    rows = [["ID", "STARTED", "TYPE", "HOSTS", "UP", "ARGS"]]
    for s in scans:
        started = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(s.started))
        rows.append([str(s.id), started, s.scan_type, str(s.hosts_total), str(s.hosts_up),
                     s.args + (" (interrupted)" if s.interrupted else "")])
    from prtip.outputs.normal import table
    click.echo("\n".join(table(rows)))


@db_command.command("show")
@click.argument("scan_id", type=int)
@DB_OPTION
def db_show(scan_id: int, db_path: str) -> None:
    """Show the results of one scan."""
    import json

    from prtip import db
    from prtip.outputs.normal import plugin_lines, port_extra, table
    from prtip.textsafe import escape
    scan, rows = db.get_scan(db_path, scan_id)
    started = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(scan.started))
    click.echo(f"Scan {scan.id}: {scan.args} ({started}, {scan.hosts_up}/{scan.hosts_total} hosts up)")
    by_host: dict[str, list] = {}
    for row in rows:
        by_host.setdefault(row["address"], []).append(row)
    for address, host_rows in by_host.items():
        name = host_rows[0]["hostname"]
        click.echo(f"\n{name} ({address})" if name else f"\n{address}")
        click.echo(f"Host is {host_rows[0]['host_status']}.")
        ports = [r for r in host_rows if r["port"] is not None]
        counts = Counter(r["state"] for r in ports)
        hidden = {s for s, n in counts.items() if s != "open" and n > 25}
        if hidden:
            click.echo("Not shown: " + ", ".join(f"{counts[s]} {s}" for s in sorted(hidden)))
        shown = [r for r in ports if r["state"] not in hidden]
        if shown:
            lines = [["PORT", "STATE", "SERVICE", "VERSION"]] + [
                [f"{r['port']}/{r['protocol']}", r["state"], escape(r["service_name"] or ""),
                 escape(" ".join(p for p in (r["product"], r["version"]) if p))] for r in shown]
            extra = {i: port_extra(None, json.loads(r["plugins"])) for i, r in enumerate(shown, 1) if r["plugins"]}
            for i, line in enumerate(table(lines)):
                click.echo(line)
                if i in extra:
                    click.echo("\n".join(plugin_lines(extra[i])))


@db_command.command("diff")
@click.argument("old_id", type=int)
@click.argument("new_id", type=int)
@DB_OPTION
def db_diff(old_id: int, new_id: int, db_path: str) -> None:
    """What changed from scan OLD_ID to scan NEW_ID (+ new, - gone, ~ changed).

    Exit status as ndiff's: 0 when the scans agree, 1 when they differ, 2 on an error."""
    from prtip import db
    changes = db.diff(db_path, old_id, new_id)
    for change in changes:
        click.echo(change.line())
    if not changes:
        click.echo(f"No differences between scan {old_id} and scan {new_id}.")
    raise click.exceptions.Exit(1 if changes else 0)


# ---- entry point ---------------------------------------------------------------------------------
def is_scan_command(args: list[str]) -> bool:
    """Whether main(args) runs a scan (not `prtip plugin|db ...`, help, the version or
    --list-plugins): the console script imports the pipeline early only then (prtip/launch.py)."""
    quick = {"-h", "--help", "-V", "--version", "--list-plugins"}
    return bool(args) and args[0] not in ("plugin", "db") and not quick.intersection(args)


def main(argv: list[str] | None = None) -> None:
    """Console script: dispatch `prtip db ...` or a scan; one-line errors, nmap-like exit codes."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["plugin"]:
        from prtip.tooling.cli import plugin_group

        command, name, args = plugin_group, "prtip plugin", args[1:]
    elif args[:1] == ["db"]:
        command, name, args = db_command, "prtip db", args[1:]
    else:
        command, name = scan_command, "prtip"
    try:
        with reported("prtip"):  # `prtip plugin` has its own, which names it (tooling/cli.py)
            if command is scan_command:
                args = _resumed_command(args)
            status = command.main(args, prog_name=name, standalone_mode=False, obj={"argv": args})
        if isinstance(status, int) and status:
            sys.exit(status)
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help() if exc.ctx else "", err=False)
        sys.exit(0)
    except click.NoSuchOption as exc:
        # nmap-style flags are parsed as short options: '-sZ' fails as '-s'; name what was typed
        typed = next((a for a in args if a.startswith(exc.option_name) and a.startswith("-")), exc.option_name)
        click.echo(f"prtip: error: no such option: {typed} (see prtip --help)", err=True)
        sys.exit(2)
    except click.UsageError as exc:
        click.echo(f"prtip: error: {exc.format_message()} (see prtip --help)", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        click.echo(f"prtip: error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        sys.exit(130)
    except KeyboardInterrupt:
        click.echo("prtip: interrupted", err=True)
        sys.exit(130)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
