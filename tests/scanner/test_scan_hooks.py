"""The plugin hook points: called in order, able to change results and add output."""

from __future__ import annotations

import json
from dataclasses import replace

from prtip.config import ScanConfig
from prtip.scanhooks import NoHooks, ScanHooks
from prtip.pipeline import execute
from prtip.timing import timing_for


class Recorder(NoHooks):
    def __init__(self) -> None:
        self.calls: list[str] = []

    def pre_scan(self, targets):
        self.calls.append("pre_scan")
        return targets

    def on_result(self, result):
        self.calls.append("on_result")
        if result.state == "open":
            return replace(result, plugins={"tagger": {"seen": "yes"}})
        return result

    def post_scan(self, results):
        self.calls.append(f"post_scan:{len(results)}")

    def format_result(self, result):
        return "tagger: hello\nsecond line" if result.plugins else None

    def finish(self):
        self.calls.append("finish")


def test_hooks_run_in_order_and_shape_outputs(listeners, tmp_path, capsys):
    a, _, closed = listeners
    hooks = Recorder()
    assert isinstance(hooks, ScanHooks)
    out = tmp_path / "s.json"
    config = ScanConfig(targets=("127.0.0.1",), ports=f"{a},{closed}", tcp_scan="connect",
                        resolve_names=False, timing=timing_for(4), outputs=(("json", str(out)),))
    assert execute(config, hooks) == 0
    assert hooks.calls == ["pre_scan", "on_result", "on_result", "post_scan:2", "finish"]
    stdout = capsys.readouterr().out
    # the hook's text, then the stored data as the normal output renders it (pluginvalues.py)
    assert f"{a}/tcp" in stdout and "| tagger: hello\n| second line\n| tagger:\n|_  seen: yes\n" in stdout
    ports = {p["port"]: p for p in json.loads(out.read_text())["hosts"][0]["ports"]}
    assert ports[a]["plugins"] == {"tagger": {"seen": "yes"}}
    assert ports[closed]["plugins"] == {}


def test_pre_scan_can_drop_targets(listeners, capsys):
    class DropAll(NoHooks):
        def pre_scan(self, targets):
            return []

    config = ScanConfig(targets=("127.0.0.1",), ports="1", tcp_scan="connect", timing=timing_for(4))
    assert execute(config, DropAll()) == 0
    assert "prtip scan report" not in capsys.readouterr().out


class Counting(NoHooks):
    """format_result's text says how many times it was asked."""

    def __init__(self) -> None:
        self.asked: list[int] = []

    def format_result(self, result):
        self.asked.append(result.port)
        return f"asked {len(self.asked)} times"


def test_format_result_is_asked_once_per_printed_port_and_travels_with_it(listeners, tmp_path, capsys):
    a, b, closed = listeners
    hooks = Counting()
    normal, out = tmp_path / "s.nmap", tmp_path / "s.json"
    config = ScanConfig(targets=("127.0.0.1",), ports=f"{a},{b},{closed}", tcp_scan="connect",
                        resolve_names=False, timing=timing_for(4),
                        outputs=(("normal", str(normal)), ("json", str(out))))
    assert execute(config, hooks) == 0
    assert sorted(hooks.asked) == sorted([a, b, closed])  # the terminal and -oN share one call
    stdout, file = capsys.readouterr().out, normal.read_text()
    for n in (1, 2, 3):
        assert f"|_asked {n} times\n" in stdout and f"|_asked {n} times\n" in file


def test_format_result_is_not_asked_for_ports_the_normal_output_does_not_print(listeners, capsys):
    a, _, closed = listeners
    hooks = Counting()
    config = ScanConfig(targets=("127.0.0.1",), ports=f"{a},{closed}", tcp_scan="connect", open_only=True,
                        resolve_names=False, timing=timing_for(4))
    assert execute(config, hooks) == 0
    assert hooks.asked == [a]  # --open: the closed port is "Not shown"
    hooks = Counting()
    config = ScanConfig(targets=("127.0.0.1",), ports=str(a), tcp_scan="connect", resolve_names=False,
                        timing=timing_for(4), outputs=(("xml", "-"),))
    assert execute(config, hooks) == 0
    assert hooks.asked == []  # -oX - alone: no normal output prints plugin text
