"""The text scan: module calls and API Gateway mentions read without parsing, and the
cases it leaves to the parser."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tf_apigw_lint.load.files import load_file
from tf_apigw_lint.load.scan import scan_bytes, scan_file
from tf_apigw_lint.model.discovery import module_sources

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate  # noqa: E402 - the benchmark's generator: realistic Terraform


def sources(text: str, name: str = "main.tf"):
    return scan_bytes(name, text.encode()).module_sources


def test_module_calls_with_literal_sources():
    text = '''\
module "api" {
  source   = "../../modules/api"   # the shared one
  for_each = var.apis
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
}
'''
    assert sources(text) == {"api": "../../modules/api", "vpc": "terraform-aws-modules/vpc/aws"}


def test_one_line_module_block():
    assert sources('module "m" { source = "./m" }\n') == {"m": "./m"}


def test_module_without_source_or_with_a_template_source():
    assert sources('module "a" {\n  count = 1\n}\nmodule "b" {\n  source = "./${var.x}"\n}\n') == {"a": None, "b": None}


def test_module_text_in_heredocs_comments_and_references_is_not_a_call():
    text = '''\
locals {
  doc = <<-EOT
    module "fake" {
      source = "./fake"
    }
  EOT
  path = "${path.module}/x"
}
/*
module "commented" {
  source = "./commented"
}
*/
# module "also_commented" {
'''
    assert sources(text) == {}


@pytest.mark.parametrize("text", [
    # a source that is not a literal: only the parser can tell what it is
    'module "a" {\n  source = local.source\n}\n',
    # two source lines in one block (one inside a nested map)
    'module "a" {\n  source = "./a"\n  tags = {\n    source = "x"\n  }\n}\n',
    # the block is never closed at the start of a line (not as terraform fmt writes it)
    '  module "a" {\n    source = "./a"\n  }\n',
    # a heredoc argument whose text closes a brace at the start of a line, before the source
    'module "a" {\n  policy = <<EOF\n{\n}\nEOF\n  source = "./a"\n}\n',
    # a duplicate call
    'module "a" {\n  source = "./a"\n}\nmodule "a" {\n  source = "./b"\n}\n',
])
def test_ambiguous_text_is_left_to_the_parser(text):
    assert sources(text) is None


def test_json_module_calls():
    text = '{"module": {"api": {"source": "./api"}, "net": [{"source": "hashicorp/net/aws"}]}, "resource": {}}'
    assert sources(text, "main.tf.json") == {"api": "./api", "net": "hashicorp/net/aws"}
    assert sources('{"module": {', "main.tf.json") is None


@pytest.mark.parametrize("text,mentions", [
    ('resource "aws_api_gateway_stage" "s" {}\n', True),
    ('resource "aws_apigatewayv2_stage" "s" {}\n', True),
    ('# uses aws_api_gateway_rest_api elsewhere\n', True),  # a superset is fine: costs time, never a finding
    ('resource "aws_lambda_permission" "p" {\n  principal = "apigateway.amazonaws.com"\n}\n', False),
])
def test_api_gateway_mentions(text, mentions):
    assert scan_bytes("main.tf", text.encode()).mentions_api_gateway is mentions


def test_the_text_agrees_with_the_parser_wherever_it_answers(tmp_path):
    # Every Terraform file of the repository's examples and hooks, and of a synthetic
    # monorepo: where the scan gives an answer, the parser gives the same one.
    generate(str(tmp_path / "repo"), seed=3, scale=0.01)
    files = [p for folder in (ROOT / "examples", ROOT / "hooks", tmp_path / "repo") for p in folder.rglob("*.tf")]
    answered = 0
    for path in files:
        scan = scan_file(str(path))
        if scan.module_sources is not None:
            answered += 1
            assert scan.module_sources == module_sources(load_file(str(path))), path
    assert answered == len(files)
