"""The composite GitHub Action: action.yml wires its inputs to hooks/github-action.sh, which
runs here for real against the bundled example, as the action's lint step would."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "hooks" / "github-action.sh"


def lint_step(tmp_path, **inputs: str) -> tuple[subprocess.CompletedProcess, dict[str, str]]:
    """Run the lint step in the repository with INPUT_* set as action.yml sets them; the
    step's outputs as GitHub would read them from GITHUB_OUTPUT."""
    outputs = tmp_path / "github-output"
    outputs.write_text("")
    environ = {
        key: value for key, value in os.environ.items() if not key.startswith(("INPUT_", "GITHUB_", "NO_COLOR", "FORCE_COLOR"))
    }
    environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{environ.get('PATH', '')}"  # the installed console script
    environ["GITHUB_OUTPUT"] = str(outputs)
    environ.update({f"INPUT_{name.upper()}": value for name, value in inputs.items()})
    completed = subprocess.run([str(SCRIPT)], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120)
    return completed, dict(line.split("=", 1) for line in outputs.read_text().splitlines())


def test_sarif_report_for_the_upload_step_and_the_exit_code_for_the_last(tmp_path):
    report = tmp_path / "results.sarif"
    completed, outputs = lint_step(tmp_path, path="examples", format="sarif", output=str(report),
                                   args="--fail-on warning --select APIGW108,APIGW102")
    assert completed.returncode == 0, completed.stderr  # findings must not stop the upload
    assert outputs == {"exit-code": "1", "report": str(report)}
    (run,) = json.loads(report.read_text())["runs"]
    located = sorted((r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                      r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in run["results"])
    assert located == [
        ("APIGW102", "examples/modules/rest-api/main.tf", 41),
        ("APIGW108", "examples/envs/prod/legacy.tf", 31),
    ]


def test_clean_run_and_annotations_in_the_log(tmp_path):
    completed, outputs = lint_step(tmp_path, path="examples", format="github", args="--select APIGW108")
    assert completed.returncode == 0, completed.stderr
    assert outputs == {"exit-code": "1", "report": ""}
    assert completed.stdout.splitlines()[0].startswith(
        "::error file=examples/envs/prod/legacy.tf,line=31,endLine=31,col=3,endColumn=30,title=APIGW108 method-path-invalid::")
    completed, outputs = lint_step(tmp_path, path="examples", format="json", output=str(tmp_path / "r.json"),
                                   args="--select APIGW108 --fail-on never")
    assert outputs == {"exit-code": "0", "report": str(tmp_path / "r.json")}


def test_a_failed_run_stops_the_action_with_its_one_line_error(tmp_path):
    completed, outputs = lint_step(tmp_path, path="no-such-dir")
    assert completed.returncode == 2
    assert completed.stderr == "tf-apigw-lint: no-such-dir: no such file or directory\n"
    assert outputs == {}


def test_action_yml_runs_the_script_and_uploads_sarif():
    yaml = pytest.importorskip("yaml", reason="PyYAML comes with pre-commit (pip install -e '.[test]')")
    text = (ROOT / "action.yml").read_text()
    action = yaml.safe_load(text)
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    assert steps[0]["uses"].startswith("actions/setup-python@")
    assert 'pip install' in steps[1]["run"] and '"$GITHUB_ACTION_PATH"' in steps[1]["run"]
    lint = next(step for step in steps if step.get("id") == "lint")
    assert lint["run"] == '"$GITHUB_ACTION_PATH/hooks/github-action.sh"'
    assert set(lint["env"]) == {"INPUT_PATH", "INPUT_ARGS", "INPUT_FORMAT", "INPUT_OUTPUT"}
    upload = next(step for step in steps if str(step.get("uses", "")).startswith("github/codeql-action/upload-sarif@"))
    assert "inputs.upload-sarif == 'true'" in upload["if"] and "always()" in upload["if"]
    assert upload["with"]["sarif_file"] == "${{ steps.lint.outputs.report }}"
    # every input the steps use is declared, and every declared input is used
    used = set(re.findall(r"inputs\.([a-z-]+)", text))
    assert used == set(action["inputs"]) == {"path", "args", "format", "output", "upload-sarif", "category", "python-version"}
    assert os.access(SCRIPT, os.X_OK)
