"""Terraform, git and package-index helpers shared by the integration tests."""

from __future__ import annotations

import fnmatch
import os
import shutil
import textwrap
from pathlib import Path

# pip's words when the package index cannot be reached or lacks a dependency: only then is
# a failed install a reason to skip a test rather than a failure of what it installs.
INDEX_TROUBLE = (
    "Could not find a version",
    "No matching distribution",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "ProxyError",
    "Read timed out",
)

ACCOUNT_TF = textwrap.dedent(
    """\
    resource "aws_iam_role" "apigw_cloudwatch" {
      name = "apigw-cloudwatch"
      assume_role_policy = jsonencode({
        Version = "2012-10-17"
        Statement = [{
          Effect    = "Allow"
          Action    = "sts:AssumeRole"
          Principal = { Service = "apigateway.amazonaws.com" }
        }]
      })
      managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"]
    }

    resource "aws_api_gateway_account" "this" {
      cloudwatch_role_arn = aws_iam_role.apigw_cloudwatch.arn
    }
    """
)

_ACCESS_LOGS = """
  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format          = jsonencode({ requestId = "$context.requestId", status = "$context.status" })
  }
"""


def api_tf(*, access_logs: bool) -> str:
    """A REST API stage with execution logging at INFO; without access logging when asked."""
    return textwrap.dedent(
        """\
        resource "aws_api_gateway_rest_api" "this" {
          name = "orders"
        }

        resource "aws_api_gateway_deployment" "this" {
          rest_api_id = aws_api_gateway_rest_api.this.id
        }

        resource "aws_cloudwatch_log_group" "access" {
          name              = "/aws/apigateway/orders"
          retention_in_days = 30
        }

        resource "aws_cloudwatch_log_group" "execution" {
          name              = "API-Gateway-Execution-Logs_${aws_api_gateway_rest_api.this.id}/prod"
          retention_in_days = 30
        }

        resource "aws_api_gateway_stage" "this" {
          rest_api_id   = aws_api_gateway_rest_api.this.id
          deployment_id = aws_api_gateway_deployment.this.id
          stage_name    = "prod"
        """
    ) + (_ACCESS_LOGS if access_logs else "") + textwrap.dedent(
        """\
        }

        resource "aws_api_gateway_method_settings" "all" {
          rest_api_id = aws_api_gateway_rest_api.this.id
          stage_name  = aws_api_gateway_stage.this.stage_name
          method_path = "*/*"
          depends_on  = [aws_api_gateway_account.this]

          settings {
            logging_level   = "INFO"
            metrics_enabled = true
          }
        }
        """
    )


def stage_range(text: str) -> tuple[int, int]:
    """First and last line of the `aws_api_gateway_stage` block in `text`."""
    lines = text.splitlines()
    first = next(n for n, line in enumerate(lines, 1) if line.startswith('resource "aws_api_gateway_stage"'))
    last = next(n for n, line in enumerate(lines, 1) if n > first and line == "}")
    return first, last


def clean_git_environment(**extra: str) -> dict[str, str]:
    """The environment for git in a temporary repository: none of the GIT_* variables of a
    git process we may run inside, no user or system git configuration, a fixed identity."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    environ.update(
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Test",
        GIT_AUTHOR_EMAIL="test@example.com",
        GIT_COMMITTER_NAME="Test",
        GIT_COMMITTER_EMAIL="test@example.com",
    )
    environ.update(extra)
    return environ



SOURCE_TREE = Path(__file__).resolve().parents[2]


def copy_working_tree(destination: Path) -> Path:
    """This working tree without its virtualenv, git data and build leftovers: what a clean
    checkout holds (tests install from it)."""

    def ignored(directory: str, names: list[str]) -> set[str]:
        skip = {n for n in names if n == "__pycache__" or fnmatch.fnmatch(n, "*.egg-info")}
        if Path(directory) == SOURCE_TREE:
            skip |= {".venv", ".git", ".pytest_cache", "build", "dist"} & set(names)
        return skip

    shutil.copytree(SOURCE_TREE, destination, ignore=ignored)
    return destination
