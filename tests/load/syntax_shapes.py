"""Compact, exact renderings of syntax nodes for table-driven loader tests.

`shape()` spells out every node kind and value (`(1 + (2 * 3))`, `var.x`, `'text'`) so one
string pins a whole expression tree; `span()` gives a node's range as a tuple.
"""

from __future__ import annotations

from tf_apigw_lint.load import syntax as s


def span(node) -> tuple[int, int, int, int]:
    r = node.range
    return (r.line, r.column, r.end_line, r.end_column)


def shape(node) -> str:
    if isinstance(node, s.Literal):
        return repr(node.value)
    if isinstance(node, s.Variable):
        return node.name
    if isinstance(node, s.GetAttr):
        return f"{shape(node.obj)}.{node.name}"
    if isinstance(node, s.Index):
        return f"{shape(node.obj)}[{shape(node.key)}]"
    if isinstance(node, s.SplatItem):
        return "@"
    if isinstance(node, s.Splat):
        return f"splat({shape(node.source)}, {shape(node.body)})"
    if isinstance(node, s.BinaryOp):
        return f"({shape(node.left)} {node.op} {shape(node.right)})"
    if isinstance(node, s.UnaryOp):
        return f"({node.op}{shape(node.operand)})"
    if isinstance(node, s.Conditional):
        return f"({shape(node.condition)} ? {shape(node.true_expr)} : {shape(node.false_expr)})"
    if isinstance(node, s.Parens):
        return f"paren({shape(node.expr)})"
    if isinstance(node, s.TupleExpr):
        return "[" + ", ".join(shape(item) for item in node.items) + "]"
    if isinstance(node, s.ObjectExpr):
        return "{" + ", ".join(f"{shape(i.key)}: {shape(i.value)}" for i in node.items) + "}"
    if isinstance(node, s.FunctionCall):
        args = ", ".join(shape(arg) for arg in node.args)
        return f"{node.name}({args}{'...' if node.expand_final else ''})"
    if isinstance(node, s.ForExpr):
        names = f"{node.key_var}, {node.value_var}" if node.key_var else node.value_var
        result = f"{shape(node.key_expr)} => {shape(node.value_expr)}" if node.key_expr else shape(node.value_expr)
        grouping = "..." if node.grouping else ""
        condition = f" if {shape(node.condition)}" if node.condition else ""
        return f"for({names} in {shape(node.collection)}: {result}{grouping}{condition})"
    if isinstance(node, s.Template):
        return "template(" + ", ".join(_part(part) for part in node.parts) + ")"
    raise TypeError(f"not a syntax node: {node!r}")


def _part(part) -> str:
    if isinstance(part, str):
        return repr(part)
    left = "~" if part.strip_left else ""
    right = "~" if part.strip_right else ""
    if isinstance(part, s.Interpolation):
        return f"${{{left}{shape(part.expr)}{right}}}"
    if isinstance(part, s.IfDirective):
        then = ", ".join(_part(p) for p in part.then_parts)
        otherwise = ", ".join(_part(p) for p in part.else_parts)
        return f"%{left}if {shape(part.condition)}{right}[{then}][{otherwise}]"
    names = f"{part.key_var}, {part.value_var}" if part.key_var else part.value_var
    body = ", ".join(_part(p) for p in part.body)
    return f"%{left}for {names} in {shape(part.collection)}{right}[{body}]"
