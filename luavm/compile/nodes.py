"""The Lua abstract syntax tree: plain frozen dataclasses produced by the parser.

Every node carries ``line``, the source line where it starts, so runtime errors can name it.
Blocks are tuples of statements. Operators are spelled as in Lua source (``'..'``, ``'~='``,
``'//'``, ``'and'``, ``'not'``, unary minus is ``'-'``, bitwise not is ``'~'``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union


# ---------------------------------------------------------------- expressions


@dataclass(frozen=True, slots=True)
class Nil:
    line: int


@dataclass(frozen=True, slots=True)
class TrueLit:
    line: int


@dataclass(frozen=True, slots=True)
class FalseLit:
    line: int


@dataclass(frozen=True, slots=True)
class Number:
    line: int
    value: int | float  # ints are already wrapped to signed 64-bit


@dataclass(frozen=True, slots=True)
class String:
    line: int
    value: bytes  # escapes already decoded


@dataclass(frozen=True, slots=True)
class Vararg:
    line: int


@dataclass(frozen=True, slots=True)
class Name:
    line: int
    name: str  # identifiers are ASCII in Lua, so str is exact


@dataclass(frozen=True, slots=True)
class Index:
    """``obj[key]``; ``obj.name`` is ``Index(obj, String(name))``."""

    line: int
    obj: Expr
    key: Expr


@dataclass(frozen=True, slots=True)
class Call:
    line: int
    func: Expr
    args: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class MethodCall:
    """``obj:name(args)``."""

    line: int
    obj: Expr
    name: str
    args: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Function:
    """A function body. ``name`` is what tracebacks call it (``'f'``, ``'a.b'``, ``'a:m'``) or ''."""

    line: int
    params: tuple[str, ...]
    is_vararg: bool
    body: tuple[Stmt, ...]
    end_line: int
    name: str = ""
    is_method: bool = False  # params[0] is the implicit 'self'


@dataclass(frozen=True, slots=True)
class BinOp:
    """Arithmetic, bitwise, comparison, ``..`` and the short-circuit ``and``/``or``."""

    line: int
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class UnOp:
    """``-`` (minus), ``not``, ``#``, ``~`` (bitwise not)."""

    line: int
    op: str
    operand: Expr


@dataclass(frozen=True, slots=True)
class Paren:
    """``(expr)``: truncates a multi-value expression to one value."""

    line: int
    expr: Expr


@dataclass(frozen=True, slots=True)
class Field:
    """One table-constructor item: ``key = value``, ``[key] = value`` or positional (key is None)."""

    line: int
    key: Expr | None
    value: Expr


@dataclass(frozen=True, slots=True)
class Table:
    line: int
    fields: tuple[Field, ...]


Expr = Union[
    Nil, TrueLit, FalseLit, Number, String, Vararg, Name, Index, Call, MethodCall,
    Function, BinOp, UnOp, Paren, Table,
]


# ---------------------------------------------------------------- statements


@dataclass(frozen=True, slots=True)
class Local:
    """``local a <const>, b <close> = exprs``; ``attribs[i]`` is '', 'const' or 'close'."""

    line: int
    names: tuple[str, ...]
    attribs: tuple[str, ...]
    exprs: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Assign:
    """``targets = exprs``; each target is a Name or an Index."""

    line: int
    targets: tuple[Expr, ...]
    exprs: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class CallStat:
    line: int
    call: Call | MethodCall


@dataclass(frozen=True, slots=True)
class Do:
    line: int
    body: tuple[Stmt, ...]
    end_line: int = 0


@dataclass(frozen=True, slots=True)
class While:
    line: int
    cond: Expr
    body: tuple[Stmt, ...]
    end_line: int = 0


@dataclass(frozen=True, slots=True)
class Repeat:
    """``repeat body until cond``: ``cond`` sees the body's locals."""

    line: int
    body: tuple[Stmt, ...]
    cond: Expr


@dataclass(frozen=True, slots=True)
class If:
    """``if c1 then b1 elseif c2 then b2 ... else orelse end``."""

    line: int
    tests: tuple[tuple[Expr, tuple[Stmt, ...]], ...]
    orelse: tuple[Stmt, ...] | None
    end_line: int = 0


@dataclass(frozen=True, slots=True)
class NumFor:
    line: int
    var: str
    start: Expr
    stop: Expr
    step: Expr | None
    body: tuple[Stmt, ...]
    end_line: int = 0


@dataclass(frozen=True, slots=True)
class GenFor:
    line: int
    names: tuple[str, ...]
    exprs: tuple[Expr, ...]
    body: tuple[Stmt, ...]
    end_line: int = 0


@dataclass(frozen=True, slots=True)
class FunctionStat:
    """``function a.b.c:m() end``: ``target`` is the Name/Index assigned (``a.b.c.m``)."""

    line: int
    target: Expr
    func: Function


@dataclass(frozen=True, slots=True)
class LocalFunction:
    line: int
    name: str
    func: Function


@dataclass(frozen=True, slots=True)
class Return:
    line: int
    exprs: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Break:
    line: int


@dataclass(frozen=True, slots=True)
class Goto:
    line: int
    label: str


@dataclass(frozen=True, slots=True)
class Label:
    line: int
    name: str


Stmt = Union[
    Local, Assign, CallStat, Do, While, Repeat, If, NumFor, GenFor, FunctionStat,
    LocalFunction, Return, Break, Goto, Label,
]


@dataclass(frozen=True, slots=True)
class Chunk:
    """A whole source file: the main function is vararg with no parameters."""

    name: str  # chunk name as Lua shows it in messages: 'x.lua', 'stdin', '[string "..."]'
    body: tuple[Stmt, ...]
    end_line: int
