"""`tf-apigw-lint external`, run the way Terraform's external data source runs it: a program
in the root module directory, the query as a JSON object of strings on stdin."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from integration_samples import ACCOUNT_TF, api_tf, stage_range

CONSOLE_SCRIPT = shutil.which("tf-apigw-lint", path=os.path.dirname(sys.executable)) or shutil.which("tf-apigw-lint")
PROGRAMS = {
    "module": [sys.executable, "-m", "tf_apigw_lint", "external"],
    "console-script": [CONSOLE_SCRIPT, "external"],
}


def run_program(query, cwd, program="module") -> subprocess.CompletedProcess:
    if program == "console-script" and CONSOLE_SCRIPT is None:
        pytest.fail("the tf-apigw-lint console script is not installed next to this Python")
    stdin = query if isinstance(query, str) else json.dumps(query)
    return subprocess.run(PROGRAMS[program], input=stdin, cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture
def infra(tmp_path):
    """A root module `infra/` whose one stage lacks access logging, and a clean `good/`."""
    for name, files in {
        "infra": {"account.tf": ACCOUNT_TF, "api.tf": api_tf(access_logs=False)},
        "good": {"account.tf": ACCOUNT_TF, "api.tf": api_tf(access_logs=True)},
    }.items():
        (tmp_path / name).mkdir()
        for file_name, text in files.items():
            (tmp_path / name / file_name).write_text(text)
    return tmp_path


FINDING_LINE = (
    "{path}:{line}:1: error APIGW201 access-logging-missing stage has no access_log_settings: "
    "client errors such as 403 Missing Authentication Token are logged nowhere\n"
)


@pytest.mark.parametrize("program", PROGRAMS)
def test_clean_configuration_answers_a_flat_object_of_strings(infra, program):
    # Terraform runs the program in the root module directory: "." is path.module there.
    completed = run_program({"path": "."}, cwd=infra / "good", program=program)
    assert (completed.returncode, completed.stderr) == (0, "")
    assert json.loads(completed.stdout) == {
        "errors": "0",
        "warnings": "0",
        "notes": "0",
        "report": "No problems found in 2 files, 1 module.\n",
    }


@pytest.mark.parametrize("program", PROGRAMS)
def test_findings_at_fail_on_exit_1_with_the_report_on_stderr(infra, program):
    completed = run_program({"path": "infra"}, cwd=infra, program=program)
    first, _ = stage_range(api_tf(access_logs=False))
    assert completed.returncode == 1
    assert completed.stdout == ""
    assert completed.stderr.startswith(FINDING_LINE.format(path="infra/api.tf", line=first))
    assert completed.stderr.endswith("\n1 error in 2 files, 1 module\n")
    assert "\033[" not in completed.stderr


def test_findings_below_fail_on_are_counted_in_the_answer(infra):
    completed = run_program({"path": "infra", "fail_on": "never", "config": ""}, cwd=infra)
    first, _ = stage_range(api_tf(access_logs=False))
    assert (completed.returncode, completed.stderr) == (0, "")
    answer = json.loads(completed.stdout)
    assert answer == {
        "errors": "1",
        "warnings": "0",
        "notes": "0",
        "report": answer["report"],
    }
    assert answer["report"].startswith(FINDING_LINE.format(path="infra/api.tf", line=first))
    assert answer["report"].endswith("\n1 error in 2 files, 1 module\n")


def test_absolute_path_and_null_optional_values(infra):
    completed = run_program({"path": str(infra / "good"), "fail_on": None, "config": None}, cwd="/")
    assert (completed.returncode, completed.stderr) == (0, "")
    assert json.loads(completed.stdout)["errors"] == "0"


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        ("", "the query on stdin is not JSON: Expecting value: line 1 column 1 (char 0)"),
        ("{path: .}", "the query on stdin is not JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
        ('["."]', "the query on stdin must be a JSON object, not an array"),
        ('"."', "the query on stdin must be a JSON object, not a string"),
        ('{"path": ".", "fail_on": 1}', "query value 'fail_on' must be a string, not a number"),
        ('{"path": ["."]}', "query value 'path' must be a string, not an array"),
        ('{"path": ".", "strict": true}', "query value 'strict' must be a string, not a boolean"),
        ("{}", "the query has no 'path' (the directory to lint, e.g. path.module)"),
        ('{"path": ""}', "the query has no 'path' (the directory to lint, e.g. path.module)"),
        ('{"path": ".", "fail_on": "sometimes"}', "query value 'fail_on' is 'sometimes' (expected one of: error, warning, note, never)"),
        ('{"path": ".", "failon": "error"}', "unknown query key(s) 'failon' (expected: path, fail_on, config)"),
        ('{"path": "missing"}', "missing: no such file or directory"),
        ("[" * 100_000 + "]" * 100_000, "the query on stdin is not a JSON object of strings (nested too deeply)"),
    ],
    ids=lambda value: value[:40] if isinstance(value, str) else value,
)
def test_bad_query_is_one_line_on_stderr_and_exit_1(infra, stdin, message):
    completed = run_program(stdin, cwd=infra)
    assert (completed.returncode, completed.stdout) == (1, "")
    assert completed.stderr == f"tf-apigw-lint: external: {message}\n"


def test_config_from_the_query(infra):
    (infra / "lint.toml").write_text('ignore = ["APIGW201"]\n')
    completed = run_program({"path": "infra", "config": "lint.toml"}, cwd=infra)
    assert (completed.returncode, completed.stderr) == (0, "")
    assert json.loads(completed.stdout) == {
        "errors": "0",
        "warnings": "0",
        "notes": "0",
        "report": "No problems found in 2 files, 1 module.\n",
    }


def test_config_whose_name_starts_with_a_dash(infra):
    (infra / "-lint.toml").write_text('ignore = ["APIGW201"]\n')
    completed = run_program({"path": "infra", "config": "-lint.toml"}, cwd=infra)
    assert (completed.returncode, completed.stderr) == (0, "")
    assert json.loads(completed.stdout)["errors"] == "0"


def test_fail_on_of_the_configuration_found_upward_applies_unless_the_query_sets_one(infra):
    (infra / ".tf-apigw-lint.toml").write_text('fail_on = "never"\n')
    from_file = run_program({"path": "infra"}, cwd=infra)
    assert (from_file.returncode, from_file.stderr, json.loads(from_file.stdout)["errors"]) == (0, "", "1")
    from_query = run_program({"path": "infra", "fail_on": "error"}, cwd=infra)
    assert (from_query.returncode, from_query.stdout) == (1, "")


def test_bad_config_is_one_line_on_stderr_and_exit_1(infra):
    (infra / "lint.toml").write_text('fail_on = "sometimes"\n')
    completed = run_program({"path": "infra", "config": "lint.toml"}, cwd=infra)
    assert (completed.returncode, completed.stdout) == (1, "")
    assert completed.stderr.startswith("tf-apigw-lint: external: lint.toml: fail_on: expected one of")
    assert completed.stderr.count("\n") == 1
