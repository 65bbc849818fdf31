"""hooks/pre-commit, the plain git hook, installed in a temporary repository and run by a real
`git commit`."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from integration_samples import ACCOUNT_TF, api_tf, clean_git_environment, stage_range

HOOK = Path(__file__).resolve().parents[2] / "hooks" / "pre-commit"
TOOL_DIRECTORY = os.path.dirname(shutil.which("tf-apigw-lint", path=os.path.dirname(sys.executable)) or sys.executable)
GIT = shutil.which("git")


def git(repository: Path, *args: str, path: str) -> subprocess.CompletedProcess:
    environ = clean_git_environment(PATH=path, TF_APIGW_LINT_ARGS="--select APIGW201")
    return subprocess.run(["git", *args], cwd=repository, env=environ, capture_output=True, text=True, timeout=120)


@pytest.fixture
def repository(tmp_path):
    if shutil.which("tf-apigw-lint", path=TOOL_DIRECTORY) is None:
        pytest.fail(f"tf-apigw-lint is not installed in {TOOL_DIRECTORY}")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, env=clean_git_environment())
    installed = tmp_path / ".git" / "hooks" / "pre-commit"
    shutil.copyfile(HOOK, installed)
    installed.chmod(installed.stat().st_mode | stat.S_IXUSR)
    (tmp_path / "envs" / "prod").mkdir(parents=True)
    (tmp_path / "envs" / "prod" / "account.tf").write_text(ACCOUNT_TF)
    return tmp_path


WITH_TOOL = os.pathsep.join([TOOL_DIRECTORY, os.environ.get("PATH", os.defpath)])


def test_staged_bad_file_is_rejected_and_the_fix_commits(repository):
    api = repository / "envs" / "prod" / "api.tf"
    api.write_text(api_tf(access_logs=False))
    git(repository, "add", ".", path=WITH_TOOL)
    rejected = git(repository, "commit", "-q", "-m", "bad stage", path=WITH_TOOL)
    first, _ = stage_range(api_tf(access_logs=False))
    assert rejected.returncode == 1
    # git shows a hook's stdout on its own stderr.
    assert f"envs/prod/api.tf:{first}:1: error APIGW201 access-logging-missing" in rejected.stderr
    assert git(repository, "rev-list", "--all", path=WITH_TOOL).stdout == ""  # nothing committed

    api.write_text(api_tf(access_logs=True))
    git(repository, "add", ".", path=WITH_TOOL)
    accepted = git(repository, "commit", "-q", "-m", "stage with access logs", path=WITH_TOOL)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr


def test_commit_without_terraform_files_does_not_run_the_tool(repository):
    (repository / "envs" / "prod" / "api.tf").write_text(api_tf(access_logs=False))
    (repository / "NOTES.md").write_text("notes\n")
    git(repository, "add", "NOTES.md", path=WITH_TOOL)
    committed = git(repository, "commit", "-q", "-m", "notes only", path=WITH_TOOL)
    assert (committed.returncode, committed.stdout, committed.stderr) == (0, "", "")


def test_missing_tool_says_how_to_install_it(repository):
    if shutil.which("tf-apigw-lint", path=os.path.dirname(GIT)) is not None:
        pytest.skip(f"tf-apigw-lint is installed next to git in {os.path.dirname(GIT)}")
    (repository / "envs" / "prod" / "api.tf").write_text(api_tf(access_logs=True))
    without_tool = os.pathsep.join([os.path.dirname(GIT), "/bin", "/usr/bin"])
    git(repository, "add", ".", path=without_tool)
    rejected = git(repository, "commit", "-q", "-m", "no tool", path=without_tool)
    assert rejected.returncode == 1
    assert rejected.stderr.startswith("tf-apigw-lint is not on PATH: install it")
