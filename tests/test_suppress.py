"""Inline suppressions: the comment grammar, where a comment applies, TFL002 at the exact
comment, and suppressed findings end to end through `main(argv)` (JSON, SARIF, exit codes)."""

from __future__ import annotations

import json

import pytest
from lint_helpers import per_address

from tf_apigw_lint.cli import main
from tf_apigw_lint.findings import Severity
from tf_apigw_lint.rules import RULES
from tf_apigw_lint.rules.engine import RuleSettings
from tf_apigw_lint.runner import CheckOptions, run_check
from tf_apigw_lint.suppress import Directive, parse_directive

USAGE = "expected tf-apigw-lint:ignore ID[,ID...] [-- reason]"


def unknown(name: str) -> str:
    return f"suppression names unknown rule {name!r}, nothing is suppressed for it (see tf-apigw-lint rules)"


def no_separator(text: str) -> str:
    return f"{text!r} is not a rule: put a reason after ' -- ': {USAGE}"


RULES_UNDER_TEST = ("APIGW102", "APIGW104", "APIGW105", "APIGW201", "TFL001", "TFL002", "TFL003", "TFL004")


@pytest.fixture
def lint_only(tf_tree):
    """`lint_only(files, path=".", **settings)`: the pipeline with only the rules under test
    (so that rules added later do not change the pinned results)."""

    def run(files, path=".", **settings):
        tf_tree(files)
        rules = {rule.ID: RuleSettings(enabled=rule.ID in RULES_UNDER_TEST) for rule in RULES}
        rules.update(settings)
        return run_check([path], CheckOptions(rules=rules))

    return run


def outcome(result, rules=RULES_UNDER_TEST):
    """(rule id, address, line, suppressed, reason) of the findings of `rules`."""
    return [
        (f.rule_id, address, f.line, f.suppressed, f.suppression_reason)
        for f, address in per_address(result.findings)
        if f.rule_id in rules
    ]


@pytest.mark.parametrize("text, expected", [
    ("tf-apigw-lint:ignore APIGW104 -- dev only", Directive(frozenset({"APIGW104"}), "dev only")),
    ("tf-apigw-lint:ignore APIGW104,data-trace-enabled", Directive(frozenset({"APIGW104"}), None)),
    ("tf-apigw-lint:ignore apigw104, APIGW102 --  traced  on purpose ",
     Directive(frozenset({"APIGW104", "APIGW102"}), "traced on purpose")),
    ("tf-apigw-lint:ignore APIGW104\n   -- reason on\n   two lines", Directive(frozenset({"APIGW104"}), "reason on two lines")),
    ("tf-apigw-lint: ignore APIGW104", Directive(frozenset({"APIGW104"}), None)),
    ("tf-apigw-lint:ignore APIGW104 --", Directive(frozenset({"APIGW104"}), None)),
    # a reason without ` -- ` is one problem, whatever its length; the ids before it still apply
    ("tf-apigw-lint:ignore APIGW104 because dev, see ticket 12",
     Directive(frozenset({"APIGW104"}), None, (no_separator("because dev see ticket 12"),))),
    ("tf-apigw-lint:ignore APIGW104, data-trace-enabled dev-only stage -- real reason",
     Directive(frozenset({"APIGW104"}), "real reason", (no_separator("dev-only stage"),))),
    # words shaped like an id, or close to a rule name, are misspelt rules
    ("tf-apigw-lint:ignore APIGW2O1 access-loging-missing because",
     Directive(frozenset(), None, (unknown("APIGW2O1"), unknown("access-loging-missing"), no_separator("because")))),
    ("tf-apigw-lint:ignore because dev", Directive(frozenset(), None, (f"suppression names no rule: {USAGE}",))),
    ("tf-apigw-lint:ignore", Directive(frozenset(), None, (f"suppression names no rule: {USAGE}",))),
    ("tf-apigw-lint:ignore -- why", Directive(frozenset(), None, (f"suppression names no rule: {USAGE}",))),
    ("tf-apigw-lint:disable APIGW104",
     Directive(frozenset(), None, (f"unknown directive 'tf-apigw-lint:disable': {USAGE}",))),
    ("tf-apigw-lint:ignore-all", Directive(frozenset(), None, (f"unknown directive 'tf-apigw-lint:ignore-all': {USAGE}",))),
    ("see tf-apigw-lint:ignore APIGW104", None),
    ("TODO: turn data trace off", None),
])
def test_directive_grammar(text, expected):
    assert parse_directive(text) == expected


SUPPRESSED = """\
resource "aws_api_gateway_account" "this" {
  cloudwatch_role_arn = "arn:aws:iam::123456789012:role/apigw-logs"
}

# Access logs go to Firehose, set up by the platform team.
# tf-apigw-lint:ignore access-logging-missing -- shipped by the platform team
// tf-apigw-lint:ignore APIGW105
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = "a1b2c3"
  deployment_id = "d1"
  stage_name    = "prod"
}

resource "aws_api_gateway_method_settings" "prod" {
  rest_api_id = "a1b2c3"
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"
  settings {
    logging_level      = "ERROR" // tf-apigw-lint:ignore APIGW102 -- errors only, by design
    data_trace_enabled = true    /* tf-apigw-lint:ignore APIGW104 */
  }
  depends_on = [aws_api_gateway_account.this]
}
"""


def test_comments_above_the_block_and_on_the_line_of_the_finding(lint_only):
    result = lint_only({"main.tf": SUPPRESSED})
    assert outcome(result) == [
        ("APIGW105", "aws_api_gateway_stage.prod", 8, True, None),
        ("APIGW201", "aws_api_gateway_stage.prod", 8, True, "shipped by the platform team"),
        ("APIGW102", "aws_api_gateway_method_settings.prod", 19, True, "errors only, by design"),
        ("APIGW104", "aws_api_gateway_method_settings.prod", 20, True, None),
    ]
    assert result.summary.suppressed == 4
    assert not result.fails("note")


NOT_SUPPRESSED = """\
# tf-apigw-lint:ignore APIGW201

resource "aws_api_gateway_stage" "a" {
  rest_api_id   = "a1b2c3"
  deployment_id = "d1"
  stage_name    = "a"
} # tf-apigw-lint:ignore APIGW201
resource "aws_api_gateway_stage" "b" {
  rest_api_id   = "a1b2c3" # tf-apigw-lint:ignore APIGW201
  deployment_id = "d1"
  stage_name    = "b"
}

# tf-apigw-lint:ignore APIGW104 -- another rule
resource "aws_api_gateway_stage" "c" {
  rest_api_id   = "a1b2c3"
  deployment_id = "d1"
  stage_name    = "c"
}

resource "aws_api_gateway_stage" "d" {
  rest_api_id   = "a1b2c3"
  # tf-apigw-lint:ignore APIGW201 -- inside the block, after its first lines
  deployment_id = "d1"
  stage_name    = "d"
}
"""


def test_comments_that_do_not_apply(lint_only):
    # a blank line before the block; a trailing comment on the previous block's last line;
    # a trailing comment on a later line of the finding; another rule; inside the block
    # after code
    result = lint_only({"main.tf": NOT_SUPPRESSED}, APIGW105=RuleSettings(enabled=False))
    assert outcome(result) == [
        ("APIGW201", "aws_api_gateway_stage.a", 3, False, None),
        ("APIGW201", "aws_api_gateway_stage.b", 8, False, None),
        ("APIGW201", "aws_api_gateway_stage.c", 15, False, None),
        ("APIGW201", "aws_api_gateway_stage.d", 21, False, None),
    ]
    assert result.summary.suppressed == 0


MODULE_STAGE = """\
variable "name" {
  type = string
}

resource "aws_api_gateway_stage" "this" { # tf-apigw-lint:ignore APIGW201 -- logs shipped elsewhere
  rest_api_id   = "a1b2c3"
  deployment_id = "d1"
  stage_name    = var.name
}
"""


def test_suppression_in_a_module_applies_to_every_instance(lint_only):
    root = 'module "api" {\n  source   = "./modules/api"\n  for_each = toset(["a", "b"])\n  name     = each.key\n}\n'
    result = lint_only({"main.tf": root, "modules/api/main.tf": MODULE_STAGE}, APIGW105=RuleSettings(enabled=False))
    assert outcome(result) == [
        ("APIGW201", 'module.api["a"].aws_api_gateway_stage.this', 5, True, "logs shipped elsewhere"),
        ("APIGW201", 'module.api["b"].aws_api_gateway_stage.this', 5, True, "logs shipped elsewhere"),
    ]
    assert [f.path for f in result.findings if f.rule_id == "APIGW201"] == ["modules/api/main.tf"]


def test_findings_outside_the_working_directory_are_matched_to_their_file(tf_tree, lint_only, monkeypatch):
    root = tf_tree({"infra/main.tf": SUPPRESSED, "elsewhere/README": ""})
    monkeypatch.chdir(root / "elsewhere")
    for path in ("../infra", str(root / "infra")):
        result = lint_only({}, path)
        assert [f.path for f in result.findings if f.rule_id == "APIGW104"] == [str(root / "infra" / "main.tf")]
        assert result.summary.suppressed == 4 and not result.fails("note")


BAD_COMMENTS = """\
# tf-apigw-lint:ignore APIGW201,APIGW2O1 -- typo in the second
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = "a1b2c3"
  deployment_id = "d1"
  stage_name    = "prod" // tf-apigw-lint:disable APIGW105
}

/* tf-apigw-lint:ignore
   -- nothing named */
"""


def tfl002(result):
    return [
        (f.severity, f.path, f.line, f.column, f.end_line, f.end_column, f.message)
        for f in result.findings
        if f.rule_id == "TFL002"
    ]


def test_unknown_suppressions_are_tfl002_at_the_comment(lint_only):
    result = lint_only({"main.tf": BAD_COMMENTS}, APIGW105=RuleSettings(enabled=False))
    assert tfl002(result) == [
        (Severity.WARNING, "main.tf", 1, 1, 1, 63, unknown("APIGW2O1")),
        (Severity.WARNING, "main.tf", 5, 26, 5, 59, f"unknown directive 'tf-apigw-lint:disable': {USAGE}"),
        (Severity.WARNING, "main.tf", 8, 1, 9, 23, f"suppression names no rule: {USAGE}"),
    ]
    # the rule it names correctly is still suppressed
    assert outcome(result, ("APIGW201",)) == [("APIGW201", "aws_api_gateway_stage.prod", 2, True, "typo in the second")]
    assert result.fails("warning") and not result.fails("error")


def test_tfl002_follows_its_rule_settings(lint_only):
    assert tfl002(lint_only({"main.tf": BAD_COMMENTS}, TFL002=RuleSettings(enabled=False))) == []
    raised = lint_only({}, TFL002=RuleSettings(severity=Severity.ERROR))
    assert [(severity, line) for severity, _, line, *_ in tfl002(raised)] == [
        (Severity.ERROR, 1), (Severity.ERROR, 5), (Severity.ERROR, 8)]


# ---------------------------------------------------------------------------
# End to end through main()
# ---------------------------------------------------------------------------


def test_suppressed_findings_in_json_and_exit_code(tf_tree, capsys):
    tf_tree({"main.tf": SUPPRESSED})
    assert main([".", "--format", "json", "--fail-on", "note", "--select", "APIGW102,APIGW104,APIGW105,APIGW201"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [(f["rule_id"], f["line"], f["severity"], f["suppressed"], f["suppression_reason"]) for f in report["findings"]] == [
        ("APIGW105", 8, "note", True, None),
        ("APIGW201", 8, "error", True, "shipped by the platform team"),
        ("APIGW102", 19, "warning", True, "errors only, by design"),
        ("APIGW104", 20, "warning", True, None),
    ]
    assert report["summary"] == {
        "files": 1, "modules": 1, "error": 0, "warning": 0, "note": 0, "suppressed": 4,
        "coverage": {"module_directories_analysed": 1, "module_directories_skipped": 0, "files_not_parsed": 0, "remote_modules_not_installed": 0, "module_directories_excluded": 0, "directories_not_readable": 0},
    }
    # without the comments the same findings fail the run
    tf_tree({"main.tf": SUPPRESSED.replace("tf-apigw-lint:", "note:")})
    assert main([".", "--format", "json", "--select", "APIGW102,APIGW104,APIGW105,APIGW201"]) == 1
    assert json.loads(capsys.readouterr().out)["summary"]["suppressed"] == 0


def test_suppressed_findings_in_sarif_and_text(tf_tree, capsys):
    tf_tree({"main.tf": SUPPRESSED})
    assert main([".", "--format", "sarif", "--select", "APIGW102,APIGW201"]) == 0
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    assert [(r["ruleId"], r["suppressions"]) for r in results] == [
        ("APIGW201", [{"kind": "inSource", "justification": "shipped by the platform team"}]),
        ("APIGW102", [{"kind": "inSource", "justification": "errors only, by design"}]),
    ]
    assert main([".", "--color", "never", "--select", "APIGW102,APIGW201"]) == 0
    assert capsys.readouterr().out.rstrip("\n").split("\n")[-1] == "No problems found (2 suppressed) in 1 file, 1 module."


def test_unknown_suppression_end_to_end(tf_tree, capsys):
    tf_tree({"main.tf": BAD_COMMENTS})
    assert main([".", "--format", "json", "--select", "APIGW201,TFL002"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [(f["rule_id"], f["severity"], f["line"], f["column"], f["suppressed"]) for f in report["findings"]] == [
        ("TFL002", "warning", 1, 1, False),
        ("APIGW201", "error", 2, 1, True),
        ("TFL002", "warning", 5, 26, False),
        ("TFL002", "warning", 8, 1, False),
    ]
    assert main([".", "--select", "APIGW201,TFL002", "--fail-on", "warning"]) == 1
    capsys.readouterr()
    assert main([".", "--select", "APIGW201", "--fail-on", "warning"]) == 0


INSIDE_THE_BLOCK = """\
resource "aws_api_gateway_stage" "first_line" { # tf-apigw-lint:ignore APIGW201 -- on the first line
  rest_api_id   = "a1b2c3"
  deployment_id = "d1"
  stage_name    = "first_line"
}

resource "aws_api_gateway_stage" "first_lines" {
  # Access logs go through Firehose, set up by the platform team.
  /* more words */ # tf-apigw-lint:ignore APIGW201 -- first lines inside
  rest_api_id   = "a1b2c3"
  deployment_id = "d1"
  stage_name    = "first_lines"
}

resource "aws_api_gateway_method_settings" "dev" {
  // tf-apigw-lint:ignore APIGW104 -- dev only, no real data
  rest_api_id = "a1b2c3"
  stage_name  = aws_api_gateway_stage.first_line.stage_name
  method_path = "*/*"
  settings {
    logging_level      = "INFO"
    data_trace_enabled = true
  }
}

resource "aws_api_gateway_stage" "after_a_blank_line" {

  # tf-apigw-lint:ignore APIGW201 -- not among the first lines
  rest_api_id   = "a1b2c3"
  deployment_id = "d1"
  stage_name    = "after_a_blank_line"
}
"""


def test_comments_on_the_first_line_and_the_first_lines_inside_the_block(lint_only):
    # A comment that leads the block covers findings anywhere in it (APIGW104 is at the
    # nested `data_trace_enabled`, six lines below the comment).
    result = lint_only({"main.tf": INSIDE_THE_BLOCK}, APIGW105=RuleSettings(enabled=False))
    assert outcome(result) == [
        ("APIGW201", "aws_api_gateway_stage.first_line", 1, True, "on the first line"),
        ("APIGW201", "aws_api_gateway_stage.first_lines", 7, True, "first lines inside"),
        ("APIGW104", "aws_api_gateway_method_settings.dev", 22, True, "dev only, no real data"),
        ("APIGW201", "aws_api_gateway_stage.after_a_blank_line", 26, False, None),
    ]


def test_a_reason_without_separator_is_one_tfl002_and_the_rule_is_still_suppressed(lint_only):
    stage = 'resource "aws_api_gateway_stage" "prod" {\n  rest_api_id   = "a1b2c3"\n  deployment_id = "d1"\n  stage_name    = "prod"\n}\n'
    result = lint_only({"main.tf": "# tf-apigw-lint:ignore APIGW201 logs are shipped by the platform team\n" + stage},
                       APIGW105=RuleSettings(enabled=False))
    assert tfl002(result) == [
        (Severity.WARNING, "main.tf", 1, 1, 1, 70, no_separator("logs are shipped by the platform team")),
    ]
    assert outcome(result, ("APIGW201",)) == [("APIGW201", "aws_api_gateway_stage.prod", 2, True, None)]
