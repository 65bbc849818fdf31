"""Baselines (issue 11): --write-baseline records today's findings, --baseline reports only new
ones, matched by rule, path, address and a normalised message hash."""

from __future__ import annotations

import json

import pytest

from tf_apigw_lint.baseline import Baseline
from tf_apigw_lint.cli import main
from tf_apigw_lint.findings import message_hash
from tf_apigw_lint.model.build import BuildOptions
from tf_apigw_lint.runner import CheckOptions, run_check

STAGE = """\
resource "aws_api_gateway_stage" "{name}" {{
  rest_api_id   = "a"
  deployment_id = "d"
  stage_name    = "{name}"
}}
"""
LEGACY = {"main.tf": STAGE.format(name="legacy")}
ONLY = ["--select", "APIGW201"]


def json_report(capsys, *argv):
    code = main([*argv, "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    found = [(f["rule_id"], f["address"], f["path"], f["line"], f["end_line"]) for f in report["findings"]]
    return code, found, report["summary"]


@pytest.fixture
def legacy(tf_tree, capsys):
    """A repository with one old finding, recorded in baseline.json."""
    root = tf_tree(LEGACY)
    assert main([".", *ONLY, "--write-baseline", "baseline.json"]) == 0
    captured = capsys.readouterr()
    assert captured.err == (
        "tf-apigw-lint: recorded 1 findings in baseline.json; use --baseline baseline.json to report only new ones\n"
    )
    assert captured.out.startswith("main.tf:1:1: error APIGW201")  # the report shows what was recorded
    return root


def test_written_baseline_is_sorted_reviewable_json(legacy):
    assert json.loads((legacy / "baseline.json").read_text()) == {
        "version": 1,
        "tool": "tf-apigw-lint",
        "about": "Findings recorded by tf-apigw-lint --write-baseline. With --baseline this file, only findings "
                 "not listed here are reported. Regenerate it to drop entries that were fixed.",
        "findings": [{
            "rule_id": "APIGW201",
            "path": "main.tf",
            "address": "aws_api_gateway_stage.legacy",
            "message_hash": message_hash(
                "stage has no access_log_settings: client errors such as 403 Missing Authentication Token are logged nowhere"),
            "message": "stage has no access_log_settings: client errors such as 403 Missing Authentication Token "
                       "are logged nowhere",
        }],
    }


def test_writing_again_gives_the_same_bytes(legacy, capsys):
    first = (legacy / "baseline.json").read_bytes()
    (legacy / "other.tf").write_text(STAGE.format(name="b") + STAGE.format(name="a"))
    assert main([".", *ONLY, "--write-baseline", "baseline.json"]) == 0
    second = json.loads((legacy / "baseline.json").read_text())
    assert [entry["address"] for entry in second["findings"]] == [
        "aws_api_gateway_stage.legacy", "aws_api_gateway_stage.a", "aws_api_gateway_stage.b",
    ]  # sorted by path, rule, address
    (legacy / "other.tf").unlink()
    assert main([".", *ONLY, "--write-baseline", "baseline.json"]) == 0
    assert (legacy / "baseline.json").read_bytes() == first


@pytest.mark.parametrize("edit, expected", [
    ("nothing", []),
    ("lines moved", []),
    ("unrelated edit", []),
    ("new resource", [("APIGW201", "aws_api_gateway_stage.fresh", "main.tf", 7, 11)]),
    ("renamed resource", [("APIGW201", "aws_api_gateway_stage.renamed", "main.tf", 1, 5)]),
    ("moved to another file", [("APIGW201", "aws_api_gateway_stage.legacy", "api.tf", 1, 5)]),
])
def test_only_new_findings_are_reported(legacy, capsys, edit, expected):
    main_tf = legacy / "main.tf"
    old = main_tf.read_text()
    if edit == "lines moved":
        main_tf.write_text("# a comment\n\n\n" + old)
    elif edit == "unrelated edit":
        main_tf.write_text(old.replace('"d"', '"d2"') + 'variable "x" {\n  default = 1\n}\n')
    elif edit == "new resource":
        main_tf.write_text(old + "\n" + STAGE.format(name="fresh"))
    elif edit == "renamed resource":
        main_tf.write_text(STAGE.format(name="renamed"))
    elif edit == "moved to another file":
        main_tf.unlink()
        (legacy / "api.tf").write_text(old)

    code, found, summary = json_report(capsys, ".", *ONLY, "--baseline", "baseline.json")

    assert found == expected
    assert code == (1 if expected else 0)
    assert summary["baselined"] == (0 if edit in ("renamed resource", "moved to another file") else 1)


def test_summary_says_how_many_the_baseline_holds_back(legacy, capsys):
    assert main([".", *ONLY, "--baseline", "baseline.json", "--color", "never"]) == 0
    assert capsys.readouterr().out == "No problems found (1 in the baseline) in 1 file, 1 module.\n"
    code, _, summary = json_report(capsys, ".", *ONLY)
    assert "baselined" not in summary  # only a run with a baseline has the key


def test_a_new_caller_of_a_known_mistake_is_new(tf_tree, capsys):
    module = {"modules/api/main.tf": STAGE.format(name="shared")}
    call = 'module "api" {\n  source = "../../modules/api"\n}\n'
    tf_tree({**module, "envs/prod/main.tf": call})
    assert main([".", *ONLY, "--write-baseline", "baseline.json"]) == 0
    tf_tree({"envs/dev/main.tf": call.replace('"api"', '"api_dev"')})
    capsys.readouterr()

    code, found, summary = json_report(capsys, ".", *ONLY, "--baseline", "baseline.json")

    assert found == [("APIGW201", "module.api_dev.aws_api_gateway_stage.shared", "modules/api/main.tf", 1, 5)]
    assert (code, summary["error"], summary["baselined"]) == (1, 1, 1)


def test_numbers_in_messages_do_not_make_a_finding_new():
    assert message_hash("declared at main.tf:12, 3 times") == message_hash("declared at main.tf:40,  17 times")
    assert message_hash('stage "prod" has no logs') != message_hash('stage "dev" has no logs')
    assert message_hash("arn:aws:iam::123456789012:role/x") == message_hash("arn:aws:iam::210987654321:role/x")
    # Digits inside a word are part of a name: stage v1 is not stage v2.
    assert message_hash('no stage named "v1"') != message_hash('no stage named "v2"')


def test_a_file_that_cannot_be_parsed_is_never_recorded_nor_hidden(tf_tree, capsys):
    """A baseline hides old mistakes, not what was not analysed."""
    tf_tree({"main.tf": STAGE.format(name="x"), "broken.tf": 'resource "aws_api_gateway_stage" "y" {\n'})
    assert main([".", *ONLY, "--write-baseline", "baseline.json"]) == 1
    assert capsys.readouterr().err == (
        "tf-apigw-lint: recorded 1 findings in baseline.json; use --baseline baseline.json to report only new ones; "
        "not recorded: 1 TFL001/TFL004 finding (a file that cannot be parsed, or a rule that crashed, fails every run "
        "until fixed or excluded)\n")
    assert [entry["rule_id"] for entry in json.loads(open("baseline.json").read())["findings"]] == ["APIGW201"]
    document = json.loads(open("baseline.json").read())  # as if written by hand, or by an older version
    document["findings"].append({"rule_id": "TFL001", "path": "broken.tf", "address": None,
                                 "message_hash": "0" * 16, "message": "unexpected end of file"})
    open("baseline.json", "w").write(json.dumps(document))
    capsys.readouterr()
    code, found, summary = json_report(capsys, ".", *ONLY, "--baseline", "baseline.json")
    assert (code, [f[:3] for f in found], summary["baselined"]) == (1, [("TFL001", None, "broken.tf")], 1)


def test_paths_are_relative_to_the_baseline_file(legacy, capsys, monkeypatch):
    (legacy / "sub").mkdir()
    monkeypatch.chdir(legacy / "sub")
    code, found, summary = json_report(capsys, "..", *ONLY, "--baseline", "../baseline.json")
    assert (code, found, summary["baselined"]) == (0, [], 1)


def test_suppressed_findings_are_not_recorded(tf_tree, capsys):
    tf_tree({"main.tf": "# tf-apigw-lint:ignore APIGW201 -- shipped by Firehose\n" + STAGE.format(name="x")})
    assert main([".", *ONLY, "--write-baseline", "baseline.json"]) == 0
    assert json.loads(open("baseline.json").read())["findings"] == []
    capsys.readouterr()
    code, found, summary = json_report(capsys, ".", *ONLY, "--baseline", "baseline.json")
    assert (code, found, summary["suppressed"], summary["baselined"]) == (
        0, [("APIGW201", "aws_api_gateway_stage.x", "main.tf", 2, 6)], 1, 0)


def test_pre_commit_reports_only_new_findings(legacy, capsys):
    assert main(["pre-commit", *ONLY, "--baseline", "baseline.json", "main.tf"]) == 0
    (legacy / "main.tf").write_text(STAGE.format(name="legacy") + STAGE.format(name="fresh"))
    capsys.readouterr()
    code, found, _ = json_report(capsys, "pre-commit", *ONLY, "--baseline", "baseline.json", "main.tf")
    assert (code, found) == (1, [("APIGW201", "aws_api_gateway_stage.fresh", "main.tf", 6, 10)])


def test_pre_commit_cannot_write_a_baseline(legacy, capsys):
    """The hook sees only the roots of the changed files: a baseline written there would be partial."""
    assert main(["pre-commit", "--write-baseline", "b.json", "main.tf"]) == 2
    assert capsys.readouterr().err == (
        "tf-apigw-lint: --write-baseline: not with pre-commit, which sees only the roots of the changed files; "
        "run `tf-apigw-lint check --write-baseline b.json` on the whole repository\n"
    )


def test_run_check_takes_a_baseline(legacy):
    baseline = Baseline.load("baseline.json")
    result = run_check(["."], CheckOptions(build=BuildOptions(), baseline=baseline))
    assert [(f.rule_id, f.address) for f in result.findings if f.rule_id == "APIGW201"] == []
    assert result.summary.baselined == 1


@pytest.mark.parametrize("content, message", [
    (None, "--baseline baseline.json: no such file (create it with --write-baseline baseline.json)"),
    (b"{not json", "--baseline baseline.json: not valid JSON (line 1, column 2: Expecting property name enclosed in double quotes)"),
    (b"\xff\xfe", "--baseline baseline.json: not a tf-apigw-lint baseline (not UTF-8 text)"),
    (b"[]", "--baseline baseline.json: not a tf-apigw-lint baseline (expected a JSON object)"),
    (b'{"version": 2, "findings": []}', "--baseline baseline.json: not a tf-apigw-lint baseline (version 2, expected 1)"),
    (b'{"version": 1}', "--baseline baseline.json: not a tf-apigw-lint baseline ('findings' is not a list)"),
    (b"[" * 100_000 + b"]" * 100_000, "--baseline baseline.json: not a tf-apigw-lint baseline (nested too deeply)"),
    (b'{"version": 1, "findings": [1]}', "--baseline baseline.json: not a tf-apigw-lint baseline (findings[0] is not an object)"),
    (b'{"version": 1, "findings": [{"rule_id": "APIGW201", "path": "main.tf", "address": null, "message": "m"}]}',
     "--baseline baseline.json: not a tf-apigw-lint baseline (findings[0].message_hash is missing or not a string)"),
])
def test_bad_baseline_is_one_line_naming_the_file(tf_tree, capsys, content, message):
    root = tf_tree(LEGACY)
    if content is not None:
        (root / "baseline.json").write_bytes(content)
    for command in ([".", "--baseline", "baseline.json"], ["pre-commit", "--baseline", "baseline.json", "main.tf"]):
        assert main(command) == 2
        assert capsys.readouterr() == ("", f"tf-apigw-lint: {message}\n")


def test_baseline_that_is_a_directory(tf_tree, capsys):
    (tf_tree(LEGACY) / "baseline.json").mkdir()
    assert main([".", "--baseline", "baseline.json"]) == 2
    assert capsys.readouterr().err == "tf-apigw-lint: --baseline baseline.json: Is a directory\n"


def test_unwritable_baseline_is_one_line(tf_tree, capsys):
    tf_tree(LEGACY)
    assert main([".", "--write-baseline", "no/such/dir/baseline.json"]) == 2
    assert capsys.readouterr().err == "tf-apigw-lint: --write-baseline no/such/dir/baseline.json: No such file or directory\n"


def test_baseline_file_shows_invisible_characters_as_escapes(tf_tree, capsys):
    tf_tree({"main.tf": STAGE.format(name="legacy").replace('= "legacy"', '= "prüfung\\u202e"')})
    assert main([".", "--select", "APIGW101", "--write-baseline", "baseline.json"]) == 0
    text = open("baseline.json", encoding="utf-8").read()
    assert "\u202e" not in text and 'stage \\"prüfung\\u202e\\" is OFF' in text
    capsys.readouterr()
    code, found, summary = json_report(capsys, ".", "--select", "APIGW101", "--baseline", "baseline.json")
    assert (code, found, summary["baselined"]) == (0, [], 1)
