import pytest

from tf_apigw_lint.findings import Severity
from tf_apigw_lint.report.summary import Summary, summarize
from tf_apigw_lint.report.text import render_text, summary_line


def help_line(rule_id):
    url = f"https://example.com/your-org/tf-apigw-lint/blob/main/docs/rules.md#{rule_id.lower()}"
    return f"  help: {url} (tf-apigw-lint explain {rule_id})\n"


SOURCE = {
    ("envs/prod/api.tf", 12): 'resource "aws_api_gateway_stage" "this" {\n',
    ("envs/prod/api.tf", 41): '  data_trace_enabled = true\n',
    ("modules/api/main.tf", 3): '\tmethod_path = "/items/GET"\n',
}


def source_lines(path, line):
    return SOURCE.get((path, line))


@pytest.fixture
def findings(make_finding):
    return [
        make_finding(
            rule_id="APIGW108",
            rule="method-path-invalid",
            message='method_path "/items/GET" starts with "/"',
            fix='write "items/GET"',
            path="modules/api/main.tf",
            line=3,
            column=16,
            end_line=3,
            end_column=28,
            address="module.api.aws_api_gateway_method_settings.items",
        ),
        make_finding(
            rule_id="APIGW104",
            rule="data-trace-enabled",
            severity=Severity.WARNING,
            certain=False,
            message="data trace is on",
            fix="",
            line=41,
            column=3,
            end_line=41,
            end_column=28,
        ),
        make_finding(),
        make_finding(line=50, suppressed=True, suppression_reason="managed elsewhere"),
    ]


def test_plain_report_groups_by_file_and_hides_suppressed(findings):
    report = render_text(findings, summarize(findings, 12, 3), color=False, source_lines=None)

    assert report == (
        "envs/prod/api.tf:12:1: error APIGW201 access-logging-missing"
        ' stage "prod" has no access_log_settings\n'
        '  resource: module.api.aws_api_gateway_stage.this["prod"]\n'
        "  fix: add an access_log_settings block\n"
        + help_line("APIGW201") +
        "envs/prod/api.tf:41:3: warning APIGW104 data-trace-enabled data trace is on [uncertain]\n"
        '  resource: module.api.aws_api_gateway_stage.this["prod"]\n'
        + help_line("APIGW104") +
        "\n"
        "modules/api/main.tf:3:16: error APIGW108 method-path-invalid"
        ' method_path "/items/GET" starts with "/"\n'
        "  resource: module.api.aws_api_gateway_method_settings.items\n"
        '  fix: write "items/GET"\n'
        + help_line("APIGW108") +
        "\n"
        "2 errors, 1 warning (1 suppressed) in 12 files, 3 modules\n"
    )


def test_source_line_with_marker_under_the_range(findings):
    report = render_text(findings, summarize(findings, 12, 3), color=False, source_lines=source_lines)

    assert report == (
        "envs/prod/api.tf:12:1: error APIGW201 access-logging-missing"
        ' stage "prod" has no access_log_settings\n'
        '  12 | resource "aws_api_gateway_stage" "this" {\n'
        "     | ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
        '  resource: module.api.aws_api_gateway_stage.this["prod"]\n'
        "  fix: add an access_log_settings block\n"
        + help_line("APIGW201") +
        "envs/prod/api.tf:41:3: warning APIGW104 data-trace-enabled data trace is on [uncertain]\n"
        "  41 |   data_trace_enabled = true\n"
        "     |   ^~~~~~~~~~~~~~~~~~~~~~~~~\n"
        '  resource: module.api.aws_api_gateway_stage.this["prod"]\n'
        + help_line("APIGW104") +
        "\n"
        "modules/api/main.tf:3:16: error APIGW108 method-path-invalid"
        ' method_path "/items/GET" starts with "/"\n'
        '  3 | \tmethod_path = "/items/GET"\n'
        "    | \t              ^~~~~~~~~~~~\n"
        "  resource: module.api.aws_api_gateway_method_settings.items\n"
        '  fix: write "items/GET"\n'
        + help_line("APIGW108") +
        "\n"
        "2 errors, 1 warning (1 suppressed) in 12 files, 3 modules\n"
    )


def test_missing_source_line_is_left_out(make_finding):
    finding = make_finding(path="gone.tf", fix="")
    report = render_text([finding], summarize([finding], 1, 1), color=False, source_lines=source_lines)

    assert report == (
        "gone.tf:12:1: error APIGW201 access-logging-missing"
        ' stage "prod" has no access_log_settings\n'
        '  resource: module.api.aws_api_gateway_stage.this["prod"]\n'
        + help_line("APIGW201") +
        "\n"
        "1 error in 1 file, 1 module\n"
    )


def test_colors(make_finding):
    findings = [
        make_finding(end_line=12, end_column=9),
        make_finding(line=41, end_line=44, severity=Severity.WARNING, fix=""),
        make_finding(line=45, end_line=45, end_column=3, severity=Severity.NOTE, fix=""),
    ]
    report = render_text(findings, summarize(findings, 1, 1), color=True, source_lines=source_lines)

    bold, red, yellow, cyan, reset = "\033[1m", "\033[31m", "\033[33m", "\033[36m", "\033[0m"
    message = 'APIGW201 access-logging-missing stage "prod" has no access_log_settings'
    assert report == (
        f"{bold}envs/prod/api.tf:12:1:{reset} {red}error{reset} {message}\n"
        '  12 | resource "aws_api_gateway_stage" "this" {\n'
        f"     | {red}^~~~~~~~{reset}\n"
        '  resource: module.api.aws_api_gateway_stage.this["prod"]\n'
        "  fix: add an access_log_settings block\n"
        + help_line("APIGW201") +
        f"{bold}envs/prod/api.tf:41:1:{reset} {yellow}warning{reset} {message}\n"
        "  41 |   data_trace_enabled = true\n"
        f"     | {yellow}^~~~~~~~~~~~~~~~~~~~~~~~~~~{reset}\n"
        '  resource: module.api.aws_api_gateway_stage.this["prod"]\n'
        + help_line("APIGW201") +
        f"{bold}envs/prod/api.tf:45:1:{reset} {cyan}note{reset} {message}\n"
        '  resource: module.api.aws_api_gateway_stage.this["prod"]\n'
        + help_line("APIGW201") +
        "\n"
        "1 error, 1 warning, 1 note in 1 file, 1 module\n"
    )


def test_no_findings():
    assert render_text([], Summary(12, 3, 0, 0, 0, 0), color=True, source_lines=None) == (
        "No problems found in 12 files, 3 modules.\n"
    )


@pytest.mark.parametrize(
    ("summary", "line"),
    [
        (Summary(12, 3, 3, 1, 2, 1), "3 errors, 1 warning, 2 notes (1 suppressed) in 12 files, 3 modules"),
        (Summary(1, 1, 0, 2, 0, 0), "2 warnings in 1 file, 1 module"),
        (Summary(2, 1, 1, 0, 1, 0), "1 error, 1 note in 2 files, 1 module"),
        (Summary(12, 3, 0, 0, 0, 0), "No problems found in 12 files, 3 modules."),
        (Summary(12, 3, 0, 0, 0, 2), "No problems found (2 suppressed) in 12 files, 3 modules."),
        (Summary(0, 0, 0, 0, 0, 0), "No problems found in 0 files, 0 modules."),
        (Summary(12, 3, 1, 0, 0, 1, baselined=4), "1 error (1 suppressed, 4 in the baseline) in 12 files, 3 modules"),
        (Summary(12, 3, 0, 0, 0, 0, baselined=4), "No problems found (4 in the baseline) in 12 files, 3 modules."),
        (Summary(12, 3, 0, 0, 0, 0, baselined=0), "No problems found in 12 files, 3 modules."),
    ],
)
def test_summary_line(summary, line):
    assert summary_line(summary) == line
