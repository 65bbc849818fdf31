"""Hypothesis strategies for HCL native syntax files, valid and nearly valid.

Files are built from the language's pieces (arguments, blocks, every expression kind,
templates with directives, heredocs) and every gap between tokens is filled from `_GAPS`:
spaces, newlines, `#` / `//` / `/* */` comments, a `/* */` comment spanning lines. Whether
a newline may stand in a gap depends on where the gap is (inside brackets or not), which the
generator does not track on purpose, so some files are valid and some are not: `terraform
fmt` is the oracle that tells which (`test_differential.py`). A few files also get one token
dropped or doubled, and some are written with CRLF line ends.
"""

from __future__ import annotations

from hypothesis import strategies as st

_ASCII_NAMES = ["a", "b", "x", "name", "var", "local", "each", "_p", "my-name", "v2"]
_UNICODE_NAMES = ["größe", "名前", "prüfung", "ñ", "Δx", "x_é"]
_KEYWORD_NAMES = ["in", "if", "for", "true", "null", "endif"]
_BINARY_OPERATORS = ["==", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "%", "&&", "||"]
_NUMBERS = ["0", "1", "42", "1.5", "1e3", "2.5E-2", "01", "-1", "1.", ".5", "1e", "0x1F"]
_STRING_TEXT = ["", "text", "a b", "\\n", "\\\"", "\\u00e9", "$${x}", "%%{y}", "$", "%", "ü", "\\\\", "#not", "//no"]

# Gaps between tokens: `ws` is a gap where a newline is always allowed or never needed.
_SPACES = ["", " ", "  "]
_GAPS = _SPACES + ["\n", "\n  ", " # c\n", " // c\n", " /* c */ ", "/* a\n b */", "\t"]


def _gap() -> st.SearchStrategy[str]:
    return st.sampled_from(_SPACES).flatmap(
        lambda _: st.one_of(st.sampled_from(_SPACES), st.sampled_from(_GAPS))
    )


def _names(keywords: bool = False) -> st.SearchStrategy[str]:
    pools = [st.sampled_from(_ASCII_NAMES), st.sampled_from(_UNICODE_NAMES)]
    if keywords:
        pools.append(st.sampled_from(_KEYWORD_NAMES))
    return st.one_of(*pools)


@st.composite
def _joined(draw, parts: list[str]) -> str:
    """`parts` with a drawn gap between each two."""
    text = parts[0]
    for part in parts[1:]:
        text += draw(_gap()) + part
    return text


def _template_parts(expression: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def interpolation(draw_expr: str, left: bool, right: bool) -> str:
        return "${" + ("~" if left else "") + " " + draw_expr + " " + ("~" if right else "") + "}"

    literal = st.sampled_from(_STRING_TEXT)
    interp = st.builds(interpolation, expression, st.booleans(), st.booleans())
    strip = st.sampled_from(["", "~"])
    if_directive = st.builds(
        lambda cond, then, other, left, right: (
            "%{" + left + " if " + cond + " " + right + "}" + then + (("%{ else }" + other) if other else "")
            + "%{" + left + " endif " + right + "}"
        ),
        expression, literal, st.one_of(st.just(""), literal), strip, strip,
    )
    for_directive = st.builds(
        lambda names, coll, body: "%{ for " + names + " in " + coll + " }" + body + "%{ endfor }",
        st.one_of(_names(), st.tuples(_names(), _names()).map(", ".join)), expression,
        st.one_of(literal, st.just("${x}")),
    )
    broken = st.sampled_from(["%{ endif }", "%{ if a }", "${", "%{ while }", "\\q"])
    return st.one_of(literal, interp, if_directive, for_directive, broken)


def _quoted(expression: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.lists(_template_parts(expression), max_size=3).map(lambda parts: '"' + "".join(parts) + '"')


@st.composite
def _heredoc(draw, expression: st.SearchStrategy[str]) -> str:
    marker = draw(st.sampled_from(["EOT", "POLICY", "END_1", "ÉOF", "E.1"]))
    flush = draw(st.booleans())
    indent = draw(st.sampled_from(["", "  "]))
    lines = draw(st.lists(
        st.one_of(
            st.sampled_from(["{", "}", "const a = `$${b}`;", "  indented", "", "EOTX", "#x"]),
            _template_parts(expression),
        ),
        max_size=3,
    ))
    close = indent + marker + draw(st.sampled_from(["", "  ", "\t", " x"]))
    body = "".join(indent + line + "\n" for line in lines)
    return "<<" + ("-" if flush else "") + marker + "\n" + body + close + "\n"


def _expressions() -> st.SearchStrategy[str]:
    leaves = st.one_of(
        st.sampled_from(_NUMBERS),
        st.sampled_from(["true", "false", "null"]),
        _names(),
        st.sampled_from(['"s"', '""', "var.x", "local.größe", "each.key"]),
    )

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        name = _names(keywords=True)
        traversal = st.tuples(inner, st.sampled_from([".", "[", ".*", "[*]"]), name, inner).map(
            lambda t: t[0] + {".": "." + t[2], "[": "[" + t[3] + "]", ".*": ".*." + t[2], "[*]": "[*]." + t[2]}[t[1]]
        )
        index_number = st.tuples(_names(), st.sampled_from([".0", ".1.2", "[0]"])).map("".join)
        unary = st.tuples(st.sampled_from(["-", "!", "!!", "- "]), inner).map("".join)
        binary = st.tuples(inner, st.sampled_from(_BINARY_OPERATORS), inner).flatmap(
            lambda t: _joined([t[0], t[1], t[2]])
        )
        conditional = st.tuples(inner, inner, inner).flatmap(lambda t: _joined([t[0], "?", t[1], ":", t[2]]))
        parens = inner.flatmap(lambda e: _joined(["(", e, ")"]))
        items = st.lists(inner, max_size=3)
        tuple_ = st.tuples(items, st.booleans()).flatmap(
            lambda t: _joined(["[", *_commas(t[0], t[1]), "]"])
        )
        element = st.tuples(st.one_of(_names(keywords=True), st.just('"k"'), st.just("(k)")),
                            st.sampled_from(["=", ":"]), inner).flatmap(lambda t: _joined(list(t)))
        object_ = st.tuples(st.lists(element, max_size=3), st.lists(st.sampled_from([",", "\n", ", ", "\n,", " "]),
                                                                      min_size=3, max_size=3)).flatmap(
            lambda t: _joined(["{", _interleave(t[0], t[1]), "}"])
        )
        call = st.tuples(st.sampled_from(["f", "jsonencode", "provider::aws::arn_parse", "lookup"]), items,
                         st.sampled_from(["", ",", "..."])).flatmap(
            lambda t: _joined([t[0] + "(", *_commas(t[1], False), t[2] if t[1] else "", ")"])
        )
        for_tuple = st.tuples(_names(), inner, inner, st.one_of(st.none(), inner)).flatmap(
            lambda t: _joined(["[", "for", t[0], "in", t[1], ":", t[2], *(["if", t[3]] if t[3] else []), "]"])
        )
        for_object = st.tuples(_names(), _names(), inner, inner, inner, st.booleans()).flatmap(
            lambda t: _joined(["{", "for", t[0], ",", t[1], "in", t[2], ":", t[3], "=>", t[4],
                               *(["..."] if t[5] else []), "}"])
        )
        return st.one_of(
            traversal, index_number, unary, binary, conditional, parens, tuple_, object_, call, for_tuple,
            for_object, _quoted(inner), _heredoc(inner),
        )

    return st.recursive(leaves, extend, max_leaves=6)


def _commas(items: list[str], trailing: bool) -> list[str]:
    parts = []
    for index, item in enumerate(items):
        parts.append(item)
        if index < len(items) - 1 or trailing:
            parts.append(",")
    return parts


def _interleave(elements: list[str], separators: list[str]) -> str:
    text = ""
    for index, element in enumerate(elements):
        text += element
        if index < len(elements) - 1:
            text += separators[index % len(separators)]
    return text


def _body(depth: int) -> st.SearchStrategy[str]:
    attribute = st.tuples(_names(keywords=True), _expressions()).flatmap(lambda t: _joined([t[0], "=", t[1]]))
    label = st.one_of(st.just('"aws_api_gateway_stage"'), st.just('"s"'), _names(), st.just('"${x}"'))
    items: list[st.SearchStrategy[str]] = [attribute]
    if depth > 0:
        block = st.tuples(_names(keywords=True), st.lists(label, max_size=2), _body(depth - 1)).flatmap(
            lambda t: _joined([t[0], *t[1], "{"]).map(lambda head: head + t[2] + "}")
        )
        one_line_block = st.tuples(_names(), attribute).map(lambda t: f"{t[0]} {{ {t[1]} }}")
        items += [block, one_line_block]
    item = st.one_of(*items)
    separator = st.sampled_from(["\n", "\n\n", " # c\n", "\n/* c */\n", " ", " /* c\n */ "])
    return st.lists(st.tuples(item, separator), max_size=3).flatmap(
        lambda pairs: st.sampled_from(["\n", "", " "]).map(lambda lead: lead + "".join(i + s for i, s in pairs))
    )


@st.composite
def hcl_files(draw) -> str:
    """A whole file: mostly valid-looking HCL; the gaps decide whether it is valid."""
    text = draw(_body(depth=2))
    mutation = draw(st.sampled_from(["none"] * 6 + ["drop", "double", "crlf", "crlf"]))
    if mutation == "crlf":
        text = text.replace("\n", "\r\n")
    elif mutation in ("drop", "double") and text:
        index = draw(st.integers(0, len(text) - 1))
        text = text[:index] + (text[index] * 2 if mutation == "double" else "") + text[index + 1:]
    return text
