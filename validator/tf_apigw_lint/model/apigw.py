"""API Gateway links of one configuration, computed once and used by every rule.

- method settings → stage: by reference (the `stage_name` expression refers to the stage or
  the deployment that creates it, through any variables, locals and module outputs) or by
  value (same REST API and same evaluated stage name);
- stage → REST API, stage → deployment, deployment with `stage_name` → implicit stage;
- provider configuration → `aws_api_gateway_account`.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from tf_apigw_lint.model.graph import DependencyGraph
from tf_apigw_lint.model.instances import BlockInstance, ProviderConfig, ResourceInstance
from tf_apigw_lint.model.values import Reference, Value, is_known

if TYPE_CHECKING:
    from tf_apigw_lint.model.configuration import Configuration

LOGGING_LEVELS = {"OFF": 0, "ERROR": 1, "INFO": 2}
STAGE_WIDE_PATH = "*/*"


@dataclass(frozen=True)
class Stage:
    """A REST API stage: an `aws_api_gateway_stage`, or the stage an
    `aws_api_gateway_deployment` creates through `stage_name` (`implicit`), in which case
    findings are reported on the deployment."""

    instance: ResourceInstance
    implicit: bool

    @property
    def name(self) -> Value:
        return self.instance.attr("stage_name")

    @property
    def rest_api_id(self) -> Value:
        return self.instance.attr("rest_api_id")

    @property
    def provider(self) -> ProviderConfig:
        return self.instance.provider

    @property
    def address(self) -> str:
        return self.instance.address

    def access_log_settings(self) -> list[BlockInstance]:
        return [] if self.implicit else self.instance.blocks("access_log_settings")


@dataclass(frozen=True)
class SettingsLink:
    """A method settings resource applying to a stage. `by_reference` when its stage_name
    refers to the stage; `certain` is False when it may or may not apply (unknown names)."""

    settings: ResourceInstance
    stage: Stage
    by_reference: bool
    certain: bool

    @property
    def method_path(self) -> Value:
        return self.settings.attr("method_path")

    @property
    def stage_wide(self) -> bool:
        return self.method_path == STAGE_WIDE_PATH

    def setting(self, name: str) -> Value:
        return settings_value(self.settings, name)


def same_value(a: Value, b: Value) -> bool | None:
    """Whether two values are the same: None when it cannot be known."""
    if isinstance(a, Reference) and isinstance(b, Reference):
        if a.address == b.address:
            return True if a.attribute == b.attribute else None
        # Identifiers of two different resources are generated apart: never equal.
        return False if a.attribute == b.attribute == "id" else None
    if is_known(a) and is_known(b):
        return a == b
    return None


class ApiGateway:
    def __init__(self, configuration: "Configuration", graph: DependencyGraph):
        self.configuration = configuration
        self.graph = graph

    @cached_property
    def stages(self) -> list[Stage]:
        stages = [Stage(i, False) for i in self.configuration.resources("aws_api_gateway_stage")]
        for deployment in self.configuration.resources("aws_api_gateway_deployment"):
            if deployment.has("stage_name") and deployment.attr("stage_name") != "":
                stages.append(Stage(deployment, True))
        return stages

    @cached_property
    def method_settings(self) -> list[ResourceInstance]:
        return list(self.configuration.resources("aws_api_gateway_method_settings"))

    @cached_property
    def accounts(self) -> list[ResourceInstance]:
        return list(self.configuration.resources("aws_api_gateway_account"))

    @cached_property
    def _links(self) -> list[SettingsLink]:
        links = []
        for settings in self.method_settings:
            links.extend(self._links_of(settings))
        return links

    def _links_of(self, settings: ResourceInstance) -> list[SettingsLink]:
        attribute = settings.attribute("stage_name")
        referenced = self.graph.expression_dependencies(attribute.expr, settings.module) if attribute else set()
        name, api = settings.attr("stage_name"), settings.attr("rest_api_id")
        links = []
        for stage in self.stages:
            same_name = same_value(name, stage.name)
            if stage.instance.group in referenced:
                if same_name is not False:
                    certain = same_name is True or len(stage.instance.group.instances) == 1
                    links.append(SettingsLink(settings, stage, True, certain and not stage.instance.uncertain))
                continue
            same_api = same_value(api, stage.rest_api_id)
            if same_name is False or same_api is False:
                continue
            certain = same_name is True and same_api is True and not stage.instance.uncertain
            links.append(SettingsLink(settings, stage, False, certain))
        return links

    def links_of_settings(self, settings: ResourceInstance) -> list[SettingsLink]:
        return [link for link in self._links if link.settings is settings]

    def links_of_stage(self, stage: Stage) -> list[SettingsLink]:
        return [link for link in self._links if link.stage == stage]

    def stage_wide_links(self, stage: Stage) -> list[SettingsLink]:
        return [link for link in self.links_of_stage(stage) if link.stage_wide]

    def accounts_for(self, provider: ProviderConfig) -> list[ResourceInstance]:
        key = provider.account_region_key()
        return [a for a in self.accounts if a.provider.account_region_key() == key]

    def depends_on(self, instance: ResourceInstance, target: ResourceInstance) -> bool:
        return self.graph.depends_on(instance.group, target.group)


def level_rank(level: Value) -> int | None:
    """OFF < ERROR < INFO; None for an unknown or unrecognised level."""
    if isinstance(level, str):
        return LOGGING_LEVELS.get(level.upper())
    return None


def stage_name_matches(stage_name: Value, patterns: list[str]) -> bool:
    return isinstance(stage_name, str) and any(fnmatch.fnmatchcase(stage_name, p) for p in patterns)



def settings_value(settings: ResourceInstance, name: str) -> Value:
    """`settings { name = … }` of a method settings resource; None when not set."""
    blocks = settings.blocks("settings")
    return blocks[0].attr(name) if blocks else None


def turns_execution_logging_on(settings: ResourceInstance) -> bool | None:
    """Whether method settings turn execution logging on (level ERROR/INFO or data trace);
    None when it depends on an unknown value."""
    rank = level_rank(settings_value(settings, "logging_level"))
    trace = settings_value(settings, "data_trace_enabled")
    if rank is not None and rank > 0 or trace is True:
        return True
    level = settings_value(settings, "logging_level")
    if (level is not None and rank is None) or (trace is not None and not isinstance(trace, bool)):
        return None
    return False
