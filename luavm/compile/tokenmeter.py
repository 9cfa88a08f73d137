"""The lexer's token meter, apart from the lexer so the runtime can read it without loading lark.

Set by the runtime while it compiles a chunk: told every TICK_TOKENS tokens and at the end, it
counts the tokens and, for Lua's `load`, charges them to the script's limits and may stop the
lexer there (runtime._compile, meter.py).
"""

from __future__ import annotations

import contextvars
from typing import Callable

TOKEN_METER: contextvars.ContextVar[Callable[[int], None] | None] = contextvars.ContextVar(
    "luavm_token_meter", default=None)
TICK_TOKENS = 256
