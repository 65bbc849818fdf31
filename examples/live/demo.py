"""`make demo-live`: the live commands against a local AWS emulator, no AWS account needed.

Starts moto in server mode on 127.0.0.1, deploys a REST API whose logging is broken in the
ways SPEC §1 lists (the account's role trusts the wrong service, the stage logs only errors
with data trace on, one method turns logging off, access logs go to a group that does not
exist), changes the stage after "deployment" so that it drifts from the Terraform below, then
runs `tf-apigw-lint live`, `drift` and `doctor` against it. Fake credentials only; nothing
leaves the machine.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

REGION = "us-east-1"

TERRAFORM = """\
resource "aws_api_gateway_rest_api" "api" {
  name = "pets"
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = "d1"
  stage_name    = "prod"
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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _deploy(url: str) -> str:
    import boto3

    def client(service):
        return boto3.client(service, endpoint_url=url, region_name=REGION)

    iam = client("iam")
    trust = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "lambda.amazonaws.com"}}]}
    role = iam.create_role(RoleName="apigw-logs", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    apigw = client("apigateway")
    apigw.update_account(patchOperations=[{"op": "replace", "path": "/cloudwatchRoleArn", "value": role}])
    api = apigw.create_rest_api(name="pets")["id"]
    root = apigw.get_resources(restApiId=api)["items"][0]["id"]
    apigw.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE")
    apigw.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="MOCK")
    deployment = apigw.create_deployment(restApiId=api)["id"]
    apigw.create_stage(restApiId=api, stageName="prod", deploymentId=deployment)
    missing_group = f"arn:aws:logs:{REGION}:123456789012:log-group:/apigw/pets/deleted"
    apigw.update_stage(restApiId=api, stageName="prod", patchOperations=[
        {"op": "replace", "path": "/*/*/logging/loglevel", "value": "ERROR"},
        {"op": "replace", "path": "/*/*/logging/dataTrace", "value": "true"},
        {"op": "replace", "path": "/*/*/metrics/enabled", "value": "true"},
        {"op": "replace", "path": "/~1pets/GET/logging/loglevel", "value": "OFF"},
        {"op": "replace", "path": "/accessLogSettings/destinationArn", "value": missing_group},
        {"op": "replace", "path": "/accessLogSettings/format", "value": "$context.requestId"},
    ])
    return api


def _run(*argv: str) -> int:
    print(f"\n$ tf-apigw-lint {' '.join(argv)}", flush=True)
    command = [sys.executable, "-m", "tf_apigw_lint", *argv]
    return subprocess.run(command, env=os.environ, check=False).returncode


def main() -> int:
    os.environ.update(
        AWS_ACCESS_KEY_ID="demo", AWS_SECRET_ACCESS_KEY="demo", AWS_DEFAULT_REGION=REGION,
        AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull, AWS_EC2_METADATA_DISABLED="true",
    )
    os.environ.pop("AWS_PROFILE", None)
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    url = f"http://127.0.0.1:{port}"
    try:
        api = _deploy(url)
        with tempfile.TemporaryDirectory() as configuration:
            Path(configuration, "main.tf").write_text(TERRAFORM)
            codes = [
                _run("live", "--endpoint-url", url, "--region", REGION, "--color", "never"),
                _run("drift", configuration, "--endpoint-url", url, "--region", REGION, "--color", "never", "--fail-on", "warning"),
                _run("doctor", "--endpoint-url", url, "--region", REGION, "--rest-api-id", api, "--stage", "prod"),
            ]
    finally:
        server.stop()
    # Each command found what was broken: exit code 1, not 0 (nothing found) or 2 (an error).
    if codes != [1, 1, 1]:
        print(f"\ndemo-live: unexpected exit codes {codes}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
