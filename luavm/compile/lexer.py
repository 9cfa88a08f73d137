"""The Lua 5.4 lexer: source bytes -> lark tokens, with PUC Lua's exact lexical errors.

It is a lark custom lexer (``LuaLexer``) fed with a ``LexState``, the per-parse state: the
source (decoded as latin-1, so every byte maps to one character and strings round-trip
exactly), the chunk name, the current line, and a stack of the blocks and brackets that are
open at the current token. The parser reads that stack when a syntax error happens, to say
``'end' expected (to close 'function' at line 3)`` as PUC Lua does, and the lexer uses its
height as a cheap early gauge of nesting (PUC's "C stack overflow") so that absurd nesting
fails before the LALR stack grows.

Token conventions (the parser relies on them):
  * ``type`` is the terminal name of grammar.lark; ``line``/``end_line`` where it starts/ends.
  * ``value`` is the semantic value: ``str`` for names, ``int``/``float`` for numerals,
    ``bytes`` (escapes decoded) for strings, the text itself for keywords and symbols.
  * Bytes that start no token become one-character ``OTHER`` tokens, which no rule accepts
    (PUC's "unexpected symbol near '@'").
  * The token's own text (it is a ``str``) is what Lua prints after ``near``; for strings it
    is only the opening delimiter, see ``near_text``.
"""

from __future__ import annotations

import re
from typing import Callable, Iterator

from lark import Token
from lark.lexer import Lexer

from luavm.compile.tokenmeter import TICK_TOKENS, TOKEN_METER
from luavm.errors import LuaSyntaxError
from luavm.lib.utf8lib import encode as utf8_encode
from luavm.luanumbers import numeral


# Nesting depth PUC Lua 5.4 reaches before "C stack overflow" (LUAI_MAXCCALLS = 200, of which
# one level is used by the loader when a file is run with lua5.4 or luac5.4 -p).
MAX_LEVELS = 198
C_STACK_OVERFLOW = b"C stack overflow"

KEYWORDS = {
    "and": "AND", "break": "BREAK", "do": "DO", "else": "ELSE", "elseif": "ELSEIF",
    "end": "END", "false": "FALSE", "for": "FOR", "function": "FUNCTION", "goto": "GOTO",
    "if": "IF", "in": "IN", "local": "LOCAL", "nil": "NIL", "not": "NOT", "or": "OR",
    "repeat": "REPEAT", "return": "RETURN", "then": "THEN", "true": "TRUE", "until": "UNTIL",
    "while": "WHILE",
}

SYMBOLS = {
    "+": "PLUS", "-": "MINUS", "*": "STAR", "/": "SLASH", "//": "DSLASH", "%": "PERCENT",
    "^": "CARET", "#": "HASH", "&": "AMP", "~": "TILDE", "|": "PIPE", "<<": "SHL",
    ">>": "SHR", "..": "CONCAT", "...": "DOTS", "==": "EQ", "~=": "NE", "<": "LT",
    "<=": "LE", ">": "GT", ">=": "GE", "=": "ASSIGN", "(": "LPAR", ")": "RPAR",
    "{": "LBRACE", "}": "RBRACE", "[": "LBRACKET", "]": "RBRACKET", "::": "DBCOLON",
    ";": "SEMI", ":": "COLON", ",": "COMMA", ".": "DOT",
}

_SPACE = re.compile(r"[ \t\f\v\r\n]+")
_NEWLINES = re.compile(r"\r\n|\n\r|\r|\n")  # how inclinenumber() groups line breaks
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PUNCT = re.compile(r"\.\.\.|\.\.|==|~=|<=|>=|<<|>>|//|::|[-+*/%^#&~|<>=(){}\[\];:,.]")
# read_numeral: after the first digit, exponent marks (with an optional sign), hex digits and
# dots; then one more letter is swallowed so that '3x' is reported whole.
_NUM_DEC = re.compile(r"(?:[eE][-+]?|[0-9a-fA-F.])*[A-Za-z_]?")
_NUM_HEX = re.compile(r"(?:[pP][-+]?|[0-9a-fA-F.])*[A-Za-z_]?")
_STR_RUN = {'"': re.compile(r'[^"\\\r\n]*'), "'": re.compile(r"[^'\\\r\n]*")}
_LINE_REST = re.compile(r"[^\r\n]*")
_SPACE_CHARS = " \t\n\v\f\r"
_HEXDIGITS = "0123456789abcdefABCDEF"
_SIMPLE_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t",
                   "v": "\v", "\\": "\\", '"': '"', "'": "'"}

_NAME_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_DIGITS = frozenset("0123456789")

_new_str = str.__new__


def make_token(type_: str, text: str, value: object, line: int, end_line: int, end_pos: int) -> Token:
    """Build a lark Token without going through Token.__new__'s keyword handling (hot path).

    Only ``end_pos`` (the source offset after the token) is recorded: it identifies a token.
    """
    t = _new_str(Token, text)
    t.type = type_
    t.value = value
    t.start_pos = None
    t.end_pos = end_pos
    t.line = line
    t.column = None
    t.end_line = end_line
    t.end_column = None
    return t


def near_text(tok: Token) -> str:
    """How PUC Lua shows a token after ``near`` (llex.c ``txtToken``), e.g. ``'x'`` or ``<eof>``."""
    typ = tok.type
    if typ == "$END":
        return "<eof>"
    if typ == "STRING":
        d = str(tok)
        close = d if len(d) == 1 else d.replace("[", "]")
        s = d + tok.value.decode("latin-1") + close
    else:
        s = str(tok)
        if len(s) == 1 and not (" " <= s <= "~"):
            return "'<\\%d>'" % ord(s)
    return "'%s'" % s.split("\0", 1)[0]  # the C string stops at the first NUL


def str2number(s: str) -> int | float | None:
    """luaO_str2num for a numeral the lexer read: None when it is malformed (luanumbers.numeral)."""
    return numeral(s.encode("latin-1"))


def syntax_error(chunkname: str, line: int, msg: str) -> LuaSyntaxError:
    """``chunkname:line: msg`` as bytes. ``msg`` quotes source text, hence latin-1; the chunk
    name is UTF-8 with surrogateescape, so ``os.fsdecode()`` names come back as their bytes."""
    name = chunkname.encode("utf-8", "surrogateescape")
    return LuaSyntaxError(b"%s:%d: %s" % (name, line, msg.encode("latin-1")))


class Open:
    """One block or bracket open at the current token (for 'to close' messages and depth)."""

    __slots__ = ("kind", "line", "phase", "tok", "local")

    def __init__(self, kind: str, line: int, tok: Token | None = None):
        self.kind = kind  # 'function' 'do' 'while' 'for' 'if' 'repeat' '(' '{' '['
        self.line = line  # the line Lua names in "(to close 'x' at line N)"
        self.phase = ""  # while/for: 'head' until 'do'; function: 'head', 'params', 'body'
        self.tok = tok
        self.local = False


class LexState:
    """Everything one parse needs besides the grammar: source, position, open blocks."""

    def __init__(self, source: bytes, chunkname: str):
        self.source = source
        self.text = source.decode("latin-1")
        self.chunkname = chunkname
        self.line = 1
        self.cur_line = 1  # ls->linenumber after the most recent token (end of file: last line)
        self.stack: list[Open] = []
        self.after: dict[int, int] = {}  # id(node) -> cur_line when the parser built it
        self.deferred: dict[int, tuple[int, str]] = {}  # id(Local) -> its attribute error
        self.synthetic = False  # the parser is completing a broken program with made-up tokens
        self.after_name: dict[int, Token] = {}  # end position of a NAME -> the token after it
        self.decl_near: dict[int, tuple] = {}  # id(declaring node) -> (line, near) per new local

    def restart(self) -> LexState:
        """A fresh state over the same source (to replay a parse up to an error)."""
        return LexState(self.source, self.chunkname)

    def error(self, msg: str, line: int | None = None) -> LuaSyntaxError:
        return syntax_error(self.chunkname, self.line if line is None else line, msg)

    def lex_error(self, msg: str, near: str) -> LuaSyntaxError:
        return self.error("%s near %s" % (msg, near))




class LuaLexer(Lexer):
    """lark custom lexer: ``lex`` is given the LexState passed to ``Lark.parse``."""

    def __init__(self, lexer_conf: object = None):
        pass

    def lex(self, ls: LexState) -> Iterator[Token]:  # type: ignore[override]
        text = ls.text
        n = len(text)
        pos = 0
        line = 1
        stack = ls.stack
        prev = ""
        prev_end = 0
        space = _SPACE.match
        name = _NAME.match
        punct = _PUNCT.match
        keywords = KEYWORDS
        symbols = SYMBOLS
        name_start = _NAME_START
        digits = _DIGITS
        tick = TOKEN_METER.get()
        ntok = TICK_TOKENS
        while True:
            m = space(text, pos)
            if m is not None:
                seg = m.group()
                line += seg.count("\n") if "\r" not in seg else len(_NEWLINES.findall(seg))
                pos = m.end()
            if pos >= n:
                break
            c = text[pos]
            start_line = line
            if c in name_start:
                m = name(text, pos)
                word = m.group()
                pos = m.end()
                typ = keywords.get(word, "NAME")
                tok = make_token(typ, word, word, line, line, pos)
            elif c in digits or (c == "." and pos + 1 < n and text[pos + 1] in digits):
                tok, pos = self._numeral(ls, text, pos, line)
            elif c == "-" and text.startswith("--", pos):
                pos, line = self._comment(ls, text, pos + 2, line)
                continue
            elif c == '"' or c == "'":
                tok, pos, line = self._short_string(ls, text, pos, line)
            elif c == "[" and pos + 1 < n and text[pos + 1] in "[=":
                tok, pos, line = self._long_bracket(ls, text, pos, line)
            else:
                m = punct(text, pos)
                if m is None:  # any other byte is a one-character token no rule accepts
                    pos += 1
                    tok = make_token("OTHER", c, c, line, line, pos)
                else:
                    s = m.group()
                    pos = m.end()
                    typ = symbols[s]
                    tok = make_token(typ, s, s, line, line, pos)
            typ = tok.type
            if prev == "NAME":  # where lparser.c declares a local: at the token after its name
                ls.after_name[prev_end] = tok
            prev_end = tok.end_pos
            if typ in _OPENERS:
                self._check_depth(ls, typ, stack)
            ls.cur_line = line
            ls.line = line
            ntok -= 1
            if not ntok:
                ntok = TICK_TOKENS
                if tick is not None:
                    tick(TICK_TOKENS)
            yield tok
            # Apply the token to the open-block stack only now that the parser accepted it:
            # when it rejects a token, the stack still describes what was open before it.
            if typ in _STACKY:
                self._track(typ, tok, stack, prev, start_line)
            prev = typ
        ls.line = line
        ls.cur_line = line
        if tick is not None and ntok != TICK_TOKENS:
            tick(TICK_TOKENS - ntok)  # the last partial batch

    # ------------------------------------------------------------ open blocks and brackets

    @staticmethod
    def _pushes(typ: str, stack: list[Open]) -> bool:
        top = stack[-1] if stack else None
        if typ == "DO":
            return not (top is not None and top.kind in ("while", "for") and top.phase == "head")
        if typ == "LPAR":
            return not (top is not None and top.kind == "function" and top.phase == "head")
        return True

    def _check_depth(self, ls: LexState, typ: str, stack: list[Open]) -> None:
        # Every open entry costs PUC at least one C level, so this never fires before PUC would.
        if len(stack) >= MAX_LEVELS and self._pushes(typ, stack):
            raise LuaSyntaxError(C_STACK_OVERFLOW)

    @staticmethod
    def _track(typ: str, tok: Token, stack: list[Open], prev: str, line: int) -> None:
        top = stack[-1] if stack else None
        if typ == "LPAR":
            if top is not None and top.kind == "function" and top.phase == "head":
                top.phase = "params"
                if top.local or prev == "FUNCTION":  # Lua names local/anonymous functions by '('
                    top.line = line
            else:
                stack.append(Open("(", line, tok))
        elif typ == "RPAR":
            if top is not None and top.kind == "function" and top.phase == "params":
                top.phase = "body"
            elif stack:
                stack.pop()
        elif typ in ("END", "UNTIL", "RBRACE", "RBRACKET"):
            if stack:
                stack.pop()
        elif typ == "DO":
            if top is not None and top.kind in ("while", "for") and top.phase == "head":
                top.phase = "body"
            else:
                stack.append(Open("do", line))
        elif typ == "FUNCTION":
            o = Open("function", line)
            o.phase = "head"
            o.local = prev == "LOCAL"
            stack.append(o)
        elif typ in ("WHILE", "FOR"):
            o = Open(typ.lower(), line)
            o.phase = "head"
            stack.append(o)
        elif typ == "IF":
            stack.append(Open("if", line))
        elif typ == "REPEAT":
            stack.append(Open("repeat", line))
        elif typ == "LBRACE":
            stack.append(Open("{", line, tok))
        elif typ == "LBRACKET":
            stack.append(Open("[", line, tok))

    # ------------------------------------------------------------ numerals

    @staticmethod
    def _numeral(ls: LexState, text: str, pos: int, line: int) -> tuple[Token, int]:
        start = pos
        if text[pos] == ".":
            pos += 1
        first = text[pos]
        pos += 1
        if first == "0" and text[pos:pos + 1] in ("x", "X"):
            pos = _NUM_HEX.match(text, pos + 1).end()
        else:
            pos = _NUM_DEC.match(text, pos).end()
        s = text[start:pos]
        value = str2number(s)
        if value is None:
            ls.line = line
            raise ls.lex_error("malformed number", "'%s'" % s)
        return make_token("NUMBER", s, value, line, line, pos), pos

    # ------------------------------------------------------------ comments and long brackets

    @staticmethod
    def _newlines(seg: str) -> int:
        return seg.count("\n") if "\r" not in seg else len(_NEWLINES.findall(seg))

    def _comment(self, ls: LexState, text: str, pos: int, line: int) -> tuple[int, int]:
        if text.startswith("[", pos):
            level = self._sep(text, pos)
            if level >= 0:
                _, pos, line = self._long_body(ls, text, pos, level, line, "comment")
                return pos, line
        return _LINE_REST.match(text, pos).end(), line

    @staticmethod
    def _sep(text: str, pos: int) -> int:
        """skip_sep: the level of a long bracket '[==[' starting at pos, or -1 if it is not one."""
        j = pos + 1
        while j < len(text) and text[j] == "=":
            j += 1
        return j - pos - 1 if text.startswith("[", j) else -1

    def _long_bracket(self, ls: LexState, text: str, pos: int, line: int) -> tuple[Token, int, int]:
        level = self._sep(text, pos)
        if level < 0:  # '[=' not followed by '[': only '[' alone is a token
            ls.line = line
            j = pos + 1
            while j < len(text) and text[j] == "=":
                j += 1
            raise ls.lex_error("invalid long string delimiter", "'%s'" % text[pos:j])
        value, end, end_line = self._long_body(ls, text, pos, level, line, "string")
        tok = make_token("STRING", "[" + "=" * level + "[", value.encode("latin-1"), line, end_line, end)
        return tok, end, end_line

    def _long_body(self, ls: LexState, text: str, pos: int, level: int, line: int,
                   what: str) -> tuple[str, int, int]:
        start_line = line
        body = pos + level + 2
        close = "]" + "=" * level + "]"
        end = text.find(close, body)
        if end < 0:
            ls.line = line + self._newlines(text[body:])
            raise ls.lex_error(
                "unfinished long %s (starting at line %d)" % (what, start_line), "<eof>")
        content = text[body:end]
        if "\r" in content or "\n" in content:
            m = _NEWLINES.match(content)
            if m is not None:  # the first line break right after the opening bracket is skipped
                content = content[m.end():]
                line += 1
            if "\r" in content:
                line += len(_NEWLINES.findall(content))
                content = _NEWLINES.sub("\n", content)
            else:
                line += content.count("\n")
        return content, end + len(close), line

    # ------------------------------------------------------------ short strings

    def _short_string(self, ls: LexState, text: str, pos: int, line: int) -> tuple[Token, int, int]:
        delim = text[pos]
        run = _STR_RUN[delim].match
        start_line = line
        n = len(text)
        m = run(text, pos + 1)
        j = m.end()
        if j < n and text[j] == delim:  # fast path: no escapes
            s = m.group()
            return make_token("STRING", delim, s.encode("latin-1"), line, line, j + 1), j + 1, line
        buf = [delim, m.group()]  # mirrors Lua's buffer, which error messages quote
        pos = j
        while True:
            if pos >= n:
                ls.line = line
                raise ls.lex_error("unfinished string", "<eof>")
            c = text[pos]
            if c == delim:
                pos += 1
                break
            if c == "\n" or c == "\r":
                ls.line = line
                raise ls.lex_error("unfinished string", "'%s'" % "".join(buf).split("\0", 1)[0])
            if c != "\\":
                m = run(text, pos)
                buf.append(m.group())
                pos = m.end()
                continue
            # escape sequence: Lua keeps the backslash in the buffer until it knows the value
            pos += 1
            c = text[pos] if pos < n else ""
            if c in _SIMPLE_ESCAPES and c:
                buf.append(_SIMPLE_ESCAPES[c])
                pos += 1
            elif c == "\n" or c == "\r":
                pos += 1
                if pos < n and text[pos] in "\r\n" and text[pos] != c:
                    pos += 1
                line += 1
                buf.append("\n")
            elif c == "x":
                raw = "\\x"
                pos += 1
                val = 0
                for _ in range(2):
                    d = text[pos] if pos < n else ""
                    if not d or d not in _HEXDIGITS:
                        ls.line = line
                        raise self._esc_error(ls, buf, raw + d, "hexadecimal digit expected")
                    raw += d
                    val = val * 16 + int(d, 16)
                    pos += 1
                buf.append(chr(val))
            elif c == "u":
                val, pos = self._utf8_escape(ls, text, pos, buf, line)
                buf.append(utf8_encode(val).decode("latin-1"))
            elif c == "z":
                pos += 1
                while pos < n and text[pos] in _SPACE_CHARS:
                    if text[pos] in "\r\n":
                        c2 = text[pos]
                        pos += 1
                        if pos < n and text[pos] in "\r\n" and text[pos] != c2:
                            pos += 1
                        line += 1
                    else:
                        pos += 1
            elif c == "":
                continue  # end of input: reported as an unfinished string on the next round
            elif c in "0123456789":
                j = pos
                while j < n and j < pos + 3 and text[j] in "0123456789":
                    j += 1
                val = int(text[pos:j])
                if val > 255:
                    ls.line = line
                    d = text[j] if j < n else ""
                    raise self._esc_error(ls, buf, "\\" + text[pos:j] + d, "decimal escape too large")
                buf.append(chr(val))
                pos = j
            else:
                ls.line = line
                raise self._esc_error(ls, buf, "\\" + c, "invalid escape sequence")
        s = "".join(buf)[1:]
        return make_token("STRING", delim, s.encode("latin-1"), start_line, line, pos), pos, line

    @staticmethod
    def _esc_error(ls: LexState, buf: list[str], raw: str, msg: str) -> LuaSyntaxError:
        return ls.lex_error(msg, "'%s'" % ("".join(buf) + raw).split("\0", 1)[0])

    def _utf8_escape(self, ls: LexState, text: str, pos: int, buf: list[str],
                     line: int) -> tuple[int, int]:
        """readutf8esc: pos is at 'u'; returns the code point and the position after '}'."""
        n = len(text)
        raw = "\\u"
        pos += 1
        cur = text[pos] if pos < n else ""
        if cur != "{":
            ls.line = line
            raise self._esc_error(ls, buf, raw + cur, "missing '{'")
        raw += "{"
        pos += 1
        cur = text[pos] if pos < n else ""
        if not cur or cur not in _HEXDIGITS:
            ls.line = line
            raise self._esc_error(ls, buf, raw + cur, "hexadecimal digit expected")
        val = int(cur, 16)
        while True:
            raw += cur
            pos += 1
            cur = text[pos] if pos < n else ""
            if not cur or cur not in _HEXDIGITS:
                break
            if val > (0x7FFFFFFF >> 4):
                ls.line = line
                raise self._esc_error(ls, buf, raw + cur, "UTF-8 value too large")
            val = val * 16 + int(cur, 16)
        if cur != "}":
            ls.line = line
            raise self._esc_error(ls, buf, raw + cur, "missing '}'")
        return val, pos + 1


_OPENERS = frozenset({"LPAR", "LBRACE", "LBRACKET", "FUNCTION", "DO", "WHILE", "FOR", "IF", "REPEAT"})
_STACKY = frozenset({"LPAR", "RPAR", "LBRACE", "RBRACE", "LBRACKET", "RBRACKET", "END", "UNTIL",
                     "DO", "FUNCTION", "WHILE", "FOR", "IF", "REPEAT"})
