"""`drift`: the logging settings a Terraform configuration (or plan) expects, compared with
what is deployed; one LIVE005 finding per differing attribute, naming expected and actual.

Expected values come from the configuration through the view every backend offers
(resources by type, evaluated attributes, nested blocks); only known values are compared, so
an attribute the configuration leaves unknown is never called drift. Configuration objects
are matched to deployed ones through the Terraform state when it is given (`terraform.tfstate`
or `terraform show -json`), else by REST API name and stage name.

Compared: the account's CloudWatch role; each stage's access-log destination and format;
for REST stages per method path (the stage default `*/*` and every override) the logging
level, data trace and detailed metrics, and method overrides deployed but not in the
configuration; for HTTP and WebSocket stages the same three in `default_route_settings`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from tf_apigw_lint.live.configuration import LiveConfiguration
from tf_apigw_lint.view.protocol import Diagnostic
from tf_apigw_lint.view.values import Reference, Value, is_known

COMPARED_SETTINGS = ("logging_level", "data_trace_enabled", "metrics_enabled")
# What AWS answers for a setting nobody set.
AWS_DEFAULTS: Mapping[str, Value] = {"logging_level": "OFF", "data_trace_enabled": False, "metrics_enabled": False}


class StateError(Exception):
    """The state file cannot be read; the message names it."""


@dataclass(frozen=True)
class StageKey:
    """How a configured stage is found among deployed ones: by API id (from the state) or
    by API name, and stage name."""

    api_id: str | None
    api_name: str | None
    stage_name: str


@dataclass(frozen=True)
class StageKind:
    """Where REST and v2 (HTTP, WebSocket) stages keep the same things."""

    stage_type: str
    api_type: str
    api_attribute: str
    name_attribute: str


REST = StageKind("aws_api_gateway_stage", "aws_api_gateway_rest_api", "rest_api_id", "stage_name")
V2 = StageKind("aws_apigatewayv2_stage", "aws_apigatewayv2_api", "api_id", "name")
V2_ROUTE_SETTINGS = ("logging_level", "data_trace_enabled", "detailed_metrics_enabled")


def read_state(path: str) -> dict[str, dict[str, Any]]:
    """Resource address → attributes, from `terraform.tfstate` (format 4) or the JSON of
    `terraform show -json`."""
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
    except OSError as error:
        raise StateError(f"--state {path}: {error.strerror or error}") from None
    except json.JSONDecodeError as error:
        raise StateError(f"--state {path}: not JSON (line {error.lineno}): {error.msg}") from None
    if not isinstance(document, dict):
        raise StateError(f"--state {path}: not a Terraform state")
    found: dict[str, dict[str, Any]] = {}
    if "values" in document:  # terraform show -json
        def walk(module: dict) -> None:
            for resource in module.get("resources", []):
                found[resource["address"]] = resource.get("values", {})
            for child in module.get("child_modules", []):
                walk(child)
        walk(document["values"].get("root_module", {}))
    elif "resources" in document:  # terraform.tfstate
        for resource in document["resources"]:
            if resource.get("mode") != "managed":
                continue
            base = ".".join(filter(None, [resource.get("module"), resource["type"], resource["name"]]))
            for instance in resource.get("instances", []):
                key = instance.get("index_key")
                suffix = "" if key is None else f"[{json.dumps(key)}]" if isinstance(key, str) else f"[{key}]"
                found[base + suffix] = instance.get("attributes", {})
    else:
        raise StateError(f"--state {path}: neither terraform.tfstate nor `terraform show -json` output")
    return found


def _by_address(configuration: Any, resource_type: str) -> dict[str, Any]:
    return {r.address: r for r in configuration.resources(resource_type)}


def _text(value: Value) -> str:
    return json.dumps(value) if not isinstance(value, str) else f'"{value}"'


class _Comparison:
    def __init__(self, configuration: Any, deployed: LiveConfiguration, state: Mapping[str, Mapping[str, Any]] | None):
        self.configuration = configuration
        self.deployed = deployed
        self.state = state
        self.found: list[Diagnostic] = []

    def here(self, resource: Any) -> bool:
        """Whether `resource` may be deployed in the account region being compared: its
        provider's region is this one, or not known."""
        region = resource.provider.region
        return not isinstance(region, str) or region == self.deployed.region

    def differ(self, where: str, attribute: str, expected: Value, actual: Value, declared_by: str) -> None:
        if expected != actual:
            self.found.append(
                Diagnostic(
                    "LIVE005",
                    f"{attribute} is {_text(actual)} deployed, {_text(expected)} in the configuration ({declared_by})",
                    None,
                    where,
                )
            )

    def stage_key(self, stage: Any, kind: StageKind = REST) -> StageKey | None:
        name = stage.attr(kind.name_attribute)
        if not isinstance(name, str):
            return None
        if self.state is not None:
            attributes = self.state.get(stage.address)
            if attributes is None:
                return None  # not applied yet: nothing deployed to compare
            return StageKey(attributes.get(kind.api_attribute), None, attributes.get(kind.name_attribute) or name)
        api_id = stage.attr(kind.api_attribute)
        api = _by_address(self.configuration, kind.api_type).get(api_id.address) if isinstance(api_id, Reference) else None
        api_name = api.attr("name") if api is not None else None
        return StageKey(None, api_name, name) if isinstance(api_name, str) else None

    def deployed_stage(self, key: StageKey, kind: StageKind = REST, declared_by: str = "") -> Any:
        found = []
        for api in self.deployed.resources(kind.api_type):
            if key.api_id in (None, api.attr("id")) and key.api_name in (None, api.attr("name")):
                stage = self.deployed.resource(api.address + f"/stage/{key.stage_name}")
                if stage is not None:
                    found.append(stage)
        if len(found) > 1:
            # Matched by name: which deployed API the configuration is, only the state says.
            self.found.append(
                Diagnostic(
                    "LIVE006",
                    f"{len(found)} deployed APIs named \"{key.api_name}\" have a stage \"{key.stage_name}\"; not checked: "
                    f"drift of {declared_by} (give --state to say which is its)",
                    None,
                    self.deployed.address("restapis" if kind is REST else "apis"),
                )
            )
            return None
        return found[0] if found else None

    def account(self) -> None:
        deployed = self.deployed.resources("aws_api_gateway_account")
        if not deployed:
            return
        actual = deployed[0].attr("cloudwatch_role_arn")
        roles = _by_address(self.configuration, "aws_iam_role")
        for account in self.configuration.resources("aws_api_gateway_account"):
            if not self.here(account):
                continue
            expected = account.attr("cloudwatch_role_arn")
            if isinstance(expected, Reference) and expected.address in roles:
                expected_name = roles[expected.address].attr("name")
                actual_name = actual.rsplit("/", 1)[-1] if isinstance(actual, str) else actual
                if isinstance(expected_name, str) and is_known(actual):
                    self.differ(deployed[0].address, "cloudwatch_role_arn (role name)", expected_name, actual_name, account.address)
            elif isinstance(expected, str) and is_known(actual):
                self.differ(deployed[0].address, "cloudwatch_role_arn", expected, actual, account.address)

    def stages(self) -> None:
        settings_by_stage: dict[str, list[Any]] = {}
        # A deployment with a stage_name creates that stage (SPEC §4): compared like one.
        implicit = [d for d in self.configuration.resources("aws_api_gateway_deployment") if d.attr("stage_name")]
        stages = [s for s in [*self.configuration.resources("aws_api_gateway_stage"), *implicit] if self.here(s)]
        for settings in self.configuration.resources("aws_api_gateway_method_settings"):
            for stage in stages:
                if self._settings_apply(settings, stage):
                    settings_by_stage.setdefault(stage.address, []).append(settings)
        for stage in stages:
            key = self.stage_key(stage)
            deployed = self.deployed_stage(key, REST, stage.address) if key is not None else None
            if deployed is None:
                continue
            self.access_logs(stage, deployed)
            self.method_settings(stage, deployed, settings_by_stage.get(stage.address, []))

    def v2_stages(self) -> None:
        for stage in self.configuration.resources(V2.stage_type):
            if not self.here(stage):
                continue
            key = self.stage_key(stage, V2)
            deployed = self.deployed_stage(key, V2, stage.address) if key is not None else None
            if deployed is None:
                continue
            self.access_logs(stage, deployed)
            expected_blocks, actual_blocks = stage.blocks("default_route_settings"), deployed.blocks("default_route_settings")
            for name in V2_ROUTE_SETTINGS:
                expected = expected_blocks[0].attr(name) if expected_blocks else None
                actual = actual_blocks[0].attr(name) if actual_blocks else None
                self.differ_known(deployed.address, f"default_route_settings.{name}", expected, actual, stage.address)

    def _settings_apply(self, settings: Any, stage: Any) -> bool:
        name, api = settings.attr("stage_name"), settings.attr("rest_api_id")
        same_name = name == stage.attr("stage_name") or (isinstance(name, Reference) and name.address == stage.address)
        return same_name and api == stage.attr("rest_api_id")

    def access_logs(self, stage: Any, deployed: Any) -> None:
        expected_blocks, actual_blocks = stage.blocks("access_log_settings"), deployed.blocks("access_log_settings")
        expected = expected_blocks[0] if expected_blocks else None
        actual = actual_blocks[0] if actual_blocks else None
        if expected is None and actual is None:
            return
        if expected is None or actual is None:
            deployed_text, configured_text = ("set", "not set") if actual is not None else ("not set", "set")
            self.found.append(
                Diagnostic(
                    "LIVE005",
                    f"access_log_settings is {deployed_text} deployed, {configured_text} in the configuration ({stage.address})",
                    None,
                    deployed.address,
                )
            )
            return
        self.differ_known(deployed.address, "access_log_settings.format", expected.attr("format"), actual.attr("format"), stage.address)
        destination = expected.attr("destination_arn")
        groups = _by_address(self.configuration, "aws_cloudwatch_log_group")
        if isinstance(destination, Reference) and destination.address in groups:
            name = groups[destination.address].attr("name")
            actual_arn = actual.attr("destination_arn") or ""
            actual_name = actual_arn.split(":log-group:", 1)[-1].removesuffix(":*") if ":log-group:" in actual_arn else actual_arn
            self.differ_known(deployed.address, "access_log_settings.destination_arn (log group)", name, actual_name, stage.address)
        else:
            actual_arn = actual.attr("destination_arn")
            self.differ_known(
                deployed.address, "access_log_settings.destination_arn",
                destination.removesuffix(":*") if isinstance(destination, str) else destination, actual_arn, stage.address,
            )

    def differ_known(self, where: str, attribute: str, expected: Value, actual: Value, declared_by: str) -> None:
        if is_known(expected) and expected is not None:
            self.differ(where, attribute, expected, actual, declared_by)

    def method_settings(self, stage: Any, deployed: Any, configured: Iterable[Any]) -> None:
        deployed_settings = {
            s.attr("method_path"): s for s in self.deployed.resources("aws_api_gateway_method_settings") if s.refers_to("stage_name") == {deployed.address}
        }
        expected_paths = set()
        for settings in configured:
            path = settings.attr("method_path")
            if not isinstance(path, str):
                continue
            expected_paths.add(path)
            actual = deployed_settings.get(path)
            if actual is None and path != "*/*":
                # The method takes the stage-wide settings: the override itself is what differs.
                self.found.append(
                    Diagnostic(
                        "LIVE005",
                        f"method settings {path} are in the configuration ({settings.address}) but not deployed",
                        None,
                        deployed.address,
                    )
                )
                continue
            blocks = settings.blocks("settings")
            for name in COMPARED_SETTINGS:
                expected = blocks[0].attr(name) if blocks else None
                if expected is None:
                    continue  # not set in the configuration: AWS keeps whatever it has
                actual_value = actual.blocks("settings")[0].attr(name) if actual is not None else AWS_DEFAULTS[name]
                where = actual.address if actual is not None else deployed.address + f"/method-settings/{path}"
                self.differ_known(where, f"{path} settings.{name}", expected, actual_value, settings.address)
        for path, actual in sorted(deployed_settings.items()):
            if path not in expected_paths and path != "*/*":
                level = actual.blocks("settings")[0].attr("logging_level")
                self.found.append(
                    Diagnostic(
                        "LIVE005",
                        f"method override {path} is deployed (logging_level {_text(level)}) but not in the configuration ({stage.address})",
                        None,
                        actual.address,
                    )
                )


def drift(configurations: Iterable[Any], deployed: LiveConfiguration, state: Mapping[str, Mapping[str, Any]] | None) -> list[Diagnostic]:
    """LIVE005 facts: every configured logging setting that differs from the deployed one."""
    found: list[Diagnostic] = []
    for configuration in configurations:
        comparison = _Comparison(configuration, deployed, state)
        comparison.account()
        comparison.stages()
        comparison.v2_stages()
        found.extend(comparison.found)
    return found
