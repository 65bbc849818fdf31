"""Valid Terraform that python-hcl2's grammar rejected (each found in public configurations)
and invalid Terraform it accepted: every case pins the tree the loader builds, or the error,
as `terraform fmt` 1.11 decides (`load/grammar.py` holds the grammar patches)."""

from __future__ import annotations

import json

import pytest
from syntax_shapes import shape, span

from tf_apigw_lint.cli import main
from tf_apigw_lint.load import syntax as s
from tf_apigw_lint.load.hcl import parse_hcl


def parse(text: str) -> s.SourceFile:
    source = parse_hcl(text, "main.tf")
    assert source.error is None, source.error
    return source


def local(text: str, name: str) -> s.Expression:
    (block,) = parse(text).body.block_list
    return block.body.attributes[name].expr


def test_operator_value_of_an_element_before_the_last_in_a_multi_line_object():
    value = local('locals {\n  tags = {\n    Prod = var.env == "prod"\n    Name = "x"\n  }\n}\n', "tags")
    assert shape(value) == "{'Prod': (var.env == 'prod'), 'Name': 'x'}"


@pytest.mark.parametrize("operator", ["==", "!=", ">", "<=", "+", "-", "*", "%", "&&", "||"])
def test_every_binary_operator_may_end_a_non_last_object_element(operator):
    value = local(f"locals {{\n  o = {{\n    a = x {operator} y\n    b = 1\n  }}\n}}\n", "o")
    assert shape(value) == f"{{'a': (x {operator} y), 'b': 1}}"


def test_an_argument_after_an_operator_expression_is_still_its_own():
    body = parse("a = 1 + 2\nb = x && y # why\nc = 3\n").body
    assert [(name, shape(attr.expr)) for name, attr in body.attributes.items()] == [
        ("a", "(1 + 2)"), ("b", "(x && y)"), ("c", "3"),
    ]


def test_non_ascii_identifiers():
    body = parse('locals {\n  größe = 1\n  名前 = local.größe\n  _x-1 = var.prüfung.wert\n}\n').body
    (block,) = body.block_list
    assert {name: shape(attr.expr) for name, attr in block.body.attributes.items()} == {
        "größe": "1", "名前": "local.größe", "_x-1": "var.prüfung.wert",
    }
    assert span(block.body.attributes["名前"].expr) == (3, 8, 3, 19)


def test_non_ascii_names_in_for_expressions_and_template_directives():
    value = local('locals {\n  l = [for schlüssel in x : "%{ for wert in schlüssel }${wert}%{ endfor }"]\n}\n', "l")
    assert shape(value) == "for(schlüssel in x: template(%for wert in schlüssel[${wert}]))"


def test_non_ascii_names_may_hold_marks_and_connectors():
    body = parse("नाम = 1\ne\u0301 = 2\nx\u203fy = 3\n\u216b = 4\nx\u00b7y = 5\n").body
    assert list(body.attributes) == ["नाम", "e\u0301", "x\u203fy", "\u216b", "x\u00b7y"]


@pytest.mark.parametrize(("text", "char", "line", "column"), [
    ("a = 1\nx\u00bd = 1\n", "\u00bd", 2, 2),  # a number (No) is not ID_Continue
    ("\u0301e = 1\n", "\u0301", 1, 1),  # a mark cannot start a name
    ("\u2e2f = 1\n", "\u2e2f", 1, 1),  # a letter that is Pattern_Syntax
    ("a = b\u00a0\n", "\u00a0", 1, 6),  # no-break space is not whitespace
    ("a = <<\u00bd\nx\n\u00bd\n", "\u00bd", 1, 7),  # a heredoc's marker is a name
    ('a = "%{ for x\u00bd in y }z%{ endfor }"\n', "\u00bd", 1, 14),
    ("a = <<EOT\n%{ for k, x\u00bd in y }z%{ endfor }\nEOT\n", "\u00bd", 2, 12),
])
def test_a_character_a_name_may_not_hold_is_the_error(text, char, line, column):
    error = parse_hcl(text, "main.tf").error
    assert (error.message, error.line, error.column) == (f'unexpected character "{char}"', line, column)


def test_non_ascii_names_in_a_heredoc_template_directive():
    value = local("locals {\n  t = <<EOT\n%{ for e\u0301, नाम in x }${नाम}%{ endfor }\nEOT\n}\n", "t")
    assert shape(value) == "template(%for e\u0301, नाम in x[${नाम}], '\\n')"


@pytest.mark.parametrize(
    "text",
    [
        "{ for k, v in var.m : k\n    => v }",
        "{\n  for k, v in var.m :\n  k\n  =>\n  v\n  if\n  v != null\n}",
        "{ for k\n , v in var.m : k => v }",
    ],
)
def test_newlines_anywhere_in_a_for_object_expression(text):
    assert shape(local(f"locals {{\n  m = {text}\n}}\n", "m")).startswith("for(k, v in var.m: k => v")


def test_newlines_are_ignored_inside_brackets_parentheses_and_interpolations():
    body = parse('a = [x\n  .b, 1\n  + 2]\nb = (c\n  ? 1\n  : 2)\nc = "${\n  d\n}"\nd = f(\n  1\n  ,\n  2\n)\n').body
    assert {name: shape(attr.expr) for name, attr in body.attributes.items()} == {
        "a": "[x.b, (1 + 2)]", "b": "paren((c ? 1 : 2))", "c": "template(${d})", "d": "f(1, 2)",
    }


def test_an_argument_named_for_opens_a_block_body():
    """Found by the differential test: `{` then `for` is a for expression only where an
    expression can stand, not after a block's type or labels."""
    (block,) = parse('a "b" {\n  for = 0\n  in  = x\n}\n').body.block_list
    assert {name: shape(attr.expr) for name, attr in block.body.attributes.items()} == {"for": "0", "in": "x"}


@pytest.mark.parametrize("block_type", ["for", "in", "if", "endfor", "true"])
def test_a_block_whose_type_is_a_keyword_has_a_body_not_a_for_expression(block_type):
    (block,) = parse(f"{block_type} {{\nfor = 1\n/* c */\nb = [for x in {{ k = 1 }} : x]\n}}\n").body.block_list
    assert block.type == block_type
    assert {name: shape(attr.expr) for name, attr in block.body.attributes.items()} == {
        "for": "1", "b": "for(x in {'k': 1}: x)",
    }


def test_block_comment_between_block_labels():
    source = parse('resource "a" /* c */ "b" {\n}\nresource "c" /* over\n lines */ "d" /* x */ {\n}\n')
    assert [(block.type, block.labels) for block in source.body.block_list] == [
        ("resource", ("a", "b")), ("resource", ("c", "d")),
    ]
    assert [(c.text, c.line) for c in source.comments] == [("c", 1), ("over\n lines", 3), ("x", 4)]


def test_escaped_interpolation_in_a_heredoc_of_javascript():
    text = (
        "locals {\n"
        "  js = <<EOT\n"
        "const u = `$${base}/${var.path}`;\n"
        'const v = `${"$${"}`;\n'
        "EOT\n"
        "}\n"
    )
    value = local(text, "js")
    assert shape(value) == "template('const u = `${base}/', ${var.path}, '`;\\nconst v = `', ${'${'}, '`;\\n')"


@pytest.mark.parametrize(("text", "value"), [('"$${"', "${"), ('"%%{"', "%{"), ('"$${a}"', "${a}"), ('"a $${ "', "a ${ ")])
def test_template_escapes_stand_alone_in_quoted_strings(text, value):
    assert parse(f"x = {text}\ny = 1\n").body.attributes["x"].expr.value == value


def test_heredoc_closing_marker_may_have_trailing_spaces():
    body = parse('policy = <<POLICY\n{"a": 1}\nPOLICY  \nnext = <<-EOT\n    b\n  EOT\t\nlast = 1\n').body
    assert body.attributes["policy"].expr.value == '{"a": 1}\n'
    assert body.attributes["next"].expr.value == "b\n"
    assert body.attributes["last"].expr.value == 1


def test_heredoc_inside_brackets_may_be_followed_on_its_closing_line_by_more():
    body = parse("a = [<<EOT\nx\nEOT\n, 1]\nb = f(<<EOT\ny\nEOT\n)\n").body
    assert (shape(body.attributes["a"].expr), shape(body.attributes["b"].expr)) == ("['x\\n', 1]", "f('y\\n')")


def test_heredoc_marker_may_be_a_non_ascii_identifier():
    assert parse("x = <<ÉOF\nabc\nÉOF\n").body.attributes["x"].expr.value == "abc\n"


def test_repeated_unary_operators():
    body = parse("a = !!x\nb = - - 1\n").body
    assert (shape(body.attributes["a"].expr), shape(body.attributes["b"].expr)) == ("(!(!x))", "1")


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        # A newline ends an argument or object element unless it is inside brackets.
        ("a = 1\n+ 2\n", 'unexpected "+"', 2, 1),
        ("a = 1 +\n  2\n", 'unexpected newline in an expression with "+"', 1, 8),
        ("a = x ? 1\n: 2\n", "unexpected newline in a conditional expression", 1, 10),
        ("a = x\n.b\n", 'unexpected ".b"', 2, 1),
        ("a = {b = 1\n+ 2}\n", 'unexpected "+"', 2, 1),
        ("a = {\n b = 1\n , c = 2\n}\n", 'unexpected ","; a comma must be on the line of the element before it', 3, 2),
        # A block comment is whitespace, never a newline.
        ("a = 1 /* x\n */ b = 2\n", "missing newline before this argument or block", 2, 5),
        ("a = { b = 1 /* z */ c = 2 }\n", "missing comma or newline between object elements", 1, 21),
        # Block bodies: all on the opening line (one argument at most), or newlines around.
        ('resource "a" "b"\n{\n}\n', '"{" must be on the line of the block type and labels', 2, 1),
        ("b { c {} }\n", 'a block on one line holds at most one argument; put a newline after "{"', 1, 5),
        ("b { c = 1\n}\n", "a block on one line holds at most one argument", 1, 10),
        ("b {\n  c = 1 }\n", 'missing newline before "}"', 2, 9),
        ('a = "a\nb"\n', "unexpected newline", 1, 7),
        ("a = { for = 1 }\n", '"{ for" starts a for expression', 1, 7),
        ("a = <<E.1\nx\nE.1\n", 'unexpected "<<E.1"', 1, 5),
        # The newline after a heredoc's closing marker ends the argument (found by the
        # differential test), and must be in the file.
        ("a = <<EOT\nx\nEOT\n.b\n", 'unexpected ".b"', 4, 1),
        ("a = <<EOT\nx\nEOT", "missing newline after the heredoc's closing marker", 1, 5),
        ("a = x ? <<EOT\nx\nEOT\n: 1\n", "unexpected newline in a conditional expression", 3, 4),
    ],
)
def test_invalid_terraform_is_a_load_error(text, message, line, column):
    source = parse_hcl(text, "main.tf")
    assert source.body is None
    assert source.error.message.startswith(message), source.error
    assert (source.error.line, source.error.column) == (line, column)


def test_a_file_with_a_loose_heredoc_marker_keeps_its_findings(tf_tree, capsys):
    """Two public API Gateway samples end a policy heredoc with `POLICY  `: the whole file
    was TFL001 and the stage's own findings were lost."""
    root = tf_tree({"main.tf": (
        'resource "aws_iam_role_policy" "logs" {\n'
        '  role   = "r"\n'
        "  policy = <<POLICY\n"
        '{"Version": "2012-10-17"}\n'
        "POLICY  \n"
        "}\n"
        'resource "aws_api_gateway_stage" "s" {\n'
        '  rest_api_id   = "x"\n'
        '  stage_name    = "p"\n'
        '  deployment_id = "d"\n'
        "}\n"
    )})
    assert main(["check", "--format", "json", "--select", "APIGW201", str(root)]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [(f["rule_id"], f["address"], f["path"], f["line"], f["end_line"]) for f in findings] == [
        ("APIGW201", "aws_api_gateway_stage.s", "main.tf", 7, 11),
    ]
