"""Terraform JSON syntax (`*.tf.json`, `*.tofu.json`, `*.tfvars.json`) to the syntax tree.

The standard `json` module gives no positions, so a small reader here keeps a `Range` for
every key and value. The mapping follows
https://developer.hashicorp.com/terraform/language/syntax/json: strings in bodies are
templates, `"//"` keys are comments, and an object value that may be an attribute or a
nested block (only the provider schema knows) is offered both ways.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass

from tf_apigw_lint.load.hcl import (
    MAX_NESTING, Locator, ParseError, line_count, parse_expression, parse_template, token_bound_error,
)
from tf_apigw_lint.load.syntax import (
    Attribute, Block, Body, Comment, Expression, Literal, LoadError, ObjectExpr, ObjectItem, Range,
    SourceFile, TupleExpr,
)


# The JSON tree is lighter than the HCL parse tree (and every `"` counts in the estimate), so
# JSON gets a larger bound: generated files (CDK for Terraform) are often several MB.
MAX_JSON_TOKENS = 2_000_000


def parse_tf_json(text: str, path: str) -> SourceFile:
    """Parse a Terraform JSON configuration file. Never raises."""
    return _parse(text, path, lambda root: _Configuration(path).file_body(root))


def parse_tfvars_json(text: str, path: str) -> SourceFile:
    """Parse a JSON variable definitions file: each top-level key is an attribute holding a
    plain JSON value (no templates). Never raises."""
    return _parse(text, path, _variables_body)


def _parse(text: str, path: str, make_body: Callable[[_Value], Body]) -> SourceFile:
    lines = line_count(text)
    over_bound = token_bound_error(text, MAX_JSON_TOKENS)
    if over_bound is not None:
        return SourceFile(path, None, error=over_bound, line_count=lines)
    reader = _Reader(text, path)
    try:
        root = reader.document()
        if root is None:
            return SourceFile(path, Body(range=Range(path, 1, 1, 1, 1)), line_count=lines)
        if root.kind != "object":
            raise _error_at(root.range, "the top level of the file must be a JSON object")
        body = make_body(root)
    except ParseError as exc:
        return SourceFile(path, None, error=exc.error, line_count=lines)
    except RecursionError:
        return SourceFile(path, None, error=LoadError("JSON is nested too deeply"), line_count=lines)
    return SourceFile(path, body, reader.comments, line_count=lines)


# ---------------------------------------------------------------------------
# A JSON reader that keeps positions
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Member:
    key: str
    key_range: Range
    value: _Value


@dataclass(frozen=True)
class _Value:
    kind: str  # object, array, string, number, bool, null
    value: object  # list[_Member] for objects, list[_Value] for arrays, else the Python value
    range: Range


_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_PLAIN_CHARACTERS = re.compile(r'[^"\\\x00-\x1f]*')
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_WORDS = {"true": ("bool", True), "false": ("bool", False), "null": ("null", None)}


class _Reader:
    def __init__(self, text: str, path: str):
        self.text = text
        self.path = path
        self.offset = 0
        self.locator = Locator(text)
        self.comments: list[Comment] = []
        self.depth = 0

    def document(self) -> _Value | None:
        self.skip_whitespace()
        if self.offset == len(self.text):
            return None
        value = self.value()
        self.skip_whitespace()
        if self.offset < len(self.text):
            raise self.error("unexpected text after the JSON value")
        return value

    def error(self, message: str, offset: int | None = None) -> ParseError:
        line, column = self.locator.position(self.offset if offset is None else offset)
        return ParseError(LoadError(f"invalid JSON: {message}", line, column))

    def range(self, start: int) -> Range:
        return Range(self.path, *self.locator.position(start), *self.locator.position(self.offset))

    def skip_whitespace(self) -> None:
        self.offset = _WHITESPACE.match(self.text, self.offset).end()

    def value(self) -> _Value:
        if self.offset == len(self.text):
            raise self.error("unexpected end of file; expected a value")
        start = self.offset
        char = self.text[start]
        if char in "{[":
            if self.depth == MAX_NESTING:
                raise self.error(f"nested more than {MAX_NESTING} levels deep")
            self.depth += 1
            value = self.object() if char == "{" else self.array()
            self.depth -= 1
            return value
        if char == '"':
            return _Value("string", self.string(), self.range(start))
        number = _NUMBER.match(self.text, start)
        if number and number.end() > start:
            self.offset = number.end()
            is_float = number.group(1) or number.group(2)
            return _Value("number", float(number.group()) if is_float else int(number.group()), self.range(start))
        for word, (kind, value) in _WORDS.items():
            if self.text.startswith(word, start):
                self.offset += len(word)
                return _Value(kind, value, self.range(start))
        raise self.error(f"unexpected character {char!r}; expected a value")

    def object(self) -> _Value:
        start = self.offset
        self.offset += 1
        members: list[_Member] = []
        self.skip_whitespace()
        if self.text.startswith("}", self.offset):
            self.offset += 1
            return _Value("object", members, self.range(start))
        while True:
            self.skip_whitespace()
            if not self.text.startswith('"', self.offset):
                raise self.error('expected a string key in double quotes')
            key_start = self.offset
            key = self.string()
            key_range = self.range(key_start)
            self.skip_whitespace()
            if not self.text.startswith(":", self.offset):
                raise self.error('expected ":" after the object key')
            self.offset += 1
            self.skip_whitespace()
            member = _Member(key, key_range, self.value())
            members.append(member)
            if key == "//" and member.value.kind == "string":
                end = member.value.range
                self.comments.append(Comment(member.value.value, key_range.line, key_range.column, end.end_line, end.end_column))
            self.skip_whitespace()
            if self.text.startswith(",", self.offset):
                self.offset += 1
            elif self.text.startswith("}", self.offset):
                self.offset += 1
                return _Value("object", members, self.range(start))
            else:
                raise self.error('expected "," or "}" after the object member')

    def array(self) -> _Value:
        start = self.offset
        self.offset += 1
        items: list[_Value] = []
        self.skip_whitespace()
        if self.text.startswith("]", self.offset):
            self.offset += 1
            return _Value("array", items, self.range(start))
        while True:
            self.skip_whitespace()
            items.append(self.value())
            self.skip_whitespace()
            if self.text.startswith(",", self.offset):
                self.offset += 1
            elif self.text.startswith("]", self.offset):
                self.offset += 1
                return _Value("array", items, self.range(start))
            else:
                raise self.error('expected "," or "]" after the array item')

    def string(self) -> str:
        start = self.offset
        self.offset += 1
        pieces = []
        while True:
            plain = _PLAIN_CHARACTERS.match(self.text, self.offset)
            pieces.append(plain.group())
            self.offset = plain.end()
            if self.offset == len(self.text):
                raise self.error("unterminated string", start)
            char = self.text[self.offset]
            if char == '"':
                self.offset += 1
                return "".join(pieces)
            if char != "\\":
                raise self.error("control character in string")
            pieces.append(self.escape())

    def escape(self) -> str:
        escape_start = self.offset
        code = self.text[self.offset + 1:self.offset + 2]
        if code in _ESCAPES:
            self.offset += 2
            return _ESCAPES[code]
        if code == "u":
            first = self.hex_code(escape_start)
            if 0xD800 <= first < 0xDC00 and self.text.startswith("\\u", self.offset):
                second_start = self.offset
                second = self.hex_code(second_start)
                if 0xDC00 <= second < 0xE000:
                    return chr(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
                self.offset = second_start
            return "\ufffd" if 0xD800 <= first < 0xE000 else chr(first)
        raise self.error("invalid escape sequence", escape_start)

    def hex_code(self, escape_start: int) -> int:
        digits = self.text[self.offset + 2:self.offset + 6]
        if not re.fullmatch(r"[0-9a-fA-F]{4}", digits):
            raise self.error("invalid \\u escape", escape_start)
        self.offset += 6
        return int(digits, 16)


# ---------------------------------------------------------------------------
# JSON values to syntax nodes
# ---------------------------------------------------------------------------

# Top-level block types and how many labels they take.
_TOP_LEVEL_LABELS = {
    "resource": 2, "data": 2, "ephemeral": 2, "variable": 1, "output": 1, "module": 1,
    "provider": 1, "check": 1, "locals": 0, "terraform": 0, "moved": 0, "import": 0, "removed": 0,
}
# Nested block types that take a label, by the block type they appear in.
_NESTED_LABELS = {
    "resource": {"dynamic": 1, "provisioner": 1},
    "data": {"dynamic": 1},
    "ephemeral": {"dynamic": 1},
    "terraform": {"backend": 1},
}
_DYNAMIC_ONLY = {"dynamic": 1}


def _span(start: Range, end: Range) -> Range:
    return Range(start.path, start.line, start.column, end.end_line, end.end_column)


def _error_at(where: Range, message: str) -> ParseError:
    return ParseError(LoadError(message, where.line, where.column))


def _duplicate(member: _Member) -> ParseError:
    return _error_at(member.key_range, f'duplicate key "{member.key}"')


def _attribute(member: _Member, expr: Expression) -> Attribute:
    return Attribute(member.key, expr, _span(member.key_range, member.value.range), member.key_range)


def _plain(value: _Value) -> Expression:
    """A JSON value as data, without template parsing (variable defaults, tfvars)."""
    if value.kind == "array":
        return TupleExpr(tuple(_plain(item) for item in value.value), value.range)
    if value.kind == "object":
        seen: set[str] = set()
        items = []
        for member in value.value:
            if member.key in seen:
                raise _duplicate(member)
            seen.add(member.key)
            items.append(ObjectItem(Literal(member.key, member.key_range), _plain(member.value)))
        return ObjectExpr(tuple(items), value.range)
    return Literal(value.value, value.range)


def _variables_body(root: _Value) -> Body:
    body = Body(range=root.range)
    for member in root.value:
        if member.key in body.attributes:
            raise _duplicate(member)
        body.attributes[member.key] = _attribute(member, _plain(member.value))
    return body


class _Configuration:
    """Maps a configuration file's JSON to bodies and blocks."""

    def __init__(self, path: str):
        self.path = path

    def file_body(self, root: _Value) -> Body:
        body = Body(range=root.range)
        for member in root.value:
            if member.key == "//":
                continue
            if member.key in _TOP_LEVEL_LABELS:
                make_body = self.body_maker(member.key)
                body.block_list.extend(self.blocks(member, _TOP_LEVEL_LABELS[member.key], make_body))
            else:
                self.add_member(body, member)
        return body

    def body_maker(self, block_type: str) -> Callable[[_Value], Body]:
        if block_type == "locals":
            return self.locals_body
        if block_type == "variable":
            return self.variable_body
        labelled = _NESTED_LABELS.get(block_type, _DYNAMIC_ONLY)
        return lambda value: self.body(value, labelled)

    def blocks(self, member: _Member, label_count: int, make_body: Callable[[_Value], Body]) -> list[Block]:
        """`"type": {"label": {...body...}}`; at every level an array may hold several."""
        found: list[Block] = []

        def walk(value: _Value, labels: tuple[str, ...], start: Range) -> None:
            if value.kind == "array":
                for item in value.value:
                    walk(item, labels, start)
            elif value.kind != "object":
                raise _error_at(value.range, f'a "{member.key}" block must be a JSON object')
            elif len(labels) == label_count:
                found.append(Block(member.key, labels, make_body(value), _span(start, value.range), member.key_range))
            else:
                for labelled in value.value:
                    if labelled.key != "//":
                        walk(labelled.value, labels + (labelled.key,), labelled.key_range)

        walk(member.value, (), member.key_range)
        return found

    def body(self, value: _Value, labelled: dict[str, int]) -> Body:
        body = Body(range=value.range)
        for member in value.value:
            if member.key == "//":
                continue
            if member.key in labelled:
                body.block_list.extend(
                    self.blocks(member, labelled[member.key], lambda nested: self.body(nested, _DYNAMIC_ONLY))
                )
            else:
                self.add_member(body, member)
        return body

    def add_member(self, body: Body, member: _Member) -> None:
        """An attribute, and also nested block candidates when the value is an object or an
        array of objects."""
        self.set_attribute(body, member, self.expression(member.value))
        value = member.value
        if value.kind == "object":
            objects = [value]
        elif value.kind == "array" and all(item.kind == "object" for item in value.value):
            objects = value.value
        else:
            return
        body.json_block_candidates[member.key] = [
            Block(member.key, (), self.body(item, _DYNAMIC_ONLY), _span(member.key_range, item.range), member.key_range)
            for item in objects
        ]

    def set_attribute(self, body: Body, member: _Member, expr: Expression) -> None:
        if member.key in body.attributes:
            raise _duplicate(member)
        body.attributes[member.key] = _attribute(member, expr)

    def locals_body(self, value: _Value) -> Body:
        body = Body(range=value.range)
        for member in value.value:
            if member.key != "//":
                self.set_attribute(body, member, self.expression(member.value))
        return body

    def variable_body(self, value: _Value) -> Body:
        body = Body(range=value.range)
        for member in value.value:
            if member.key == "//":
                continue
            if member.key == "type" and member.value.kind == "string":
                string_range = member.value.range
                type_expr = parse_expression(member.value.value, self.path, string_range.line, string_range.column + 1)
                self.set_attribute(body, member, dataclasses.replace(type_expr, range=string_range))
            elif member.key == "default":
                self.set_attribute(body, member, _plain(member.value))
            else:
                self.add_member(body, member)
        return body

    def expression(self, value: _Value) -> Expression:
        if value.kind == "string":
            return self.template(value.value, value.range)
        if value.kind == "array":
            return TupleExpr(tuple(self.expression(item) for item in value.value), value.range)
        if value.kind == "object":
            seen: set[str] = set()
            items = []
            for member in value.value:
                if member.key == "//":
                    continue
                if member.key in seen:
                    raise _duplicate(member)
                seen.add(member.key)
                items.append(ObjectItem(self.template(member.key, member.key_range), self.expression(member.value)))
            return ObjectExpr(tuple(items), value.range)
        return Literal(value.value, value.range)

    def template(self, text: str, string_range: Range) -> Expression:
        # Positions inside are exact unless escapes before them changed the length.
        parsed = parse_template(text, self.path, string_range.line, string_range.column + 1)
        return dataclasses.replace(parsed, range=string_range)
