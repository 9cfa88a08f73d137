"""luavm's compiler: Lua 5.4 source bytes to a Python code object, one stage a module.

    source bytes
      -> lexer.py        tokens (LuaLexer, LexState: the open blocks, the token meter)
      -> parser.py       lark LALR(1) over grammar.lark; reduce-time callbacks build
                         nodes.py's AST directly (syntaxerrors.py words lark's errors as PUC's)
      -> checks.py       what PUC reports at compile time (goto/label/break, const, depth)
      -> resolver.py     scopes: locals, upvalues, cells, outlined regions
      -> typeinfer.py    static int/float types of never-captured locals (per function)
      -> codegen.py      Python source text, charging each straight-line run its static
                         cost (costs.py), then compile() -> CompiledChunk

The package exports ``parse``, ``compile_chunk`` and ``CompiledChunk``, what the runtime
side (runtime.py, cli.py, dump.py) compiles with; beyond them it reads only a few constants
(tokenmeter.py's token meter, typeinfer's type names) and dump.py
reuses the resolver. They are imported on first use, so importing this package (or
``codegen`` for a constant) does not load lark.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from luavm.chunks import CompiledChunk
    from luavm.compile.codegen import compile_chunk
    from luavm.compile.parser import parse

__all__ = ["CompiledChunk", "compile_chunk", "parse"]


def __getattr__(name: str):
    if name == "parse":
        from luavm.compile.parser import parse

        return parse
    if name == "compile_chunk":
        from luavm.compile.codegen import compile_chunk

        return compile_chunk
    if name == "CompiledChunk":
        from luavm.chunks import CompiledChunk

        return CompiledChunk
    raise AttributeError(f"module 'luavm.compile' has no attribute {name!r}")
