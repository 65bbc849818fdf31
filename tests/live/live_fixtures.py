"""Constants and the deployer the live tests share (importable: the test folder is on sys.path)."""

from __future__ import annotations

import json
from dataclasses import dataclass


ACCOUNT = "123456789012"
REGION = "us-east-1"
APIGW_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "apigateway.amazonaws.com"}}],
}
LOG_ACTIONS = [
    "logs:CreateLogGroup",
    "logs:CreateLogStream",
    "logs:DescribeLogGroups",
    "logs:DescribeLogStreams",
    "logs:PutLogEvents",
    "logs:GetLogEvents",
    "logs:FilterLogEvents",
]
PUSH_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
ACCESS_FORMAT = '{"requestId":"$context.requestId","status":"$context.status"}'

# The Terraform configuration of what `Deployer.rest_stage()` deploys with INFO and metrics.
CONFIGURATION = """\
resource "aws_cloudwatch_log_group" "access" {
  name              = "/apigw/pets/prod"
  retention_in_days = 30
}

resource "aws_api_gateway_rest_api" "api" {
  name = "pets"
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = "d1"
  stage_name    = "prod"
  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format          = jsonencode({ requestId = "$context.requestId", status = "$context.status" })
  }
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"
  settings {
    logging_level   = "INFO"
    metrics_enabled = true
  }
}
"""


@dataclass
class RestStage:
    api_id: str
    stage: str

    @property
    def address(self) -> str:
        return f"aws:{ACCOUNT}:{REGION}:restapi/{self.api_id}/stage/{self.stage}"

    def method_settings_address(self, path: str = "*/*") -> str:
        return f"{self.address}/method-settings/{path}"


class Deployer:
    """Deploys into the emulator what a test needs, with boto3 writes (the product only reads)."""

    def __init__(self, url: str, account: str | None = None, credentials: dict | None = None):
        self.url = url
        self.account = account or ACCOUNT
        self.credentials = credentials or {}

    def client(self, service: str, region: str = REGION):
        import boto3

        return boto3.client(service, endpoint_url=self.url, region_name=region, **self.credentials)

    def in_account(self, account: str) -> "Deployer":
        """Writes into another account, through an assumed role as moto maps it."""
        answer = self.client("sts").assume_role(RoleArn=f"arn:aws:iam::{account}:role/deployer", RoleSessionName="deployer")
        credentials = answer["Credentials"]
        return Deployer(
            self.url,
            account,
            {
                "aws_access_key_id": credentials["AccessKeyId"],
                "aws_secret_access_key": credentials["SecretAccessKey"],
                "aws_session_token": credentials["SessionToken"],
            },
        )

    def role(self, name="apigw-logs", trust=APIGW_TRUST, actions=LOG_ACTIONS, managed=False) -> str:
        iam = self.client("iam")
        arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
        if managed:
            iam.attach_role_policy(RoleName=name, PolicyArn=PUSH_POLICY_ARN)
        elif actions:
            document = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}
            iam.put_role_policy(RoleName=name, PolicyName="logs", PolicyDocument=json.dumps(document))
        return arn

    def account_role(self, arn: str, region: str = REGION) -> None:
        self.client("apigateway", region).update_account(
            patchOperations=[{"op": "replace", "path": "/cloudwatchRoleArn", "value": arn}]
        )

    def log_group(self, name: str, retention: int | None = 30, region: str = REGION) -> str:
        logs = self.client("logs", region)
        logs.create_log_group(logGroupName=name)
        if retention is not None:
            logs.put_retention_policy(logGroupName=name, retentionInDays=retention)
        return f"arn:aws:logs:{region}:{self.account}:log-group:{name}"

    def delivery_stream(self, name: str, region: str = REGION) -> str:
        """A Firehose stream into an S3 bucket, as API Gateway access logs may use."""
        self.client("s3", region).create_bucket(Bucket=f"{name}-bucket")
        stream = self.client("firehose", region).create_delivery_stream(
            DeliveryStreamName=name, DeliveryStreamType="DirectPut",
            ExtendedS3DestinationConfiguration={
                "RoleARN": f"arn:aws:iam::{self.account}:role/firehose", "BucketARN": f"arn:aws:s3:::{name}-bucket",
            },
        )
        return stream["DeliveryStreamARN"]

    def rest_stage(self, name="pets", stage="prod", settings=None, overrides=None, access_log=True, region=REGION) -> RestStage:
        """A REST API with one GET method and one stage. `settings` patch the stage-wide
        method settings (`{"logging/loglevel": "INFO"}`); `overrides` per method path
        (`{"pets/GET": {"logging/loglevel": "OFF"}}`); `access_log` True creates the access-log
        group, a string is a destination ARN as is, False means none."""
        apigw = self.client("apigateway", region)
        api = apigw.create_rest_api(name=name)["id"]
        root = apigw.get_resources(restApiId=api)["items"][0]["id"]
        apigw.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE")
        apigw.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="MOCK")
        deployment = apigw.create_deployment(restApiId=api)["id"]
        apigw.create_stage(restApiId=api, stageName=stage, deploymentId=deployment)
        patches = []
        for key, value in (settings or {}).items():
            patches.append({"op": "replace", "path": f"/*/*/{key}", "value": value})
        for path, changes in (overrides or {}).items():
            for key, value in changes.items():
                resource, method = path.rsplit("/", 1)
                escaped = ("/" + resource).replace("/", "~1")
                patches.append({"op": "replace", "path": f"/{escaped}/{method}/{key}", "value": value})
        if access_log:
            destination = access_log if isinstance(access_log, str) else self.log_group(f"/apigw/{name}/{stage}", region=region)
            patches.append({"op": "replace", "path": "/accessLogSettings/destinationArn", "value": destination})
            patches.append({"op": "replace", "path": "/accessLogSettings/format", "value": ACCESS_FORMAT})
        if patches:
            apigw.update_stage(restApiId=api, stageName=stage, patchOperations=patches)
        return RestStage(api, stage)

    def execution_log_group(self, stage: RestStage, retention: int | None = 30) -> None:
        self.log_group(f"API-Gateway-Execution-Logs_{stage.api_id}/{stage.stage}", retention)

    def correct(self, name="pets", stage="prod") -> RestStage:
        """The setup the §1 checklist asks for: role, account, INFO logging, metrics, access
        logs, both log groups with retention."""
        self.account_role(self.role())
        deployed = self.rest_stage(name, stage, settings={"logging/loglevel": "INFO", "metrics/enabled": "true"})
        self.execution_log_group(deployed)
        return deployed
