"""The Lua 5.4 parser: source bytes -> ``nodes.Chunk``, with PUC Lua's syntax error messages.

Pipeline: ``lexer.LuaLexer`` tokens -> lark LALR(1) over grammar.lark, whose reduce-time
callbacks (``_Builder``) build the AST directly (no parse tree, no recursion, so flat
50,000-term expressions are cheap) -> ``checks.check_chunk`` for what PUC reports at compile
time (goto/label/break rules, assignment to const locals, nesting depth).

Lark's errors become PUC's messages in syntaxerrors.py, which replays the parse with the
interactive parsers this module hands it (``_REPLAY``): the tokens the parser would accept
where it failed tell where lparser.c's recursive descent would be and hence what it says.

AST conventions the compiler relies on (see also nodes.py):
  * ``BinOp.line`` is the line of the operator (where PUC reports arithmetic errors); every
    other node's ``line`` is where it starts. ``Call.line`` is where its prefix expression
    starts (PUC's call line). ``Function.line`` is PUC's ``linedefined``: the ``function``
    keyword for ``function f()`` statements, the ``(`` for ``local function`` and anonymous
    functions. ``Goto.line`` is the line of the label name (PUC's, in goto messages).
    ``Chunk.end_line`` is the last line of the source.
  * ``Paren`` wraps every parenthesized expression.
  * ``function a.b:m(x)`` is ``FunctionStat(target=Index(Index(Name a, String b), String m),
    func=Function(params=('self', 'x'), is_method=True, name='a.b:m'))``.
  * Empty statements (``;``) are dropped. No constant folding: ``-1`` is ``UnOp('-', 1)``.
  * Depth: nesting PUC rejects ("C stack overflow") is rejected, so trees are at most ~200
    deep, except chains of one left-associative operator (``1 + 1 + ...``, left-deep) and
    of ``..`` (right-deep), which may be tens of thousands deep: walk those without recursion.
"""

from __future__ import annotations

import contextlib
import contextvars
import io
from operator import itemgetter
from pathlib import Path

from lark import Lark, Token
from lark.exceptions import UnexpectedInput

from luavm.compile import nodes as N
from luavm.compile.checks import check_chunk
from luavm.errors import LuaSyntaxError
from luavm.compile.lexer import LexState, LuaLexer, near_text
from luavm.compile.syntaxerrors import HORIZON, Replay, lexical_error, syntax_error
from luavm.compile.tablecache import tables_file

__all__ = ["parse"]

_GRAMMAR = Path(__file__).with_name("grammar.lark")
_CURRENT: contextvars.ContextVar[LexState] = contextvars.ContextVar("luavm_parse")


# ---------------------------------------------------------------- operator priorities

# lparser.c priority[]: (left, right); right < left makes an operator right associative.
_PRIORITY = {
    "or": (1, 1), "and": (2, 2),
    "<": (3, 3), ">": (3, 3), "<=": (3, 3), ">=": (3, 3), "~=": (3, 3), "==": (3, 3),
    "|": (4, 4), "~": (5, 5), "&": (6, 6), "<<": (7, 7), ">>": (7, 7),
    "..": (9, 8), "+": (10, 10), "-": (10, 10),
    "*": (11, 11), "/": (11, 11), "//": (11, 11), "%": (11, 11),
    "^": (14, 13),
}
_UNARY_PRIORITY = 12


class _Prefixed:
    """An operand with unary operators in front, innermost operator first (built at reduce time)."""

    __slots__ = ("ops", "atom")

    def __init__(self, op: Token, atom: object):
        self.ops = [op]
        self.atom = atom


def _arrange(seq: list) -> N.Expr:
    """Turn ``[operand, op, operand, op, ...]`` into a tree with Lua's priorities, iteratively.

    Operator-precedence parsing with an explicit stack: it gives the same tree as lparser.c's
    recursive subexpr(), but its cost does not depend on the nesting it produces.
    """
    out: list = []
    ops: list = []  # (right priority, token, is_unary)
    for i, item in enumerate(seq):
        if i & 1:
            op = item.value
            left, right = _PRIORITY[op]
            while ops and ops[-1][0] >= left:
                _reduce(out, ops.pop())
            ops.append((right, item, False))
        elif type(item) is _Prefixed:
            for tok in reversed(item.ops):
                ops.append((_UNARY_PRIORITY, tok, True))
            out.append(item.atom)
        else:
            out.append(item)
    while ops:
        _reduce(out, ops.pop())
    return out[0]


def _reduce(out: list, entry: tuple) -> None:
    _, tok, unary = entry
    if unary:
        out[-1] = N.UnOp(tok.line, tok.value, out[-1])
    else:
        right = out.pop()
        out[-1] = N.BinOp(tok.line, tok.value, out[-1], right)


# ---------------------------------------------------------------- reduce-time callbacks


def _name_string(tok: Token) -> N.String:
    return N.String(tok.line, tok.value.encode("ascii"))


class _Builder:
    """lark callbacks, one per rule alias of grammar.lark; ``c`` is the list of children."""

    first = itemgetter(0)

    # -- blocks and statements

    @staticmethod
    def chunk(c):
        return c[0]

    @staticmethod
    def block(c):
        return tuple(c[0])

    @staticmethod
    def block_ret(c):
        stats = c[0]
        stats.append(c[1])
        return tuple(stats)

    @staticmethod
    def stats_new(c):
        return []

    @staticmethod
    def stats_add(c):
        stats = c[0]
        s = c[1]
        if s is not None:
            stats.append(s)
        return stats

    @staticmethod
    def ret_none(c):
        return N.Return(c[0].line, ())

    @staticmethod
    def ret(c):
        return N.Return(c[0].line, tuple(c[1]))

    @staticmethod
    def stat_empty(c):
        return None

    @staticmethod
    def stat_assign(c):
        targets = c[0]
        return N.Assign(targets[0].line, tuple(targets), tuple(c[2]))

    @staticmethod
    def stat_call(c):
        call = c[0]
        return N.CallStat(call.line, call)

    @staticmethod
    def stat_label(c):
        node = N.Label(c[0].line, c[1].value)
        ls = _CURRENT.get()
        ls.after[id(node)] = ls.cur_line  # PUC reports label errors at the following token
        return node

    @staticmethod
    def stat_break(c):
        return N.Break(c[0].line)

    @staticmethod
    def stat_goto(c):
        return N.Goto(c[1].line, c[1].value)  # PUC's goto line is its label name's

    @staticmethod
    def stat_do(c):
        return N.Do(c[0].line, c[1], c[2].line)

    @staticmethod
    def stat_while(c):
        return N.While(c[0].line, c[1], c[3], c[4].line)

    @staticmethod
    def stat_repeat(c):
        return N.Repeat(c[0].line, c[1], c[3])

    @staticmethod
    def stat_if(c):
        tests = [(c[1], c[3])]
        tests.extend(c[4])
        return N.If(c[0].line, tuple(tests), None, c[5].line)

    @staticmethod
    def stat_if_else(c):
        tests = [(c[1], c[3])]
        tests.extend(c[4])
        return N.If(c[0].line, tuple(tests), c[6], c[7].line)

    @staticmethod
    def elseifs_new(c):
        return []

    @staticmethod
    def elseifs_add(c):
        c[0].append((c[2], c[4]))
        return c[0]

    @staticmethod
    def stat_numfor(c):
        return _declares(N.NumFor(c[0].line, c[1].value, c[3], c[5], None, c[7], c[8].line), [c[1]])

    @staticmethod
    def stat_numfor_step(c):
        return _declares(N.NumFor(c[0].line, c[1].value, c[3], c[5], c[7], c[9], c[10].line), [c[1]])

    @staticmethod
    def stat_genfor(c):
        return _declares(N.GenFor(c[0].line, tuple(t.value for t in c[1]), tuple(c[3]), c[5], c[6].line), c[1])

    @staticmethod
    def stat_function(c):
        target, name = c[1]
        return N.FunctionStat(c[0].line, target, _function(c[2], c[0].line, name))

    @staticmethod
    def stat_method(c):
        obj, name = c[1]
        m = c[3]
        target = N.Index(obj.line, obj, _name_string(m))
        func = _function(c[4], c[0].line, "%s:%s" % (name, m.value), method=True)
        return N.FunctionStat(c[0].line, target, func)

    @staticmethod
    def stat_local_function(c):
        name = c[2].value
        return _declares(N.LocalFunction(c[0].line, name, _function(c[3], None, name)), [c[2]])

    @staticmethod
    def stat_local(c):
        names = tuple(a[0] for a in c[1])
        attribs = tuple(a[1] for a in c[1])
        node = _declares(N.Local(c[0].line, names, attribs, tuple(c[3]) if len(c) == 4 else ()),
                         [a[3] for a in c[1]])
        # lparser.c checks each attribute right after its '>'; checks.py reports the first
        # problem in program order, so it is noted here with the line PUC would give.
        close = False
        for _, attr, line, _tok in c[1]:
            if attr == "close":
                if close:
                    msg = "multiple to-be-closed variables in local list"
                    _CURRENT.get().deferred[id(node)] = (line, msg)
                    break
                close = True
            elif attr not in ("", "const"):
                _CURRENT.get().deferred[id(node)] = (line, "unknown attribute '%s'" % attr)
                break
        return node

    # -- local attributes

    @staticmethod
    def attname(c):
        return (c[0].value, "", 0, c[0])

    @staticmethod
    def attname_attrib(c):
        if c[3].line == HORIZON:  # completed after a syntax error: PUC never got this far
            return (c[0].value, "", 0, c[0])
        return (c[0].value, c[2].value, _CURRENT.get().cur_line, c[0])

    @staticmethod
    def attnames_add(c):
        c[0].append(c[2])
        return c[0]

    # -- functions

    @staticmethod
    def funcname_name(c):
        t = c[0]
        return (N.Name(t.line, t.value), t.value)

    @staticmethod
    def funcname_field(c):
        obj, name = c[0]
        t = c[2]
        return (N.Index(obj.line, obj, _name_string(t)), "%s.%s" % (name, t.value))

    @staticmethod
    def funcbody(c):
        params, vararg = c[1]
        # The token after 'end' is the lookahead now: PUC reports a function's pending
        # goto/break errors when it closes the function, i.e. at that token's line.
        return (c[0].line, params, vararg, c[3], c[4].line, _CURRENT.get().cur_line)

    @staticmethod
    def params_none(c):
        return ((), False)

    @staticmethod
    def params(c):
        return (_param_names(c[0]), False)

    @staticmethod
    def params_vararg(c):
        return (_param_names(c[0]), True)

    @staticmethod
    def params_only_vararg(c):
        return ((), True)

    @staticmethod
    def function_def(c):
        return _function(c[1], None, "")

    # -- lists

    @staticmethod
    def list_new(c):
        return [c[0]]

    @staticmethod
    def list_add(c):
        c[0].append(c[2])
        return c[0]

    explist_add = list_add
    fields_add = list_add

    @staticmethod
    @staticmethod
    def varlist_new(c):
        target = c[0]
        if type(target) is N.Name:  # PUC checks const-ness at the '=' or ',' after it
            _note_target(target, True)
        return [target]

    @staticmethod
    def varlist_add(c):
        target = c[2]
        if type(target) is N.Name:
            _note_target(target, False)
        c[0].append(target)
        return c[0]

    # -- prefix expressions and calls

    @staticmethod
    def var_name(c):
        t = c[0]
        return N.Name(t.line, t.value)

    @staticmethod
    def var_index(c):
        obj = c[0]
        return N.Index(obj.line, obj, c[2])

    @staticmethod
    def var_field(c):
        obj = c[0]
        return N.Index(obj.line, obj, _name_string(c[2]))

    @staticmethod
    def paren(c):
        return N.Paren(c[0].line, c[1])

    @staticmethod
    def call(c):
        f = c[0]
        return N.Call(f.line, f, c[1])

    @staticmethod
    def method_call(c):
        obj = c[0]
        return N.MethodCall(obj.line, obj, c[2].value, c[3])

    @staticmethod
    def args_none(c):
        return ()

    @staticmethod
    def args(c):
        return tuple(c[1])

    @staticmethod
    def args_one(c):
        return (c[0],)

    @staticmethod
    def args_string(c):
        t = c[0]
        return (N.String(t.line, t.value),)

    # -- expressions

    @staticmethod
    def exp(c):
        x = c[0]
        t = type(x)
        if t is list:
            return _arrange(x)
        if t is _Prefixed:
            return _arrange([x])
        return x

    @staticmethod
    def binop(c):
        seq = c[0]
        if type(seq) is not list:
            seq = [seq]
        seq.append(c[1])
        seq.append(c[2])
        return seq

    @staticmethod
    def unop(c):
        operand = c[1]
        if type(operand) is _Prefixed:
            operand.ops.append(c[0])
            return operand
        return _Prefixed(c[0], operand)

    @staticmethod
    def lit_nil(c):
        return N.Nil(c[0].line)

    @staticmethod
    def lit_false(c):
        return N.FalseLit(c[0].line)

    @staticmethod
    def lit_true(c):
        return N.TrueLit(c[0].line)

    @staticmethod
    def lit_number(c):
        t = c[0]
        return N.Number(t.line, t.value)

    @staticmethod
    def lit_string(c):
        t = c[0]
        return N.String(t.line, t.value)

    @staticmethod
    def vararg(c):
        return N.Vararg(c[0].line)

    # -- tables

    @staticmethod
    def table_empty(c):
        return N.Table(c[0].line, ())

    @staticmethod
    def table(c):
        return N.Table(c[0].line, tuple(c[1]))

    @staticmethod
    def field_key(c):
        return N.Field(c[0].line, c[1], c[4])

    @staticmethod
    def field_name(c):
        t = c[0]
        return N.Field(t.line, _name_string(t), c[2])

    @staticmethod
    def field_pos(c):
        v = c[0]
        return N.Field(v.line, None, v)


def _note_target(target: N.Name, first: bool) -> None:
    ls = _CURRENT.get()
    # lparser.c checks the first variable only once it sees '=' or ',' after it, the others
    # at whatever token follows them; a made-up '=' (completing a program after a syntax
    # error) is one PUC never saw.
    ls.after[id(target)] = HORIZON if first and ls.synthetic else ls.cur_line


def _function(body: tuple, line: int | None, name: str, method: bool = False) -> N.Function:
    paren_line, params, vararg, stats, end_line, after = body
    ls = _CURRENT.get()
    near = ls.decl_near.pop(id(params), ())  # (keyed by the parameter tuple until now)
    if method:
        params = ("self",) + params
        near = (None,) + near  # 'self' is the first local: never past the limit
    fn = N.Function(paren_line if line is None else line, params, vararg, stats, end_line, name, method)
    ls.after[id(fn)] = after
    if near:
        ls.decl_near[id(fn)] = near
    return fn


def _after_name(ls: LexState, name: Token) -> tuple[int, str]:
    """(line, near text) of the token after a NAME: where lparser.c declares that local."""
    tok = ls.after_name.get(name.end_pos)
    if tok is None:
        return ls.cur_line, "<eof>"
    return tok.line, near_text(tok)


def _declares(node: object, names: list) -> object:
    """Note where each local ``node`` declares is declared (checks.py: the 200-locals limit)."""
    ls = _CURRENT.get()
    ls.decl_near[id(node)] = tuple(_after_name(ls, t) for t in names)
    return node


def _param_names(tokens: list) -> tuple[str, ...]:
    names = tuple(t.value for t in tokens)
    ls = _CURRENT.get()
    ls.decl_near[id(names)] = tuple(_after_name(ls, t) for t in tokens)
    return names


_larks: dict[bool, Lark] = {}


def _parser(build: bool = True) -> Lark:
    """The Lark object, built on first use (building the LALR tables takes a moment).

    ``build``: its callbacks build the AST (``_Builder``). Else its twin, the same tables
    (saved and loaded, a tenth of the time of building them again) whose callbacks make
    lark's own trees and record nothing: syntaxerrors.py tries made-up tokens on it."""
    lark = _larks.get(build)
    if lark is None:
        if build:
            grammar = _GRAMMAR.read_text()
            lark = Lark(
                grammar,
                cache=tables_file(grammar),  # tablecache.py: built once per user, not per process
                parser="lalr",
                lexer=LuaLexer,
                transformer=_Builder(),
                keep_all_tokens=True,
                maybe_placeholders=False,
            )
        else:
            saved = io.BytesIO()
            _parser().save(saved, exclude_options=("transformer",))
            saved.seek(0)
            lark = Lark.load(saved)
        _larks[build] = lark
    return lark


@contextlib.contextmanager
def _replaying(ls: LexState):
    """``ls`` parsed again from its start, token by token, by the AST-building parser."""
    token = _CURRENT.set(ls)
    try:
        yield _parser().parse_interactive(ls)  # type: ignore[arg-type]
    finally:
        _CURRENT.reset(token)


_REPLAY = Replay(_replaying, lambda: _parser(build=False).parse_interactive(None))


# ---------------------------------------------------------------- entry point


def parse(source: bytes, chunkname: str, *, shebang: bool = True) -> N.Chunk:
    """Parse a Lua 5.4 chunk; raise LuaSyntaxError with PUC Lua's message on any error.

    ``chunkname`` is the name shown in messages (``x.lua``, ``stdin``, ``[string "..."]``);
    it goes into messages as UTF-8 with surrogateescape (``os.fsdecode`` names round-trip).
    With ``shebang`` (what ``luaL_loadfile`` does), a UTF-8 BOM and a first line starting
    with ``#`` are skipped, keeping line numbers; ``load()`` of a string should pass False.
    """
    if shebang:
        source = _skip_first_line(source)
    ls = LexState(source, chunkname)
    token = _CURRENT.set(ls)
    try:
        body = _parser().parse(ls)  # type: ignore[arg-type]
    except UnexpectedInput as e:
        raise syntax_error(ls, e, _REPLAY) from None
    except LuaSyntaxError as e:  # from the lexer
        raise lexical_error(ls, e, _REPLAY) from None
    finally:
        _CURRENT.reset(token)
    chunk = N.Chunk(chunkname, body, ls.line)
    check_chunk(chunk, ls.after, ls.deferred, decl_near=ls.decl_near)
    return chunk


def _skip_first_line(source: bytes) -> bytes:
    if source.startswith(b"\xef\xbb\xbf"):
        source = source[3:]
    if source.startswith(b"#"):
        nl = source.find(b"\n")
        return b"\n" + source[nl + 1:] if nl >= 0 else b"\n"
    return source
