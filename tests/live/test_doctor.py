"""`tf-apigw-lint doctor`: the SPEC §1 checklist for one deployed stage, pinned."""

from __future__ import annotations

import json

from live_fixtures import ACCOUNT, REGION

from tf_apigw_lint.cli import main


def doctor(capsys, aws, stage, *extra):
    code = main(["doctor", "--endpoint-url", aws.url, "--region", REGION, "--rest-api-id", stage.api_id, "--stage", stage.stage, *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_broken_stage_walks_the_checklist_in_order(aws, capsys):
    aws.account_role(f"arn:aws:iam::{ACCOUNT}:role/deleted")
    stage = aws.rest_stage(settings={"logging/loglevel": "INFO", "metrics/enabled": "true"},
                           access_log=f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:deleted")
    code, out, err = doctor(capsys, aws, stage)
    assert (code, err) == (1, "")
    assert out == f"""\
Checklist for aws:{ACCOUNT}:{REGION}:restapi/{stage.api_id}/stage/prod

1. Permissions
  [passed] the account region has a CloudWatch role (cloudwatchRoleArn)
  [failed] the CloudWatch role exists
      cloudwatchRoleArn names the role deleted, which does not exist
      fix: Create the role (trusting apigateway.amazonaws.com, with AmazonAPIGatewayPushToCloudWatchLogs) or point the account settings at one that exists.
  [could not check] the role trusts apigateway.amazonaws.com
      the CloudWatch role does not exist
  [could not check] the role allows the seven CloudWatch Logs actions
      the CloudWatch role does not exist
  [passed] STS is active in the region
2. Stage settings
  [passed] execution logging is on for the whole stage (*/*)
  [passed] the stage-wide logging level is INFO
  [passed] data trace (full requests and responses) is off
  [passed] detailed CloudWatch metrics are on
  [passed] access logging is on, with a valid destination and format
3. Per-method overrides
  [passed] no method-specific setting turns logging down
4. Log groups
  [failed] the access-log destination (log group or Firehose stream) exists
      access logs go to the log group deleted, which does not exist
      fix: Create the log group or Firehose stream the stage's access_log_settings.destination_arn names, or point it at one that exists.
  [failed] the execution-log group API-Gateway-Execution-Logs_<id>/<stage> exists
      execution logging is on but the log group API-Gateway-Execution-Logs_{stage.api_id}/prod does not exist: no request has been logged yet, or API Gateway cannot write to CloudWatch Logs
      fix: Send a request and check again; if the group still does not appear, check the account's CloudWatch role and STS.

What API Gateway never writes to execution logs, and where to look instead:
  - 403 Missing Authentication Token (a wrong resource path or method): only in access logs: turn access logging on and look for status 403 there
  - 413 Request Entity Too Large: no log at all: the client sees it; watch the 4XXError metric
  - 429 Too Many Requests beyond the throttling limits: no log for the excess requests: watch the 4XXError and Count metrics and the usage plan
  - 4xx sent to a custom domain that has no API mapping: no log in any stage: check the custom domain's API mappings
  - 5xx caused by API Gateway internal errors: no execution log: watch the 5XXError metric, and AWS Health
"""


def test_no_account_role_leaves_the_role_steps_unchecked(aws, capsys):
    stage = aws.rest_stage(settings={"logging/loglevel": "INFO", "metrics/enabled": "true"})
    aws.execution_log_group(stage)
    code, out, _ = doctor(capsys, aws, stage, "--format", "json")
    steps = json.loads(out)["steps"]
    assert code == 1
    assert [(s["step"], s["status"]) for s in steps[:5]] == [
        ("the account region has a CloudWatch role (cloudwatchRoleArn)", "failed"),
        ("the CloudWatch role exists", "could not check"),
        ("the role trusts apigateway.amazonaws.com", "could not check"),
        ("the role allows the seven CloudWatch Logs actions", "could not check"),
        ("STS is active in the region", "passed"),
    ]
    assert steps[0]["fix"] == "Set the API Gateway account settings' CloudWatch role for this region (aws_api_gateway_account.cloudwatch_role_arn)."
    assert [s["status"] for s in steps[-2:]] == ["passed", "passed"]
    assert [n["what"] for n in json.loads(out)["never_logged"]][0] == "403 Missing Authentication Token (a wrong resource path or method)"


def test_steps_about_what_an_earlier_step_found_missing_are_not_passed(aws, capsys):
    """No method settings and no access log: the level, the destination and the
    execution-log group have nothing to be checked on, so they do not pass."""
    aws.account_role(aws.role())
    stage = aws.rest_stage(access_log=False)
    code, out, _ = doctor(capsys, aws, stage, "--format", "json")
    steps = {s["step"]: (s["status"], s["details"]) for s in json.loads(out)["steps"]}
    assert code == 1
    assert steps["execution logging is on for the whole stage (*/*)"][0] == "failed"
    assert steps["the stage-wide logging level is INFO"] == ("could not check", ["execution logging is off for the whole stage"])
    assert steps["access logging is on, with a valid destination and format"][0] == "failed"
    assert steps["the access-log destination (log group or Firehose stream) exists"] == (
        "could not check", ["the stage has no valid access-log destination"])
    assert steps["the execution-log group API-Gateway-Execution-Logs_<id>/<stage> exists"] == (
        "could not check", ["execution logging is off for the whole stage"])


def test_an_unknown_stage_is_one_line_and_exit_2(aws, capsys):
    stage = aws.rest_stage()
    code = main(["doctor", "--endpoint-url", aws.url, "--region", REGION, "--rest-api-id", stage.api_id, "--stage", "dev"])
    assert code == 2
    assert capsys.readouterr().err == f"tf-apigw-lint: doctor: REST API {stage.api_id} has no stage 'dev' in {REGION}\n"


def test_doctor_needs_the_api_and_the_stage(capsys):
    assert main(["doctor", "--stage", "prod"]) == 2
    assert capsys.readouterr().err == "tf-apigw-lint: doctor: --rest-api-id and --stage are required\n"


def test_a_stage_that_cannot_be_read_passes_no_step_about_it(aws, capsys):
    from fault_proxy import Fault, FaultProxy

    aws.account_role(aws.role())
    stage = aws.rest_stage(settings={"logging/loglevel": "INFO", "metrics/enabled": "true"})
    with FaultProxy(aws.url) as proxy:
        proxy.faults.append(Fault("apigateway", "denied", "/stages"))
        code = main(["doctor", "--endpoint-url", proxy.url, "--region", REGION, "--rest-api-id", stage.api_id,
                     "--stage", "prod", "--format", "json"])
    steps = json.loads(capsys.readouterr().out)["steps"]
    assert code == 0
    assert [s["status"] for s in steps] == ["passed"] * 5 + ["could not check"] * 8
    assert steps[5]["details"] == [
        f"GetStages failed: AccessDeniedException: User is not authorized; not checked: the stages of REST API {stage.api_id}"
    ]
