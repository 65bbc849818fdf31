"""The speed features seen from the command line: results independent of --jobs and of the
parse cache, --exhaustive, the coverage report, progress, and what a command imports."""

from __future__ import annotations

import concurrent.futures
import gc
import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tf_apigw_lint import runner
from tf_apigw_lint.cli import main
from tf_apigw_lint.load import parallel
from tf_apigw_lint.load.cache import MAGIC
from tf_apigw_lint.progress import Progress, terminal_progress

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate  # noqa: E402 - the benchmark's own generator: a varied, realistic tree


@pytest.fixture(scope="module")
def monorepo(tmp_path_factory):
    """A small synthetic monorepo (about 200 files) with known API Gateway mistakes."""
    directory = tmp_path_factory.mktemp("monorepo") / "repo"
    planted = generate(str(directory), seed=7, scale=0.01)
    return directory, sorted((p.rule_id, p.address or "", p.path) for p in planted)


def json_report(capsys, *argv) -> dict:
    code = main([*argv, "--format", "json"])
    assert code == 1
    return json.loads(capsys.readouterr().out)


def test_findings_do_not_depend_on_jobs_or_the_cache(monorepo, capsys, monkeypatch, tmp_path):
    directory, planted = monorepo
    monkeypatch.chdir(directory)
    # Let even this small tree be parsed by worker processes, and count that it was.
    monkeypatch.setattr(parallel, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 1)
    pools = []
    real_pool = concurrent.futures.ProcessPoolExecutor
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", lambda **kw: pools.append(kw["max_workers"]) or real_pool(**kw))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))

    serial = json_report(capsys, ".", "--jobs", "1", "--no-cache")
    two_jobs = json_report(capsys, ".", "--jobs", "2", "--no-cache")
    cold = json_report(capsys, ".", "--jobs", "2")
    warm = json_report(capsys, ".", "--jobs", "1")
    assert pools == [2, 2]  # the warm run parsed nothing
    assert serial == two_jobs == cold == warm
    found = [(f["rule_id"], a or "", f["path"]) for f in serial["findings"] for a in f["addresses"] or [f["address"]]]
    assert sorted(found) == planted


def test_exhaustive_analyses_every_root(monorepo, capsys, monkeypatch):
    directory, _ = monorepo
    monkeypatch.chdir(directory)
    shortcut = json_report(capsys, ".", "--no-cache")
    exhaustive = json_report(capsys, ".", "--no-cache", "--exhaustive")
    api_gateway = [f for f in shortcut["findings"] if f["rule_id"].startswith("APIGW")]
    assert api_gateway == [f for f in exhaustive["findings"] if f["rule_id"].startswith("APIGW")]
    tool = [f for f in shortcut["findings"] if f["rule_id"].startswith("TFL")]
    assert all(f in exhaustive["findings"] for f in tool)
    assert shortcut["summary"]["coverage"]["module_directories_skipped"] > 0
    assert exhaustive["summary"]["coverage"]["module_directories_skipped"] == 0
    assert exhaustive["summary"]["coverage"]["files_not_parsed"] == 0
    assert exhaustive["summary"]["files"] > shortcut["summary"]["files"]


def test_text_report_ends_with_what_was_not_analysed(tf_tree, capsys):
    tf_tree({
        "api/main.tf": 'resource "aws_apigatewayv2_stage" "s" {\n  api_id = "a"\n  name   = "prod"\n}\n',
        "api/network.tf": 'module "net" {\n  source = "acme/network/aws"\n}\n',
        "queue/main.tf": 'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n',
        "queue/queue.tf": 'resource "aws_sqs_queue" "q" {}\n',
    })
    assert main([".", "--color", "never"]) == 1
    *_, coverage, summary = capsys.readouterr().out.rstrip("\n").split("\n")
    assert coverage == (
        "Not analysed: 1 module directory (2 files) whose module trees have no API Gateway resources "
        "(--exhaustive analyses them); 1 remote module call not installed (run terraform init)."
    )
    assert summary == "1 error, 1 warning, 1 note in 2 files, 1 module"
    assert main([".", "--color", "never", "--quiet"]) == 1
    assert "Not analysed" not in capsys.readouterr().out


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_number(tf_tree, capsys, value):
    assert main([".", "--jobs", value]) == 2
    assert capsys.readouterr().err == (
        f"tf-apigw-lint: argument --jobs: expected a positive whole number, got {value!r}\n"
    )


def _modules_after(argv: list[str], cwd: Path) -> set[str]:
    code = (
        "import sys\n"
        "from tf_apigw_lint.cli import main\n"
        f"main({argv!r})\n"
        "sys.stdout.write('\\n' + ' '.join(sorted(sys.modules)))\n"
    )
    completed = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, check=True)
    return set(completed.stdout.rsplit("\n", 1)[1].split())


def test_version_imports_neither_the_parser_nor_the_model(tmp_path):
    loaded = _modules_after(["--version"], tmp_path)
    assert "tf_apigw_lint.cli" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("hcl2", "lark") or m.startswith(("tf_apigw_lint.model", "tf_apigw_lint.rules", "tf_apigw_lint.load"))}


def test_check_never_imports_boto3(tmp_path):
    (tmp_path / "main.tf").write_text('resource "aws_api_gateway_stage" "s" {\n  stage_name = "prod"\n}\n')
    loaded = _modules_after([".", "--no-cache"], tmp_path)
    assert "tf_apigw_lint.model.build" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("boto3", "botocore")}


def test_check_imports_only_what_the_run_uses(tmp_path):
    """Start-up time of a one-module run: no other report format, no plan backend, no TOML
    reader without a configuration file, and neither python-hcl2's code, the `regex`
    package nor `importlib.metadata` (the installed python-hcl2 is recognised from its
    RECORD file)."""
    (tmp_path / "main.tf").write_text('resource "aws_api_gateway_stage" "s" {\n  stage_name = "prod"\n}\n')
    loaded = _modules_after([".", "--no-cache", "--format", "json"], tmp_path)
    assert {"lark", "tf_apigw_lint.load.hcl", "tf_apigw_lint.report.json_format"} <= loaded
    unused = {
        "hcl2", "regex", "importlib.metadata", "tomllib", "tf_apigw_lint.plan.configuration",
        "tf_apigw_lint.report.text", "tf_apigw_lint.report.sarif", "tf_apigw_lint.report.junit",
        "tf_apigw_lint.report.github",
    }
    assert loaded & unused == set()


def test_the_model_is_built_without_the_cyclic_collector_which_is_back_after(tmp_path, monkeypatch, capsys):
    (tmp_path / "main.tf").write_text('resource "aws_api_gateway_stage" "s" {\n  stage_name = "prod"\n}\n')
    seen = []
    real_build = runner.build_model

    def build(*args, **kwargs):
        seen.append(gc.isenabled())
        return real_build(*args, **kwargs)

    monkeypatch.setattr(runner, "build_model", build)
    assert gc.isenabled()
    main([str(tmp_path), "--no-cache", "--format", "json"])
    assert seen == [False]
    assert gc.isenabled()
    assert json.loads(capsys.readouterr().out)["findings"][0]["address"] == "aws_api_gateway_stage.s"


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_waits_a_second_then_counts_and_erases_itself():
    now = [0.0]
    stream = FakeTerminal()
    progress = Progress(stream, delay=1.0, clock=lambda: now[0])
    progress(1, 10, "files parsed")
    assert stream.getvalue() == ""
    now[0] = 1.5
    progress(2, 1_200, "files parsed")
    assert stream.getvalue() == "\r\033[Ktf-apigw-lint: 2/1,200 files parsed"
    progress.close()
    assert stream.getvalue().endswith("\r\033[K")


@pytest.mark.parametrize("stream, environ, quiet", [
    (io.StringIO(), {}, False),  # not a terminal: a log or a pipe
    (FakeTerminal(), {"CI": "true"}, False),
    (FakeTerminal(), {}, True),
    (FakeTerminal(), {"TERM": "dumb"}, False),
])
def test_no_progress_outside_an_interactive_terminal(stream, environ, quiet):
    assert terminal_progress(stream, environ, quiet) is None


def test_progress_on_an_interactive_terminal():
    assert isinstance(terminal_progress(FakeTerminal(), {"TERM": "xterm"}, False), Progress)


def test_concurrent_runs_share_the_cache_safely(monorepo, tmp_path):
    # The pre-commit hook and an editor's run, at once, on an empty cache.
    directory, _ = monorepo
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    argv = [sys.executable, "-m", "tf_apigw_lint", ".", "--format", "json", "--jobs", "2"]
    # An empty parse cache with the compiled grammar, as after a machine's first run.
    (tmp_path / "warm").mkdir()
    (tmp_path / "warm" / "main.tf").write_text('resource "aws_api_gateway_rest_api" "r" {\n  name = "r"\n}\n')
    subprocess.run([*argv[:3], str(tmp_path / "warm"), "--no-cache", "--quiet"], env=env, check=False)
    runs = [subprocess.Popen(argv, cwd=directory, env=env, stdout=subprocess.PIPE) for _ in range(3)]
    outputs = [run.communicate()[0] for run in runs]
    assert [run.returncode for run in runs] == [1, 1, 1]
    assert outputs[0] == outputs[1] == outputs[2]
    entries = [p for p in (tmp_path / "cache" / "tf-apigw-lint" / "parse-v1").rglob("*") if p.is_file()]
    assert entries and not [p for p in entries if p.name.startswith(".tmp-")]
    for entry in entries:
        blob = entry.read_bytes()
        assert blob.startswith(MAGIC)
        assert hashlib.sha256(blob[len(MAGIC) + 32:]).digest() == blob[len(MAGIC):len(MAGIC) + 32]
    warm = subprocess.run(argv, cwd=directory, env=env, capture_output=True, check=False)
    assert warm.stdout == outputs[0]


def test_a_tree_without_api_gateway_is_not_said_to_have_no_terraform_files(tf_tree, capsys):
    tf_tree({"main.tf": 'resource "aws_sqs_queue" "q" {}\n'})
    assert main([".", "--color", "never"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out == (
        "Not analysed: 1 module directory (1 file) whose module trees have no API Gateway resources "
        "(--exhaustive analyses them).\nNo problems found in 0 files, 0 modules.\n"
    )
    tf_tree({"empty/README.md": "no Terraform here\n"})
    assert main(["empty"]) == 0
    assert capsys.readouterr().err == "tf-apigw-lint: no Terraform files found in empty\n"
