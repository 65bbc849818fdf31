"""The files that make the project adoptable: the license, the changelog, the metadata that
points at them, and the README's install instructions that do not assume a release."""

from __future__ import annotations

import re
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib

from tf_apigw_lint.report.rulemeta import help_uri_for

ROOT = Path(__file__).resolve().parent.parent


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_license_is_the_apache_2_text_and_the_metadata_says_so():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.split()[:4] == ["Apache", "License", "Version", "2.0,"]
    assert "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION" in text
    assert "END OF TERMS AND CONDITIONS" in text
    project = pyproject()
    assert (project["license"], project["license-files"]) == ("Apache-2.0", ["LICENSE"])
    assert not any(c.startswith("License ::") for c in project["classifiers"])  # PEP 639: the expression only


def test_changelog_keeps_a_changelog():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^(#{1,3}) (.+)$", text, re.MULTILINE)
    assert headings[0] == ("#", "Changelog")
    assert headings[1] == ("##", "[Unreleased]")
    assert ("###", "Added") in headings
    assert "https://keepachangelog.com/" in text


def test_one_placeholder_home_everywhere():
    urls = pyproject()["urls"]
    home = urls["Homepage"]
    assert all(url.startswith(home) for url in urls.values())
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    rule_links = help_uri_for("APIGW201")
    hosts = set(re.findall(r"https://[\w.-]+/[\w.-]+/tf-apigw-lint", readme + dockerfile + rule_links))
    assert hosts == {home}


def test_readme_installs_without_a_release():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install tf-apigw-lint\n" not in readme and "v0.1.0" not in readme
    assert 'pipx install "git+https://example.com/your-org/tf-apigw-lint.git@<commit>"' in readme
    assert "pipx install dist/tf_apigw_lint-*-py3-none-any.whl" in readme
    assert "rev: <commit>" in readme
