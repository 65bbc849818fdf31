"""No escape from the scanned tree: `file()`, `templatefile()`, `fileexists()` and module
sources that resolve outside the repository being scanned (its git top level, else the
scanned path; `..` chains, absolute paths and symlinks resolved) are Unknown, or TFL003 for
a module, instead of being read.

What a file holds is made visible through APIGW202: `destination_arn` read as "not-an-arn"
is a finding, an Unknown destination is none."""

from __future__ import annotations

import json
import os

import pytest
from lint_helpers import pinned

from tf_apigw_lint.model.build import Assignment, BuildOptions, build_model
from tf_apigw_lint.runner import CheckOptions, run_check
from tf_apigw_lint.view.values import Unknown

NOT_AN_ARN = "not-an-arn"
ADDRESS = "aws_api_gateway_stage.prod"


def stage(destination: str) -> str:
    """main.tf: a stage whose destination_arn (line 6) is `destination`."""
    return (
        'resource "aws_api_gateway_stage" "prod" {\n  rest_api_id   = "a1b2c3"\n  deployment_id = "d1"\n  stage_name    = "prod"\n'
        f'  access_log_settings {{\n    destination_arn = {destination}\n    format          = "$context.requestId"\n  }}\n}}\n'
    )


def check(tf_tree, files: dict, paths: tuple = ("repo",), links: dict | None = None):
    """Writes `files` into the working directory (`tf_tree`), makes `links` (link → target,
    relative to it) and runs the pipeline over `paths`."""
    root = tf_tree(files)
    for link, target in (links or {}).items():
        os.symlink(target, root / link)
    return run_check(list(paths), CheckOptions(build=BuildOptions(exhaustive=True)))


READ = [("APIGW202", ADDRESS, "repo/main.tf", 6, 6)]

FILE_CASES = {
    "file() inside the scanned path is read": (
        {"repo/main.tf": stage('file("secret.txt")'), "repo/secret.txt": NOT_AN_ARN}, {}, ("repo",), READ,
    ),
    "file() through .. out of the scanned path": (
        {"repo/main.tf": stage('file("../secret.txt")'), "secret.txt": NOT_AN_ARN}, {}, ("repo",), [],
    ),
    "file() through .. out and back in": (
        {"repo/main.tf": stage('file("../repo/secret.txt")'), "repo/secret.txt": NOT_AN_ARN}, {}, ("repo",), READ,
    ),
    "file() through a symlink pointing out": (
        {"repo/main.tf": stage('file("link.txt")'), "secret.txt": NOT_AN_ARN}, {"repo/link.txt": "../secret.txt"}, ("repo",), [],
    ),
    "file() through a symlink pointing inside": (
        {"repo/main.tf": stage('file("link.txt")'), "repo/data/secret.txt": NOT_AN_ARN}, {"repo/link.txt": "data/secret.txt"}, ("repo",), READ,
    ),
    "file() in a symlinked directory pointing out": (
        {"repo/main.tf": stage('file("shared/secret.txt")'), "elsewhere/secret.txt": NOT_AN_ARN}, {"repo/shared": "../elsewhere"}, ("repo",), [],
    ),
    "file() outside the scanned path but inside its git repository": (
        {".git/HEAD": "ref: refs/heads/main\n", "repo/main.tf": stage('file("../secret.txt")'), "secret.txt": NOT_AN_ARN}, {}, ("repo",), READ,
    ),
    "file() inside a git worktree (.git is a file)": (
        {".git": "gitdir: /nowhere\n", "repo/main.tf": stage('file("../secret.txt")'), "secret.txt": NOT_AN_ARN}, {}, ("repo",), READ,
    ),
    "file() of a second scanned path": (
        {"repo/main.tf": stage('file("../other/secret.txt")'), "other/secret.txt": NOT_AN_ARN}, {}, ("repo", "other"), READ,
    ),
    "templatefile() out of the scanned path": (
        {"repo/main.tf": stage('templatefile("../secret.tpl", {})'), "secret.tpl": NOT_AN_ARN}, {}, ("repo",), [],
    ),
    "templatefile() inside": (
        {"repo/main.tf": stage('templatefile("secret.tpl", {})'), "repo/secret.tpl": NOT_AN_ARN}, {}, ("repo",), READ,
    ),
    # fileexists() must not even tell whether a file outside exists.
    "fileexists() out of the scanned path": (
        {"repo/main.tf": stage(f'fileexists("../secret.txt") ? "{NOT_AN_ARN}" : "arn:aws:logs:eu-west-1:123456789012:log-group:x"'),
         "secret.txt": ""}, {}, ("repo",), [],
    ),
    "fileexists() inside": (
        {"repo/main.tf": stage(f'fileexists("secret.txt") ? "{NOT_AN_ARN}" : "arn:aws:logs:eu-west-1:123456789012:log-group:x"'),
         "repo/secret.txt": ""}, {}, ("repo",), READ,
    ),
    # CI checkouts keep credentials in .git/config, and APIGW202 quotes what it reads.
    "file() of the repository's .git/config": (
        {".git/config": NOT_AN_ARN, "repo/main.tf": stage('file("../.git/config")')}, {}, ("repo",), [],
    ),
    "file() of .git/config through a symlink": (
        {".git/config": NOT_AN_ARN, "repo/main.tf": stage('file("config")')}, {"repo/config": "../.git/config"}, ("repo",), [],
    ),
    "file() in terraform.tfvars out of the scanned path": (
        {"repo/main.tf": stage("var.destination") + 'variable "destination" {\n  type = string\n}\n',
         "repo/terraform.tfvars": 'destination = file("../secret.txt")\n', "secret.txt": NOT_AN_ARN}, {}, ("repo",), [],
    ),
}


@pytest.mark.parametrize("files, links, paths, expected", FILE_CASES.values(), ids=FILE_CASES.keys())
def test_file_functions_read_only_inside_the_scanned_tree(tf_tree, files, links, paths, expected):
    assert pinned(check(tf_tree, files, paths, links), "APIGW202") == expected


def test_file_outside_is_unknown_with_the_reason(tf_tree):
    workdir = tf_tree({"repo/main.tf": stage('file("../../../etc/hostname")')})
    (configuration,) = build_model(["repo"], BuildOptions()).configurations
    value = configuration.resource(ADDRESS).blocks("access_log_settings")[0].attr("destination_arn")
    top = os.path.realpath(workdir / "repo")
    assert value == Unknown(f'file(): "../../../etc/hostname" is outside the scanned tree ({top}); it is not read')


def test_absolute_path_outside_is_unknown(tf_tree):
    workdir = tf_tree({"secret.txt": NOT_AN_ARN})
    result = check(tf_tree, {"repo/main.tf": stage(json.dumps(str(workdir / "secret.txt")).join(("file(", ")")))})
    assert pinned(result, "APIGW202") == []
    inside = check(tf_tree, {"repo/main.tf": stage(json.dumps(str(workdir / "repo" / "s.txt")).join(("file(", ")"))), "repo/s.txt": NOT_AN_ARN})
    assert pinned(inside, "APIGW202") == READ


# --- module sources -----------------------------------------------------------------------

OUTSIDE_STAGE = 'resource "aws_api_gateway_stage" "this" {\n  rest_api_id   = "a1"\n  deployment_id = "d1"\n  stage_name    = "prod"\n}\n'
CALL = 'module "ext" {\n  source = "%s"\n}\n'

MODULE_CASES = {
    "local source through .. out of the scanned path": (
        {"repo/main.tf": CALL % "../outside", "outside/main.tf": OUTSIDE_STAGE}, {},
        [("TFL003", "module.ext", "repo/main.tf", 2, 2)],
    ),
    "local source through a symlink pointing out": (
        {"repo/main.tf": CALL % "./linked", "outside/main.tf": OUTSIDE_STAGE}, {"repo/linked": "../outside"},
        [("TFL003", "module.ext", "repo/main.tf", 2, 2)],
    ),
    "local source outside the scanned path but inside its git repository": (
        {".git/HEAD": "ref: refs/heads/main\n", "repo/main.tf": CALL % "../outside", "outside/main.tf": OUTSIDE_STAGE}, {},
        [("APIGW201", "module.ext.aws_api_gateway_stage.this", "outside/main.tf", 1, 5)],
    ),
    "installed directory outside the scanned path (modules.json)": (
        {"repo/main.tf": CALL % "acme/api/aws", "outside/main.tf": OUTSIDE_STAGE,
         "repo/.terraform/modules/modules.json": json.dumps({"Modules": [{"Key": "ext", "Dir": "../outside"}]})}, {},
        [("TFL003", "module.ext", "repo/main.tf", 2, 2)],
    ),
}


@pytest.mark.parametrize("files, links, expected", MODULE_CASES.values(), ids=MODULE_CASES.keys())
def test_module_sources_load_only_inside_the_scanned_tree(tf_tree, files, links, expected):
    result = check(tf_tree, files, ("repo",), links)
    assert pinned(result, "TFL003") + pinned(result, "APIGW201") == expected


def test_a_root_calling_a_module_outside_is_analysed_without_exhaustive(tf_tree):
    """The module outside is not read, so it may hold API Gateway resources: the root is
    relevant, and the TFL003 says why the module was not analysed."""
    tf_tree({"repo/main.tf": CALL % "../outside", "outside/main.tf": OUTSIDE_STAGE})
    result = run_check(["repo"], CheckOptions(build=BuildOptions()))
    assert pinned(result) == [("TFL003", "module.ext", "repo/main.tf", 2, 2)]


def test_module_outside_message(tf_tree):
    result = check(tf_tree, {"repo/main.tf": CALL % "../../x"})
    top = os.path.realpath("repo")
    assert [f.message for f in result.findings if f.rule_id == "TFL003"] == [
        f'module "ext" was not analysed: local source "../../x" is outside the scanned tree ({top}); it is not read'
    ]


# --- what file() reads inside the tree ------------------------------------------------------


def destination(tf_tree, files: dict) -> object:
    tf_tree(files)
    (configuration,) = build_model(["repo"], BuildOptions()).configurations
    return configuration.resource(ADDRESS).blocks("access_log_settings")[0].attr("destination_arn")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_file_of_a_named_pipe_does_not_wait(tf_tree):
    tf_tree({"repo/main.tf": stage('file("pipe")')})
    os.mkfifo("repo/pipe")
    value = destination(tf_tree, {})
    assert isinstance(value, Unknown) and value.reason.startswith("Invalid function argument: no file exists at 'pipe'")


def test_file_larger_than_the_limit_is_not_read(tf_tree):
    value = destination(tf_tree, {"repo/main.tf": stage('file("big.txt")'), "repo/big.txt": "x" * (8 * 1024 * 1024 + 1)})
    assert value == Unknown('file(): "big.txt" is larger than 8 MiB; it is not read')
    assert destination(tf_tree, {"repo/main.tf": stage('file("small.txt")'), "repo/small.txt": "x" * 1024}) == "x" * 1024


def test_a_terraform_file_that_links_out_of_the_tree_is_reported_not_read(tf_tree, tmp_path_factory):
    """`evil.tf -> <outside>/secret.tf`: never read, not even as text, so nothing of it can
    reach the report (a parse error quotes what it cannot parse)."""
    outside = tmp_path_factory.mktemp("outside") / "secret.tf"
    outside.write_text("hunter2 hunter2\n")
    result = check(tf_tree, {"repo/main.tf": stage('"arn:aws:logs:eu-west-1:123456789012:log-group:a"')},
                   links={"repo/evil.tf": str(outside)})
    [error] = [f for f in result.findings if f.rule_id == "TFL001"]
    assert (error.path, error.line) == ("repo/evil.tf", 1)
    assert error.message == f'cannot parse file: not analysed: "{os.path.abspath("repo/evil.tf")}" is outside the scanned tree ({os.path.realpath("repo")}); it is not read'
    assert all("hunter2" not in f.message for f in result.findings)
    assert pinned(result, "APIGW201") == []  # main.tf beside it is analysed as usual


def test_a_var_file_named_on_the_command_line_is_read_wherever_it_links(tf_tree, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "prod.tfvars"
    outside.write_text('destination = "not-an-arn"\n')
    root = tf_tree({"repo/main.tf": 'variable "destination" {}\n' + stage("var.destination")})
    os.symlink(outside, root / "repo" / "prod.tfvars")
    build = BuildOptions(exhaustive=True, assignments=[Assignment(file="repo/prod.tfvars")])
    result = run_check(["repo"], CheckOptions(build=build))
    assert [(f.rule_id, f.address) for f in result.findings if f.rule_id == "APIGW202"] == [("APIGW202", ADDRESS)]
