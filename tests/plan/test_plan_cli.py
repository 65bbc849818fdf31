"""`tf-apigw-lint check --plan FILE [PATH]` through `main(argv)`: exit codes, JSON output,
and one-line errors for plans that cannot be used."""

from __future__ import annotations

import json

import pytest
from plan_fixtures import SOURCES, plan_document, write_plan

from tf_apigw_lint.cli import main


@pytest.fixture
def workdir(tf_tree):
    return tf_tree({f"cfg/{name}": text for name, text in SOURCES.items()})


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def findings(out, rule_id):
    return sorted((f["rule_id"], f["address"], f["path"], f["line"], f["end_line"]) for f in json.loads(out)["findings"] if f["rule_id"] == rule_id)


def test_plan_findings_as_json_with_and_without_path(workdir, capsys):
    write_plan(workdir, plan_document())
    code, out, err = run(capsys, "check", "--plan", "plan.json", "--format", "json")
    assert (code, err) == (1, "")
    assert findings(out, "APIGW201") == [("APIGW201", "aws_api_gateway_stage.dev", "plan.json", 1, 1)]
    code, out, _ = run(capsys, "check", "--plan", "plan.json", "cfg", "--format", "json")
    assert code == 1
    assert findings(out, "APIGW201") == [("APIGW201", "aws_api_gateway_stage.dev", "cfg/main.tf", 46, 50)]
    summary = json.loads(out)["summary"]
    assert (summary["files"], summary["modules"]) == (3, 3)  # the plan and two .tf files; root + 2 module instances


def test_exit_code_follows_fail_on(workdir, capsys):
    write_plan(workdir, plan_document())
    # APIGW102 is a warning: below the default --fail-on error.
    assert run(capsys, "check", "--plan", "plan.json", "--select", "APIGW102", "--format", "json")[0] == 0
    assert run(capsys, "check", "--plan", "plan.json", "--select", "APIGW102", "--fail-on", "warning", "--format", "json")[0] == 1


def test_plan_with_no_resources_is_clean(workdir, capsys):
    document = {"format_version": "1.2", "planned_values": {"root_module": {}}, "configuration": {"root_module": {}}}
    write_plan(workdir, document)
    code, out, err = run(capsys, "check", "--plan", "plan.json", "--format", "json")
    assert (code, json.loads(out)["findings"], err) == (0, [], "")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"format_version": "1.2",\n  "planned_values": {,}}', "plan.json:2:22: invalid JSON: Expecting property name enclosed in double quotes"),
        ("[1, 2]", "plan.json: not a Terraform plan (no planned_values object); expected the output of `terraform show -json PLANFILE`"),
        ('{"format_version": "1.0", "values": {"root_module": {}}}', "plan.json: Terraform state, not a plan; expected the output of `terraform show -json PLANFILE`"),
        ('{"format_version": "2.0", "planned_values": {}}', "plan.json: unsupported plan format_version '2.0' (expected 1.x)"),
        ('{"format_version": "1.2", "planned_values": {"root_module": {"resources": {}}}}', "plan.json: invalid plan: planned_values.root_module.resources is not a list of objects"),
        (
            '{"format_version": "1.2", "planned_values": {"root_module": {"resources": [{"address": "x.y", "type": "x", "name": 3}]}}}',
            "plan.json: invalid plan: planned_values.root_module.resources[0].name is not a string",
        ),
        (b"PK\x03\x04binary", "plan.json: binary plan file; give the output of `terraform show -json plan.json` instead"),
        (b"\xff\xfe{}", "plan.json: not UTF-8 text (byte 0)"),
        ('{"format_version": "1.2", "planned_values": {"x": ' + "9" * 5000 + "}}",
         "plan.json: invalid plan: Exceeds the limit (4300 digits) for integer string conversion: value has 5000 digits"),
    ],
    ids=["malformed", "not-an-object", "state", "version", "shape", "field-type", "binary", "encoding", "long-number"],
)
def test_unusable_plan_is_a_usage_error(workdir, capsys, content, message):
    path = workdir / "plan.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    code, out, err = run(capsys, "check", "--plan", "plan.json", "--format", "json")
    assert (code, out, err) == (2, "", f"tf-apigw-lint: {message}\n")


def test_a_lone_surrogate_in_an_instance_key_is_escaped_in_every_format(workdir, capsys):
    """JSON may spell one (\\ud800); no format may fail on it, SARIF's fingerprints included."""
    stage = {"address": 'aws_api_gateway_stage.s["\ud800"]', "mode": "managed", "type": "aws_api_gateway_stage",
             "name": "s", "index": "\ud800", "provider_name": "registry.terraform.io/hashicorp/aws",
             "values": {"deployment_id": "d", "stage_name": "x"}}
    document = {"format_version": "1.2", "planned_values": {"root_module": {"resources": [stage]}}}
    (workdir / "plan.json").write_text(json.dumps(document))  # ensure_ascii: the surrogate as \\ud800
    for fmt in ("json", "sarif", "text", "github", "junit"):
        code, out, err = run(capsys, "check", "--plan", "plan.json", "--format", fmt)
        assert (code, err, "\ud800" in out) == (1, "", False), fmt
        if fmt in ("json", "sarif"):  # they name the address: the surrogate as JSON escapes it
            assert '\\ud800' in out, fmt


def test_missing_plan_and_missing_path(workdir, capsys):
    assert run(capsys, "check", "--plan", "nope.json")[::2] == (2, "tf-apigw-lint: nope.json: No such file or directory\n")
    write_plan(workdir, plan_document())
    assert run(capsys, "check", "--plan", "plan.json", "nowhere")[::2] == (2, "tf-apigw-lint: nowhere: no such file or directory\n")


def test_plan_option_usage_errors(workdir, capsys):
    write_plan(workdir, plan_document())
    code, _, err = run(capsys, "check", "--plan", "plan.json", "cfg", "cfg/modules")
    assert (code, err) == (2, "tf-apigw-lint: --plan takes at most one PATH: the configuration directory the plan was made from\n")
    code, _, err = run(capsys, "check", "--plan", "plan.json", "--var", "region=x")
    assert (code, err) == (2, "tf-apigw-lint: --var and --var-file have no effect with --plan: the plan holds the variable values\n")


def test_path_without_terraform_files_is_said(workdir, capsys):
    write_plan(workdir, plan_document())
    (workdir / "empty").mkdir()
    code, out, err = run(capsys, "check", "--plan", "plan.json", "empty", "--format", "json")
    assert code == 1
    assert err == "tf-apigw-lint: no Terraform files found in empty: findings point at the plan\n"
    assert findings(out, "APIGW201") == [("APIGW201", "aws_api_gateway_stage.dev", "plan.json", 1, 1)]
