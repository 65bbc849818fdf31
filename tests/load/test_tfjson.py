"""Terraform JSON syntax loader: bodies, block candidates, templates and exact ranges."""

from __future__ import annotations

import textwrap

import pytest
from syntax_shapes import shape, span

from tf_apigw_lint.load import syntax as s
from tf_apigw_lint.load.tfjson import parse_tf_json, parse_tfvars_json


def parse(text: str) -> s.Body:
    source = parse_tf_json(textwrap.dedent(text), "main.tf.json")
    assert source.error is None, source.error
    return source.body


STAGE = """\
{
  "//": "tf-apigw-lint:ignore APIGW201 -- managed elsewhere",
  "resource": {
    "aws_api_gateway_stage": {
      "prod": {
        "stage_name": "prod-${var.suffix}",
        "access_log_settings": {"destination_arn": "${aws_cloudwatch_log_group.g.arn}", "format": "x"},
        "depends_on": ["aws_api_gateway_account.this"],
        "provider": "aws.west",
        "count": 2,
        "tags": null
      }
    }
  }
}
"""


def test_resource_block_and_attribute_ranges():
    (stage,) = parse(STAGE).block_list
    assert (stage.type, stage.labels) == ("resource", ("aws_api_gateway_stage", "prod"))
    assert span(stage) == (5, 7, 12, 8)
    assert (stage.type_range.line, stage.type_range.column, stage.type_range.end_column) == (3, 3, 13)
    assert span(stage.body) == (5, 15, 12, 8)
    name = stage.body.attribute("stage_name")
    assert (span(name), span(name.expr)) == ((6, 9, 6, 43), (6, 23, 6, 43))
    assert (name.name_range.column, name.name_range.end_column) == (9, 21)
    assert shape(name.expr) == "template('prod-', ${var.suffix})"
    assert span(name.expr.parts[1].expr) == (6, 31, 6, 41)


def test_meta_arguments_keep_their_json_form():
    body = parse(STAGE).block_list[0].body
    assert shape(body.attribute("depends_on").expr) == "['aws_api_gateway_account.this']"
    assert span(body.attribute("depends_on").expr.items[0]) == (8, 24, 8, 54)
    assert shape(body.attribute("provider").expr) == "'aws.west'"
    assert shape(body.attribute("count").expr) == "2"
    assert shape(body.attribute("tags").expr) == "None"
    assert body.blocks("tags") == []


def test_object_value_is_both_an_attribute_and_a_block_candidate():
    body = parse(STAGE).block_list[0].body
    attribute = body.attribute("access_log_settings")
    assert shape(attribute.expr) == "{'destination_arn': template(${aws_cloudwatch_log_group.g.arn}), 'format': 'x'}"
    assert span(attribute) == (7, 9, 7, 103)
    (block,) = body.blocks("access_log_settings")
    assert (block.type, block.labels, span(block)) == ("access_log_settings", (), (7, 9, 7, 103))
    assert shape(block.body.attribute("destination_arn").expr) == "template(${aws_cloudwatch_log_group.g.arn})"
    assert span(block.body.attribute("destination_arn").expr.parts[0].expr) == (7, 55, 7, 85)
    assert body.block_types() == ["access_log_settings"]
    assert body.attribute_names() == ["stage_name", "access_log_settings", "depends_on", "provider", "count", "tags"]


def test_json_comments_are_skipped_and_collected():
    source = parse_tf_json(STAGE, "main.tf.json")
    assert "//" not in source.body.attribute_names()
    assert source.comments == [s.Comment("tf-apigw-lint:ignore APIGW201 -- managed elsewhere", 2, 3, 2, 61)]


def test_nested_blocks_dynamic_arrays_and_labelled_top_level_blocks():
    body = parse(
        """\
        {
          "resource": {
            "aws_security_group": {
              "sg": {
                "ingress": [{"from_port": 80}, {"from_port": 443}],
                "dynamic": {"egress": {"for_each": "${var.rules}", "iterator": "rule",
                                       "content": {"to_port": "${rule.value}"}}}
              }
            }
          },
          "module": {"api": {"source": "./api", "providers": {"aws": "aws.west"}}},
          "terraform": {"backend": {"s3": {"bucket": "b"}}},
          "provider": {"aws": [{"region": "us-east-1"}, {"alias": "west", "region": "us-west-2"}]},
          "data": [{"aws_region": {"current": {}}}],
          "locals": {"name": "api-${var.env}"},
          "output": {"url": {"value": "${module.api.url}"}}
        }
        """
    )
    summary = [(block.type, block.labels, span(block)) for block in body.block_list]
    assert summary == [
        ("resource", ("aws_security_group", "sg"), (4, 7, 8, 8)),
        ("module", ("api",), (11, 14, 11, 74)),
        ("terraform", (), (12, 3, 12, 52)),
        ("provider", ("aws",), (13, 16, 13, 47)),
        ("provider", ("aws",), (13, 16, 13, 89)),
        ("data", ("aws_region", "current"), (14, 28, 14, 41)),
        ("locals", (), (15, 3, 15, 39)),
        ("output", ("url",), (16, 14, 16, 51)),
    ]
    sg = body.block_list[0].body
    assert [shape(b.body.attribute("from_port").expr) for b in sg.blocks("ingress")] == ["80", "443"]
    assert [span(b) for b in sg.blocks("ingress")] == [(5, 9, 5, 38), (5, 9, 5, 58)]
    assert shape(sg.attribute("ingress").expr) == "[{'from_port': 80}, {'from_port': 443}]"
    (dynamic,) = sg.blocks("dynamic")
    assert (dynamic.labels, span(dynamic)) == (("egress",), (6, 21, 7, 72))
    assert sg.attribute("dynamic") is None
    assert shape(dynamic.body.attribute("for_each").expr) == "template(${var.rules})"
    assert shape(dynamic.body.attribute("iterator").expr) == "'rule'"
    (content,) = dynamic.body.blocks("content")
    assert shape(content.body.attribute("to_port").expr) == "template(${rule.value})"
    assert span(content.body.attribute("to_port").expr.parts[0].expr) == (7, 58, 7, 68)
    (backend,) = body.block_list[2].body.blocks("backend")
    assert (backend.labels, shape(backend.body.attribute("bucket").expr)) == (("s3",), "'b'")
    assert shape(body.block_list[4].body.attribute("alias").expr) == "'west'"
    assert shape(body.block_list[6].body.attribute("name").expr) == "template('api-', ${var.env})"
    assert body.block_list[6].body.json_block_candidates == {}


def test_variable_type_is_an_expression_and_default_is_plain_data():
    (variable,) = parse(
        """\
        {"variable": {"stages": {
          "type": "map(object({name = string, level = optional(string, \\"INFO\\")}))",
          "default": {"prod": {"name": "${not_a_template}", "level": null}, "n": [1, 2.5, true]}
        }}}
        """
    ).block_list
    body = variable.body
    assert shape(body.attribute("type").expr) == "map(object({'name': string, 'level': optional(string, 'INFO')}))"
    assert span(body.attribute("type").expr) == (2, 11, 2, 77)
    assert span(body.attribute("type").expr.args[0].args[0].items[0].value) == (2, 31, 2, 37)
    assert shape(body.attribute("default").expr) == "{'prod': {'name': '${not_a_template}', 'level': None}, 'n': [1, 2.5, True]}"


def test_strings_unescape_before_template_parsing():
    body = parse('{"locals": {"a": "tab\\there \\u00e9\\ud83d\\ude00 \\"q\\" $${x} %%{y}"}}').block_list[0].body
    assert shape(body.attribute("a").expr) == repr('tab\there é\U0001F600 "q" ${x} %{y}')


def test_empty_file_is_an_empty_body():
    source = parse_tf_json("  \n", "main.tf.json")
    assert (source.error, source.body.attributes, source.body.block_list) == (None, {}, [])


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        ('{"a": 1,}', 'invalid JSON: expected a string key in double quotes', 1, 9),
        ('{"a" 1}', 'invalid JSON: expected ":" after the object key', 1, 6),
        ('{\n  "a": [1 2]\n}', 'invalid JSON: expected "," or "]" after the array item', 2, 11),
        ('{"a": "x', "invalid JSON: unterminated string", 1, 7),
        ('{"a": "\\x"}', "invalid JSON: invalid escape sequence", 1, 8),
        ('{"a": "\\u12"}', "invalid JSON: invalid \\u escape", 1, 8),
        ('{"a": "line\nbreak"}', "invalid JSON: control character in string", 1, 12),
        ('{"a": tru}', "invalid JSON: unexpected character 't'; expected a value", 1, 7),
        ('{"a": 1} x', "invalid JSON: unexpected text after the JSON value", 1, 10),
        ('{"a": ', "invalid JSON: unexpected end of file; expected a value", 1, 7),
        ("[1]", "the top level of the file must be a JSON object", 1, 1),
        ('{"locals": {"a": 1, "a": 2}}', 'duplicate key "a"', 1, 21),
        ('{"resource": {"t": {"n": 3}}}', 'a "resource" block must be a JSON object', 1, 26),
        ('{"locals": {"a": "${var.}"}}', "unexpected end of expression; expected expression", 1, 25),
        ('{"locals": {"a": "%{ if x }"}}', '"if" is never closed by "endif"', 1, 19),
    ],
)
def test_bad_json_is_a_load_error_with_position(text, message, line, column):
    source = parse_tf_json(text, "main.tf.json")
    assert source.body is None
    assert source.error == s.LoadError(message, line, column)


def test_tfvars_json_values_are_plain_data():
    source = parse_tfvars_json('{\n  "stage": "${x}",\n  "levels": {"a": [1, null]}\n}\n', "prod.tfvars.json")
    assert source.error is None
    stage = source.body.attribute("stage")
    assert (shape(stage.expr), span(stage), span(stage.expr)) == ("'${x}'", (2, 3, 2, 18), (2, 12, 2, 18))
    assert shape(source.body.attribute("levels").expr) == "{'a': [1, None]}"
    assert source.body.block_list == []
    assert source.line_count == 4
