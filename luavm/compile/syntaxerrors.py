"""PUC Lua's syntax error messages for what lark's LALR(1) parser rejects.

lparser.c is a recursive descent parser: what it says about a bad token (``'then' expected``,
``unexpected symbol``, ``'end' expected (to close 'if' at line 3)``) follows from where in
its descent it stands. parser.py's LALR parser knows instead which tokens it would accept
next, and that set tells where lparser.c would be. lark's errors are translated in exactly one
place, ``syntax_error`` (``lexical_error`` for the lexer's):

- An LALR parser may reduce on a bad token before noticing it, which loses what was
  acceptable, so the parse is replayed up to the token before it with lark's
  ``InteractiveParser``, whose ``accepts()`` gives the expected set.
- Where the set alone does not decide, and to choose made-up tokens (below), tokens are tried
  with ``feed_token`` on a ``copy()`` of the replay's twin: a parser fed the same tokens whose
  callbacks only make lark's trees, since the AST builder's must not run on tokens tried and
  dropped (they record what they build). That is also cheaper than ``accepts()``, which tries every
  token the state has an action for.
- The lexer's stack of open blocks names what an ``'end' expected`` refers to.
- Because PUC parses and checks in one pass, a compile-time error it meets before the bad
  token wins: the broken program is completed with made-up tokens (on line ``HORIZON``) and
  checked up to that point (``_semantic_error_before``).

parser.py hands in its interactive parsers (``Replay``), so this module does not import it.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Callable, NamedTuple

from lark import Token
from lark.exceptions import UnexpectedInput, UnexpectedToken
from lark.parsers.lalr_interactive_parser import InteractiveParser

from luavm.compile import nodes as N
from luavm.compile.checks import check_chunk
from luavm.compile.lexer import LexState, LuaLexer, make_token, near_text
from luavm.errors import LuaSyntaxError

__all__ = ["HORIZON", "Replay", "lexical_error", "syntax_error"]

HORIZON = 1 << 40  # the line given to made-up tokens: "after the syntax error"


class Replay(NamedTuple):
    """How to parse a chunk again, interactively (parser.py provides both)."""

    # a context manager: ls read from its start by the AST-building parser
    build: Callable[[LexState], AbstractContextManager[InteractiveParser]]
    # a parser fed by hand, whose callbacks only make lark's trees
    twin: Callable[[], InteractiveParser]


def syntax_error(ls: LexState, e: UnexpectedInput, replay: Replay) -> LuaSyntaxError:
    """The one place lark's errors become Lua's: see the module docstring."""
    tok = getattr(e, "token", None)
    if tok is None:  # cannot happen with our lexer; keep Lua's generic wording
        return ls.error("syntax error")
    cur = ls.line if tok.type == "$END" else tok.end_line  # lparser.c's ls->linenumber
    # An LALR parser may reduce on a bad token before noticing it is bad, which loses what
    # was acceptable. Parse again up to the token before it, then ask which tokens fit.
    ls2 = ls.restart()
    twin = _Twin(replay.twin())
    with replay.build(ls2) as ip:
        for t in LuaLexer().lex(ls2):
            if t.end_pos == tok.end_pos and t.type == tok.type:
                break
            ip.feed_token(t)
            twin.feed(t)
        expected = ip.accepts()
        msg = _describe(ls2, tok, expected, ip, twin, cur)
        earlier = _semantic_error_before(ls2, ip, twin, cur)
    if earlier is not None:
        return earlier
    if tok.type == "OTHER" and tok == "\0":  # token 0 means "no token" to luaX_syntaxerror
        return ls.error(msg, cur)
    return ls.error("%s near %s" % (msg, near_text(tok)), cur)


def lexical_error(ls: LexState, err: LuaSyntaxError, replay: Replay) -> LuaSyntaxError:
    """A lexer error, unless PUC would have reported a compile-time error before it."""
    ls2 = ls.restart()
    twin = _Twin(replay.twin())
    with replay.build(ls2) as ip:
        try:
            for t in LuaLexer().lex(ls2):
                ip.feed_token(t)
                twin.feed(t)
        except LuaSyntaxError:
            earlier = _semantic_error_before(ls2, ip, twin, None)
        else:  # pragma: no cover -- the lexer is deterministic
            earlier = None
    return earlier or err


class _Twin:
    """A parser fed the tokens the replay is fed, whose callbacks record nothing."""

    def __init__(self, ip: InteractiveParser) -> None:
        self.ip = ip

    def feed(self, tok: Token) -> None:
        self.ip.feed_token(tok)

    def takes(self, types: tuple[str, ...]) -> bool:
        """Would the parser take these tokens next, one after another?"""
        probe = self.ip.copy(deepcopy_values=False)
        try:
            for t in types:
                probe.feed_token(Token(t, ""))
        except UnexpectedToken:
            return False
        return True


_CLOSERS = frozenset({"END", "ELSE", "ELSEIF", "UNTIL", "$END"})
_EXPR_NODES = (N.Name, N.Index, N.Call, N.MethodCall, N.Paren)
# Tokens that finish whatever is open, in order of preference (closing before opening).
_COMPLETION = ("$END", "END", "RPAR", "RBRACE", "RBRACKET", "UNTIL", "NIL", "NAME", "THEN",
               "DO", "ASSIGN", "IN", "DBCOLON", "COMMA", "GT", "LPAR")


def _semantic_error_before(ls: LexState, ip: InteractiveParser, twin: _Twin,
                           cur: int | None) -> LuaSyntaxError | None:
    """The compile-time error PUC's single pass would report before the syntax error, if any.

    The unfinished program is completed with made-up tokens (on line HORIZON) and checked;
    errors PUC would only notice at a made-up token come after the syntax error: ignored.
    ``cur`` is the line of the bad token, None when it could not even be read (a lexical
    error: then PUC never looked past the token before it).
    """
    # What ends at the last real token is finished while PUC looks at the bad one, so errors
    # it notices then are on that token's line; anything later is past the horizon.
    ls.synthetic = True
    ls.cur_line = HORIZON if cur is None else cur
    try:
        for _ in range(100 + 8 * len(ip.parser_state.state_stack)):
            for t in _COMPLETION:
                if twin.takes((t,)):
                    fake = make_token(t, t, " ", HORIZON, HORIZON, -1)  # ' ' names nothing
                    if t == "$END":
                        body = ip.feed_token(fake)
                        check_chunk(N.Chunk(ls.chunkname, body, HORIZON), ls.after, ls.deferred,
                                    horizon=HORIZON, decl_near=ls.decl_near)
                        return None
                    ip.feed_token(fake)
                    twin.feed(fake)
                    ls.cur_line = HORIZON
                    break
            else:
                return None
    except LuaSyntaxError as err:
        return err
    except UnexpectedInput:  # pragma: no cover -- only accepted tokens are fed
        return None
    return None


def _describe(ls: LexState, tok: Token, expected: set[str], ip: InteractiveParser, twin: _Twin,
              cur: int) -> str:
    """What lparser.c would say about ``tok`` in this parser state (without the 'near' part)."""
    t = tok.type
    if "BREAK" in expected:  # between two statements: tok starts a statement
        if t in ("ASSIGN", "COMMA") and twin.takes(("DOT", "NAME", "ASSIGN")):
            return "syntax error"  # exprstat: a call followed by '=' or ','
        if t in _CLOSERS:
            return _block_closer(ls, cur)
        return "unexpected symbol"
    if expected & _CLOSERS:  # after 'return': the block must end here
        if "NIL" in expected and t not in _CLOSERS and t != "SEMI":
            return "unexpected symbol"
        return _block_closer(ls, cur)
    if "NIL" in expected:  # an expression was expected
        return "unexpected symbol"
    if "NAME" in expected and "LPAR" in expected:  # a variable was expected (primaryexp)
        return "unexpected symbol"
    if expected <= {"NAME", "FUNCTION"}:
        return "<name> expected"
    if "NAME" in expected and "DOTS" in expected:
        return "<name> or '...' expected"
    for term, msg in (("THEN", "'then' expected"), ("DO", "'do' expected")):
        if term in expected:
            return msg
    if "IN" in expected:
        return "'=' or 'in' expected" if "ASSIGN" in expected else "'in' expected"
    if "RBRACE" in expected:
        return _bracket_closer(ls, "}", "{", ip, cur)
    if "RBRACKET" in expected:
        return "']' expected"
    if "RPAR" in expected:
        if "PLUS" in expected:  # after an expression: a call's arguments or a parenthesis
            return _bracket_closer(ls, ")", "(", ip, cur)
        return "')' expected"  # parameter list
    if expected == {"DBCOLON"}:
        return "'::' expected"
    if expected == {"GT"}:
        return "'>' expected"
    if "ASSIGN" in expected and "COMMA" in expected:  # after a variable at statement start
        if twin.takes(("LPAR", "RPAR", "BREAK")):
            return "syntax error"  # the first one: exprstat wanted a call
        return "'=' expected"
    if "ASSIGN" in expected:
        return "'=' expected"
    if "COMMA" in expected:
        return "',' expected"
    if "LBRACKET" in expected:
        return "syntax error"  # a call in an assignment's variable list
    if "STRING" in expected:
        return "function arguments expected"
    if "LPAR" in expected:
        return "'(' expected"
    return "unexpected symbol"


def _match(what: str, who: str, line: int, cur: int) -> str:
    """lparser.c check_match(): name the opening token when it is on another line."""
    if line == cur:
        return "'%s' expected" % what
    return "'%s' expected (to close '%s' at line %d)" % (what, who, line)


def _block_closer(ls: LexState, cur: int) -> str:
    if not ls.stack:
        return "<eof> expected"
    top = ls.stack[-1]
    return _match("until" if top.kind == "repeat" else "end", top.kind, top.line, cur)


def _bracket_closer(ls: LexState, what: str, who: str, ip: InteractiveParser, cur: int) -> str:
    top = ls.stack[-1] if ls.stack else None
    if top is None or top.kind != who:
        return "'%s' expected" % what
    line = top.line
    if who == "(":  # a call's ')' names the line where its prefix expression starts
        values = ip.parser_state.value_stack
        for i in range(len(values) - 1, 0, -1):
            if values[i] is top.tok:
                prev = values[i - 1]
                if getattr(prev, "type", None) == "NAME" and i >= 3:  # obj:name(
                    prev = values[i - 3]
                if isinstance(prev, _EXPR_NODES):
                    line = prev.line
                break
    return _match(what, who, line, cur)
