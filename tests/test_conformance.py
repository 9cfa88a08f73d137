"""Conformance suite runner: every conformance/**/*.lua under luavm, and against lua5.4 itself.

Each case states its expected stdout in ``-- expect:`` comments and, if it must fail, the error
in ``-- expect error:`` (see tests/luaref.py and conformance/README.md). ``test_luavm`` runs a
case in-process through ``luavm.cli.run`` with a fresh runtime per call; ``test_reference``
checks the same expectations against /usr/bin/lua5.4 so the files can never drift from PUC Lua.
Cases listed in conformance/KNOWN_FAILURES are strict xfails for luavm only.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from luaref import ROOT, Expectation, first_line, load_cli_run, lua_available, \
    parse_expectations, run_lua, run_luavm, stdout_lines, strip_prefix

CASES_DIR = ROOT / "conformance"
KNOWN_FAILURES_FILE = CASES_DIR / "KNOWN_FAILURES"


def _cases() -> list[str]:
    return sorted(p.relative_to(ROOT).as_posix() for p in CASES_DIR.rglob("*.lua"))


def known_failures() -> dict[str, str]:
    """``relative/path.lua  # reason`` lines -> {path: reason}."""
    result: dict[str, str] = {}
    if not KNOWN_FAILURES_FILE.exists():
        return result
    for raw in KNOWN_FAILURES_FILE.read_text().splitlines():
        path, _, reason = raw.partition("#")
        path = path.strip()
        if path:
            result[path] = reason.strip() or "known failure"
    return result


CASES = _cases()
KNOWN = known_failures()


def expectation(case: str) -> Expectation:
    return parse_expectations((ROOT / case).read_bytes())


def check(case: str, out: bytes, err: bytes, code: int, prefix: bytes) -> None:
    """Compare one run with the case's expectations; ``prefix`` is the program name + ': '."""
    exp = expectation(case)
    assert stdout_lines(out) == exp.stdout, f"stdout differs; stderr: {err[:2000]!r}"
    if exp.error is None:
        assert code == 0, f"exit status {code}; stderr: {err[:2000]!r}"
    else:
        assert code == 1, f"exit status {code}, expected 1; stderr: {err[:2000]!r}"
        line = first_line(err)
        assert line.startswith(prefix), f"stderr does not start with {prefix!r}: {err[:2000]!r}"
        assert strip_prefix(line) == exp.error


def _luavm_params() -> list:
    params = []
    for case in CASES:
        marks = []
        if case in KNOWN:
            marks.append(pytest.mark.xfail(reason=KNOWN[case], strict=True))
        params.append(pytest.param(case, id=case, marks=marks))
    return params


@pytest.mark.parametrize("case", _luavm_params())
def test_luavm(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    run, why = load_cli_run()
    if run is None:
        pytest.skip(why)
    monkeypatch.chdir(ROOT)
    try:
        out, err, code = run_luavm(run, case)
    except TimeoutError as exc:
        pytest.fail(str(exc))
    check(case, out, err, code, b"luavm: ")


@pytest.mark.skipif(not lua_available(), reason="lua5.4 not installed")
@pytest.mark.parametrize("case", [pytest.param(c, id=c) for c in CASES])
def test_reference(case: str) -> None:
    out, err, code = run_lua(Path(case))
    check(case, out, err, code, b"lua5.4: ")


def test_suite_is_well_formed() -> None:
    """Every case states something, and KNOWN_FAILURES names only existing cases."""
    assert len(CASES) >= 1
    for case in CASES:
        exp = expectation(case)
        assert exp.stdout or exp.error is not None, f"{case} has no expectations"
    # PUC Lua shortens chunk names past 59 bytes ("...tail"); only load/ tests that on purpose.
    too_long = [c for c in CASES if len(c) > 59]
    assert not too_long, f"paths longer than 59 bytes get truncated in messages: {too_long}"
    missing = sorted(set(KNOWN) - set(CASES))
    assert not missing, f"KNOWN_FAILURES lists missing cases: {missing}"
