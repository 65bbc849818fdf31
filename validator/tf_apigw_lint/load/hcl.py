"""HCL native syntax (`*.tf`, `*.tofu`, `*.tfvars`) to the syntax tree.

python-hcl2's Lark grammar tokenises and parses; this module walks the raw Lark tree, whose
tokens keep their positions, into `syntax` nodes. Heredocs reach us as one raw token, and
JSON strings and `templatefile()` files are plain text, so their templates are scanned here
(`parse_template`), with each `${ }` / `%{ }` expression parsed by Lark on its own.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from tf_apigw_lint.load.grammar import IDENTIFIER_PATTERN, ParserInstallError, invalid_identifier_at, parser
from tf_apigw_lint.load.lark_import import Token, Tree, UnexpectedCharacters, UnexpectedInput, UnexpectedToken
from tf_apigw_lint.load.syntax import (
    Attribute, BinaryOp, Block, Body, Comment, Conditional, Expression, ForDirective, ForExpr,
    FunctionCall, GetAttr, IfDirective, Index, Interpolation, Literal, LoadError, ObjectExpr,
    ObjectItem, Parens, Range, SourceFile, Splat, SplatItem, Template, TemplatePart, TupleExpr,
    UnaryOp, Variable,
)


class ParseError(ValueError):
    """Invalid syntax in an expression or template; `error` says what and where."""

    def __init__(self, error: LoadError):
        super().__init__(f"{error.line}:{error.column}: {error.message}")
        self.error = error


# Bounds (README, "Security and reliability"). The parse tree takes about 1 KB a token, so
# a file with more tokens than this is reported as not analysed instead of being parsed;
# ordinary files are far below it (a 1 MB file of Terraform has about 200,000). The count
# is an upper estimate made at regular-expression speed: every word, every other
# non-space character and every line counts one.
MAX_TOKENS = 400_000
_TOKEN_ESTIMATE = re.compile(r"\w+|[^\w\s]|\n")
# Expressions nested deeper than this (brackets, templates, operator chains) are an error,
# so that no later recursive walk of the tree can exhaust the stack.
MAX_NESTING = 128


def parse_hcl(text: str, path: str) -> SourceFile:
    """Parse a whole HCL file. Never raises: a syntax error is `SourceFile.error`."""
    text = text.replace("\r\n", "\n")
    lines = line_count(text)
    over_bound = token_bound_error(text)
    if over_bound is not None:
        return SourceFile(path, None, error=over_bound, line_count=lines)
    converter = _Converter(path)
    try:
        tree = parser().parse(text + "\n")
        last = _last_token(tree) if _subtrees(tree.children[0]) else None
        if last is not None and last.type.startswith("HEREDOC") and last.end_pos > len(text):
            # The newline added above must not end a heredoc: Terraform wants one in the file.
            raise converter.error("missing newline after the heredoc's closing marker", last)
        body = converter.body(tree.children[0])
        end_line, end_column = Locator(text).position(len(text))
        body.range = Range(path, 1, 1, end_line, end_column)
        comments = _comments(text + "\n", tree)
    except ParseError as exc:
        return SourceFile(path, None, error=exc.error, line_count=lines)
    except UnexpectedInput as exc:
        content_end = len(text.rstrip())
        error = _syntax_error(exc, converter, content_end, Locator(text).position(content_end), "end of file")
        return SourceFile(path, None, error=error, line_count=lines)
    except RecursionError:
        return SourceFile(path, None, error=LoadError("expressions are nested too deeply"), line_count=lines)
    except ParserInstallError:
        raise
    except Exception as exc:  # noqa: BLE001 - a parser failure is a finding, never a traceback
        return SourceFile(path, None, error=LoadError(f"cannot parse file: {exc}"), line_count=lines)
    return SourceFile(path, body, comments, line_count=lines)


def token_bound_error(text: str, bound: int = MAX_TOKENS) -> LoadError | None:
    """The error for a text of more than about `bound` tokens, else None."""
    estimate = _TOKEN_ESTIMATE.subn("", text)[1]
    if estimate <= bound:
        return None
    return LoadError(f"not analysed: about {estimate:,} tokens, more than the {bound:,} the loader parses")


def parse_expression(text: str, path: str, line: int = 1, column: int = 1) -> Expression:
    """Parse one HCL expression whose first character is at `line`:`column` of `path`.

    Raises `ParseError`."""
    # Parentheses let an expression span lines, as it may inside `${ }`; they are added only
    # then, so that error messages on one line never mention them.
    prefix, suffix = ("x = (", ")") if "\n" in text else ("x = ", "")
    converter = _Converter(path, line - 1, column - 1 - len(prefix))
    try:
        tree = parser().parse(f"{prefix}{text}{suffix}\n")
    except UnexpectedInput as exc:
        end = Locator(text, line, column).position(len(text))
        raise ParseError(_syntax_error(exc, converter, len(prefix) + len(text), end, "end of expression")) from None
    items = _subtrees(tree.children[0])
    value = items[0].children[-1] if len(items) == 1 and items[0].data == "attribute" else None
    if value is not None and suffix:
        wrapped = (
            value.data == "expr_term"
            and _is_token(value.children[0], "LPAR") and value.children[0].start_pos == len(prefix) - 1
            and _is_token(value.children[-1], "RPAR") and value.children[-1].start_pos == len(prefix) + len(text)
        )
        value = _subtrees(value)[0] if wrapped else None
    if value is None:
        raise ParseError(LoadError(f"invalid expression: {text.strip()[:40]}", line, column))
    return converter.expression(value)


def parse_template(text: str, path: str, line: int = 1, column: int = 1) -> Template | Literal:
    """Parse template text (a heredoc body, a JSON string, a `templatefile()` file) starting
    at `line`:`column`. Only `$${` and `%%{` are escapes. Raises `ParseError`."""
    locator = Locator(text, line, column)
    items = _scan_template(text, locator, path)
    return _finish_template(items, Range(path, line, column, *locator.position(len(text))), flush=False)


def line_count(text: str) -> int:
    return text.count("\n") + (1 if text and not text.endswith("\n") else 0)


class Locator:
    """Maps offsets in `text` to 1-based (line, column), `text` itself starting at
    `line`:`column`."""

    def __init__(self, text: str, line: int = 1, column: int = 1):
        self._newlines = [match.start() for match in re.finditer("\n", text)]
        self._line = line
        self._column = column

    def position(self, offset: int) -> tuple[int, int]:
        newlines_before = bisect.bisect_left(self._newlines, offset)
        if newlines_before == 0:
            return self._line, self._column + offset
        return self._line + newlines_before, offset - self._newlines[newlines_before - 1]


# ---------------------------------------------------------------------------
# Parser and syntax errors
# ---------------------------------------------------------------------------

_EXPRESSION_STARTS = {
    "NAME", "INT_LITERAL", "FLOAT_LITERAL", "DBLQUOTE", "LSQB", "LBRACE", "LPAR", "NOT", "MINUS",
    "TRUE", "FALSE", "NULL", "HEREDOC_TEMPLATE", "HEREDOC_TEMPLATE_TRIM", "TEMPLATE_STRING",
}
_TERMINAL_NAMES = {
    "$END": "end of file", "NL_OR_COMMENT": "newline", "DBLQUOTE": "'\"'", "NAME": "name",
    "INT_LITERAL": "number", "FLOAT_LITERAL": "number", "EQ": '"="', "COLON": '":"', "STRING_CHARS": "text",
    "ESCAPED_INTERPOLATION": '"$${"', "ESCAPED_DIRECTIVE": '"%%{"', "TEMPLATE_STRING": "string",
    "HEREDOC_TEMPLATE": "heredoc", "HEREDOC_TEMPLATE_TRIM": "heredoc",
}
_MAX_EXPECTED = 6


def _syntax_error(
    exc: UnexpectedInput, converter: _Converter, end_offset: int, end_position: tuple[int, int], end_name: str,
) -> LoadError:
    """`end_offset`: where the caller's text ends in what the parser read (the parser also
    read a final newline, and for an expression a synthetic prefix); errors there are
    reported at `end_position` as `end_name`."""
    if isinstance(exc, UnexpectedCharacters):
        return LoadError(f'unexpected character "{exc.char}"', *converter.position(exc.line, exc.column))
    at_end = not isinstance(exc, UnexpectedToken) or exc.token.type == "$END" or exc.token.start_pos >= end_offset
    if at_end:
        found, (line, column) = end_name, end_position
    else:
        found, (line, column) = _token_text(exc.token), converter.position(exc.line, exc.column)
    expected = _expected_terminals(exc)
    names = []
    if {"NAME", "INT_LITERAL"} <= expected:
        expected -= _EXPRESSION_STARTS
        names.append("expression")
    names.extend(sorted({_terminal_name(name) for name in expected}))
    if len(names) > _MAX_EXPECTED:
        names = names[:_MAX_EXPECTED] + ["..."]
    message = f"unexpected {found}"
    if names:
        message += "; expected " + (names[0] if len(names) == 1 else "one of: " + ", ".join(names))
    return LoadError(message, line, column)


def _expected_terminals(exc: UnexpectedInput) -> set[str]:
    # The lexer's error lists what the lexer could read, which includes the newline the
    # post-lexer may drop; the parse table says what the parser could take.
    interactive = getattr(exc, "interactive_parser", None)
    if interactive is not None:
        return {name for name in interactive.choices() if name.isupper() or name == "$END"}
    return set(getattr(exc, "expected", None) or ())


def _token_text(token: Token) -> str:
    first_line = str(token).strip(" \t").split("\n")[0]
    return f'"{first_line[:20]}"' if first_line else _TERMINAL_NAMES["NL_OR_COMMENT"]


def _terminal_name(name: str) -> str:
    if name in _TERMINAL_NAMES:
        return _TERMINAL_NAMES[name]
    pattern = parser().get_terminal(name).pattern
    return f'"{pattern.value}"' if pattern.type == "str" else name.lower()


# ---------------------------------------------------------------------------
# Comments
# ---------------------------------------------------------------------------

_COMMENT = re.compile(r"#[^\n]*|//[^\n]*|/\*.*?\*/", re.DOTALL)


def _comments(text: str, tree: Tree) -> list[Comment]:
    # Comments live in the gaps between significant tokens: those gaps hold nothing but
    # whitespace and comments, so they can be scanned without re-lexing strings or heredocs.
    # (The postlexer merges some comment tokens into operator tokens, so the
    # NL_OR_COMMENT tokens alone would miss them.)
    tokens = sorted(
        (token for token in tree.scan_values(lambda v: isinstance(v, Token)) if token.type != "NL_OR_COMMENT"),
        key=lambda token: token.start_pos,
    )
    locator = Locator(text)
    comments = []

    def scan_gap(start: int, end: int) -> None:
        for match in _COMMENT.finditer(text, start, end):
            raw = match.group()
            body = raw[2:-2] if raw.startswith("/*") else raw[1:] if raw.startswith("#") else raw[2:]
            line, column = locator.position(match.start())
            end_line, end_column = locator.position(match.start() + len(raw.rstrip("\r")))
            comments.append(Comment(body.strip(), line, column, end_line, end_column))

    gap_start = 0
    for token in tokens:
        if token.start_pos > gap_start:
            scan_gap(gap_start, token.start_pos)
        gap_start = max(gap_start, token.end_pos)
    scan_gap(gap_start, len(text))
    return comments


# ---------------------------------------------------------------------------
# Lark tree to syntax nodes
# ---------------------------------------------------------------------------


def _is_token(node: object, token_type: str) -> bool:
    return isinstance(node, Token) and node.type == token_type


def _subtrees(tree: Tree) -> list[Tree]:
    return [child for child in tree.children if isinstance(child, Tree) and not _is_newline(child)]


def _first_token(node: Tree | Token) -> Token:
    while isinstance(node, Tree):
        node = node.children[0]
    return node


def _is_newline(node: Tree | Token) -> bool:
    return _is_token(node, "NL_OR_COMMENT") or (isinstance(node, Tree) and node.data == "new_line_or_comment")


def _ends_with_newline(node: Tree | Token) -> bool:
    """Whether `node`'s last token ends its line: the parser hangs a newline that ends an
    argument onto an operator expression before it, and a heredoc token takes its own."""
    while isinstance(node, Tree) and node.children:
        node = node.children[-1]
    return isinstance(node, Token) and (node.type == "NL_OR_COMMENT" or node.type.startswith("HEREDOC"))


def _last_token(node: Tree | Token) -> Token:
    while isinstance(node, Tree):
        node = next(child for child in reversed(node.children) if not _is_newline(child))
    return node


def _token_end(token: Token) -> tuple[int, int]:
    if token.type.startswith("HEREDOC"):
        # The heredoc token swallows the newline after its closing marker.
        marker_line = str(token).rstrip("\n").rsplit("\n", 1)[-1]
        return token.end_line - 1, len(marker_line) + 1
    return token.end_line, token.end_column


_LITERAL_VALUES = {"true": True, "false": False, "null": None}
_OPERATORS = {
    "DOUBLE_PIPE": "||", "DOUBLE_AMP": "&&", "DOUBLE_EQ": "==", "NEQ": "!=", "LT": "<", "GT": ">",
    "LEQ": "<=", "GEQ": ">=", "PLUS": "+", "MINUS": "-", "ASTERISK": "*", "SLASH": "/", "PERCENT": "%",
}


class _Converter:
    """Builds syntax nodes from a Lark tree parsed from `path`. `line_shift` and
    `first_line_column_shift` move positions when the tree came from a synthetic text (an
    expression parsed out of a template)."""

    def __init__(self, path: str, line_shift: int = 0, first_line_column_shift: int = 0):
        self.path = path
        self.line_shift = line_shift
        self.first_line_column_shift = first_line_column_shift
        self.depth = 0

    def position(self, line: int, column: int) -> tuple[int, int]:
        if line == 1:
            column += self.first_line_column_shift
        return line + self.line_shift, column

    def span(self, first: Tree | Token, last: Tree | Token) -> Range:
        start = _first_token(first)
        line, column = self.position(start.line, start.column)
        end_line, end_column = self.position(*_token_end(_last_token(last)))
        return Range(self.path, line, column, end_line, end_column)

    def range(self, node: Tree | Token) -> Range:
        return self.span(node, node)

    def error(self, message: str, node: Tree | Token) -> ParseError:
        start = _first_token(node)
        return ParseError(LoadError(message, *self.position(start.line, start.column)))

    # -- structure ------------------------------------------------------------

    def body(self, tree: Tree, closing_brace: Token | None = None) -> Body:
        """`closing_brace`: the `}` of a block's body (None for a file). A block body is
        either all on its opening line (nothing, or one argument) or has a newline after
        `{`, after each argument and block, and before `}`, as Terraform requires."""
        body = Body()
        one_line = closing_brace is not None and bool(tree.children) and not _is_newline(tree.children[0])
        separated = True
        for item in tree.children:
            if one_line and (_is_newline(item) or item.data != "attribute" or not separated):
                raise self.error('a block on one line holds at most one argument; put a newline after "{"', item)
            if _is_newline(item):
                separated = True
                continue
            if not separated:
                raise self.error("missing newline before this argument or block", item)
            node = self.attribute(item) if item.data == "attribute" else self.block(item)
            separated = _ends_with_newline(item)
            if isinstance(node, Block):
                body.block_list.append(node)
            elif node.name in body.attributes:
                earlier = body.attributes[node.name].range.line
                raise self.error(f'attribute "{node.name}" redefined (first set at line {earlier})', item)
            else:
                body.attributes[node.name] = node
        if closing_brace is not None and tree.children and separated == one_line:
            message = 'missing newline before "}"' if not one_line else '"}" must be on the line of a one-line block'
            raise self.error(message, closing_brace)
        return body

    def attribute(self, tree: Tree) -> Attribute:
        name_tree, expression_tree = _subtrees(tree)
        return Attribute(
            name=str(_first_token(name_tree)),
            expr=self.expression(expression_tree),
            range=self.range(tree),
            name_range=self.range(name_tree),
        )

    def block(self, tree: Tree) -> Block:
        type_tree, *label_trees, body_tree = _subtrees(tree)
        labels = []
        for label in label_trees:
            if label.data == "string":
                value = self.expression(label)
                if not isinstance(value, Literal):
                    raise self.error("a block label cannot contain interpolations or directives", label)
                labels.append(value.value)
            else:
                labels.append(str(_first_token(label)))
        open_brace = next(child for child in tree.children if _is_token(child, "LBRACE"))
        if any(_is_newline(child) for child in tree.children[:tree.children.index(open_brace)]):
            raise self.error('"{" must be on the line of the block type and labels', open_brace)
        body = self.body(body_tree, closing_brace=tree.children[-1])
        body.range = self.span(open_brace, tree)
        return Block(
            type=str(_first_token(type_tree)), labels=tuple(labels), body=body,
            range=self.range(tree), type_range=self.range(type_tree),
        )

    # -- expressions ----------------------------------------------------------

    def reject_newline(self, tree: Tree, what: str) -> None:
        """Newlines inside brackets never reach the parser (`NewlinePostLexer`); one that
        does ends an argument or object element, so it cannot continue `what`."""
        newline = next((child for child in tree.children if _is_newline(child)), None)
        if newline is not None:
            raise self.error(f"unexpected newline in {what}; wrap it in parentheses to continue on the next line",
                             newline)

    def expression(self, tree: Tree) -> Expression:
        convert = getattr(self, f"_{tree.data}", None)
        if convert is None:
            raise self.error(f"unsupported syntax: {tree.data}", tree)
        # A level is a node of its own; `expr_term` only wraps one, unless it is `( )`.
        level = 0 if tree.data == "expr_term" and not _is_token(tree.children[0], "LPAR") else 1
        if self.depth + level > MAX_NESTING:
            raise self.error(f"expression nested more than {MAX_NESTING} levels deep", tree)
        self.depth += level
        try:
            return convert(tree)
        finally:
            self.depth -= level

    def _expr_term(self, tree: Tree) -> Expression:
        (inner,) = _subtrees(tree)
        if _is_token(tree.children[0], "LPAR"):
            return Parens(self.expression(inner), self.range(tree))
        return self.expression(inner)

    def _identifier(self, tree: Tree) -> Variable:
        return Variable(str(tree.children[0]), self.range(tree))

    def _literal_value(self, tree: Tree) -> Literal:
        return Literal(_LITERAL_VALUES[str(tree.children[0])], self.range(tree))

    def _int_lit(self, tree: Tree) -> Literal:
        return Literal(int(tree.children[0]), self.range(tree))

    def _float_lit(self, tree: Tree) -> Literal:
        return Literal(float(tree.children[0]), self.range(tree))

    def _template_string(self, tree: Tree) -> Literal:
        # python-hcl2 accepts `\"text\"` inside an interpolation; read it as a quoted string.
        token = tree.children[0]
        return Literal(self.unescape(str(token)[2:-2], token), self.range(tree))

    def _conditional(self, tree: Tree) -> Conditional:
        self.reject_newline(tree, "a conditional expression")
        condition, true_expr, false_expr = (self.expression(child) for child in _subtrees(tree))
        return Conditional(condition, true_expr, false_expr, self.range(tree))

    def _binary_op(self, tree: Tree) -> BinaryOp:
        left, term = _subtrees(tree)
        self.reject_newline(term, f'an expression with "{_OPERATORS[term.children[0].children[0].type]}"')
        operator, right = _subtrees(term)
        # By type, not text: the postlexer prefixes an operator with the newline or comment
        # before it.
        op = _OPERATORS[operator.children[0].type]
        return BinaryOp(op, self.expression(left), self.expression(right), self.range(tree))

    def _unary_op(self, tree: Tree) -> Expression:
        op = str(tree.children[0])
        operand = self.expression(_subtrees(tree)[0])
        if op == "-" and isinstance(operand, Literal) and type(operand.value) in (int, float):
            # The lexer reads some negative numbers as one token; fold the rest the same way.
            return Literal(-operand.value, self.range(tree))
        return UnaryOp(op, operand, self.range(tree))

    def _tuple(self, tree: Tree) -> TupleExpr:
        return TupleExpr(tuple(self.expression(child) for child in _subtrees(tree)), self.range(tree))

    def _object(self, tree: Tree) -> ObjectExpr:
        """Elements are separated by a comma or a newline; a comma follows its element on
        the same line."""
        items = []
        separated = True
        newline_after_element = False
        for child in tree.children:
            if isinstance(child, Tree) and child.data == "object_elem":
                if not separated:
                    raise self.error("missing comma or newline between object elements", child)
                key_tree, value_tree = _subtrees(child)
                if not items and _is_token(_first_token(key_tree), "FOR"):
                    raise self.error('"{ for" starts a for expression; quote a key named "for" when it comes first',
                                     child)
                items.append(ObjectItem(self.object_key(_subtrees(key_tree)[0]), self.expression(value_tree)))
                separated = newline_after_element = _ends_with_newline(child)
            elif _is_newline(child):
                separated = newline_after_element = True
            elif _is_token(child, "COMMA"):
                if newline_after_element:
                    raise self.error('unexpected ","; a comma must be on the line of the element before it', child)
                separated = True
        return ObjectExpr(tuple(items), self.range(tree))

    def object_key(self, tree: Tree) -> Expression:
        if tree.data == "keyword":
            return Literal(str(tree.children[0]), self.range(tree))
        if tree.data == "expr_term":
            inner = tree.children[0]
            if isinstance(inner, Tree) and inner.data in ("identifier", "literal_value"):
                return Literal(str(inner.children[0]), self.range(tree))
        return self.expression(tree)

    def _function_call(self, tree: Tree) -> FunctionCall:
        names = [str(child.children[0]) for child in _subtrees(tree) if child.data == "identifier"]
        arguments = next((child for child in _subtrees(tree) if child.data == "arguments"), None)
        args = () if arguments is None else tuple(self.expression(arg) for arg in _subtrees(arguments))
        expand_final = arguments is not None and any(_is_token(child, "ELLIPSIS") for child in arguments.children)
        return FunctionCall("::".join(names), args, expand_final, self.range(tree))

    def _index_expr_term(self, tree: Tree) -> Index:
        source, index = _subtrees(tree)
        if index.data == "short_index":
            before, (dot, number) = _last_token(source), index.children
            if before.type == "INT_LITERAL" and before.end_pos == dot.start_pos and dot.end_pos == number.start_pos:
                # Terraform reads `a.1.2` as `a` `.` `1.2`: a number cannot be an attribute.
                raise self.error(f'invalid index ".{before}.{number}"; write [{before}][{number}]', before)
        return self.traverse(self.expression(source), index, self.range(tree))

    def _get_attr_expr_term(self, tree: Tree) -> GetAttr:
        source, get_attr = _subtrees(tree)
        return self.traverse(self.expression(source), get_attr, self.range(tree))

    def traverse(self, obj: Expression, step: Tree, step_range: Range) -> GetAttr | Index:
        if step.data == "get_attr":
            return GetAttr(obj, str(_first_token(_subtrees(step)[0])), step_range)
        if step.data == "short_index":
            number = step.children[-1]
            return Index(obj, Literal(int(number), self.range(number)), step_range)
        return Index(obj, self.expression(_subtrees(step)[0]), step_range)

    def _splat(self, tree: Tree) -> Splat:
        source, splat = _subtrees(tree)
        marker = splat.children[0]
        item = SplatItem(self.range(marker))
        body: Expression = item
        for step in _subtrees(splat):
            body = self.traverse(body, step, self.span(marker, step))
        return Splat(self.expression(source), body, self.range(tree))

    _attr_splat_expr_term = _full_splat_expr_term = _splat

    def _for(self, tree: Tree) -> ForExpr:
        intro, *results = _subtrees(tree)
        condition = None
        if results[-1].data == "for_cond":
            condition = self.expression(_subtrees(results.pop())[0])
        *key, value = (self.expression(result) for result in results)
        *names, collection = _subtrees(intro)
        variables = [str(name.children[0]) for name in names]
        return ForExpr(
            key_var=variables[0] if len(variables) == 2 else None,
            value_var=variables[-1],
            collection=self.expression(collection),
            key_expr=key[0] if key else None,
            value_expr=value,
            condition=condition,
            grouping=any(_is_token(child, "ELLIPSIS") for child in tree.children),
            range=self.range(tree),
        )

    _for_tuple_expr = _for_object_expr = _for

    # -- templates ------------------------------------------------------------

    def _string(self, tree: Tree) -> Template | Literal:
        items: list[_Text | _Sequence] = []
        for part in _subtrees(tree):
            content = part.children[0]
            if isinstance(content, Tree):
                items.append(self.sequence(content))
            elif content.type == "STRING_CHARS":
                items.append(_Text(self.unescape(str(content), content)))
            else:  # `$${` / `%%{` and the text up to the next `}`
                items.append(_Text(str(content)[1:3] + self.unescape(str(content)[3:], content)))
        return _finish_template(items, self.range(tree), flush=False)

    def sequence(self, tree: Tree) -> _Sequence:
        children = tree.children
        strip_left = _is_token(children[1], "STRIP_MARKER")
        strip_right = _is_token(children[-2], "STRIP_MARKER")
        line, column = self.position(children[0].line, children[0].column)
        kind = _SEQUENCE_KINDS[tree.data]
        sequence = _Sequence(kind, strip_left, strip_right, line, column)
        subtrees = _subtrees(tree)
        if kind in ("interp", "if", "for"):
            sequence.expr = self.expression(subtrees[-1])
        if kind == "for":
            names = [str(name.children[0]) for name in subtrees[:-1]]
            sequence.key_var = names[0] if len(names) == 2 else None
            sequence.value_var = names[-1]
        return sequence

    def unescape(self, text: str, token: Token) -> str:
        def replace(match: re.Match) -> str:
            simple, short, long = match.group(1, 2, 3)
            if simple:
                return _SIMPLE_ESCAPES[simple]
            hex_digits = short or long
            if hex_digits and int(hex_digits, 16) <= 0x10FFFF:
                return chr(int(hex_digits, 16))
            line, column = self.position(token.line, token.column + match.start())
            raise ParseError(LoadError(f'invalid escape sequence "{match.group()}"', line, column))

        return _ESCAPE.sub(replace, text) if "\\" in text else text

    def _heredoc_template(self, tree: Tree) -> Template | Literal:
        return self.heredoc(tree, flush=False)

    def _heredoc_template_trim(self, tree: Tree) -> Template | Literal:
        return self.heredoc(tree, flush=True)

    def heredoc(self, tree: Tree, flush: bool) -> Template | Literal:
        token = tree.children[0]
        # `<<EOT\n` + body + closing marker line + `\n`
        after_opener = str(token).split("\n", 1)[1].rstrip("\n")
        body = after_opener.rsplit("\n", 1)[0] + "\n" if "\n" in after_opener else ""
        line, column = self.position(token.line + 1, 1)
        items = _scan_template(body, Locator(body, line, column), self.path)
        return _finish_template(items, self.range(tree), flush)


_SEQUENCE_KINDS = {
    "interpolation": "interp", "template_if_start": "if", "template_else": "else",
    "template_endif": "endif", "template_for_start": "for", "template_endfor": "endfor",
}
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_ESCAPE = re.compile(r'\\(?:([nrt"\\])|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|.?)', re.DOTALL)


# ---------------------------------------------------------------------------
# Templates: flat text and sequences, then strip markers, heredoc flush, nesting
# ---------------------------------------------------------------------------


@dataclass
class _Text:
    value: str


@dataclass
class _Sequence:
    """One `${ }` or `%{ }`, before directives are nested."""

    kind: str  # interp, if, else, endif, for, endfor
    strip_left: bool
    strip_right: bool
    line: int
    column: int
    expr: Expression | None = None
    key_var: str | None = None
    value_var: str = ""


_SEQUENCE_START = re.compile(r"\$\$\{|%%\{|\$\{|%\{")
_DIRECTIVE = re.compile(r"\s*(if|else|endif|for|endfor)\b")
# Names as the lexer reads them; `invalid_identifier_at` checks their non-ASCII characters.
_FOR_HEAD = re.compile(rf"\s*for\s+({IDENTIFIER_PATTERN})\s*(?:,\s*({IDENTIFIER_PATTERN})\s*)?in\b")
_TEXT_LINE = re.compile(r"[^\n]*\n|[^\n]+")


def _scan_template(text: str, locator: Locator, path: str) -> list[_Text | _Sequence]:
    """Split raw template text into literal lines and sequences (lines, because the `<<-`
    flush works on line-leading text)."""
    items: list[_Text | _Sequence] = []
    literal = ""
    position = 0
    while (match := _SEQUENCE_START.search(text, position)) is not None:
        literal += text[position:match.start()]
        position = match.end()
        if len(match.group()) == 3:  # `$${` or `%%{`
            literal += match.group()[1:]
            continue
        items.extend(_Text(line) for line in _TEXT_LINE.findall(literal))
        literal = ""
        close = _closing_brace(text, position)
        if close is None:
            raise ParseError(LoadError(f'unterminated "{match.group()}"', *locator.position(match.start())))
        items.append(_scan_sequence(text, match.start(), close, locator, path))
        position = close + 1
    literal += text[position:]
    items.extend(_Text(line) for line in _TEXT_LINE.findall(literal))
    return items


def _scan_sequence(text: str, start: int, close: int, locator: Locator, path: str) -> _Sequence:
    """`text[start:close + 1]` is `${ ... }` or `%{ ... }`."""
    begin, end = start + 2, close
    strip_left = text.startswith("~", begin)
    if strip_left:
        begin += 1
    stripped_end = len(text[begin:end].rstrip()) + begin
    strip_right = stripped_end > begin and text[stripped_end - 1] == "~"
    if strip_right:
        end = stripped_end - 1
    sequence = _Sequence("interp", strip_left, strip_right, *locator.position(start))
    if text[start] == "$":
        sequence.expr = parse_expression(text[begin:end], path, *locator.position(begin))
        return sequence
    directive = _DIRECTIVE.match(text, begin, end)
    if directive is None:
        raise ParseError(LoadError("invalid template directive: expected if, else, endif, for or endfor",
                                   *locator.position(start)))
    sequence.kind = directive.group(1)
    if sequence.kind == "if":
        sequence.expr = parse_expression(text[directive.end():end], path, *locator.position(directive.end()))
    elif sequence.kind == "for":
        head = _FOR_HEAD.match(text, begin, end)
        if head is None:
            message = 'invalid "for" directive: expected "for NAME in EXPR" or "for KEY, VALUE in EXPR"'
            raise ParseError(LoadError(message, *locator.position(start)))
        for group in (1, 2):
            name = head.group(group) or ""
            if (offset := invalid_identifier_at(name)) is not None:
                at = locator.position(head.start(group) + offset)
                raise ParseError(LoadError(f'unexpected character "{name[offset]}"', *at))
        sequence.key_var, sequence.value_var = head.group(1, 2) if head.group(2) else (None, head.group(1))
        sequence.expr = parse_expression(text[head.end():end], path, *locator.position(head.end()))
    elif text[directive.end():end].strip():
        raise ParseError(LoadError(f'unexpected text after "{sequence.kind}"', *locator.position(directive.end())))
    return sequence


def _closing_brace(text: str, position: int) -> int | None:
    """Index of the `}` closing a sequence whose expression starts at `position`."""
    depth = 0
    length = len(text)
    while position < length:
        char = text[position]
        if char == '"':
            position = _closing_quote(text, position + 1)
            if position is None:
                return None
        elif char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return position
            depth -= 1
        position += 1
    return None


def _closing_quote(text: str, position: int) -> int | None:
    """Index of the `"` ending a quoted string that starts at `position`, skipping escapes and
    nested `${ }` / `%{ }`."""
    length = len(text)
    while position < length:
        if text.startswith(("$${", "%%{"), position):
            position += 3
            continue
        if text.startswith(("${", "%{"), position):
            close = _closing_brace(text, position + 2)
            if close is None:
                return None
            position = close + 1
            continue
        char = text[position]
        if char == '"':
            return position
        position += 2 if char == "\\" else 1
    return None


def _finish_template(items: list[_Text | _Sequence], template_range: Range, flush: bool) -> Template | Literal:
    _apply_strip_markers(items)
    if flush:
        _flush_heredoc(items)
    parts = _nest(items)
    if all(isinstance(part, str) for part in parts):
        return Literal("".join(parts), template_range)
    return Template(parts, template_range)


def _apply_strip_markers(items: list[_Text | _Sequence]) -> None:
    for index, item in enumerate(items):
        if isinstance(item, _Text):
            continue
        if item.strip_left:
            for before in reversed(items[:index]):
                if not isinstance(before, _Text):
                    break
                before.value = before.value.rstrip()
                if before.value:
                    break
        if item.strip_right:
            for after in items[index + 1:]:
                if not isinstance(after, _Text):
                    break
                after.value = after.value.lstrip()
                if after.value:
                    break


def _flush_heredoc(items: list[_Text | _Sequence]) -> None:
    """`<<-`: remove the smallest indentation of the lines from each line, as HCL does (a
    line starting with a sequence has none; blank lines do not count and are kept)."""
    leading: list[_Text] = []
    indent = None
    at_line_start = True
    for item in items:
        if at_line_start:
            at_line_start = False
            if isinstance(item, _Sequence):
                indent = 0
            elif item.value.strip() or not item.value.endswith("\n"):
                spaces = len(item.value) - len(item.value.lstrip())
                indent = spaces if indent is None else min(indent, spaces)
                leading.append(item)
        if isinstance(item, _Text) and item.value.endswith("\n"):
            at_line_start = True
    for text in leading:
        text.value = text.value[indent:]


def _nest(items: list[_Text | _Sequence]) -> tuple[TemplatePart, ...]:
    """Nest the flat `if`/`else`/`endif` and `for`/`endfor` sequences into directives."""
    # Each frame: the sequence that opened it (None for the top), then-parts, else-parts.
    frames: list[tuple[_Sequence | None, list[TemplatePart], list[TemplatePart] | None]] = [(None, [], None)]
    for item in items:
        opener, then_parts, else_parts = frames[-1]
        current = then_parts if else_parts is None else else_parts
        if isinstance(item, _Text):
            _append_text(current, item.value)
        elif item.kind == "interp":
            current.append(Interpolation(item.expr, item.strip_left, item.strip_right))
        elif item.kind in ("if", "for"):
            frames.append((item, [], None))
        elif item.kind == "else":
            if opener is None or opener.kind != "if" or else_parts is not None:
                raise ParseError(LoadError('"else" without a matching "if"', item.line, item.column))
            frames[-1] = (opener, then_parts, [])
        else:
            expected_opener = "if" if item.kind == "endif" else "for"
            if opener is None or opener.kind != expected_opener:
                message = f'"{item.kind}" without a matching "{expected_opener}"'
                raise ParseError(LoadError(message, item.line, item.column))
            frames.pop()
            if opener.kind == "if":
                directive = IfDirective(opener.expr, tuple(then_parts), tuple(else_parts or ()),
                                        opener.strip_left, item.strip_right)
            else:
                directive = ForDirective(opener.key_var, opener.value_var, opener.expr, tuple(then_parts),
                                         opener.strip_left, item.strip_right)
            _, parent_then, parent_else = frames[-1]
            (parent_then if parent_else is None else parent_else).append(directive)
    opener = frames[-1][0]
    if opener is not None:
        closer = "endif" if opener.kind == "if" else "endfor"
        raise ParseError(LoadError(f'"{opener.kind}" is never closed by "{closer}"', opener.line, opener.column))
    return tuple(frames[0][1])


def _append_text(parts: list[TemplatePart], text: str) -> None:
    if not text:
        return
    if parts and isinstance(parts[-1], str):
        parts[-1] += text
    else:
        parts.append(text)
