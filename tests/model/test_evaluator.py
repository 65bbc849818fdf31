"""The expression evaluator on parsed HCL, checked against `terraform console` where it is
installed, plus Unknown / Reference propagation that the console cannot show."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tf_apigw_lint.load.hcl import parse_expression
from tf_apigw_lint.model.errors import EvalError
from tf_apigw_lint.model.evaluator import ChildScope, evaluate_data
from tf_apigw_lint.model.context import FunctionContextImpl
from tf_apigw_lint.view.values import Reference, Unknown


class DictScope:
    def __init__(self, names, base_dir="."):
        self.names = names
        self.context = FunctionContextImpl(base_dir)

    def lookup(self, name):
        if name in self.names:
            return self.names[name]
        raise EvalError(f"unknown name {name}")

    def function_context(self):
        return self.context


def ev(text, names=None, base_dir="."):
    return evaluate_data(parse_expression(text, "test.tf"), DictScope(names or {}, base_dir))


# Expressions and their values, as `terraform console` gives them (checked below).
ORACLE = [
    ('1 + 2 * 3', 7),
    ('(1 + 2) * 3', 9),
    ('7 % 3', 1),
    ('10 / 4', 2.5),
    ('-5 + 2', -3),
    ('!true || false && true', False),
    ('1 < 2 && 2 >= 2', True),
    ('"a" == "a" && 1 != 2', True),
    ('"1" == 1', False),
    ('true ? "yes" : "no"', 'yes'),
    ('"x-${1 + 1}-${true}"', 'x-2-true'),
    ('"%{if true}on%{else}off%{endif}"', 'on'),
    ('"%{for i, v in ["a", "b"]}${i}=${v};%{endfor}"', '0=a;1=b;'),
    ('"  a  ${"b"}  "', '  a  b  '),
    ('"a %{~ if true ~} b %{~ endif ~} c"', 'abc'),
    ('[for s in ["a", "b"] : upper(s)]', ['A', 'B']),
    ('{for k, v in {a = 1, b = 2} : k => v * 10}', {'a': 10, 'b': 20}),
    ('{for k, v in {a = 1, b = 2} : v => k...}', {'1': ['a'], '2': ['b']}),
    ('[for x in [1, 2, 3, 4] : x if x % 2 == 0]', [2, 4]),
    ('[for k, v in {z = 1, a = 2} : k]', ['a', 'z']),
    ('[{a = 1}, {a = 2}][*].a', [1, 2]),
    ('{a = [1, 2]}.a[1]', 2),
    ('lookup({a = "x"}, "b", "d")', 'd'),
    ('merge({a = 1}, {b = 2}, {a = 3})', {'a': 3, 'b': 2}),
    ('concat([1], [2, 3])', [1, 2, 3]),
    ('try(tonumber("x"), 5)', 5),
    ('can(tonumber("x"))', False),
    ('jsonencode({b = 1, a = [true, null, "s"]})', '{"a":[true,null,"s"],"b":1}'),
    ('format("%s-%03d", "x", 7)', 'x-007'),
    ('join(",", split("/", "a/b/c"))', 'a,b,c'),
    ('replace("a.b.c", ".", "-")', 'a-b-c'),
    ('trimprefix("API-Gateway-Execution-Logs_x", "API-Gateway-")', 'Execution-Logs_x'),
    ('element(["a", "b"], 3)', 'b'),
    ('length("héllo")', 5),
    ('flatten([[1], [2, [3]]])', [1, 2, 3]),
    ('keys({b = 1, a = 2})', ['a', 'b']),
    ('coalesce("", "x")', 'x'),
    ('min(3, 1, 2)', 1),
    ('upper(format("%v", 1.5))', '1.5'),
    ('tostring(2.50)', '2.5'),
]


@pytest.mark.parametrize("text, expected", ORACLE, ids=[text for text, _ in ORACLE])
def test_evaluates_as_terraform(text, expected):
    assert ev(text) == expected


@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not installed: no oracle")
def test_expectations_match_terraform_console(tmp_path):
    """The table above, as `terraform console` computes it today."""
    # A non-interactive console prints only its last result: ask for all of them at once.
    script = "jsonencode([" + ", ".join(text for text, _ in ORACLE) + "])\n"
    completed = subprocess.run(
        ["terraform", "console"], input=script, capture_output=True, text=True, cwd=tmp_path, timeout=120,
        env={"PATH": "/usr/bin:/bin:/usr/local/bin", "HOME": str(tmp_path), "TF_CLI_CONFIG_FILE": "/dev/null"},
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(json.loads(completed.stdout.strip().splitlines()[-1])) == [expected for _, expected in ORACLE]


REF = Reference("aws_cloudwatch_log_group.x", "arn", "aws_cloudwatch_log_group")
UNKNOWN = Unknown("not known")


@pytest.mark.parametrize("text, expected", [
    ("r", REF),
    ("r.sub", Reference("aws_cloudwatch_log_group.x", "arn.sub", "aws_cloudwatch_log_group")),
    ('"${r}"', REF),
    ("[r, 1]", [REF, 1]),
    ("{a = r}.a", REF),
])
def test_references_pass_through(text, expected):
    assert ev(text, {"r": REF}) == expected


@pytest.mark.parametrize("text", [
    '"prefix-${u}"',
    "u + 1",
    "u == 1",
    "!u",
    "u ? 1 : 2",
    "[for x in u : x]",
    "upper(u)",
    'format("%s", u)',
    'join(",", [u, "a"])',
    "try(u, 1)",
    "can(u)",
    '"a-${r}"',
    "r == r",
])
def test_unknown_propagates(text):
    value = ev(text, {"u": UNKNOWN, "r": REF})
    assert isinstance(value, Unknown), value


@pytest.mark.parametrize("text, expected", [
    ("false && u", False),
    ("true || u", True),
    ('u ? "same" : "same"', "same"),
    ("length([u, 1])", 2),
    ("[u, 1][1]", 1),
    ("{a = u, b = 2}.b", 2),
])
def test_unknown_that_does_not_matter(text, expected):
    assert ev(text, {"u": UNKNOWN}) == expected


def test_unknown_reason_is_kept():
    value = ev('"x-${u}"', {"u": Unknown("variable region has no value")})
    assert "variable region has no value" in value.reason


def test_unknown_function_is_unknown_with_reason():
    value = ev('provider::aws::arn_parse("x")')
    assert isinstance(value, Unknown) and "arn_parse" in value.reason


@pytest.mark.parametrize("text, message", [
    ('{a = 1}.b', 'does not have an attribute named "b"'),
    ("[1][5]", "Invalid index"),
    ('null == 1 ? 1 : null.x', "null"),
    ('"x${[1]}"', "Invalid template interpolation value"),
    ("1 + true", "Invalid operand"),
])
def test_errors_are_terraform_messages(text, message):
    with pytest.raises(EvalError, match=message):
        ev(text)


def test_file_and_templatefile_resolve_against_the_root(tmp_path):
    (tmp_path / "policy.json").write_text('{"Version": "2012-10-17"}')
    (tmp_path / "fmt.tpl").write_text('{"requestId": "$context.requestId", "env": "${env}"}')
    assert ev('jsondecode(file("policy.json")).Version', base_dir=str(tmp_path)) == "2012-10-17"
    assert json.loads(ev('templatefile("fmt.tpl", { env = "prod" })', base_dir=str(tmp_path))) == {
        "requestId": "$context.requestId", "env": "prod"}
    with pytest.raises(EvalError, match="no file exists"):
        ev('file("missing.json")', base_dir=str(tmp_path))


def test_child_scope_shadows_names():
    scope = ChildScope(DictScope({"x": 1, "y": 2}), {"x": 10})
    assert evaluate_data(parse_expression("x + y", "t.tf"), scope) == 12
