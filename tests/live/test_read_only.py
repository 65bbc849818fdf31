"""The live commands only read: botocore's own event hooks record every operation they make
against the emulator, and anything that is not a read fails the test. Credentials and
secret-looking environment values never appear in what they print."""

from __future__ import annotations

import json
import re

from fault_proxy import Fault, FaultProxy
from live_fixtures import ACCOUNT, CONFIGURATION, REGION

import tf_apigw_lint.live.aws as aws_module
from tf_apigw_lint.cli import main

READ = re.compile(r"(Get|List|Describe)[A-Za-z]+|GetCallerIdentity|AssumeRole")


def _deploy_everything(aws) -> str:
    """A deployment that makes the commands use every read they have."""
    iam = aws.client("iam")
    document = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "logs:*", "Resource": "*"}]}
    policy = iam.create_policy(PolicyName="apigw-logs", PolicyDocument=json.dumps(document))["Policy"]["Arn"]
    role = aws.role()
    iam.attach_role_policy(RoleName="apigw-logs", PolicyArn=policy)
    aws.account_role(role)
    stage = aws.rest_stage(settings={"logging/loglevel": "INFO", "metrics/enabled": "true"})
    aws.rest_stage("orders", access_log=aws.delivery_stream("amazon-apigateway-orders"))
    v2 = aws.client("apigatewayv2")
    api = v2.create_api(Name="chat", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")["ApiId"]
    v2.create_stage(ApiId=api, StageName="prod", DefaultRouteSettings={"LoggingLevel": "INFO"})
    organizations = aws.client("organizations")
    organizations.create_organization(FeatureSet="ALL")
    organizations.create_account(AccountName="member", Email="member@example.com")
    return stage.api_id


def test_every_call_the_commands_make_is_a_read(aws, capsys, monkeypatch, tmp_path):
    api_id = _deploy_everything(aws)
    (tmp_path / "main.tf").write_text(CONFIGURATION)
    recorded: list[str] = []
    sent: list[str] = []
    create = aws_module.new_botocore_session

    def recording_session(profile):
        session = create(profile)
        session.register("before-call", lambda model, **_: recorded.append(model.name))
        session.register("before-send", lambda request, **_: sent.append(request.url))
        return session

    monkeypatch.setattr(aws_module, "new_botocore_session", recording_session)
    common = ["--endpoint-url", aws.url, "--region", REGION, "--region", "eu-west-1", "--format", "json"]
    assert main(["live", *common, "--org-role", "OrganizationAccountAccessRole"]) in (0, 1)
    assert main(["doctor", "--endpoint-url", aws.url, "--region", REGION, "--rest-api-id", api_id, "--stage", "prod"]) in (0, 1)
    assert main(["drift", str(tmp_path), *common]) in (0, 1)
    capsys.readouterr()
    not_reads = sorted({operation for operation in recorded if not READ.fullmatch(operation)})
    assert not_reads == []
    assert {"GetCallerIdentity", "AssumeRole", "ListAccounts", "GetAccount", "GetRestApis", "GetStages", "GetApis",
            "GetRole", "ListRolePolicies", "GetRolePolicy", "ListAttachedRolePolicies", "GetPolicy",
            "GetPolicyVersion", "DescribeLogGroups", "DescribeDeliveryStream"} <= set(recorded)
    # Every request went to the emulator, none anywhere else.
    assert sent and all(url.startswith(aws.url) for url in sent)


def test_credentials_and_secrets_never_appear_in_output(aws, capsys, monkeypatch):
    secrets = {
        "AWS_ACCESS_KEY_ID": "AKIAEXAMPLESECRETKEY",
        "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI-K7MDENG-bPxRfiCYzzSECRET",
        "AWS_SESSION_TOKEN": "FwoGZXIvYXdzEXAMPLESESSIONTOKENSECRET",
        "GITHUB_TOKEN": "ghp_exampleexampleexampleSECRET",
    }
    for name, value in secrets.items():
        monkeypatch.setenv(name, value)
    aws.correct()
    with FaultProxy(aws.url) as proxy:
        proxy.faults += [Fault("iam", "denied", "GetRole"), Fault("sts", "region-disabled", "GetCallerIdentity", region="eu-west-1")]
        outputs = []
        for fmt in ("text", "json", "sarif"):
            main(["live", "--endpoint-url", proxy.url, "--region", REGION, "--region", "eu-west-1", "--format", fmt])
            outputs.append(capsys.readouterr())
    printed = "".join(o.out + o.err for o in outputs)
    assert "LIVE006" in printed and "LIVE002" in printed
    assert [name for name, value in secrets.items() if value in printed] == []
    assert f"aws:{ACCOUNT}:global:role/apigw-logs" in printed
