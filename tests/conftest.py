"""Shared fixtures: write inline Terraform to a temporary directory and run the pipeline."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tf_apigw_lint.model.build import Assignment, BuildOptions
from tf_apigw_lint.rules.engine import RuleSettings
from tf_apigw_lint.runner import CheckOptions, run_check


def write_tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text))


@pytest.fixture(autouse=True)
def private_parse_cache(monkeypatch, tmp_path_factory):
    """Runs through the CLI use the parse cache; keep it out of the user's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))


@pytest.fixture
def parsed_paths(monkeypatch):
    """The paths the loader actually parses (not found in the parse cache), in order."""
    from tf_apigw_lint.load import parallel

    seen: list[str] = []
    original = parallel.parse_data

    def recording(path, data, display_path=None):
        seen.append(path)
        return original(path, data, display_path)

    monkeypatch.setattr(parallel, "parse_data", recording)
    return seen


@pytest.fixture
def tf_tree(tmp_path, monkeypatch):
    """`tf_tree(files)` writes `{relative path: text}` under a temporary directory that is
    also the working directory, and returns that directory."""
    monkeypatch.chdir(tmp_path)

    def make(files: dict[str, str]) -> Path:
        write_tree(tmp_path, files)
        return tmp_path

    return make


@pytest.fixture
def lint(tf_tree):
    """`lint(files, ...)` runs the whole static pipeline and returns `CheckResult`. Roots
    without API Gateway resources are analysed only with `exhaustive=True`, as with the CLI."""

    def run(files, paths=(".",), *, vars=(), var_files=(), environ=None, workspace=None, strict=False, options=None, disabled=(), exhaustive=False):
        tf_tree(files)
        assignments = [Assignment(name=n, text=t) for n, t in vars] + [Assignment(file=f) for f in var_files]
        settings = {rule_id: RuleSettings(options=dict(opts)) for rule_id, opts in (options or {}).items()}
        for rule_id in disabled:
            settings[rule_id] = RuleSettings(enabled=False)
        build = BuildOptions(assignments=assignments, workspace=workspace, environ=environ or {}, exhaustive=exhaustive)
        return run_check(list(paths), CheckOptions(build=build, rules=settings, strict=strict))

    return run
