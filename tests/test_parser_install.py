"""A different package installed under python-hcl2's import name `hcl2` (a fork, an older
major) stops the run with one line that says how to give the tool its own environment; the
foreign package is never imported."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import io
import json
import os
import subprocess
import sys
from pathlib import Path

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


def install_hcl2(monkeypatch, site: Path, distribution: str, version: str, record: bool = True) -> Path:
    """A package `hcl2` (python-hcl2's grammar, no code) in `site`, installed by
    `distribution` as pip would, and found first on the import path."""
    package = site / "hcl2"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("raise ImportError('the tool must never import hcl2')\n")
    (package / "hcl2.lark").write_text(REAL_GRAMMAR.read_text(encoding="utf-8"), encoding="utf-8")
    info = site / f"{distribution.replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {distribution}\nVersion: {version}\n")
    (info / "top_level.txt").write_text("hcl2\n")
    if record:
        (info / "RECORD").write_text(f"hcl2/__init__.py,,\nhcl2/hcl2.lark,,\n{info.name}/METADATA,,\n")
    monkeypatch.syspath_prepend(str(site))
    real_find_spec = importlib.util.find_spec
    spec = importlib.util.spec_from_file_location("hcl2", package / "__init__.py")
    monkeypatch.setattr(grammar.importlib.util, "find_spec", lambda name: spec if name == "hcl2" else real_find_spec(name))
    return package


REAL_GRAMMAR = Path(importlib.util.find_spec("hcl2").origin).parent / "hcl2.lark"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_hcl2_from_another_package_is_exit_2_with_the_install_hint(fresh_check, monkeypatch, capsys, tmp_path):
    install_hcl2(monkeypatch, tmp_path / "site", "hcl2-fork", "8.0.0")
    assert run(capsys, "check", str(tmp_path)) == (
        2, "", f"tf-apigw-lint: the `hcl2` module on the import path comes from hcl2-fork, not python-hcl2; {HINT}\n")


def test_hcl2_whose_installer_is_unknown(fresh_check, monkeypatch, capsys, tmp_path):
    package = install_hcl2(monkeypatch, tmp_path / "site", "hcl2-fork", "8.0.0")
    (package.parent / "hcl2_fork-8.0.0.dist-info" / "top_level.txt").unlink()
    (package.parent / "hcl2_fork-8.0.0.dist-info" / "RECORD").write_text("")
    assert run(capsys, "check", str(tmp_path)) == (
        2, "", f"tf-apigw-lint: the `hcl2` module on the import path comes from another package, not python-hcl2; {HINT}\n")


def test_unsupported_major_version(fresh_check, monkeypatch, capsys, tmp_path):
    install_hcl2(monkeypatch, tmp_path / "site", "python-hcl2", "7.3.1")
    assert run(capsys, "check", str(tmp_path)) == (
        2, "", f"tf-apigw-lint: python-hcl2 7.3.1 is installed, this tool needs 8.x; {HINT}\n")


def test_a_dist_info_without_record_is_decided_by_the_metadata(fresh_check, monkeypatch, capsys, tmp_path):
    """No RECORD: the metadata of the distributions decides, and the python-hcl2 installed in
    the test environment did not install this `hcl2`."""
    install_hcl2(monkeypatch, tmp_path / "site", "python-hcl2", "8.9.0", record=False)
    code, out, err = run(capsys, "check", str(tmp_path))
    assert (code, out) == (2, "")
    assert err.startswith("tf-apigw-lint: the `hcl2` module on the import path comes from ")
    assert err.endswith(f", not python-hcl2; {HINT}\n")


def test_python_hcl2_of_the_supported_major_is_accepted_without_importing_it(fresh_check, monkeypatch, capsys, tmp_path):
    install_hcl2(monkeypatch, tmp_path / "site", "python-hcl2", "8.9.0")
    (tmp_path / "main.tf").write_text('resource "aws_api_gateway_rest_api" "a" {\n  name = \n}\n')
    code, out, err = run(capsys, "check", str(tmp_path), "--no-cache", "--format", "json")
    assert (code, err) == (1, "")  # the package's code, which raises, never ran
    found = [(f["rule_id"], f["path"], f["line"]) for f in json.loads(out)["findings"]]
    assert found == [("TFL001", str(tmp_path / "main.tf"), 2)]


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


def test_external_reports_it_as_its_protocol_failure(fresh_check, monkeypatch, capsys, tmp_path):
    install_hcl2(monkeypatch, tmp_path / "site", "hcl2-fork", "8.0.0")
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
