"""The pre-commit entry: changed files → the roots that include them → a check of those roots."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from integration_samples import ACCOUNT_TF, api_tf, clean_git_environment, stage_range
from tf_apigw_lint.cli import main
from tf_apigw_lint.integrations.precommit import Selection, repository_root, select_roots

# Two roots share modules/api, which calls modules/api/inner; tools/ is a root of its own.
MONOREPO = {
    "envs/prod/main.tf": 'module "api" {\n  source = "../../modules/api"\n}\n',
    "envs/prod/terraform.tfvars": 'region = "eu-west-1"\n',
    "envs/dev/main.tf": 'module "api" {\n  source = "../../modules/api"\n}\nmodule "legacy" {\n  source = "../../modules/removed"\n}\n',
    "modules/api/main.tf": 'module "inner" {\n  source = "./inner"\n}\n',
    "modules/api/inner/main.tf": 'variable "name" {\n  default = "x"\n}\n',
    "modules/api/README.md": "docs\n",
    "tools/main.tf": 'locals {\n  a = 1\n}\n',
    "vars/prod.tfvars": 'region = "eu-west-1"\n',
    "README.md": "repo\n",
}


@pytest.fixture(autouse=True)
def outside_any_git_repository(tmp_path, monkeypatch):
    """The temporary directory is the repository, whatever repository holds it."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))


@pytest.fixture
def monorepo(tf_tree):
    return str(tf_tree(MONOREPO))


def roots(selection: Selection, top: str) -> list[str]:
    return [os.path.relpath(root, top) for root in selection.roots]


@pytest.mark.parametrize(
    ("changed", "expected"),
    [
        (["envs/prod/main.tf"], ["envs/prod"]),
        (["modules/api/main.tf"], ["envs/dev", "envs/prod"]),
        (["modules/api/inner/main.tf"], ["envs/dev", "envs/prod"]),  # transitively
        (["envs/prod/terraform.tfvars"], ["envs/prod"]),
        (["tools/main.tf", "envs/dev/main.tf"], ["envs/dev", "tools"]),
        (["modules/api/README.md"], ["envs/dev", "envs/prod"]),  # any file of a module directory
        (["./envs/prod/../prod/main.tf"], ["envs/prod"]),
    ],
)
def test_changed_files_map_to_the_roots_that_include_them(monorepo, changed, expected):
    selection = select_roots(changed, monorepo)
    assert roots(selection, monorepo) == expected
    assert selection.unplaced == []


def test_mapping_reads_module_calls_without_parsing(monorepo, parsed_paths):
    # A large repository must not be parsed to find the roots of one changed file.
    assert roots(select_roots(["modules/api/inner/main.tf"], monorepo), monorepo) == ["envs/dev", "envs/prod"]
    assert parsed_paths == []


def test_deleted_file_maps_by_its_directory_when_that_still_exists(monorepo):
    selection = select_roots(["modules/api/inner/deleted.tf", "envs/prod/old.tf.json"], monorepo)
    assert roots(selection, monorepo) == ["envs/dev", "envs/prod"]
    assert selection.unplaced == []


def test_deleted_directory_still_called_maps_to_its_callers(monorepo):
    # envs/dev still calls ../../modules/removed: linting envs/dev reports the broken call.
    assert roots(select_roots(["modules/removed/main.tf"], monorepo), monorepo) == ["envs/dev"]


def test_deleted_directory_nobody_calls_is_ignored_silently(monorepo):
    selection = select_roots(["gone/main.tf", "envs/staging/main.tf"], monorepo)
    assert selection == Selection(roots=[], unplaced=[])


def test_existing_file_outside_module_directories_is_reported_as_unplaced(monorepo):
    selection = select_roots(["vars/prod.tfvars", "README.md", "envs/prod/main.tf"], monorepo)
    assert roots(selection, monorepo) == ["envs/prod"]
    assert selection.unplaced == ["vars/prod.tfvars", "README.md"]


def test_check_paths_select_exactly_each_root(monorepo):
    selection = select_roots(["modules/api/main.tf", "tools/main.tf"], monorepo)
    assert [os.path.relpath(p, monorepo) for p in selection.check_paths()] == [
        "envs/dev/main.tf",
        "envs/prod/main.tf",
        "tools/main.tf",
    ]


def test_hidden_and_terraform_directories_are_not_module_directories(tf_tree):
    top = str(tf_tree({"main.tf": "", ".terraform/modules/x/main.tf": "", ".hidden/main.tf": ""}))
    selection = select_roots([".terraform/modules/x/main.tf", ".hidden/main.tf"], top)
    assert selection == Selection(roots=[], unplaced=[".terraform/modules/x/main.tf", ".hidden/main.tf"])


def test_repository_root_is_the_git_top_level(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, env=clean_git_environment())
    (tmp_path / "envs" / "prod").mkdir(parents=True)
    assert repository_root(str(tmp_path / "envs" / "prod")) == os.path.realpath(tmp_path)


def test_repository_root_outside_git_is_the_directory_itself(tmp_path):
    assert repository_root(str(tmp_path)) == str(tmp_path)


# Through main(): the working directory (no git repository here) is the repository.

TWO_BAD_ROOTS = {
    "envs/prod/account.tf": ACCOUNT_TF,
    "envs/prod/api.tf": api_tf(access_logs=False),
    "envs/dev/account.tf": ACCOUNT_TF,
    "envs/dev/api.tf": api_tf(access_logs=False),
}


def findings_of(output: str) -> list[tuple[str, str, str, int, int]]:
    return [
        (f["rule_id"], f["address"], f["path"], f["line"], f["end_line"])
        for f in json.loads(output)["findings"]
    ]


def test_main_lints_only_the_roots_of_the_changed_files(tf_tree, capsys):
    tf_tree(TWO_BAD_ROOTS)
    code = main(["pre-commit", "--format", "json", "--select", "APIGW201", "envs/dev/api.tf", "envs/dev/account.tf"])
    first, last = stage_range(api_tf(access_logs=False))
    assert findings_of(capsys.readouterr().out) == [
        ("APIGW201", "aws_api_gateway_stage.this", "envs/dev/api.tf", first, last),
    ]
    assert code == 1


def test_main_through_a_shared_module_reports_each_calling_root(tf_tree, capsys):
    call = 'module "api" {\n  source = "../../modules/api"\n}\n'
    tf_tree({
        "envs/prod/main.tf": call,
        "envs/dev/main.tf": call,
        "modules/api/account.tf": ACCOUNT_TF,
        "modules/api/api.tf": api_tf(access_logs=False),
    })
    code = main(["pre-commit", "--format", "json", "--select", "APIGW201", "modules/api/api.tf"])
    first, last = stage_range(api_tf(access_logs=False))
    report = json.loads(capsys.readouterr().out)
    # One mistake, one finding: both roots call the module at the same address.
    assert findings_of(json.dumps(report)) == [
        ("APIGW201", "module.api.aws_api_gateway_stage.this", "modules/api/api.tf", first, last),
    ]
    [finding] = report["findings"]
    assert (finding["addresses"], finding["roots"]) == (["module.api.aws_api_gateway_stage.this"], ["envs/dev", "envs/prod"])
    assert report["summary"]["error"] == 1
    assert code == 1


def test_main_with_the_fix_passes(tf_tree, capsys):
    tf_tree({**TWO_BAD_ROOTS, "envs/dev/api.tf": api_tf(access_logs=True)})
    assert main(["pre-commit", "--select", "APIGW201", "envs/dev/api.tf"]) == 0
    assert "No problems found in 2 files, 1 module." in capsys.readouterr().out


def test_main_without_terraform_changes_exits_0_silently(tf_tree, capsys):
    tf_tree(TWO_BAD_ROOTS)
    assert main(["pre-commit"]) == 0
    assert main(["pre-commit", "envs/qa/deleted.tf"]) == 0
    assert capsys.readouterr() == ("", "")


def test_main_says_which_files_it_could_not_place(tf_tree, capsys):
    tf_tree({**TWO_BAD_ROOTS, "vars/prod.tfvars": 'a = "b"\n'})
    assert main(["pre-commit", "vars/prod.tfvars"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "tf-apigw-lint: vars/prod.tfvars: not in a Terraform module directory of the repository, not analysed\n"
    assert main(["pre-commit", "--quiet", "vars/prod.tfvars"]) == 0
    assert capsys.readouterr() == ("", "")


def test_main_pre_commit_rejects_unknown_options(tf_tree, capsys):
    tf_tree(TWO_BAD_ROOTS)
    assert main(["pre-commit", "--fail-on", "sometimes", "envs/dev/api.tf"]) == 2
    assert "--fail-on" in capsys.readouterr().err


def test_excluded_directories_are_left_out_as_check_leaves_them_out(monorepo):
    excluded = lambda path: os.path.relpath(path, monorepo).split(os.sep)[0] == "envs"  # noqa: E731
    # With envs/ excluded, modules/api is a root of its own, as for `check`.
    selection = select_roots(["modules/api/inner/main.tf", "envs/prod/main.tf"], monorepo, excluded)
    assert selection == Selection(roots=[os.path.join(monorepo, "modules", "api")], unplaced=[])


def test_main_honours_the_configuration_exclude(tf_tree, capsys):
    tf_tree({**TWO_BAD_ROOTS, ".tf-apigw-lint.toml": 'exclude = ["envs/dev"]\n'})
    assert main(["pre-commit", "--select", "APIGW201", "envs/dev/api.tf"]) == 0
    assert capsys.readouterr() == ("", "")
    assert main(["pre-commit", "--config", ".tf-apigw-lint.toml", "--select", "APIGW201", "envs/prod/api.tf"]) == 1
    assert "envs/prod/api.tf" in capsys.readouterr().out


@pytest.mark.parametrize("command", [["pre-commit", "envs/dev/api.tf"], ["external"]])
def test_integrations_never_import_boto3(tf_tree, command):
    tf_tree(TWO_BAD_ROOTS)
    # None in sys.modules makes any import of these fail.
    script = (
        "import sys\n"
        "sys.modules.update(boto3=None, botocore=None)\n"
        "from tf_apigw_lint.cli import main\n"
        f"code = main({command!r})\n"
        "assert not any(name.startswith(('boto3', 'botocore')) and sys.modules[name] for name in sys.modules)\n"
        "sys.exit(code)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], input='{"path": "envs/dev"}', capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 1, completed.stderr
    assert "APIGW201" in completed.stdout + completed.stderr
