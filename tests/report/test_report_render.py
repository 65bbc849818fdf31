import re

import pytest

from tf_apigw_lint.report import FORMATS, render
from tf_apigw_lint.report.github import render_github
from tf_apigw_lint.report.json_format import render_json
from tf_apigw_lint.report.junit import render_junit
from tf_apigw_lint.report.sarif import render_sarif
from tf_apigw_lint.report.summary import summarize
from tf_apigw_lint.report.text import render_text


def source_lines(path, line):
    return "resource {"


def test_every_format_dispatches_to_its_formatter(make_finding, rules):
    findings = [make_finding()]
    summary = summarize(findings, files=1, modules=1)
    expected = {
        "text": render_text(findings, summary, color=True, source_lines=source_lines),
        "json": render_json(findings, summary, "1.2.3"),
        "sarif": render_sarif(findings, rules, "1.2.3"),
        "github": render_github(findings),
        "junit": render_junit(findings, rules),
    }

    assert tuple(expected) == FORMATS
    for fmt, output in expected.items():
        assert render(fmt, findings, summary, rules, "1.2.3", color=True, source_lines=source_lines) == output


def test_text_defaults_to_no_color_and_no_source(make_finding, rules):
    findings = [make_finding()]
    summary = summarize(findings, files=1, modules=1)

    assert render("text", findings, summary, rules, "1.2.3") == render_text(
        findings, summary, color=False, source_lines=None
    )


def test_unknown_format(rules):
    expected = "unknown format 'xml' (expected one of: text, json, sarif, github, junit)"
    with pytest.raises(ValueError, match=re.escape(expected)):
        render("xml", [], summarize([], 0, 0), rules, "1.2.3")
