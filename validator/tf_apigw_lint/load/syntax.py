"""The syntax tree every loader produces.

HCL native syntax (`*.tf`, `*.tofu`) and Terraform JSON syntax (`*.tf.json`) both become
these nodes, so the model never knows which syntax a file used. Every node carries the
`Range` it came from; ranges are 1-based, `end_column` points just past the last character
(the convention SARIF and editors use).

Bodies are asked by name (`attribute("x")`, `blocks("y")`) instead of exposing their raw
contents: in JSON syntax the same key can only be told to be an attribute or a block by the
schema of its parent, and the model is the one that knows which one it wants.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

from tf_apigw_lint.view.ranges import Range


# ---------------------------------------------------------------------------
# Expressions
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Literal:
    """`"text"` without interpolation, numbers, `true`, `false`, `null`."""

    value: Union[str, int, float, bool, None]
    range: Range


@dataclass(frozen=True)
class Interpolation:
    """`${expr}` inside a template. `strip_left` / `strip_right` are the `~` markers."""

    expr: "Expression"
    strip_left: bool = False
    strip_right: bool = False


@dataclass(frozen=True)
class IfDirective:
    """`%{ if cond }then%{ else }else%{ endif }`."""

    condition: "Expression"
    then_parts: tuple["TemplatePart", ...]
    else_parts: tuple["TemplatePart", ...]
    strip_left: bool = False
    strip_right: bool = False


@dataclass(frozen=True)
class ForDirective:
    """`%{ for k, v in coll }body%{ endfor }` (`key_var` is None with one variable)."""

    key_var: str | None
    value_var: str
    collection: "Expression"
    body: tuple["TemplatePart", ...]
    strip_left: bool = False
    strip_right: bool = False


TemplatePart = Union[str, Interpolation, IfDirective, ForDirective]


@dataclass(frozen=True)
class Template:
    """A quoted string or heredoc with interpolations or directives.

    Literal text parts are already unescaped (`\\n`, `$${`, `%%{` resolved); heredoc
    indentation of `<<-` is already removed, and so is the whitespace that `~` strip markers
    remove (the `strip_*` flags only record the markers). A template that is exactly one interpolation
    (`"${x}"`) evaluates to the value of `x` unconverted, as in Terraform.
    """

    parts: tuple[TemplatePart, ...]
    range: Range


@dataclass(frozen=True)
class Variable:
    """A bare name: the root of a traversal (`var`, `aws_instance`, `each`, a for variable)."""

    name: str
    range: Range


@dataclass(frozen=True)
class GetAttr:
    """`obj.name` (also the legacy `obj.0` is an Index with a Literal key)."""

    obj: "Expression"
    name: str
    range: Range


@dataclass(frozen=True)
class Index:
    """`obj[key]` and `obj.0`."""

    obj: "Expression"
    key: "Expression"
    range: Range


@dataclass(frozen=True)
class SplatItem:
    """Stands for the current element inside a `Splat` body."""

    range: Range


@dataclass(frozen=True)
class Splat:
    """`source[*].a.b` / `source.*.a.b`: `body` is evaluated with `SplatItem` bound to each
    element of `source` (a non-list, non-null source is treated as a one-element list)."""

    source: "Expression"
    body: "Expression"
    range: Range


@dataclass(frozen=True)
class TupleExpr:
    items: tuple["Expression", ...]
    range: Range


@dataclass(frozen=True)
class ObjectItem:
    """One `key = value`. A bare identifier key is a Literal string; `(expr)` and quoted
    keys are expressions."""

    key: "Expression"
    value: "Expression"


@dataclass(frozen=True)
class ObjectExpr:
    items: tuple[ObjectItem, ...]
    range: Range


@dataclass(frozen=True)
class FunctionCall:
    """`name(args)`; `expand_final` is the `...` after the last argument. Provider functions
    keep their full name (`provider::aws::arn_parse`)."""

    name: str
    args: tuple["Expression", ...]
    expand_final: bool
    range: Range


@dataclass(frozen=True)
class Conditional:
    condition: "Expression"
    true_expr: "Expression"
    false_expr: "Expression"
    range: Range


@dataclass(frozen=True)
class BinaryOp:
    """`op` is one of `|| && == != < > <= >= + - * / %`."""

    op: str
    left: "Expression"
    right: "Expression"
    range: Range


@dataclass(frozen=True)
class UnaryOp:
    """`op` is `-` or `!`."""

    op: str
    operand: "Expression"
    range: Range


@dataclass(frozen=True)
class ForExpr:
    """`[for k, v in coll : value if cond]` (key_expr None) or
    `{for k, v in coll : key => value... if cond}` (`grouping` is the `...`)."""

    key_var: str | None
    value_var: str
    collection: "Expression"
    key_expr: "Expression | None"
    value_expr: "Expression"
    condition: "Expression | None"
    grouping: bool
    range: Range


@dataclass(frozen=True)
class Parens:
    """`(expr)`: kept because a parenthesised object key is an expression, not a name."""

    expr: "Expression"
    range: Range


Expression = Union[
    Literal, Template, Variable, GetAttr, Index, SplatItem, Splat, TupleExpr, ObjectExpr,
    FunctionCall, Conditional, BinaryOp, UnaryOp, ForExpr, Parens,
]


# ---------------------------------------------------------------------------
# Structure
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Attribute:
    name: str
    expr: Expression
    range: Range  # the whole `name = expr`
    name_range: Range


@dataclass(frozen=True)
class Block:
    type: str
    labels: tuple[str, ...]
    body: "Body"
    range: Range  # from the type keyword to the closing brace
    type_range: Range  # the block type keyword (or JSON key)


@dataclass
class Body:
    """Attributes and nested blocks in source order.

    For HCL the split between attributes and blocks is syntactic. For Terraform JSON the
    loader cannot know it without the provider schema, so a JSON object value is offered
    both ways: as a block through `blocks()` and as an object expression through
    `attribute()`. `block_types()` / `attribute_names()` list what `blocks()` /
    `attribute()` can return.
    """

    attributes: dict[str, Attribute] = field(default_factory=dict)
    block_list: list[Block] = field(default_factory=list)
    range: Range | None = None
    # JSON only: keys whose object value may also be read as blocks.
    json_block_candidates: dict[str, list[Block]] = field(default_factory=dict)

    def attribute(self, name: str) -> Attribute | None:
        return self.attributes.get(name)

    def blocks(self, block_type: str | None = None) -> list[Block]:
        found = [b for b in self.block_list if block_type is None or b.type == block_type]
        if block_type is not None and block_type in self.json_block_candidates:
            found.extend(self.json_block_candidates[block_type])
        return found

    def attribute_names(self) -> list[str]:
        return list(self.attributes)

    def block_types(self) -> list[str]:
        seen = dict.fromkeys(b.type for b in self.block_list)
        seen.update(dict.fromkeys(self.json_block_candidates))
        return list(seen)


@dataclass(frozen=True)
class Comment:
    """A comment with its position (`end_column` just past its last character); `text`
    excludes the `#`, `//` or `/* */` markers."""

    text: str
    line: int
    column: int
    end_line: int
    end_column: int


@dataclass
class SourceFile:
    """One parsed file. `body` is None when the file failed to load; `error` then says why
    and where (line/column, 1-based)."""

    path: str
    body: Body | None
    comments: list[Comment] = field(default_factory=list)
    error: "LoadError | None" = None
    line_count: int = 0


@dataclass(frozen=True)
class LoadError:
    message: str
    line: int = 1
    column: int = 1
