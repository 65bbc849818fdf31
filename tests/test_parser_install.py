"""A different package installed under python-hcl2's import name `hcl2` (a fork, an older
major) stops the run with one line that says how to give the tool its own environment; the
foreign package is never imported."""

from __future__ import annotations

import importlib.metadata
import io
import os
import subprocess
import sys

import pytest

from tf_apigw_lint.cli import main
from tf_apigw_lint.load import grammar

HINT = "install tf-apigw-lint in its own environment so it gets python-hcl2 (`pipx install tf-apigw-lint`, or " \
       "`python -m venv .venv && .venv/bin/pip install tf-apigw-lint`)"


@pytest.fixture
def fresh_check(monkeypatch):
    """`grammar_text` caches its verdict; each test here decides it again."""
    grammar.grammar_text.cache_clear()
    yield
    monkeypatch.undo()
    grammar.grammar_text.cache_clear()


class ForeignDistribution:
    """Metadata of a package that installs a top-level `hcl2` of its own."""

    version = "8.0.0"
    files = ()

    def locate_file(self, path):
        return path


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_hcl2_from_another_package_is_exit_2_with_the_install_hint(fresh_check, monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(importlib.metadata, "distribution", lambda name: ForeignDistribution())
    monkeypatch.setattr(importlib.metadata, "packages_distributions",
                        lambda: {"hcl2": ["python-hcl2", "hcl2-fork"]})
    assert run(capsys, "check", str(tmp_path)) == (
        2, "", f"tf-apigw-lint: the `hcl2` module on the import path comes from hcl2-fork, not python-hcl2; {HINT}\n")


def test_hcl2_without_python_hcl2_installed(fresh_check, monkeypatch, capsys, tmp_path):
    def missing(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "distribution", missing)
    monkeypatch.setattr(importlib.metadata, "packages_distributions", lambda: {"hcl2": ["pyhcl2"]})
    assert run(capsys, "check", str(tmp_path)) == (
        2, "", f"tf-apigw-lint: the `hcl2` module on the import path comes from pyhcl2, not python-hcl2; {HINT}\n")


def test_unsupported_major_version(fresh_check, monkeypatch, capsys, tmp_path):
    real = importlib.metadata.distribution("python-hcl2")

    class OtherMajor:
        version = "7.3.1"
        files = real.files
        locate_file = staticmethod(real.locate_file)

    monkeypatch.setattr(importlib.metadata, "distribution", lambda name: OtherMajor())
    assert run(capsys, "check", str(tmp_path)) == (
        2, "", f"tf-apigw-lint: python-hcl2 7.3.1 is installed, this tool needs 8.x; {HINT}\n")


def test_no_hcl2_at_all(fresh_check, monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(grammar.importlib.util, "find_spec", lambda name: None)
    assert run(capsys, "pre-commit", str(tmp_path / "main.tf")) == (
        2, "", f"tf-apigw-lint: the Python package `hcl2` is not installed; {HINT}\n")


def test_changed_grammar_is_named(fresh_check, monkeypatch, capsys, tmp_path):
    """As if a python-hcl2 8.x release rewrote a rule the tool patches."""
    rewritten = grammar._Patch("a rule python-hcl2 rewrote", "no such rule in the grammar", "")
    monkeypatch.setattr(grammar, "_PATCHES", (*grammar._PATCHES, rewritten))
    version = importlib.metadata.version("python-hcl2")
    assert run(capsys, "check", str(tmp_path)) == (
        2, "", f"tf-apigw-lint: python-hcl2 {version}'s grammar changed where this tool patches it (a rule python-hcl2 "
               "rewrote); upgrade tf-apigw-lint, or install the python-hcl2 release it was tested with\n")


def test_external_reports_it_as_its_protocol_failure(fresh_check, monkeypatch, capsys):
    monkeypatch.setattr(importlib.metadata, "distribution", lambda name: ForeignDistribution())
    monkeypatch.setattr(importlib.metadata, "packages_distributions", lambda: {"hcl2": ["hcl2-fork"]})
    monkeypatch.setattr(sys, "stdin", io.StringIO('{"path": "."}'))
    code, out, err = run(capsys, "external")
    assert (code, out) == (1, "")
    assert err == f"tf-apigw-lint: external: the `hcl2` module on the import path comes from hcl2-fork, not python-hcl2; {HINT}\n"


def test_the_installed_python_hcl2_is_accepted(fresh_check):
    grammar.check_installed()
    assert f"NAME : /{grammar.IDENTIFIER_PATTERN}/" in grammar.grammar_text()


def test_rules_listing_needs_no_parser(fresh_check, monkeypatch, capsys):
    monkeypatch.setattr(grammar.importlib.util, "find_spec", lambda name: None)
    assert run(capsys, "rules")[0] == 0


def test_compiled_grammar_is_cached_in_a_private_user_directory(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = grammar.cache_file()
    directory = tmp_path / "tf-apigw-lint" / "grammar"
    assert os.path.dirname(path) == str(directory)
    assert directory.stat().st_mode & 0o777 == 0o700


def test_no_cache_where_others_can_write(monkeypatch, tmp_path):
    """Lark unpickles its cache: a file others could write is never used."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    directory = tmp_path / "tf-apigw-lint" / "grammar"
    directory.mkdir(parents=True)
    directory.chmod(0o777)
    assert grammar.cache_file() is False


def test_the_parser_needs_no_regex_package(tmp_path):
    """python-hcl2 installs `regex`, but the lexer is built for the standard `re` (building
    it with `regex` doubled a one-module run's parser start-up), non-ASCII names included."""
    (tmp_path / "main.tf").write_text("locals {\n  größe = 1\n  bad = x\u00bd\n}\n", encoding="utf-8")
    script = (
        "import sys; sys.modules['regex'] = None\n"  # any `import regex` now fails
        "from tf_apigw_lint.load.hcl import parse_hcl\n"
        f"source = parse_hcl(open({str(tmp_path / 'main.tf')!r}, encoding='utf-8').read(), 'main.tf')\n"
        "print(source.error)\n"
    )
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    assert result.stdout == "LoadError(message='unexpected character \"½\"', line=3, column=10)\n"
