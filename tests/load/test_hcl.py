"""HCL native syntax loader: exact node kinds, values and ranges."""

from __future__ import annotations

import textwrap

import pytest
from syntax_shapes import shape, span

from tf_apigw_lint.load import syntax as s
from tf_apigw_lint.load.hcl import ParseError, parse_expression, parse_hcl, parse_template


def parse(text: str) -> s.SourceFile:
    source = parse_hcl(textwrap.dedent(text), "main.tf")
    assert source.error is None, source.error
    return source


def expr(text: str) -> s.Expression:
    """The expression of `x = <text>`, which starts at line 1, column 5."""
    return parse("x = " + text + "\n").body.attributes["x"].expr


@pytest.mark.parametrize(
    ("text", "expected", "expected_span"),
    [
        ("1", "1", (1, 5, 1, 6)),
        ("1.5", "1.5", (1, 5, 1, 8)),
        ("1e3", "1000.0", (1, 5, 1, 8)),
        ("-3", "-3", (1, 5, 1, 7)),
        ("-1.5", "-1.5", (1, 5, 1, 9)),
        ("- 1", "-1", (1, 5, 1, 8)),
        ("true", "True", (1, 5, 1, 9)),
        ("false", "False", (1, 5, 1, 10)),
        ("null", "None", (1, 5, 1, 9)),
        ('"abc"', "'abc'", (1, 5, 1, 10)),
        ('""', "''", (1, 5, 1, 7)),
        ("var.x", "var.x", (1, 5, 1, 10)),
        ("a.b.c[0][\"d\"]", "a.b.c[0]['d']", (1, 5, 1, 18)),
        ("a.0", "a[0]", (1, 5, 1, 8)),
        ("a.0.b", "a[0].b", (1, 5, 1, 10)),
        ("a.b[*].c", "splat(a.b, @.c)", (1, 5, 1, 13)),
        ("a.*.b", "splat(a, @.b)", (1, 5, 1, 10)),
        ("a[*]", "splat(a, @)", (1, 5, 1, 9)),
        ("a[*].b[0].c", "splat(a, @.b[0].c)", (1, 5, 1, 16)),
        ("a.*.b[*].c.0", "splat(splat(a, @.b), @.c[0])", (1, 5, 1, 17)),
        ('[1, "a", b,]', "[1, 'a', b]", (1, 5, 1, 17)),
        ("[]", "[]", (1, 5, 1, 7)),
        (
            '{a = 1, "b" = 2, (c) = 3, in = 4, for = 5, "${d}" = 6}',
            "{'a': 1, 'b': 2, paren(c): 3, 'in': 4, 'for': 5, template(${d}): 6}",
            (1, 5, 1, 59),
        ),
        ("{ a: 1 }", "{'a': 1}", (1, 5, 1, 13)),
        ("{}", "{}", (1, 5, 1, 7)),
        ("f(x, y)", "f(x, y)", (1, 5, 1, 12)),
        ("f()", "f()", (1, 5, 1, 8)),
        ("f(x...)", "f(x...)", (1, 5, 1, 12)),
        ("provider::aws::arn_parse(x)", "provider::aws::arn_parse(x)", (1, 5, 1, 32)),
        ("c ? 1 : 2", "(c ? 1 : 2)", (1, 5, 1, 14)),
        ("a ? b : c ? d : e", "(a ? b : (c ? d : e))", (1, 5, 1, 22)),
        ("-x", "(-x)", (1, 5, 1, 7)),
        ("!a", "(!a)", (1, 5, 1, 7)),
        ("(a)", "paren(a)", (1, 5, 1, 8)),
        ("[for v in l : v.id if v.ok]", "for(v in l: v.id if v.ok)", (1, 5, 1, 32)),
        ("{for k, v in m : k => v...}", "for(k, v in m: k => v...)", (1, 5, 1, 32)),
        ("{for k, v in m : upper(k) => v if v != null}", "for(k, v in m: upper(k) => v if (v != None))", (1, 5, 1, 49)),
    ],
)
def test_expression_kinds(text, expected, expected_span):
    node = expr(text)
    assert shape(node) == expected
    assert span(node) == expected_span


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * 3", "(1 + (2 * 3))"),
        ("(1 + 2) * 3", "(paren((1 + 2)) * 3)"),
        ("a || b && c", "(a || (b && c))"),
        ("!a == b", "((!a) == b)"),
        ("a - b - c", "((a - b) - c)"),
        ("a < b == c > d", "((a < b) == (c > d))"),
        ("a % 2 != 0", "((a % 2) != 0)"),
        ("a >= 1 && b <= 2", "((a >= 1) && (b <= 2))"),
        ("a / -b", "(a / (-b))"),
        ("a || b ? c : d", "((a || b) ? c : d)"),
        ("a /* note */ + b", "(a + b)"),
        ("(a\n  || b)", "paren((a || b))"),
        ("(a # why\n  || b)", "paren((a || b))"),
        ("(a\n  ? b\n  : c)", "paren((a ? b : c))"),
    ],
)
def test_operator_precedence(text, expected):
    assert shape(expr(text)) == expected


def test_operator_ranges():
    node = expr("1 + 2 * 3")
    assert (node.op, span(node)) == ("+", (1, 5, 1, 14))
    assert (node.right.op, span(node.right)) == ("*", (1, 9, 1, 14))
    assert span(node.right.right) == (1, 13, 1, 14)


def test_splat_body_ranges_start_at_the_splat_marker():
    node = expr("a.b[*].c.d")
    assert span(node) == (1, 5, 1, 15)
    assert span(node.source) == (1, 5, 1, 8)
    assert span(node.body) == (1, 8, 1, 15)
    assert span(node.body.obj) == (1, 8, 1, 13)
    assert span(node.body.obj.obj) == (1, 8, 1, 11)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"${x}"', "template(${x})"),
        ('"a${b}c"', "template('a', ${b}, 'c')"),
        ('"${a}${b}"', "template(${a}, ${b})"),
        (r'"a\nb\r\t\"\\\u00e9\U0001F600"', repr('a\nb\r\t"\\é\U0001F600')),
        ('"$${x}"', "'${x}'"),
        ('"%%{x}"', "'%{x}'"),
        ('"a $${b} ${c}"', "template('a ${b} ', ${c})"),
        ('"$$ 100% $"', "'$$ 100% $'"),
        ('"${f("}")}"', "template(${f('}')})"),
        ('"%{ if a }yes%{ else }no%{ endif }"', "template(%if a['yes']['no'])"),
        ('"%{ if a }yes%{ endif }"', "template(%if a['yes'][])"),
        ('"x %{~ if a ~} y %{~ endif ~} z"', "template('x', %~if a~['y'][], 'z')"),
        ('"%{ for k, v in m }${k}=${v},%{ endfor }"', "template(%for k, v in m[${k}, '=', ${v}, ','])"),
        ('"%{ for v in l }%{ if v }${v}%{ endif }%{ endfor }"', "template(%for v in l[%if v[${v}][]])"),
        ('"a  ${~ b ~}  c"', "template('a', ${~b~}, 'c')"),
        ('"[%{ if a ~} x %{~ else ~} y %{~ endif }]"', "template('[', %if a['x']['y'], ']')"),
        ('"${f(\\"s\\")}"', "template(${f('s')})"),
    ],
)
def test_quoted_templates(text, expected):
    assert shape(expr(text)) == expected


def test_interpolation_ranges_inside_quoted_string():
    node = expr('"a${var.b}c"')
    assert span(node) == (1, 5, 1, 17)
    assert span(node.parts[1].expr) == (1, 9, 1, 14)


HEREDOC = """\
resource "aws_iam_role" "r" {
  assume_role_policy = <<EOT
{
  "Principal": {"Service": "apigateway.amazonaws.com"},
  "Role": "${aws_iam_role.r.arn}", "x": "$${kept}\\n"
}
EOT
  policy = <<-POLICY
    {
      "Resource": "${var.arn}"
    }
    %{~ for s in var.list ~}
    ${s}
    %{~ endfor ~}
  POLICY
  empty = <<EOT
EOT
  nested = <<EOT
${lookup(m, "}")} ${ {a = 1}["a"] } ${"a${b}"}
EOT
}
"""


def test_heredoc_with_json_and_interpolation():
    attribute = parse(HEREDOC).body.blocks("resource")[0].body.attribute("assume_role_policy")
    assert span(attribute) == (2, 3, 7, 4)
    template = attribute.expr
    assert span(template) == (2, 24, 7, 4)
    assert template.parts == (
        '{\n  "Principal": {"Service": "apigateway.amazonaws.com"},\n  "Role": "',
        template.parts[1],
        '", "x": "${kept}\\n"\n}\n',
    )
    assert shape(template.parts[1].expr) == "aws_iam_role.r.arn"
    assert span(template.parts[1].expr) == (5, 14, 5, 32)


def test_indented_heredoc_removes_common_indentation_and_keeps_real_columns():
    template = parse(HEREDOC).body.blocks("resource")[0].body.attribute("policy").expr
    assert shape(template) == """template('{\\n  "Resource": "', ${var.arn}, '"\\n}', %~for s in var.list~[${s}])"""
    assert span(template) == (8, 12, 15, 9)
    assert span(template.parts[1].expr) == (10, 22, 10, 29)
    assert span(template.parts[3].collection) == (12, 18, 12, 26)


def test_heredoc_edge_cases():
    body = parse(HEREDOC).body.blocks("resource")[0].body
    assert shape(body.attribute("empty").expr) == "''"
    assert span(body.attribute("empty").expr) == (16, 11, 17, 4)
    assert shape(body.attribute("nested").expr) == (
        "template(${lookup(m, '}')}, ' ', ${{'a': 1}['a']}, ' ', ${template('a', ${b})}, '\\n')"
    )


def test_indented_heredoc_keeps_blank_lines_and_stops_at_a_line_starting_with_a_sequence():
    source = parse(
        "a = <<-EOT\n    one\n\n      two\n    EOT\n"
        "b = <<-EOT\n    one\n${x}\n    EOT\n"
    )
    assert shape(source.body.attribute("a").expr) == repr("one\n\n  two\n")
    assert shape(source.body.attribute("b").expr) == "template('    one\\n', ${x}, '\\n')"


def test_block_structure_and_ranges():
    source = parse(
        """\
        resource "aws_api_gateway_stage" "s" {
          stage_name = "prod"

          access_log_settings {
            format = "x"
          }
        }
        in {}
        """
    )
    stage, keyword_block = source.body.block_list
    assert (stage.type, stage.labels) == ("resource", ("aws_api_gateway_stage", "s"))
    assert span(stage) == (1, 1, 7, 2)
    assert (stage.type_range.line, stage.type_range.column, stage.type_range.end_column) == (1, 1, 9)
    assert span(stage.body) == (1, 38, 7, 2)
    name = stage.body.attribute("stage_name")
    assert (span(name), span(name.expr)) == ((2, 3, 2, 22), (2, 16, 2, 22))
    assert (name.name_range.column, name.name_range.end_column) == (3, 13)
    (settings,) = stage.body.blocks("access_log_settings")
    assert (settings.labels, span(settings)) == ((), (4, 3, 6, 4))
    assert shape(settings.body.attribute("format").expr) == "'x'"
    assert (keyword_block.type, span(keyword_block)) == ("in", (8, 1, 8, 6))
    assert span(source.body) == (1, 1, 9, 1)
    assert source.line_count == 8


def test_labels_may_be_identifiers():
    (block,) = parse("provider aws {\n}\n").body.block_list
    assert block.labels == ("aws",)


def test_comments_are_collected_with_positions_and_without_markers():
    source = parse_hcl(
        "# tf-apigw-lint:ignore APIGW104 -- reason\n"
        'resource "a" "b" { // trailing\n'
        "  x = (a # why\n"
        "    || b)\n"
        "  /* multi\n"
        "     line */\n"
        '  y = "# not a comment ${c} // nor this"\n'
        "  z = <<EOT\n"
        "# not a comment\n"
        "EOT\n"
        "  w = a /* inline */ + b\n"
        "}\n"
        "#no newline at end",
        "main.tf",
    )
    assert source.error is None
    assert [(c.text, c.line, c.column, c.end_line, c.end_column) for c in source.comments] == [
        ("tf-apigw-lint:ignore APIGW104 -- reason", 1, 1, 1, 42),
        ("trailing", 2, 20, 2, 31),
        ("why", 3, 10, 3, 15),
        ("multi\n     line", 5, 3, 6, 13),
        ("inline", 11, 9, 11, 21),
        ("no newline at end", 13, 1, 13, 19),
    ]
    assert source.line_count == 13


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        ("x = [for a in b => c]\n", 'unexpected "=>"; expected one of: ":", newline', 1, 17),
        ("x = \ny = 1\n", "unexpected newline; expected expression", 1, 5),
        ("x = \n", "unexpected end of file; expected expression", 1, 4),
        ('resource "a" {\n', 'unexpected end of file; expected "}"', 1, 15),
        ("x = @\n", 'unexpected "@"; expected expression', 1, 5),
        ("x = 1\nx = 2\n", 'attribute "x" redefined (first set at line 1)', 2, 1),
        ("a = 1 b = 2\n", "missing newline before this argument or block", 1, 7),
        ("a {} b {}\n", "missing newline before this argument or block", 1, 6),
        ("x = {a = 1 b = 2}\n", "missing comma or newline between object elements", 1, 12),
        ('x = "\\q"\n', 'invalid escape sequence "\\q"', 1, 6),
        ('x = "%{ endif }"\n', '"endif" without a matching "if"', 1, 6),
        ('x = "%{ if a }"\n', '"if" is never closed by "endif"', 1, 6),
        ('x = "%{ for v in l }%{ endif }%{ endfor }"\n', '"endif" without a matching "if"', 1, 21),
        ('resource "${a}" {}\n', "a block label cannot contain interpolations or directives", 1, 10),
        ("x = <<EOT\n  ${a +}\nEOT\n", "unexpected end of expression; expected expression", 2, 8),
        ("x = <<EOT\n${a\nEOT\n", 'unterminated "${"', 2, 1),
        ("x = <<EOT\n%{ for x }\nEOT\n", 'invalid "for" directive: expected "for NAME in EXPR" or "for KEY, VALUE in EXPR"', 2, 1),
        ("x = <<EOT\n%{ while x }\nEOT\n", "invalid template directive: expected if, else, endif, for or endfor", 2, 1),
    ],
)
def test_parse_errors_are_load_errors_with_position(text, message, line, column):
    source = parse_hcl(text, "main.tf")
    assert source.body is None
    assert source.error == s.LoadError(message, line, column)


def test_parse_expression_shifts_ranges_to_the_given_position():
    node = parse_expression("a\n + b.c", "vars.tf", 5, 10)
    assert shape(node) == "(a + b.c)"
    assert (node.range.path, span(node)) == ("vars.tf", (5, 10, 6, 7))
    assert span(node.left) == (5, 10, 5, 11)
    assert span(node.right) == (6, 4, 6, 7)


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("", "unexpected end of expression; expected expression", 10),
        ("a +", "unexpected end of expression; expected expression", 13),
        ("a) + (b", 'unexpected ")"; expected one of: "else", "endfor", "endif", "false", "for", "for_each", ...', 11),
        ("a y = 2", "invalid expression: a y = 2", 10),
    ],
)
def test_parse_expression_errors(text, message, column):
    with pytest.raises(ParseError) as raised:
        parse_expression(text, "vars.tf", 5, 10)
    assert raised.value.error == s.LoadError(message, 5, column)


def test_parse_template_for_template_files():
    template = parse_template('{\n  "arn": "${arn}" %{ if x }\\n%{ endif }\n}\n', "policy.tpl", 1, 1)
    assert shape(template) == "template('{\\n  \"arn\": \"', ${arn}, '\" ', %if x['\\\\n'][], '\\n}\\n')"
    assert span(template) == (1, 1, 4, 1)
    assert span(template.parts[1].expr) == (2, 13, 2, 16)
    assert shape(parse_template("plain $${x}", "t", 1, 1)) == "'plain ${x}'"


def test_parse_template_errors():
    with pytest.raises(ParseError) as raised:
        parse_template("line\n  a ${b", "policy.tpl", 3, 1)
    assert raised.value.error == s.LoadError('unterminated "${"', 4, 5)


def test_crlf_line_endings_read_like_lf():
    source = parse("x = 1\r\ny = <<EOT\r\na\r\nEOT\r\n")
    assert shape(source.body.attribute("y").expr) == repr("a\n")
    assert span(source.body.attribute("y")) == (2, 1, 4, 4)


def test_nodes_hold_plain_strings_not_parser_tokens():
    attribute = parse('x = a.b\n').body.attribute("x")
    assert type(attribute.name) is str
    assert type(attribute.expr.name) is str
    assert type(attribute.expr.obj.name) is str
