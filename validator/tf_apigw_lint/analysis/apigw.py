"""The API Gateway analysis of one configuration: each question the rules ask, answered once.

Built on the view protocol only, so it is the same for the static, plan and live backends.

- method settings → stage: by reference (the `stage_name` expression refers to the stage or
  the deployment that creates it, through any variables, locals and module outputs) or by
  value (same REST API and same evaluated stage name); indexed once, so linking N stages
  to their method settings costs about N, not N²;
- stage → REST API, stage → deployment, deployment with `stage_name` → implicit stage;
- provider configuration → `aws_api_gateway_account`, and that account's role (`roles`);
- v2 stage → `aws_apigatewayv2_api` (its protocol);
- stage → access-log destination (`aws_cloudwatch_log_group`, Firehose stream), by reference
  or, for a literal log-group ARN, by name; stage → declared execution-log group;
- the stage-wide value of a method setting (what `*/*` method settings set);
- whether account-wide settings are decided here, or by the caller of a library module.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from functools import cached_property
from typing import Iterator, Sequence

from tf_apigw_lint.analysis.iam.role import AccountRoles
from tf_apigw_lint.analysis.logs import ExecutionLogGroupName, execution_log_group_name
from tf_apigw_lint.view.aws import parse_arn
from tf_apigw_lint.view.protocol import AccountRegion, Configuration, Node, Provider, Resource
from tf_apigw_lint.view.values import Reference, Unknown, Value, is_known, unknown_from

LOGGING_LEVELS = {"OFF": 0, "ERROR": 1, "INFO": 2}
STAGE_WIDE_PATH = "*/*"
LIBRARY_MODULE = (
    "this is a library module (no provider, backend or cloud block and no caller here): "
    "the account of the configuration that calls it decides"
)


@dataclass(frozen=True)
class _StageOf:
    """What REST and v2 stages share: the resource instance they are read from."""

    instance: Resource

    @property
    def provider(self) -> Provider:
        return self.instance.provider

    @property
    def address(self) -> str:
        return self.instance.address


@dataclass(frozen=True)
class Stage(_StageOf):
    """A REST API stage: an `aws_api_gateway_stage`, or the stage an
    `aws_api_gateway_deployment` creates through `stage_name` (`implicit`), in which case
    findings are reported on the deployment."""

    implicit: bool

    @property
    def name(self) -> Value:
        return self.instance.attr("stage_name")

    @property
    def rest_api_id(self) -> Value:
        return self.instance.attr("rest_api_id")

    @property
    def api_id(self) -> Value:
        """The API's id, under the name v2 stages use for it."""
        return self.rest_api_id

    def access_log_settings(self) -> Sequence[Node]:
        return [] if self.implicit else self.instance.blocks("access_log_settings")


@dataclass(frozen=True)
class V2Stage(_StageOf):
    """An `aws_apigatewayv2_stage` of an HTTP or WebSocket API."""

    implicit = False

    @property
    def name(self) -> Value:
        return self.instance.attr("name")

    @property
    def api_id(self) -> Value:
        return self.instance.attr("api_id")

    def access_log_settings(self) -> Sequence[Node]:
        return self.instance.blocks("access_log_settings")

    def route_settings(self) -> list[Node]:
        """`default_route_settings` and every `route_settings` block."""
        return [block for _, block in self.route_settings_at()]

    def route_settings_at(self) -> list[tuple[str, Node]]:
        """(where, block) for `default_route_settings` and every `route_settings` block, where
        being the path a finding points into (`default_route_settings[0]`, `route_settings[1]`)."""
        return [
            (f"{block_type}[{index}]", block)
            for block_type in ("default_route_settings", "route_settings")
            for index, block in enumerate(self.instance.blocks(block_type))
        ]

    def default_route_setting(self, name: str) -> Value:
        blocks = self.instance.blocks("default_route_settings")
        return blocks[0].attr(name) if blocks else None


AnyStage = Stage | V2Stage


@dataclass(frozen=True)
class SettingsLink:
    """A method settings resource applying to a stage. `by_reference` when its stage_name
    refers to the stage; `certain` is False when it may or may not apply (unknown names)."""

    settings: Resource
    stage: Stage
    by_reference: bool
    certain: bool

    @property
    def method_path(self) -> Value:
        return self.settings.attr("method_path")

    @property
    def stage_wide(self) -> bool | None:
        """Whether its method_path is `*/*`; None when the path is known only after apply
        (it may be, so findings that depend on it are uncertain)."""
        path = self.method_path
        return False if path is None else same_value(path, STAGE_WIDE_PATH)

    def setting(self, name: str) -> Value:
        return settings_value(self.settings, name)


@dataclass(frozen=True)
class StageWideValue:
    """What one `*/*` method settings of a stage sets for a setting (None: not set), and
    whether that method settings certainly applies to the stage."""

    value: Value
    certain: bool


@dataclass(frozen=True)
class AccessLogDestination:
    """Where one `access_log_settings` block sends access logs.

    `arn` is the evaluated `destination_arn` (None when unset). When it is written as a
    reference (`aws_cloudwatch_log_group.x.arn`, also through variables and module
    outputs), `reference` is that Reference and `suffix` the literal text written after it
    (`"${aws_cloudwatch_log_group.x.arn}:*"`). `target` is the declared resource it names:
    the referenced instance, or for a literal log-group ARN the log group of that name."""

    arn: Value
    reference: Reference | None
    suffix: str
    target: Resource | None


@dataclass(frozen=True)
class AccessLog:
    """A stage's access logging as API Gateway reads it: its first `access_log_settings`
    block. `uncertain` when that block comes from a `dynamic` block that may not exist."""

    settings: Node
    destination: AccessLogDestination
    format: Value

    @property
    def uncertain(self) -> bool:
        return self.settings.uncertain


def same_value(a: Value, b: Value) -> bool | None:
    """Whether two values are the same: None when it cannot be known."""
    if isinstance(a, Reference) and isinstance(b, Reference):
        if a.address == b.address:
            return True if a.attribute == b.attribute else None
        # Identifiers of two different resources are generated apart: never equal.
        return False if a.attribute == b.attribute == "id" else None
    if is_known(a) and is_known(b):
        return bool(a == b)
    return None


def _index_key(value: Value) -> object | None:
    """A known scalar, usable as a dict key for matching by value; None otherwise."""
    return value if isinstance(value, (str, int, float, bool)) else None


class ApiGateway:
    """The API Gateway analysis of one configuration (see the module docstring)."""

    def __init__(self, configuration: Configuration):
        self.configuration = configuration

    @cached_property
    def roles(self) -> AccountRoles:
        """The CloudWatch roles of the configuration's accounts."""
        return AccountRoles(self.configuration)

    # -- resources ---------------------------------------------------------------

    @cached_property
    def stages(self) -> list[Stage]:
        stages = [Stage(i, False) for i in self.configuration.resources("aws_api_gateway_stage")]
        for deployment in self.configuration.resources("aws_api_gateway_deployment"):
            if deployment.has("stage_name") and deployment.attr("stage_name") not in ("", None):
                stages.append(Stage(deployment, True))
        return stages

    @cached_property
    def method_settings(self) -> list[Resource]:
        return list(self.configuration.resources("aws_api_gateway_method_settings"))

    @cached_property
    def accounts(self) -> list[Resource]:
        return list(self.configuration.resources("aws_api_gateway_account"))

    @cached_property
    def v2_stages(self) -> list[V2Stage]:
        return [V2Stage(i) for i in self.configuration.resources("aws_apigatewayv2_stage")]

    @cached_property
    def all_stages(self) -> list[AnyStage]:
        """REST API stages (explicit and implicit) and v2 stages."""
        return [*self.stages, *self.v2_stages]

    @cached_property
    def log_groups(self) -> list[Resource]:
        return list(self.configuration.resources("aws_cloudwatch_log_group"))

    # -- v2 APIs -----------------------------------------------------------------

    def v2_api(self, stage: V2Stage) -> Resource | None:
        """The `aws_apigatewayv2_api` (resource or data source) the stage's `api_id` names."""
        api_id = stage.api_id
        if isinstance(api_id, Reference) and api_id.resource_type == "aws_apigatewayv2_api":
            return self.configuration.resource(api_id.address)
        # A known id that still names its API (deployed state): the reference says which.
        for address in sorted(stage.instance.refers_to("api_id")):
            api = self.configuration.resource(address)
            if api is not None and api.type == "aws_apigatewayv2_api":
                return api
        return None

    def v2_protocol(self, stage: V2Stage) -> Value:
        """`"HTTP"` or `"WEBSOCKET"`, else Unknown with the reason."""
        api = self.v2_api(stage)
        if api is None:
            return Unknown(f"the api_id of {stage.address} does not refer to an aws_apigatewayv2_api of this configuration")
        protocol = api.attr("protocol_type")
        if isinstance(protocol, str):
            return protocol.upper()
        return unknown_from(protocol, f"protocol_type of {api.address}") if protocol is not None else Unknown(f"protocol_type of {api.address} is not known")

    # -- execution logging ---------------------------------------------------------

    def execution_logging_on(self, stage: AnyStage) -> bool | None:
        """Whether the stage logs execution for some method or route (level ERROR/INFO or
        data trace); None when unknown values decide. HTTP APIs have no execution logs."""
        if isinstance(stage, V2Stage):
            protocol = self.v2_protocol(stage)
            on = v2_turns_execution_logging_on(stage)
            if protocol == "HTTP" or on is False:
                return False
            return on if protocol == "WEBSOCKET" else None
        result: bool | None = False
        for link in self.links_of_stage(stage):
            on = turns_execution_logging_on(link.settings)
            if on is True and link.certain:
                return True
            if on is not False:
                result = None
        return result

    def execution_logging_switches(self) -> Iterator[tuple[Resource, bool | None, str]]:
        """(resource, whether it turns execution logging on, attribute at fault) for every
        method settings and v2 stage; HTTP API stages never log execution."""
        for settings in self.method_settings:
            level_set = settings_value(settings, "logging_level") is not None
            yield settings, turns_execution_logging_on(settings), "settings.logging_level" if level_set else "settings.data_trace_enabled"
        for stage in self.v2_stages:
            level_set = stage.default_route_setting("logging_level") is not None
            attribute = "default_route_settings.logging_level" if level_set else "default_route_settings.data_trace_enabled"
            yield stage.instance, self.execution_logging_on(stage), attribute

    def stage_wide_values(self, stage: Stage, name: str) -> list[StageWideValue]:
        """What each `*/*` method settings of the stage sets for `settings { name }`."""
        return [
            StageWideValue(link.setting(name), link.certain and link.stage_wide is True) for link in self.stage_wide_links(stage)
        ]

    # -- access logging ------------------------------------------------------------

    def access_log(self, stage: AnyStage) -> AccessLog | None:
        """The stage's access logging (its first `access_log_settings`); None without one."""
        blocks = stage.access_log_settings()
        if not blocks:
            return None
        return self._access_logs[id(blocks[0])]

    @cached_property
    def _access_logs(self) -> dict[int, AccessLog]:
        found = {}
        for stage in self.all_stages:
            for block in stage.access_log_settings()[:1]:
                found[id(block)] = AccessLog(block, self._destination(block), block.attr("format"))
        return found

    def _destination(self, block: Node) -> AccessLogDestination:
        arn = block.attr("destination_arn")
        pieces = block.pieces("destination_arn") or []
        first = pieces[0] if pieces else None
        if isinstance(first, Reference) and all(isinstance(p, str) for p in pieces[1:]):
            target = self.configuration.resource(first.address)
            return AccessLogDestination(arn, first, "".join(p for p in pieces[1:] if isinstance(p, str)), target)
        return AccessLogDestination(arn, None, "", self._log_group_by_arn(arn) if isinstance(arn, str) else None)

    def _log_group_by_arn(self, text: str) -> Resource | None:
        arn = parse_arn(text)
        if arn is None or arn.service != "logs" or not arn.resource.startswith("log-group:"):
            return None
        name = arn.resource[len("log-group:"):].removesuffix(":*")
        for group in self._log_groups_by_name.get(name, ()):
            region = region_of(group)
            if not isinstance(region, str) or region == arn.region:
                return group
        return None

    @cached_property
    def _log_groups_by_name(self) -> dict[str, list[Resource]]:
        """Declared log groups with a known name, by name, in declaration order."""
        found: dict[str, list[Resource]] = {}
        for group in self.log_groups:
            name = group.attr("name")
            if isinstance(name, str):
                found.setdefault(name, []).append(group)
        return found

    @cached_property
    def access_log_groups(self) -> list[Resource]:
        """Declared log groups that some stage sends its access logs to."""
        found: dict[int, Resource] = {}
        for stage in self.all_stages:
            access_log = self.access_log(stage)
            target = access_log.destination.target if access_log is not None else None
            if target is not None and target.type == "aws_cloudwatch_log_group" and target.mode == "managed":
                found.setdefault(id(target), target)
        return list(found.values())

    # -- execution-log groups --------------------------------------------------------

    @cached_property
    def _execution_log_group_names(self) -> dict[str, ExecutionLogGroupName | Unknown | None]:
        return {group.address: execution_log_group_name(group.pieces("name")) for group in self.log_groups}

    def is_execution_log_group(self, group: Resource) -> bool:
        """Whether the group's name is known to start with `API-Gateway-Execution-Logs_`."""
        parsed = self._execution_log_group_names[group.address]
        return parsed is not None and not isinstance(parsed, Unknown)

    def execution_log_group_of(self, stage: AnyStage, group: Resource) -> bool | None:
        """Whether a declared log group is the stage's execution-log group
        `API-Gateway-Execution-Logs_<api-id>/<stage>`; None when unknown values decide. A
        name that is not known far enough is possibly the stage's group when its expression
        refers to the stage or to its API, and otherwise is not."""
        parsed = self._execution_log_group_names[group.address]
        if parsed is None:
            return False
        if isinstance(parsed, Unknown):
            api = self._api_of(stage)
            related = {stage.instance.resource_address} | ({api.resource_address} if api is not None else set())
            return None if group.refers_to("name") & related else False
        same_api, same_name = same_value(parsed.api_id, stage.api_id), same_value(parsed.stage, stage.name)
        if same_api is False or same_name is False:
            return False
        return True if same_api and same_name else None

    def _api_of(self, stage: AnyStage) -> Resource | None:
        if isinstance(stage, V2Stage):
            return self.v2_api(stage)
        api_id = stage.api_id
        return self.configuration.resource(api_id.address) if isinstance(api_id, Reference) else None

    # -- method settings → stages ----------------------------------------------------

    @cached_property
    def _links(self) -> tuple[dict[int, list[SettingsLink]], dict[Stage, list[SettingsLink]]]:
        """Links by method settings and by stage, computed once for the configuration."""
        position = {stage: index for index, stage in enumerate(self.stages)}
        by_address: dict[str, list[Stage]] = {}
        by_name: dict[object, list[Stage]] = {}
        unnamed: list[Stage] = []  # stages whose name is not a known value
        for stage in self.stages:
            by_address.setdefault(stage.instance.resource_address, []).append(stage)
            key = _index_key(stage.name)
            if key is None:
                unnamed.append(stage)
            else:
                by_name.setdefault(key, []).append(stage)
        of_settings: dict[int, list[SettingsLink]] = {}
        of_stage: dict[Stage, list[SettingsLink]] = {stage: [] for stage in self.stages}
        for settings in self.method_settings:
            referenced = settings.refers_to("stage_name")
            candidates = {stage for address in referenced for stage in by_address.get(address, [])}
            key = _index_key(settings.attr("stage_name"))
            if key is None:
                candidates.update(self.stages)
            else:
                candidates.update(by_name.get(key, []))
                candidates.update(unnamed)
            links = self._links_of(settings, referenced, sorted(candidates, key=position.__getitem__))
            of_settings[id(settings)] = links
            for link in links:
                of_stage[link.stage].append(link)
        return of_settings, of_stage

    def _links_of(self, settings: Resource, referenced: frozenset[str], stages: list[Stage]) -> list[SettingsLink]:
        name, api = settings.attr("stage_name"), settings.attr("rest_api_id")
        # Settings or a stage that may not exist (an unknown count or for_each) never
        # certainly apply.
        exist = not settings.uncertain
        links = []
        for stage in stages:
            same_name = same_value(name, stage.name)
            if stage.instance.resource_address in referenced:
                if same_name is not False:
                    single = len(self.configuration.instances_of(stage.instance.resource_address)) == 1
                    certain = same_name is True or single
                    links.append(SettingsLink(settings, stage, True, certain and exist and not stage.instance.uncertain))
                continue
            same_api = same_value(api, stage.rest_api_id)
            if same_name is False or same_api is False:
                continue
            certain = same_name is True and same_api is True and exist and not stage.instance.uncertain
            links.append(SettingsLink(settings, stage, False, certain))
        return links

    def links_of_settings(self, settings: Resource) -> list[SettingsLink]:
        return self._links[0].get(id(settings), [])

    def links_of_stage(self, stage: Stage) -> list[SettingsLink]:
        return self._links[1].get(stage, [])

    def stage_wide_links(self, stage: Stage) -> list[SettingsLink]:
        """The stage's method settings whose method_path is or may be `*/*`."""
        return [link for link in self.links_of_stage(stage) if link.stage_wide is not False]

    # -- accounts ------------------------------------------------------------------

    @cached_property
    def _accounts_by_region(self) -> dict[AccountRegion, list[Resource]]:
        found: dict[AccountRegion, list[Resource]] = {}
        for account in self.accounts:
            found.setdefault(account.provider.account, []).append(account)
        return found

    def accounts_for(self, provider: Provider) -> list[Resource]:
        return self._accounts_by_region.get(provider.account, [])

    def depends_on(self, resource: Resource, target: Resource) -> bool:
        return self.configuration.depends_on(resource, target)

    def account_finding(self, message: str, certain: bool) -> tuple[str, bool]:
        """The message and certainty of a finding that depends on account-wide settings
        (which `aws_api_gateway_account` is in force, with which role). A library module
        analysed on its own does not decide them, the account of its caller does: there
        the finding is uncertain and says so."""
        if not self.configuration.library:
            return message, certain
        return f"{message}; {LIBRARY_MODULE}", False


def level_rank(level: Value) -> int | None:
    """OFF < ERROR < INFO; None for an unknown or unrecognised level."""
    if isinstance(level, str):
        return LOGGING_LEVELS.get(level.upper())
    return None


def stage_name_matches(stage_name: Value, patterns: list[str]) -> bool:
    return isinstance(stage_name, str) and any(fnmatch.fnmatchcase(stage_name, p) for p in patterns)


def settings_value(settings: Resource, name: str) -> Value:
    """`settings { name = … }` of a method settings resource; None when not set."""
    blocks = settings.blocks("settings")
    return blocks[0].attr(name) if blocks else None


def turns_execution_logging_on(settings: Resource) -> bool | None:
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


def v2_turns_execution_logging_on(stage: V2Stage) -> bool | None:
    """Whether a v2 stage's default or per-route settings turn execution logging on (level
    ERROR/INFO or data trace); None when it depends on an unknown value or on a `dynamic`
    block that may not exist."""
    result: bool | None = False
    for block in stage.route_settings():
        level, trace = block.attr("logging_level"), block.attr("data_trace_enabled")
        rank = level_rank(level)
        if (rank is not None and rank > 0) or trace is True:
            if not block.uncertain:
                return True
            result = None
        elif (level is not None and rank is None) or (trace is not None and not isinstance(trace, bool)):
            result = None
    return result


def region_of(resource: Resource) -> Value:
    """The region a resource lives in: its own `region` argument (AWS provider v6), else
    its provider configuration's; the backend's `provider` already says which."""
    return resource.provider.region
