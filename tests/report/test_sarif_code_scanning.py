"""SARIF for GitHub code scanning through main(): URIs relative to the repository root,
one category per run, tool notifications, all valid against the SARIF schema."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from tf_apigw_lint.cli import main

STAGE = 'resource "aws_api_gateway_stage" "s" {\n  rest_api_id   = "a"\n  deployment_id = "d"\n  stage_name    = "s"\n}\n'
CALL = 'module "api" {\n  source = "../../modules/api"\n}\n'
REPOSITORY = {
    "envs/prod/main.tf": CALL,
    "envs/dev/main.tf": CALL,
    "modules/api/main.tf": STAGE,
    "envs/prod/broken.tf": "resource {\n",
}


@pytest.fixture
def repository(tf_tree, monkeypatch):
    """REPOSITORY in a git repository; the working directory is its envs/ folder."""
    for name in [n for n in os.environ if n.startswith("GIT_")]:
        monkeypatch.delenv(name)
    root = tf_tree(REPOSITORY)
    subprocess.run(["git", "init", "-q", str(root)], check=True, env={**os.environ, "GIT_CONFIG_GLOBAL": os.devnull})
    monkeypatch.chdir(root / "envs")
    return root


@pytest.fixture
def sarif_run(capsys, sarif_validator):
    """The one run of `main(argv + SARIF options)`, validated against the SARIF schema."""

    def run(*argv):
        assert main([*argv, "--format", "sarif", "--select", "APIGW201"]) == 1
        log = json.loads(capsys.readouterr().out)
        assert list(sarif_validator.iter_errors(log)) == []
        [only] = log["runs"]
        return only

    return run


def located(run):
    """{rule id: (artifact location, start line)}: one result per rule in these tests."""
    return {
        r["ruleId"]: (r["locations"][0]["physicalLocation"]["artifactLocation"],
                      r["locations"][0]["physicalLocation"]["region"]["startLine"])
        for r in run["results"]
    }


def test_uris_are_relative_to_the_git_top_level_not_the_working_directory(repository, sarif_run):
    run = sarif_run("prod", "dev")

    assert located(run) == {
        "TFL001": ({"uri": "envs/prod/broken.tf", "uriBaseId": "%SRCROOT%"}, 1),
        "APIGW201": ({"uri": "modules/api/main.tf", "uriBaseId": "%SRCROOT%"}, 1),
    }
    assert len(run["results"]) == 2
    assert run["automationDetails"] == {"id": "tf-apigw-lint/envs/dev+envs/prod/"}
    roots = [r["properties"].get("roots") for r in run["results"] if r["ruleId"] == "APIGW201"]
    assert roots == [["envs/dev", "envs/prod"]]  # relative to the repository root, like the URIs
    [invocation] = run["invocations"]
    assert invocation["executionSuccessful"] is True
    assert [(n["level"], n["associatedRule"]["id"], n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
            for n in invocation["toolExecutionNotifications"]] == [("error", "TFL001", "envs/prod/broken.tf")]


def test_scanning_the_repository_root_is_the_plain_category(repository, sarif_run, monkeypatch):
    monkeypatch.chdir(repository)
    run = sarif_run(".")
    assert run["automationDetails"] == {"id": "tf-apigw-lint/"}
    assert located(run)["APIGW201"] == ({"uri": "modules/api/main.tf", "uriBaseId": "%SRCROOT%"}, 1)


@pytest.mark.parametrize("options, category, module_uri", [
    (["--sarif-category", "terraform-prod"], "terraform-prod", {"uri": "modules/api/main.tf", "uriBaseId": "%SRCROOT%"}),
    (["--sarif-root", "."], "tf-apigw-lint/dev+prod", {"uri": "file:///{root}/modules/api/main.tf"}),
    (["--sarif-root", "..", "--sarif-category", "x/y"], "x/y", {"uri": "modules/api/main.tf", "uriBaseId": "%SRCROOT%"}),
])
def test_root_and_category_options(repository, sarif_run, options, category, module_uri):
    run = sarif_run("prod", "dev", *options)
    assert run["automationDetails"] == {"id": f"{category}/"}
    expected = {key: value.replace("/{root}", str(repository)) for key, value in module_uri.items()}
    assert located(run)["APIGW201"] == (expected, 1)


def test_without_git_the_scanned_path_is_the_root(tf_tree, sarif_run, monkeypatch):
    for name in [n for n in os.environ if n.startswith("GIT_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tf_tree({}).parent))  # no repository above tmp_path
    tf_tree({"infra/main.tf": STAGE})
    run = sarif_run("infra")
    assert run["automationDetails"] == {"id": "tf-apigw-lint/"}
    assert located(run) == {"APIGW201": ({"uri": "main.tf", "uriBaseId": "%SRCROOT%"}, 1)}


@pytest.mark.parametrize("options, message", [
    (["--sarif-root", "missing"], "--sarif-root missing: not a directory"),
    (["--sarif-category", " "], "--sarif-category ' ': expected a non-empty name without control characters"),
    (["--sarif-category", "a\nb"], "--sarif-category 'a\\nb': expected a non-empty name without control characters"),
])
def test_bad_sarif_options_are_one_line(repository, capsys, options, message):
    assert main(["prod", "--format", "sarif", *options]) == 2
    assert capsys.readouterr() == ("", f"tf-apigw-lint: {message}\n")
