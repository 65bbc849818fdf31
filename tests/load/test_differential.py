"""The loader parses a file exactly when `terraform fmt` accepts it (SPEC §10).

Two halves: a recorded corpus (`data/fmt_verdicts.json`, see `record_fmt_verdicts.py`) that
runs everywhere, and live generation against `terraform fmt` where terraform is installed.
The live run is derandomized and short by default; `TF_APIGW_LINT_LONG_FUZZ=1` makes it long
and random (README, "Security and reliability").
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from fmt_oracle import TERRAFORM, terraform_fmt_accepts
from hcl_generator import hcl_files
from hypothesis import HealthCheck, assume, given, settings

from tf_apigw_lint.load.hcl import parse_hcl

CORPUS = json.loads((Path(__file__).parent / "data" / "fmt_verdicts.json").read_text(encoding="utf-8"))
LONG = os.environ.get("TF_APIGW_LINT_LONG_FUZZ") == "1"


def loader_accepts(text: str) -> bool:
    return parse_hcl(text, "main.tf").error is None


# Known disagreement: a heredoc inside a `${ }` or `%{ }` of a heredoc with the same marker.
# Terraform nests them; python-hcl2's heredoc terminal is one regular expression, which
# ends the outer heredoc at the inner one's closing line. Pinned below as xfail.
_SAME_MARKER_NESTED = re.compile(r"<<-?(?P<marker>[^\W\d][\w-]*)\n.*?[$%]\{[^}]*<<-?(?P=marker)\n", re.DOTALL)


def known_disagreement(text: str) -> bool:
    return _SAME_MARKER_NESTED.search(text) is not None


@pytest.mark.xfail(strict=True, reason="heredoc nested in a heredoc with the same marker: python-hcl2's heredoc "
                                       "terminal cannot nest (terraform fmt accepts these)")
@pytest.mark.parametrize("text", [
    'a = <<EOT\n%{ if <<EOT\nx\nEOT\n == "" }y%{ endif }\nEOT\n',
    "a = <<EOT\n${<<EOT\nx\nEOT\n}\nEOT\n",
])
def test_heredoc_nested_in_a_heredoc_with_the_same_marker(text):
    assert known_disagreement(text)
    assert loader_accepts(text)


def test_heredocs_nested_with_other_markers_parse():
    text = 'a = <<EOT\n%{ if <<IN\nx\nIN\n == "" }y%{ endif }\nEOT\nb = <<EOT\n${<<IN2\nx\nIN2\n}\nEOT\n'
    assert not known_disagreement(text)
    assert loader_accepts(text)


def test_recorded_corpus_has_both_verdicts():
    verdicts = [entry["terraform_fmt_accepts"] for entry in CORPUS["files"]]
    assert 0.2 < sum(verdicts) / len(verdicts) < 0.8


def test_loader_agrees_with_recorded_terraform_fmt_verdicts():
    disagreements = [
        (entry["text"], entry["terraform_fmt_accepts"], parse_hcl(entry["text"], "main.tf").error)
        for entry in CORPUS["files"]
        if not known_disagreement(entry["text"]) and loader_accepts(entry["text"]) != entry["terraform_fmt_accepts"]
    ]
    assert disagreements == []


@pytest.mark.skipif(TERRAFORM is None, reason="terraform is not installed")
@settings(
    max_examples=3000 if LONG else 10, derandomize=not LONG, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
@given(text=hcl_files())
def test_loader_agrees_with_terraform_fmt(text):
    assume(not known_disagreement(text))
    assert loader_accepts(text) == terraform_fmt_accepts(text), parse_hcl(text, "main.tf").error
