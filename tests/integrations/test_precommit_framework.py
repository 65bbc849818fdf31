"""The hook of .pre-commit-hooks.yaml under the real pre-commit framework.

This working tree is copied into a temporary git repository (pre-commit installs hooks from a
repository at a commit), and pre-commit builds its own virtualenv for the hook and
pip-installs the package there, with python-hcl2 from the package index. That environment is
built once for the whole module (tens of seconds); each test then commits in a fresh project
repository with `pre-commit install`ed as its git hook.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from integration_samples import ACCOUNT_TF, INDEX_TROUBLE, api_tf, clean_git_environment, copy_working_tree, stage_range

pytestmark = pytest.mark.slow

HOOK_NAME = "tf-apigw-lint (API Gateway CloudWatch logging)"


def run(args: list[str], cwd: Path, environ: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=environ, capture_output=True, text=True, timeout=timeout)


def git(cwd: Path, environ: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    completed = run(["git", *args], cwd, environ)
    assert completed.returncode == 0, completed.stderr
    return completed


class Hook:
    """The hook repository at one commit, and the pre-commit cache that holds its environment."""

    def __init__(self, root: Path):
        self.root = root
        self.environ = clean_git_environment(PRE_COMMIT_HOME=str(root / "cache"))
        self.repository = root / "tf-apigw-lint"
        self.rev = ""

    def pre_commit(self, project: Path, *args: str, timeout: int = 120) -> subprocess.CompletedProcess:
        return run([sys.executable, "-m", "pre_commit", *args], project, self.environ, timeout)

    def new_project(self, path: Path, args: str = "--select, APIGW201") -> Path:
        """A git repository configured for the hook (with `args`), with `pre-commit install` done."""
        path.mkdir()
        git(path, self.environ, "init", "-q")
        (path / ".pre-commit-config.yaml").write_text(
            "repos:\n"
            f"  - repo: {self.repository}\n"
            f"    rev: {self.rev}\n"
            "    hooks:\n"
            "      - id: tf-apigw-lint\n"
            f"        args: [{args}]\n"
        )
        git(path, self.environ, "add", ".pre-commit-config.yaml")
        git(path, self.environ, "commit", "-q", "-m", "pre-commit configuration")
        installed = self.pre_commit(path, "install")
        assert installed.returncode == 0, installed.stdout + installed.stderr
        return path

    def commit(self, project: Path, message: str) -> tuple[int, str]:
        """`git commit`'s exit code and what it showed (git sends a hook's output to stderr)."""
        git(project, self.environ, "add", "-A")
        completed = run(["git", "commit", "-q", "-m", message], project, self.environ)
        return completed.returncode, completed.stdout + completed.stderr


@pytest.fixture(scope="module")
def hook(tmp_path_factory):
    pytest.importorskip("pre_commit", reason="pre-commit is not installed (pip install -e '.[test]')")
    hook = Hook(tmp_path_factory.mktemp("precommit"))
    copy_working_tree(hook.repository)
    git(hook.repository, hook.environ, "init", "-q")
    git(hook.repository, hook.environ, "add", "-A")
    git(hook.repository, hook.environ, "commit", "-q", "-m", "tf-apigw-lint working tree")
    hook.rev = git(hook.repository, hook.environ, "rev-parse", "HEAD").stdout.strip()
    project = hook.new_project(hook.root / "install")
    installed = hook.pre_commit(project, "install-hooks", timeout=900)
    if installed.returncode != 0:
        output = installed.stdout + installed.stderr
        log = Path(hook.environ["PRE_COMMIT_HOME"]) / "pre-commit.log"
        output += log.read_text() if log.exists() else ""
        if any(words in output for words in INDEX_TROUBLE):
            pytest.skip("pre-commit could not pip-install the hook from the package index: " + output.strip()[-400:])
        pytest.fail("pre-commit could not install the hook:\n" + output)
    return hook


def test_bad_stage_is_rejected_with_the_finding_and_the_fix_commits(hook, tmp_path):
    project = hook.new_project(tmp_path / "project")
    (project / "envs" / "prod").mkdir(parents=True)
    (project / "envs" / "prod" / "account.tf").write_text(ACCOUNT_TF)
    (project / "envs" / "prod" / "api.tf").write_text(api_tf(access_logs=False))

    code, shown = hook.commit(project, "stage without access logs")
    first, _ = stage_range(api_tf(access_logs=False))
    assert code == 1
    assert f"{HOOK_NAME}..." in shown
    assert "Failed" in shown
    assert f"envs/prod/api.tf:{first}:1: error APIGW201 access-logging-missing" in shown
    assert "1 error in 2 files, 1 module" in shown

    (project / "envs" / "prod" / "api.tf").write_text(api_tf(access_logs=True))
    code, shown = hook.commit(project, "stage with access logs")
    assert code == 0, shown
    assert "Passed" in shown


def test_change_in_a_shared_module_is_checked_through_its_callers(hook, tmp_path):
    project = hook.new_project(tmp_path / "project")
    call = 'module "api" {\n  source = "../../modules/api"\n}\n'
    (project / "envs" / "prod").mkdir(parents=True)
    (project / "envs" / "prod" / "main.tf").write_text(call)
    (project / "modules" / "api").mkdir(parents=True)
    (project / "modules" / "api" / "account.tf").write_text(ACCOUNT_TF)
    (project / "modules" / "api" / "api.tf").write_text(api_tf(access_logs=True))
    assert hook.commit(project, "a root and its module")[0] == 0

    (project / "modules" / "api" / "api.tf").write_text(api_tf(access_logs=False))
    code, shown = hook.commit(project, "module loses its access logs")
    first, _ = stage_range(api_tf(access_logs=False))
    assert code == 1
    assert f"modules/api/api.tf:{first}:1: error APIGW201 access-logging-missing" in shown
    assert "1 error in 3 files, 2 modules" in shown


def test_commit_deleting_a_terraform_file_works(hook, tmp_path):
    project = hook.new_project(tmp_path / "project")
    (project / "envs" / "prod").mkdir(parents=True)
    (project / "envs" / "prod" / "account.tf").write_text(ACCOUNT_TF)
    (project / "envs" / "prod" / "api.tf").write_text(api_tf(access_logs=True))
    (project / "envs" / "old").mkdir(parents=True)
    (project / "envs" / "old" / "main.tf").write_text('locals {\n  a = 1\n}\n')
    assert hook.commit(project, "two roots")[0] == 0

    (project / "envs" / "prod" / "api.tf").unlink()
    (project / "envs" / "prod" / "account.tf").rename(project / "envs" / "prod" / "iam.tf")
    shutil.rmtree(project / "envs" / "old")
    code, shown = hook.commit(project, "delete a file and a root")
    assert code == 0, shown
    assert "Passed" in shown  # the hook ran, on the renamed file
    assert git(project, hook.environ, "show", "--stat", "--format=%s", "HEAD").stdout.startswith("delete a file and a root")


def test_tfvars_outside_module_directories_is_noted_and_passes(hook, tmp_path):
    project = hook.new_project(tmp_path / "project")
    (project / "envs" / "prod").mkdir(parents=True)
    (project / "envs" / "prod" / "api.tf").write_text(api_tf(access_logs=False))
    (project / "vars").mkdir()
    (project / "vars" / "prod.tfvars").write_text('region = "eu-west-1"\n')
    ran = hook.pre_commit(project, "run", "--verbose", "--files", "vars/prod.tfvars")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "tf-apigw-lint: vars/prod.tfvars: not in a Terraform module directory of the repository, not analysed" in ran.stdout


def test_legacy_repository_adopts_the_hook_with_a_baseline(hook, tmp_path):
    project = hook.new_project(tmp_path / "project", args="--select, APIGW201, --baseline, baseline.json")
    (project / "envs" / "legacy").mkdir(parents=True)
    (project / "envs" / "legacy" / "api.tf").write_text(api_tf(access_logs=False))
    executable = Path(sys.executable).with_name("tf-apigw-lint")
    recorded = run([str(executable), "check", ".", "--select", "APIGW201", "--write-baseline", "baseline.json"],
                   project, hook.environ)
    assert recorded.returncode == 0, recorded.stderr
    code, shown = hook.commit(project, "legacy code and its baseline")
    assert code == 0, shown

    # An unrelated edit moves the old finding's lines: still known.
    (project / "envs" / "legacy" / "api.tf").write_text("# owned by the platform team\n\n" + api_tf(access_logs=False))
    code, shown = hook.commit(project, "comment")
    assert code == 0, shown

    (project / "envs" / "new").mkdir(parents=True)
    (project / "envs" / "new" / "api.tf").write_text(api_tf(access_logs=False))
    code, shown = hook.commit(project, "a new stage without access logs")
    first, _ = stage_range(api_tf(access_logs=False))
    assert code == 1
    assert f"envs/new/api.tf:{first}:1: error APIGW201 access-logging-missing" in shown
    assert "envs/legacy/api.tf" not in shown
