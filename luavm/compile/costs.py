"""The static cost model: what a Lua statement or expression costs in instructions.

docs/METERING.md's table of constructs is this module. codegen.py charges each straight-line
run of statements the sum of its statements' ``stmt_cost`` before the run starts, a loop test
``loop_test_cost`` per evaluation, and a ``for`` loop its ``*_ITERATION_COST`` per iteration.
"""

from __future__ import annotations

from typing import Callable

from luavm.compile import nodes as N

NUMFOR_ITERATION_COST = 1  # FORLOOP
GENFOR_ITERATION_COST = 2  # TFORCALL + TFORLOOP: the iterator call and the test

IsUpvalue = Callable[[N.Name], bool] | None  # does this name read an upvalue (which costs 1)?


def expr_cost(e: object, is_upvalue: IsUpvalue = None) -> int:
    """Static instruction cost of evaluating ``e`` (docs/METERING.md)."""
    cost = 0
    stack = [e]
    while stack:
        e = stack.pop()
        t = type(e)
        if t is N.Name:
            # locals are registers (free); an upvalue is read or written by an instruction of
            # its own in PUC (GETUPVAL/SETUPVAL), so it costs 1, which keeps budgets comparable
            if is_upvalue is not None and is_upvalue(e):
                cost += 1
            continue
        if t is N.BinOp:
            cost += 1
            stack.append(e.left)
            stack.append(e.right)
        elif t is N.UnOp:
            cost += 1
            stack.append(e.operand)
        elif t is N.Paren:
            stack.append(e.expr)
        elif t is N.Index:
            cost += 1
            stack.append(e.obj)
            stack.append(e.key)
        elif t is N.Call:
            cost += 1
            stack.append(e.func)
            stack.extend(e.args)
        elif t is N.MethodCall:
            cost += 2
            stack.append(e.obj)
            stack.extend(e.args)
        elif t is N.Function:
            cost += 1
        elif t is N.Table:
            cost += 1 + len(e.fields)
            for f in e.fields:
                stack.append(f.value)
                if f.key is not None:
                    stack.append(f.key)
        elif t is N.Vararg:
            cost += 1
    return cost


def _sum(exprs: tuple, is_upvalue: IsUpvalue) -> int:
    return sum(expr_cost(e, is_upvalue) for e in exprs)


def loop_test_cost(cond: object, is_upvalue: IsUpvalue = None) -> int:
    """A ``while``/``repeat`` condition, charged every time it is evaluated."""
    return 1 + expr_cost(cond, is_upvalue)


def stmt_cost(st: object, is_upvalue: IsUpvalue = None) -> int:
    """What a statement costs where it stands in its run: for a ``for``, its header (charged
    once); for an ``if``, all of its tests. Bodies are runs of their own; ``do``, labels and
    loop tests (``loop_test_cost``) are not charged here."""
    t = type(st)
    if t is N.Local:
        return max(1, _sum(st.exprs, is_upvalue))
    if t is N.Assign:
        return max(1, _sum(st.exprs, is_upvalue) + _sum(st.targets, is_upvalue))
    if t is N.CallStat:
        return expr_cost(st.call, is_upvalue)
    if t is N.Return:
        return 1 + _sum(st.exprs, is_upvalue)
    if t is N.FunctionStat:  # the closure, and the store into its target
        return 1 + expr_cost(st.target, is_upvalue)
    if t in (N.LocalFunction, N.Break, N.Goto):
        return 1
    if t is N.If:
        return sum(1 + expr_cost(c, is_upvalue) for c, _ in st.tests)
    if t is N.NumFor:
        return (1 + expr_cost(st.start, is_upvalue) + expr_cost(st.stop, is_upvalue)
                + (expr_cost(st.step, is_upvalue) if st.step else 0))
    if t is N.GenFor:
        return 1 + _sum(st.exprs, is_upvalue)
    return 0
