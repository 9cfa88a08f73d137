"""The Lua abstract syntax tree: plain frozen records produced by the parser.

Every node carries ``line``, the source line where it starts, so runtime errors can name it.
Blocks are tuples of statements. Operators are spelled as in Lua source (``'..'``, ``'~='``,
``'//'``, ``'and'``, ``'not'``, unary minus is ``'-'``, bitwise not is ``'~'``).
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from operator import attrgetter
from typing import Any, Union

_set = object.__setattr__


def node(cls: type) -> type:
    """``@dataclass(frozen=True, slots=True)`` for a node class: the same positional and keyword
    ``__init__`` with defaults, ``__repr__``, ``__eq__``, ``__hash__``, ``__match_args__``, slots,
    and no assignment after construction. Built here with one small ``exec`` per class:
    dataclasses' own code generation for these 32 classes was a third of luavm's import time,
    which every plugin load and every ``luavm`` run pays."""
    if cls.__bases__ != (object,):  # fields of a base would be missing from __init__
        raise TypeError(f"node class {cls.__name__} must not inherit")
    names = tuple(cls.__dict__.get("__annotations__", {}))
    defaults = {n: cls.__dict__[n] for n in names if n in cls.__dict__}
    body = {k: v for k, v in cls.__dict__.items() if k not in names and k not in ("__dict__", "__weakref__")}
    params = ", ".join(f"{n}=_default_{n}" if n in defaults else n for n in names)
    lines = [f"def __init__(self, {params}):"] + [f"    _set(self, {n!r}, {n})" for n in names]
    namespace = {"_set": _set, **{f"_default_{n}": v for n, v in defaults.items()}}
    exec("\n".join(lines), namespace)
    key = attrgetter(*names)
    body.update(__slots__=names, __match_args__=names, __init__=namespace["__init__"],
                __repr__=_repr, __setattr__=_frozen, __delattr__=_frozen,
                __eq__=lambda self, other: key(self) == key(other) if other.__class__ is self.__class__
                else NotImplemented,
                __hash__=lambda self: hash((self.__class__, key(self))))
    return type(cls.__name__, cls.__bases__, body)


def _repr(self: Any) -> str:
    return f"{self.__class__.__qualname__}({', '.join(f'{n}={getattr(self, n)!r}' for n in self.__slots__)})"


def _frozen(self: Any, name: str, *value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def pformat(value: Any, width: int = 100, indent: int = 0) -> str:
    """A tree as ``--dump-ast`` shows it: pprint's layout for dataclasses (one field a line,
    aligned after the class name) wherever a node does not fit on the rest of its line."""
    one = repr(value)
    if indent + len(one) <= width:
        return one
    if hasattr(value, "__match_args__"):
        head = f"{value.__class__.__qualname__}("
        pad = indent + len(head)
        parts = [f"{n}={pformat(getattr(value, n), width, pad + len(n) + 1)}" for n in value.__match_args__]
        return head + (",\n" + " " * pad).join(parts) + ")"
    if type(value) is tuple and value:
        items = [pformat(v, width, indent + 1) for v in value]
        return "(" + (",\n" + " " * (indent + 1)).join(items) + ("," if len(items) == 1 else "") + ")"
    return one


# ---------------------------------------------------------------- expressions


@node
class Nil:
    line: int


@node
class TrueLit:
    line: int


@node
class FalseLit:
    line: int


@node
class Number:
    line: int
    value: int | float  # ints are already wrapped to signed 64-bit


@node
class String:
    line: int
    value: bytes  # escapes already decoded


@node
class Vararg:
    line: int


@node
class Name:
    line: int
    name: str  # identifiers are ASCII in Lua, so str is exact


@node
class Index:
    """``obj[key]``; ``obj.name`` is ``Index(obj, String(name))``."""

    line: int
    obj: Expr
    key: Expr


@node
class Call:
    line: int
    func: Expr
    args: tuple[Expr, ...]


@node
class MethodCall:
    """``obj:name(args)``."""

    line: int
    obj: Expr
    name: str
    args: tuple[Expr, ...]


@node
class Function:
    """A function body. ``name`` is what tracebacks call it (``'f'``, ``'a.b'``, ``'a:m'``) or ''."""

    line: int
    params: tuple[str, ...]
    is_vararg: bool
    body: tuple[Stmt, ...]
    end_line: int
    name: str = ""
    is_method: bool = False  # params[0] is the implicit 'self'


@node
class BinOp:
    """Arithmetic, bitwise, comparison, ``..`` and the short-circuit ``and``/``or``."""

    line: int
    op: str
    left: Expr
    right: Expr


@node
class UnOp:
    """``-`` (minus), ``not``, ``#``, ``~`` (bitwise not)."""

    line: int
    op: str
    operand: Expr


@node
class Paren:
    """``(expr)``: truncates a multi-value expression to one value."""

    line: int
    expr: Expr


@node
class Field:
    """One table-constructor item: ``key = value``, ``[key] = value`` or positional (key is None)."""

    line: int
    key: Expr | None
    value: Expr


@node
class Table:
    line: int
    fields: tuple[Field, ...]


Expr = Union[
    Nil, TrueLit, FalseLit, Number, String, Vararg, Name, Index, Call, MethodCall,
    Function, BinOp, UnOp, Paren, Table,
]


# ---------------------------------------------------------------- statements


@node
class Local:
    """``local a <const>, b <close> = exprs``; ``attribs[i]`` is '', 'const' or 'close'."""

    line: int
    names: tuple[str, ...]
    attribs: tuple[str, ...]
    exprs: tuple[Expr, ...]


@node
class Assign:
    """``targets = exprs``; each target is a Name or an Index."""

    line: int
    targets: tuple[Expr, ...]
    exprs: tuple[Expr, ...]


@node
class CallStat:
    line: int
    call: Call | MethodCall


@node
class Do:
    line: int
    body: tuple[Stmt, ...]
    end_line: int = 0


@node
class While:
    line: int
    cond: Expr
    body: tuple[Stmt, ...]
    end_line: int = 0


@node
class Repeat:
    """``repeat body until cond``: ``cond`` sees the body's locals."""

    line: int
    body: tuple[Stmt, ...]
    cond: Expr


@node
class If:
    """``if c1 then b1 elseif c2 then b2 ... else orelse end``."""

    line: int
    tests: tuple[tuple[Expr, tuple[Stmt, ...]], ...]
    orelse: tuple[Stmt, ...] | None
    end_line: int = 0


@node
class NumFor:
    line: int
    var: str
    start: Expr
    stop: Expr
    step: Expr | None
    body: tuple[Stmt, ...]
    end_line: int = 0


@node
class GenFor:
    line: int
    names: tuple[str, ...]
    exprs: tuple[Expr, ...]
    body: tuple[Stmt, ...]
    end_line: int = 0


@node
class FunctionStat:
    """``function a.b.c:m() end``: ``target`` is the Name/Index assigned (``a.b.c.m``)."""

    line: int
    target: Expr
    func: Function


@node
class LocalFunction:
    line: int
    name: str
    func: Function


@node
class Return:
    line: int
    exprs: tuple[Expr, ...]


@node
class Break:
    line: int


@node
class Goto:
    line: int
    label: str


@node
class Label:
    line: int
    name: str


Stmt = Union[
    Local, Assign, CallStat, Do, While, Repeat, If, NumFor, GenFor, FunctionStat,
    LocalFunction, Return, Break, Goto, Label,
]


@node
class Chunk:
    """A whole source file: the main function is vararg with no parameters."""

    name: str  # chunk name as Lua shows it in messages: 'x.lua', 'stdin', '[string "..."]'
    body: tuple[Stmt, ...]
    end_line: int
