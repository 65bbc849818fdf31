"""Reads one account region through a `Reader` into a `LiveConfiguration`.

What is deployed becomes resources (see `configuration`); what the reads establish that
no Terraform resource can say becomes a diagnostic for a LIVE rule: the account's role does
not exist (LIVE001), STS is not active in the region (LIVE002), the access-log destination does not
exist (LIVE003), execution logging is on but its log group is absent (LIVE004), a read failed
(LIVE006, with the check it feeds named as not done). A failed read never ends the run.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any, Callable, Sequence, TypeVar

from tf_apigw_lint.live.configuration import LiveBlock, LiveConfiguration
from tf_apigw_lint.live.reader import CallFailed, Document, Reader, RegionDisabled
from tf_apigw_lint.view.values import Unknown, Value

T = TypeVar("T")

# AWS managed policies whose content the IAM analysis knows by ARN: nothing to fetch.
KNOWN_MANAGED_POLICIES = frozenset({"service-role/AmazonAPIGatewayPushToCloudWatchLogs"})
EXECUTION_LOG_GROUP = "API-Gateway-Execution-Logs_{api_id}/{stage}"

_ROLE_ARN = re.compile(r"arn:[a-z-]+:iam::(\d*):role/(?:.*/)?([^/]+)")
_AWS_MANAGED_ARN = re.compile(r"arn:[a-z-]+:iam::aws:policy/(.+)")
_LOG_GROUP_ARN = re.compile(r"arn:[a-z-]+:logs:([a-z0-9-]+):(\d+):log-group:([^:]+)(?::\*)?")
_DELIVERY_STREAM_ARN = re.compile(r"arn:[a-z-]+:firehose:([a-z0-9-]+):(\d+):deliverystream/([^/:]+)")

# Method settings as AWS names them → as Terraform's `settings` block names them.
_METHOD_SETTINGS = {
    "loggingLevel": "logging_level",
    "dataTraceEnabled": "data_trace_enabled",
    "metricsEnabled": "metrics_enabled",
    "throttlingBurstLimit": "throttling_burst_limit",
    "throttlingRateLimit": "throttling_rate_limit",
    "cachingEnabled": "caching_enabled",
    "cacheTtlInSeconds": "cache_ttl_in_seconds",
    "cacheDataEncrypted": "cache_data_encrypted",
    "requireAuthorizationForCacheControl": "require_authorization_for_cache_control",
    "unauthorizedCacheControlHeaderStrategy": "unauthorized_cache_control_header_strategy",
}
_ROUTE_SETTINGS = {
    "LoggingLevel": "logging_level",
    "DataTraceEnabled": "data_trace_enabled",
    "DetailedMetricsEnabled": "detailed_metrics_enabled",
    "ThrottlingBurstLimit": "throttling_burst_limit",
    "ThrottlingRateLimit": "throttling_rate_limit",
}


@dataclass(frozen=True)
class Scope:
    """Which APIs and stages to read (`--rest-api-id`, `--stage`); None reads all."""

    api_id: str | None = None
    stage: str | None = None


def method_path(key: str) -> str:
    """A `methodSettings` key as Terraform's `method_path`: AWS escapes `/` in resource paths
    as `~1` and may keep the path's leading `/`; `*/*` is the stage default."""
    path = key.replace("~1", "/")
    return path[1:] if path.startswith("/") else path


def _settings(answer: dict[str, Any], names: dict[str, str]) -> dict[str, Value]:
    return {names[key]: value for key, value in answer.items() if key in names}


class _Build:
    def __init__(self, reader: Reader, configuration: LiveConfiguration, scope: Scope, workers: int):
        self.reader = reader
        self.configuration = configuration
        self.scope = scope
        self.workers = workers

    def read(self, operation: Callable[[], T], check: str, where: str) -> T | CallFailed:
        """The answer, or the failure recorded as LIVE006 naming the check not done."""
        try:
            return operation()
        except CallFailed as failure:
            self.configuration.note("LIVE006", f"{failure}; not checked: {check}", where)
            return failure

    # -- account, STS, role ------------------------------------------------------

    def sts(self) -> None:
        where = self.configuration.address("sts")
        try:
            self.reader.get_caller_identity()
        except RegionDisabled as failure:
            self.configuration.note(
                "LIVE002",
                f"STS is not active in {self.reader.region} ({failure.reason}): API Gateway cannot assume the "
                "CloudWatch role there",
                where,
            )
        except CallFailed as failure:
            self.configuration.note("LIVE006", f"{failure}; not checked: STS active in {self.reader.region}", where)

    def account(self) -> None:
        answer = self.read(self.reader.get_account, "the account's CloudWatch role", self.configuration.address("account"))
        role_arn: Value = (
            Unknown(f"the account settings could not be read: {answer}") if isinstance(answer, CallFailed) else answer.get("cloudwatchRoleArn")
        )
        self.configuration.add("aws_api_gateway_account", "account", "account", {"cloudwatch_role_arn": role_arn or None})
        if isinstance(role_arn, str) and role_arn:
            self.role(role_arn)

    def role(self, arn: str) -> None:
        match = _ROLE_ARN.fullmatch(arn)
        where = self.configuration.address("account")
        if match is None:
            self.configuration.note("LIVE001", f"cloudwatchRoleArn {arn} is not an IAM role ARN", where)
            return
        name = match.group(2)
        path = f"role/{name}"
        role_address = self.configuration.address(path, "global")
        owner = match.group(1)
        if owner and owner != self.configuration.account:
            # These credentials read this account's IAM: a role of the same name here is another role.
            values: dict[str, Value] = {"name": name, "arn": arn}
            reason = f"the role is in account {owner}, these credentials read account {self.configuration.account}"
            values["assume_role_policy"] = values["managed_policy_arns"] = Unknown(f"the role could not be read: {reason}")
            self.configuration.add("aws_iam_role", path, name, values, region="global")
            self.configuration.note("LIVE006", f"{reason}; not checked: the CloudWatch role {name}", role_address)
            return
        answer = self.read(lambda: self.reader.get_role(name), f"the CloudWatch role {name}", role_address)
        if answer is None:
            self.configuration.note("LIVE001", f"cloudwatchRoleArn names the role {name}, which does not exist", where)
            return
        values = {"name": name, "arn": arn}
        if isinstance(answer, CallFailed):
            values["assume_role_policy"] = Unknown(f"the role could not be read: {answer}")
            values["managed_policy_arns"] = Unknown(f"the role could not be read: {answer}")
            self.configuration.add("aws_iam_role", path, name, values, region="global")
            return
        values["assume_role_policy"] = answer.get("AssumeRolePolicyDocument")
        values["path"] = answer.get("Path", "/")
        if answer.get("PermissionsBoundary"):
            values["permissions_boundary"] = answer["PermissionsBoundary"].get("PermissionsBoundaryArn")
        attached = self.read(lambda: self.reader.list_attached_role_policies(name), f"the policies of the role {name}", role_address)
        if isinstance(attached, CallFailed):
            values["managed_policy_arns"] = Unknown(f"the attached policies could not be read: {attached}")
        else:
            values["managed_policy_arns"] = [policy["PolicyArn"] for policy in attached]
            for policy in attached:
                self.managed_policy(policy["PolicyArn"])
        inline = self.inline_policies(name, role_address)
        self.configuration.add("aws_iam_role", path, name, values, {"inline_policy": inline}, region="global")

    def inline_policies(self, role: str, role_address: str) -> list[LiveBlock]:
        names = self.read(lambda: self.reader.list_role_policies(role), f"the inline policies of the role {role}", role_address)
        if isinstance(names, CallFailed):
            return [LiveBlock({"name": None, "policy": Unknown(f"the inline policies could not be read: {names}")})]
        blocks = []
        for policy_name in names:
            document = self.read(lambda: self.reader.get_role_policy(role, policy_name), f"the inline policy {policy_name}", role_address)
            policy: Value = Unknown(f"the inline policy could not be read: {document}") if isinstance(document, CallFailed) else document
            blocks.append(LiveBlock({"name": policy_name, "policy": policy}))
        return blocks

    def managed_policy(self, arn: str) -> None:
        """Customer managed policies, and AWS managed ones whose content the analysis does not
        know by ARN, as `aws_iam_policy` resources with their default version's document."""
        aws_managed = _AWS_MANAGED_ARN.fullmatch(arn)
        if aws_managed is not None and aws_managed.group(1) in KNOWN_MANAGED_POLICIES:
            return
        path_and_name = arn.split(":policy/", 1)[-1]
        where = self.configuration.address(f"policy/{path_and_name}", "global")
        policy = self.read(lambda: self.reader.get_policy(arn), f"the policy {arn}", where)
        if policy is None or isinstance(policy, CallFailed):
            return
        document = self.read(
            lambda: self.reader.get_policy_version(arn, policy["DefaultVersionId"]), f"the policy {arn}", where
        )
        values: dict[str, Value] = {
            "name": policy.get("PolicyName"),
            "path": policy.get("Path", "/"),
            "arn": arn,
            "policy": Unknown(f"the policy could not be read: {document}") if isinstance(document, CallFailed) else document,
        }
        self.configuration.add("aws_iam_policy", f"policy/{path_and_name}", path_and_name, values, region="global")

    # -- log groups ----------------------------------------------------------------

    def log_group(self, name: str, check: str, where: str) -> bool | None:
        """Whether the group exists in this region (recorded as a resource when it does);
        None when that could not be read."""
        groups = self.read(lambda: self.reader.describe_log_groups(name), check, where)
        if isinstance(groups, CallFailed):
            return None
        for group in groups:
            if group.get("logGroupName") == name:
                arn = group.get("arn", "").removesuffix(":*") or f"arn:aws:logs:{self.reader.region}:{self.configuration.account}:log-group:{name}"
                self.configuration.add(
                    "aws_cloudwatch_log_group",
                    f"log-group/{name}",
                    name,
                    {"name": name, "arn": arn, "retention_in_days": group.get("retentionInDays")},
                )
                return True
        return False

    def access_log_destination(self, destination: str, stage_address: str) -> None:
        """LIVE003 when the log group or Firehose stream the stage sends its access logs to does
        not exist. A destination in another account or region is not read (these credentials
        read this account region; APIGW202 reports one in another region), nor an ARN the
        access-log rules already report as invalid."""
        if (group := _LOG_GROUP_ARN.fullmatch(destination)) is not None:
            region, account, name = group.groups()
            if (region, account) == (self.reader.region, self.configuration.account):
                exists = self.log_group(name, f"whether the access-log group {name} exists", stage_address)
                if exists is False:
                    self.configuration.note("LIVE003", f"access logs go to the log group {name}, which does not exist", stage_address)
        elif (stream := _DELIVERY_STREAM_ARN.fullmatch(destination)) is not None:
            region, account, name = stream.groups()
            if (region, account) == (self.reader.region, self.configuration.account):
                found = self.read(
                    lambda: self.reader.describe_delivery_stream(name), f"whether the Firehose stream {name} exists", stage_address,
                )
                if found is None:
                    self.configuration.note(
                        "LIVE003", f"access logs go to the Firehose stream {name}, which does not exist", stage_address,
                    )

    def execution_log_group(self, api_id: str, stage: str, stage_address: str, logging_on: bool) -> None:
        name = EXECUTION_LOG_GROUP.format(api_id=api_id, stage=stage)
        exists = self.log_group(name, f"whether the execution-log group {name} exists", stage_address)
        if exists is False and logging_on:
            self.configuration.note(
                "LIVE004",
                f"execution logging is on but the log group {name} does not exist: no request has been logged yet, "
                "or API Gateway cannot write to CloudWatch Logs",
                stage_address,
            )

    # -- REST APIs -------------------------------------------------------------------

    def rest_apis(self) -> None:
        apis = self.read(self.reader.get_rest_apis, "REST APIs and their stages", self.configuration.address("restapis"))
        if isinstance(apis, CallFailed):
            return
        chosen = [api for api in apis if self.scope.api_id in (None, api["id"])]
        answers = self._in_parallel([partial(self.rest_stages_of, api["id"]) for api in chosen])
        for api, stages in zip(chosen, answers):
            api_path = f"restapi/{api['id']}"
            self.configuration.add("aws_api_gateway_rest_api", api_path, api.get("name") or api["id"], {"id": api["id"], "name": api.get("name")})
            if isinstance(stages, CallFailed):
                continue
            for stage in stages:
                if self.scope.stage in (None, stage["stageName"]):
                    self.rest_stage(api["id"], api_path, stage)

    def rest_stages_of(self, api_id: str) -> Sequence[Document] | CallFailed:
        return self.read(lambda: self.reader.get_stages(api_id), f"the stages of REST API {api_id}", self.configuration.address(f"restapi/{api_id}"))

    def rest_stage(self, api_id: str, api_path: str, stage: Document) -> None:
        stage_name = stage["stageName"]
        stage_path = f"{api_path}/stage/{stage_name}"
        api_address = self.configuration.address(api_path)
        nested: dict[str, list[LiveBlock]] = {}
        access = stage.get("accessLogSettings") or {}
        if access.get("destinationArn"):
            nested["access_log_settings"] = [LiveBlock({"destination_arn": access["destinationArn"], "format": access.get("format")})]
        values = {
            "rest_api_id": api_id,
            "stage_name": stage_name,
            "deployment_id": stage.get("deploymentId"),
            "xray_tracing_enabled": stage.get("tracingEnabled", False),
        }
        resource = self.configuration.add("aws_api_gateway_stage", stage_path, stage_name, values, nested, {"rest_api_id": api_address})
        logging_on = False
        for key, settings in (stage.get("methodSettings") or {}).items():
            path = method_path(key)
            mapped = _settings(settings, _METHOD_SETTINGS)
            logging_on = logging_on or mapped.get("logging_level") in ("ERROR", "INFO") or mapped.get("data_trace_enabled") is True
            self.configuration.add(
                "aws_api_gateway_method_settings",
                f"{stage_path}/method-settings/{path}",
                path,
                {"rest_api_id": api_id, "stage_name": stage_name, "method_path": path},
                {"settings": [LiveBlock(mapped)]},
                {"rest_api_id": api_address, "stage_name": resource.address},
            )
        if access.get("destinationArn"):
            self.access_log_destination(access["destinationArn"], resource.address)
        self.execution_log_group(api_id, stage_name, resource.address, logging_on)

    # -- HTTP and WebSocket APIs ----------------------------------------------------------

    def v2_apis(self) -> None:
        apis = self.read(self.reader.get_apis, "HTTP and WebSocket APIs and their stages", self.configuration.address("apis"))
        if isinstance(apis, CallFailed):
            return
        chosen = [api for api in apis if self.scope.api_id in (None, api["ApiId"])]
        answers = self._in_parallel([partial(self.v2_stages_of, api["ApiId"]) for api in chosen])
        for api, stages in zip(chosen, answers):
            api_path = f"api/{api['ApiId']}"
            protocol = api.get("ProtocolType")
            self.configuration.add("aws_apigatewayv2_api", api_path, api.get("Name") or api["ApiId"], {"id": api["ApiId"], "name": api.get("Name"), "protocol_type": protocol})
            if isinstance(stages, CallFailed):
                continue
            for stage in stages:
                if self.scope.stage in (None, stage["StageName"]):
                    self.v2_stage(api["ApiId"], api_path, protocol, stage)

    def v2_stages_of(self, api_id: str) -> Sequence[Document] | CallFailed:
        return self.read(lambda: self.reader.get_v2_stages(api_id), f"the stages of API {api_id}", self.configuration.address(f"api/{api_id}"))

    def v2_stage(self, api_id: str, api_path: str, protocol: str | None, stage: Document) -> None:
        stage_name = stage["StageName"]
        nested: dict[str, list[LiveBlock]] = {}
        access = stage.get("AccessLogSettings") or {}
        if access.get("DestinationArn"):
            nested["access_log_settings"] = [LiveBlock({"destination_arn": access["DestinationArn"], "format": access.get("Format")})]
        default = _route_settings(stage.get("DefaultRouteSettings") or {}, protocol)
        nested["default_route_settings"] = [LiveBlock(default)]
        routes = [LiveBlock({"route_key": key, **_route_settings(settings, protocol)}) for key, settings in (stage.get("RouteSettings") or {}).items()]
        if routes:
            nested["route_settings"] = routes
        values = {"api_id": api_id, "name": stage_name, "auto_deploy": stage.get("AutoDeploy", False), "deployment_id": stage.get("DeploymentId")}
        resource = self.configuration.add(
            "aws_apigatewayv2_stage", f"{api_path}/stage/{stage_name}", stage_name, values, nested, {"api_id": self.configuration.address(api_path)}
        )
        logging_on = protocol == "WEBSOCKET" and any(
            block.attr("logging_level") in ("ERROR", "INFO") or block.attr("data_trace_enabled") is True
            for block in [*nested["default_route_settings"], *routes]
        )
        if access.get("DestinationArn"):
            self.access_log_destination(access["DestinationArn"], resource.address)
        if protocol == "WEBSOCKET":
            self.execution_log_group(api_id, stage_name, resource.address, logging_on)

    def _in_parallel(self, calls: list[Callable[[], T]]) -> list[T]:
        """Many APIs' stages read at once, at most `workers` at a time, answers in order."""
        if len(calls) <= 1 or self.workers <= 1:
            return [call() for call in calls]
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            return list(pool.map(lambda call: call(), calls))


def _route_settings(answer: dict[str, Any], protocol: str | None) -> dict[str, Value]:
    settings = _settings(answer, _ROUTE_SETTINGS)
    if protocol == "HTTP":
        # HTTP APIs have no execution logging; AWS answers OFF / false for "not set".
        if settings.get("logging_level") == "OFF":
            del settings["logging_level"]
        if settings.get("data_trace_enabled") is False:
            del settings["data_trace_enabled"]
    return settings


def read_account_region(
    reader: Reader,
    account: str,
    scope: Scope = Scope(),
    assumed_role: str | None = None,
    workers: int = 4,
) -> LiveConfiguration:
    """Everything the rules need about one account region, read through `reader`."""
    configuration = LiveConfiguration(account, reader.region, assumed_role)
    build = _Build(reader, configuration, scope, workers)
    build.sts()
    build.account()
    build.rest_apis()
    build.v2_apis()
    return configuration
