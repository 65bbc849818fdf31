from tf_apigw_lint.findings import Severity
from tf_apigw_lint.report.github import render_github


def test_one_workflow_command_per_unsuppressed_finding(make_finding):
    findings = [
        make_finding(line=45, end_line=45, column=3, end_column=20, severity=Severity.NOTE, message="metrics off"),
        make_finding(line=41, end_line=41, column=3, end_column=28, severity=Severity.WARNING, message="trace on"),
        make_finding(line=50, suppressed=True, suppression_reason="known"),
        make_finding(path="main.tf", address=None),
        make_finding(),
    ]

    assert render_github(findings).splitlines() == [
        "::error file=envs/prod/api.tf,line=12,endLine=30,col=1,endColumn=2,"
        'title=APIGW201 access-logging-missing::stage "prod" has no access_log_settings',
        "::warning file=envs/prod/api.tf,line=41,endLine=41,col=3,endColumn=28,"
        "title=APIGW201 access-logging-missing::trace on",
        "::notice file=envs/prod/api.tf,line=45,endLine=45,col=3,endColumn=20,"
        "title=APIGW201 access-logging-missing::metrics off",
        "::error file=main.tf,line=12,endLine=30,col=1,endColumn=2,"
        'title=APIGW201 access-logging-missing::stage "prod" has no access_log_settings',
    ]


def test_escaping(make_finding):
    finding = make_finding(
        path="envs/a,b:c%.tf",
        message="100% of\r\nrequests: unlogged, sadly",
    )

    assert render_github([finding]) == (
        "::error file=envs/a%2Cb%3Ac%25.tf,line=12,endLine=30,col=1,endColumn=2,"
        "title=APIGW201 access-logging-missing::100%25 of%0D%0Arequests: unlogged, sadly\n"
    )


def test_no_findings_no_output(make_finding):
    assert render_github([]) == ""
    assert render_github([make_finding(suppressed=True)]) == ""
