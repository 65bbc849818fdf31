from tf_apigw_lint.findings import Severity
from tf_apigw_lint.report.summary import Summary, summarize


def test_suppressed_findings_count_only_as_suppressed(make_finding):
    findings = [
        make_finding(),
        make_finding(line=40),
        make_finding(severity=Severity.WARNING),
        make_finding(severity=Severity.NOTE, suppressed=True, suppression_reason="known"),
        make_finding(severity=Severity.ERROR, suppressed=True),
        make_finding(severity=Severity.NOTE),
    ]

    assert summarize(findings, files=12, modules=3) == Summary(
        files=12, modules=3, error=2, warning=1, note=1, suppressed=2
    )


def test_no_findings():
    assert summarize([], files=0, modules=0) == Summary(0, 0, 0, 0, 0, 0)
