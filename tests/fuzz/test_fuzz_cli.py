"""The `luavm` command never shows a Python traceback, whatever its arguments and script.

``luavm.cli.run`` is driven in-process with random command lines (options, limits, ``-e``
chunks, scripts cut from the official suite, missing files, stdin) and must return an exit
status with Lua-style messages only on stderr.
"""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st

from fuzz_harness import UNSAFE, fuzz_settings
from test_fuzz_programs import deep_program, mutated_program, numeral_program, small_program, token_soup

from luavm.cli import run

OPTIONS = ["-e", "-v", "-", "--", "--sandbox", "--stats", "--dump-ast", "--dump-code", "--max-instructions",
           "--max-memory", "--timeout", "--max-memory=1", "--timeout=0", "--max-instructions=0", "-x", "--bogus",
           "-e=", "-eprint(1)", "script.lua", "missing.lua", "", "\udcff", "10", "-1", "1e400", "nan", "64KiB",
           "1G", "a b", "print(...)", "error('x')", "error({})", "error(setmetatable({}, {__tostring = error}))",
           "os.exit(true)", "while true do end"]
# the command's own runtime has the whole os library: keep the script from the shell and the disk
GUARD = b"".join(b"%s.%s = nil " % (lib, name) for lib, names in UNSAFE.items() for name in names
                 if name != b"exit") + b"\n"


@fuzz_settings(400)
@given(st.lists(st.sampled_from(OPTIONS), max_size=6),
       st.one_of(mutated_program(), token_soup, small_program, deep_program(), numeral_program()),
       st.binary(max_size=64))
def test_command_line_never_shows_a_traceback(argv: list[str], script: bytes, stdin: bytes):
    with open("script.lua", "wb") as fh:
        fh.write(GUARD + script)
    args = ["luavm", "--max-instructions", "100000", "--max-memory", "8MiB", "--timeout", "5"]
    # a -e chunk runs before the script: give it the same guard
    args += [a if a not in OPTIONS[-8:] else "os.execute=nil io.popen=nil " + a for a in argv]
    err = io.BytesIO()
    status = run(args, io.BytesIO(stdin), io.BytesIO(), err)
    text = err.getvalue()
    assert isinstance(status, int)
    assert b"Traceback" not in text and b"internal error" not in text, text[-2000:]
