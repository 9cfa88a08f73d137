"""Plugin: one plugin's life — load, hook calls under fresh budgets, hot reload, unload.

This is the one boundary where luavm's errors become the plugin host's: a Lua error, a limit
or a bad value in a hook becomes a PluginFault (logged with plugin, hook, file and line, and
handed to ``on_fault``); during a scan nothing a plugin does raises into the pipeline.

Hot reload: before every hook call the plugin's main.lua and plugin.toml are checked (mtime
and size, and the SHA-256 of the content when those changed or are too recent to trust), when
the plugin folder's watch (watch.py: inotify) says something in it may have changed. A
change builds a complete new instance — new runtime, main chunk, ``on_load`` — and only when
that succeeds is the old instance given ``on_unload`` and dropped; if it fails, the old
instance keeps running and the failure is logged once per version of the files.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, NamedTuple, Sequence

from luavm import LimitExceeded, LuaError, LuaRuntime, LuaSyntaxError, LuaTable, typename

from prtip.plugins.api import PluginApi
from prtip.plugins.context import CallState, ScanContext, TargetRef
from prtip.plugins.locations import MAIN_FILE, FoundPlugin
from prtip.plugins.errors import ManifestError, PluginFault, PluginLoadError
from prtip.plugins.manifest import MANIFEST_FILE, Manifest, load_manifest
from prtip.plugins.runner import CallClock, HookAbandoned, HookOverrun, HookRunner
from prtip.plugins.sandbox import new_runtime
from prtip.plugins.settings import PluginSettings
from prtip.plugins.tables import config_table
from prtip.plugins.watch import watch_folder

HOOKS = {
    "scan": ("pre_scan", "on_target", "post_scan"),
    "output": ("format_result", "export"),
    "detection": ("analyze_banner", "probe_service"),
}
LIFECYCLE = ("on_load", "on_unload")
ALL_HOOKS = LIFECYCLE + tuple(h for hooks in HOOKS.values() for h in hooks)
# names authors (and other plugin systems) use for prtip's hooks: a friendly hint, not an alias
MISNAMED = {"on_result": "on_target", "on_port": "on_target", "analyze": "analyze_banner",
            "probe": "probe_service", "format": "format_result", "init": "on_load", "on_init": "on_load",
            "cleanup": "on_unload", "pre_scan_hook": "pre_scan", "export_results": "export"}
MAX_SOURCE = 16 * 2**20
MAX_ABANDONED = 3  # stuck calls after which a plugin is not loaded again during the scan
SLOW_CALL = 1.0  # seconds: a hook call this long is logged with its duration
RECENT = 2.0  # seconds: a file changed this recently may change again within the same mtime tick

log = logging.getLogger("prtip.plugins")


@dataclass(frozen=True)
class FileStamp:
    mtime_ns: int
    size: int
    digest: str | None
    taken: float  # when the stamp was taken (time.time())


def stamp(path: Path | str, previous: FileStamp | None = None) -> FileStamp | None:
    """The file's stamp; the hash is recomputed only when mtime/size moved or are recent."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    now = time.time()
    if (previous is not None and previous.mtime_ns == st.st_mtime_ns and previous.size == st.st_size
            and st.st_mtime_ns / 1e9 < previous.taken - RECENT):
        return previous
    try:
        with open(path, "rb") as fh:
            digest = hashlib.sha256(fh.read(MAX_SOURCE + 1)).hexdigest()
    except OSError:
        digest = None
    return FileStamp(st.st_mtime_ns, st.st_size, digest, now)


def same_content(a: FileStamp | None, b: FileStamp | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.digest == b.digest and a.size == b.size


class HookCall(NamedTuple):
    """One call to make: the hook's arguments and the port result it is about (if any).
    (HookCall and CallOutcome are made once per port result and plugin: tuples, as a frozen
    dataclass costs three times as much to build.)"""

    args: tuple
    target: TargetRef | None = None


class CallOutcome(NamedTuple):
    """How one call ended on the Lua thread: values, or the exception it raised (not both)."""

    state: CallState
    values: tuple | None
    error: BaseException | None
    took: float  # seconds


@dataclass(frozen=True)
class CallResult:
    """What a hook call produced: its return values (empty when it failed or is missing)."""

    ok: bool
    values: tuple = ()
    additions: dict | None = None  # prtip.add_result data of this call

    @property
    def first(self) -> Any:
        return self.values[0] if self.values else None


class Instance:
    """One loaded version of a plugin: its runtime, API tables and defined hooks."""

    def __init__(self, manifest: Manifest, rt: LuaRuntime, api: PluginApi, hooks: frozenset[str],
                 stamps: tuple[FileStamp | None, FileStamp | None]) -> None:
        self.manifest, self.rt, self.api, self.hooks, self.stamps = manifest, rt, api, hooks, stamps

    def close(self) -> None:
        self.api.close()
        self.rt.close()


class StuckLoad(PluginLoadError):
    """Loading stopped because its thread was abandoned (runner.py): the runtime is still in use."""


def overrun_message(rt: LuaRuntime, exc: BaseException) -> str:
    """A call stopped by the host's watchdog reads as the time limit it outlived."""
    limit = rt.limits.seconds
    why = "interrupted by the host" if isinstance(exc, HookOverrun) else f"abandoned by the host: {exc}"
    return f"time limit of {limit:g} s exceeded ({why})"


def error_text(value: Any) -> str:
    """A Lua error value as text, without running any metamethod (lua.c's wording)."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if value is None:
        return "nil"
    if isinstance(value, (int, float, bool)):
        return str(value).lower() if isinstance(value, bool) else str(value)
    kind = "table" if isinstance(value, LuaTable) else "userdata"
    return f"(error object is a {kind} value)"


class Plugin:
    """A plugin the host can call; ``code`` is the running instance (None when not loaded)."""

    def __init__(self, found: FoundPlugin, settings: PluginSettings, scan: ScanContext | None = None,
                 on_fault: Callable[[PluginFault], None] | None = None) -> None:
        self.name, self.path, self.source = found.name, found.path, found.source
        self.settings = settings
        self.scan = scan if scan is not None else ScanContext()
        self.on_fault = on_fault or (lambda fault: None)
        self.log = logging.getLogger(f"prtip.plugins.{self.name}")
        self.code: Instance | None = None
        self.failed_stamps: tuple | None = None  # files whose reload already failed (logged once)
        self.reloads = 0
        self.hot_reload = True
        self.stuck_calls = 0
        # checked before every hook call (hot reload): kept as strings, no pathlib per call
        self._watched = (str(self.path / MAIN_FILE), str(self.path / MANIFEST_FILE))
        self._folder = watch_folder(str(self.path), self._watched)  # before the first load

    # ------------------------------------------------------------------ properties

    @property
    def manifest(self) -> Manifest | None:
        return self.code.manifest if self.code else None

    @property
    def plugin_type(self) -> str | None:
        return self.code.manifest.plugin_type if self.code else None

    @property
    def main_path(self) -> Path:
        return self.path / MAIN_FILE

    @property
    def chunkname(self) -> str:
        return f"{self.name}/{MAIN_FILE}"

    def has(self, capability: str) -> bool:
        return self.code is not None and self.code.manifest.has(capability)

    def has_hook(self, hook: str) -> bool:
        return self.code is not None and hook in self.code.hooks

    # ------------------------------------------------------------------ loading

    def _stamps(self, previous: tuple | None = None) -> tuple[FileStamp | None, FileStamp | None]:
        prev = previous or (None, None)
        return (stamp(self._watched[0], prev[0]), stamp(self._watched[1], prev[1]))

    def _build(self) -> Instance:
        """A new, fully loaded instance (main chunk run, on_load accepted) or PluginLoadError."""
        stamps = self._stamps()
        try:
            manifest = load_manifest(self.path)
        except ManifestError as exc:
            raise PluginLoadError(self.name, str(exc)) from None
        try:
            with open(self.main_path, "rb") as fh:
                source = fh.read(MAX_SOURCE + 1)
        except OSError as exc:
            raise PluginLoadError(self.name, f"{self.main_path}: {exc.strerror or exc}") from None
        if len(source) > MAX_SOURCE:
            raise PluginLoadError(self.name, f"{self.main_path}: larger than {MAX_SOURCE} bytes")
        rt = new_runtime(self.settings.limits_for(self.name), self.log)
        api = PluginApi(rt, manifest, self.settings, self.scan, self.log)
        try:
            api.install()
            try:
                main = rt.load(source, "@" + self.chunkname, persistent=True)
            except LuaSyntaxError as exc:
                raise PluginLoadError(self.name, error_text(exc.value)) from None
            self._run(rt, api, "main chunk", main)
            hooks = frozenset(h for h in ALL_HOOKS if callable(rt.globals.get(h.encode())))
            self._check_hooks(manifest, hooks, rt)
            instance = Instance(manifest, rt, api, hooks, stamps)
            if "on_load" in hooks:
                r = self._run(rt, api, "on_load", rt.globals[b"on_load"], config_table(manifest.config))
                verdict = r[0] if r else None
                if verdict is False:
                    raise PluginLoadError(self.name, "on_load returned false")
                if isinstance(verdict, bytes):
                    raise PluginLoadError(self.name, f"on_load refused: {error_text(verdict)}")
                if verdict is not None and verdict is not True:
                    raise PluginLoadError(self.name, "on_load must return true, false or a message, "
                                          f"not a {typename(verdict)}")
            return instance
        except BaseException as exc:
            api.close()
            if not isinstance(exc, StuckLoad):  # a stuck thread still holds the runtime: leave it be
                rt.close()
            raise

    def _run(self, rt: LuaRuntime, api: PluginApi, what: str, fn: Any, *args: Any) -> tuple:
        """Run load-time code under a fresh budget; errors become PluginLoadError."""
        rt.reset_budget()
        api.begin(CallState(what))
        try:
            return self._on_thread(rt, fn, args)
        except LuaError as exc:
            raise PluginLoadError(self.name, f"{what}: {error_text(exc.value)}") from None
        except LimitExceeded as exc:
            line = self.limit_line(exc)
            where = f"{self.main_path}:{line}" if line else str(self.main_path)
            raise PluginLoadError(self.name, f"{what}: {where}: {exc}") from None
        except HookOverrun as exc:
            raise PluginLoadError(self.name, f"{what}: {overrun_message(rt, exc)} [{self.main_path}]") from None
        except HookAbandoned as exc:
            raise StuckLoad(self.name, f"{what}: {overrun_message(rt, exc)} [{self.main_path}]") from None
        except RecursionError:
            raise PluginLoadError(self.name, f"{what}: stack overflow") from None
        finally:
            api.end()

    def _check_hooks(self, manifest: Manifest, hooks: frozenset[str], rt: LuaRuntime) -> None:
        mine = HOOKS[manifest.plugin_type]
        if not hooks & set(mine):
            raise PluginLoadError(self.name, f"a {manifest.plugin_type} plugin must define at least one of "
                                  f"{', '.join(mine)} (found none in {self.main_path})")
        for hook in sorted(hooks - set(mine) - set(LIFECYCLE)):
            kind = next(k for k, names in HOOKS.items() if hook in names)
            self.log.warning("defines %s, a %s plugin hook; as a %s plugin it will not be called",
                             hook, kind, manifest.plugin_type)
        for wrong, right in MISNAMED.items():
            if callable(rt.globals.get(wrong.encode())) and right not in hooks:
                self.log.warning("defines %s(), which is not a prtip hook (did you mean %s?)", wrong, right)

    def load(self) -> None:
        """Load (or reload) the plugin now; raises PluginLoadError and leaves any old code running."""
        try:
            new = self._build()
        except PluginLoadError:
            raise
        except Exception as exc:  # SandboxError, or a luavm bug while compiling: refuse the plugin
            log.debug("%s: loading failed", self.name, exc_info=True)
            raise PluginLoadError(self.name, f"{type(exc).__name__}: {exc}") from None
        old, self.code = self.code, new
        self.failed_stamps = None
        if old is not None:
            self._unload_instance(old)
            self.reloads += 1
            self.log.info("reloaded (v%s)", new.manifest.version)
        else:
            self.log.debug("loaded v%s from %s", new.manifest.version, self.path)

    def unload(self) -> None:
        """Call on_unload (its errors are logged, not fatal) and free the runtime."""
        code, self.code = self.code, None
        if code is not None:
            self._unload_instance(code)

    def _unload_instance(self, code: Instance) -> None:
        if "on_unload" in code.hooks:
            self._call_instance(code, "on_unload", ())
        code.close()

    def check_reload(self) -> None:
        """Hot reload: pick up changed files before a hook call (see the module docstring)."""
        code = self.code
        if code is None or not self.hot_reload or not self._folder.changed():
            return
        stamps = self._stamps(code.stamps)
        if all(same_content(a, b) for a, b in zip(stamps, code.stamps)):
            code.stamps = stamps  # same content (touched): remember the new mtimes
            return
        if self.failed_stamps is not None and all(same_content(a, b) for a, b in zip(stamps, self.failed_stamps)):
            return  # this version already failed; wait for the next change
        try:
            self.load()
        except PluginLoadError as exc:
            self.failed_stamps = stamps
            self.log.error("reload failed, keeping the running version: %s", exc.message)
            self.on_fault(PluginFault(self.name, "reload", "load", exc.message, str(self.main_path)))

    # ------------------------------------------------------------------ hook calls

    def call(self, hook: str, *args: Any, target: TargetRef | None = None,
             accepts_results: bool = False, reload_checked: bool = False) -> CallResult:
        """Call a hook if the plugin defines it; failures are recorded, never raised.
        ``reload_checked``: the caller has just looked for edits (PluginHooks.plugins)."""
        return self.call_many(hook, [HookCall(args, target)], accepts_results, reload_checked)[0]

    def call_many(self, hook: str, calls: Sequence[HookCall], accepts_results: bool = False,
                  reload_checked: bool = False) -> list[CallResult]:
        """Call a hook once per entry, in order, each under a fresh budget, in as few hand-offs
        to the Lua thread as possible (one, unless a call gets stuck); one CallResult each.
        Edits are looked for once, before the first call (hot reload)."""
        if not reload_checked:
            self.check_reload()
        answers: list[CallResult] = []
        while len(answers) < len(calls):
            code = self.code
            if code is None or hook not in code.hooks:
                answers.extend(CallResult(False) for _ in range(len(calls) - len(answers)))
                break
            answers.extend(self._run_calls(code, hook, calls[len(answers):], accepts_results))
        return answers

    def _run_calls(self, code: Instance, hook: str, calls: Sequence[HookCall],
                   accepts_results: bool) -> list[CallResult]:
        """Run calls on the Lua thread until they are done, one is interrupted or one gets stuck;
        returns the answers of those that ran (at least one)."""
        done: list[CallOutcome] = []
        clock = CallClock(time.monotonic())
        stuck: HookAbandoned | None = None
        try:
            HookRunner.shared().run(lambda: self._calls_on_thread(code, hook, calls, accepts_results, clock, done),
                                    code.rt.limits.seconds, clock)
        except HookAbandoned as exc:  # the call after the last finished one never came back
            stuck = exc
        except HookOverrun:  # interrupted outside any call (between two): the batch ends there
            pass
        answers = [self._settle(code, hook, outcome) for outcome in done]
        if stuck is not None:
            if len(done) < len(calls):
                self.fault(hook, "limit", overrun_message(code.rt, stuck), calls[len(done)].target)
                answers.append(CallResult(False))
            self._replace_stuck(code)
        elif not answers:  # interrupted before the first call: it counts as that call's limit
            self.fault(hook, "limit", overrun_message(code.rt, HookOverrun()), calls[0].target)
            answers.append(CallResult(False))
        return answers

    def _calls_on_thread(self, code: Instance, hook: str, calls: Sequence[HookCall], accepts_results: bool,
                         clock: CallClock, done: list[CallOutcome]) -> None:
        """The runner's side of _run_calls: each call's outcome goes into ``done`` as it ends
        (the waiting thread reads how far it got even if this thread is given up)."""
        code.rt.mark_lua_thread()  # the runner's thread has luavm's stack size: run Lua on it directly
        rt, api = code.rt, code.api
        key = hook.encode()
        # bound once per batch: this loop runs once per port result and plugin
        lookup, reset_budget, pcall, begin, end = rt.globals.get, rt.reset_budget, rt.host_caller(), api.begin, api.end
        monotonic, record = time.monotonic, done.append
        for call in calls:
            fn = lookup(key)
            state = CallState(hook, call.target, accepts_results)
            if not callable(fn):  # the plugin removed its own hook at run time
                record(CallOutcome(state, None, None, 0.0))
                continue
            started = clock.started = reset_budget()
            values: tuple | None = None
            error: BaseException | None = None
            try:
                begin(state)
                values = pcall(fn, *call.args)
            except BaseException as exc:  # settled on the scan's thread (_settle)
                error = exc
            finally:
                end()
            record(CallOutcome(state, values, error, monotonic() - started))
            if isinstance(error, HookOverrun):
                return  # the host stopped this call: the others run in a new hand-off

    def _settle(self, code: Instance, hook: str, outcome: CallOutcome) -> CallResult:
        """One call's outcome as the host sees it: its values, or a recorded fault."""
        state, target = outcome.state, outcome.state.target
        if outcome.took >= SLOW_CALL:  # what a plugin costs the scan, for the operator (and the tests)
            self.log.info("%s%s took %.3f s", hook, f" ({target})" if target else "", outcome.took)
        if outcome.error is None:
            if outcome.values is None:
                return CallResult(False)
            return CallResult(True, outcome.values, state.additions)
        exc = outcome.error
        if isinstance(exc, HookOverrun):
            self.fault(hook, "limit", overrun_message(code.rt, exc), target)
        elif isinstance(exc, LuaError):
            self.fault(hook, "lua-error", error_text(exc.value), target, exc.value, exc.traceback)
        elif isinstance(exc, LimitExceeded):
            self.fault(hook, "limit", str(exc), target, line=self.limit_line(exc))
        elif isinstance(exc, RecursionError):
            self.fault(hook, "lua-error", "stack overflow", target)
        elif isinstance(exc, Exception):  # a luavm or host bug must not end the scan
            log.debug("%s: internal error in %s", self.name, hook, exc_info=exc)
            self.fault(hook, "internal", f"{type(exc).__name__}: {exc}", target)
        else:  # KeyboardInterrupt, SystemExit: not the plugin's doing
            raise exc
        # the traceback (and that of a chained exception) holds the failed call's frames, and
        # they hold what it built, up to its whole memory limit: drop it now, not when the
        # batch's outcomes are dropped
        exc.__traceback__ = exc.__context__ = exc.__cause__ = None
        return CallResult(False)

    def _call_instance(self, code: Instance, hook: str, args: tuple) -> CallResult:
        """One call of a given instance (on_unload of an instance being replaced)."""
        return self._run_calls(code, hook, [HookCall(args)], False)[0]

    def _on_thread(self, rt: LuaRuntime, fn: Any, args: tuple) -> tuple:
        """Call a Lua function on the host's watched Lua thread (runner.py), under its time limit."""
        def call() -> tuple:
            rt.mark_lua_thread()  # the runner's thread has luavm's stack size: run Lua on it directly
            return rt.pcall_host(fn, *args)

        # the limit counts from the budget's start (reset_budget just before), not from here
        started = time.monotonic() - rt.stats.seconds
        return HookRunner.shared().run(call, rt.limits.seconds, started)

    def _replace_stuck(self, code: Instance) -> None:
        """An instance whose thread was abandoned is in an unknown state: load the plugin afresh
        (no on_unload: the old runtime is still busy), at most MAX_ABANDONED times a scan."""
        if self.code is not code:
            return
        self.code = None
        code.api.close()  # its sockets and files; the runtime itself stays with the stuck thread
        self.stuck_calls += 1
        if self.stuck_calls > MAX_ABANDONED:
            self.log.error("disabled for the rest of the scan: %d calls did not stop", self.stuck_calls)
            return
        try:
            self.load()
        except PluginLoadError as exc:
            self.log.error("could not be loaded again after a stuck call: %s", exc.message)
            self.on_fault(PluginFault(self.name, "reload", "load", exc.message, str(self.main_path)))
    def limit_line(self, exc: LimitExceeded) -> int | None:
        """The line of main.lua where a limit stopped the plugin (luavm's ``location``), if there."""
        chunk, _, line = exc.location.rpartition(":")
        return int(line) if chunk == self.chunkname and line.isdigit() else None

    def fault(self, hook: str, kind: str, message: str, target: TargetRef | None = None,
              value: Any = None, traceback: str | None = None, line: int | None = None) -> PluginFault:
        """Record a failed call: log line and PluginFault with the plugin's file and line."""
        texts = [value if isinstance(value, bytes) else b"", (traceback or "").encode("utf-8", "replace")]
        pattern = re.compile(re.escape(self.chunkname.encode()) + rb":(\d+):")
        for text in texts if line is None else ():
            m = pattern.search(text)
            if m:
                line = int(m.group(1))
                break
        fault = PluginFault(self.name, hook, kind, message, str(self.main_path), line,
                            str(target) if target else None)
        self.log.error("%s", str(fault).split(": ", 1)[1])  # the logger already names the plugin
        if traceback and kind == "lua-error":
            for entry in traceback.splitlines():  # one log line each (each escaped by the formatter)
                self.log.debug("%s", entry)
        self.on_fault(fault)
        return fault

