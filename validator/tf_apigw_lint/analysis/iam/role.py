"""Which CloudWatch role an API Gateway account uses, and every policy that role has.

`AccountRoles` (one per configuration, with its caches) follows `cloudwatch_role_arn` to an
`aws_iam_role` of the configuration (by reference, or a literal ARN by the role's `name`); a
role that is not declared here is unknown and nothing is said about it. It gathers the
role's trust policy and every permission policy the configuration gives it
(`inline_policy`, `aws_iam_role_policy`, the three attachment resources,
`managed_policy_arns`, `aws_iam_policy`, `permissions_boundary`) and evaluates them with
`analysis.iam.policy`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from tf_apigw_lint.analysis.iam.policy import (
    MANAGED_BY_NAME,
    Permissions,
    PolicySource,
    Trust,
    any_item,
    at_most_maybe,
    evaluate_permissions,
    evaluate_trust,
    execution_log_targets,
    managed_policy,
    within_boundary,
)
from tf_apigw_lint.view.aws import partition_of_region
from tf_apigw_lint.view.policy_documents import items, parse_policy
from tf_apigw_lint.view.protocol import DATA, Configuration, Resource
from tf_apigw_lint.view.values import Reference, Unknown, Value, holes_of, unknown_from

_CUSTOMER_POLICY_ARN = re.compile(r"arn:[a-z-]+:iam::[^:]*:policy/(?:(.*)/)?([^/]+)")
_ROLE_ARN = re.compile(r"arn:[a-z-]+:iam::[^:]*:role/(?:.*/)?([^/]+)")


@dataclass(frozen=True)
class RoleLink:
    """The role an account's `cloudwatch_role_arn` names: `role` is None when it is not a
    role of this configuration (or cannot be known), with `reason`."""

    account: Resource
    role: Resource | None
    reason: str = ""


@dataclass(frozen=True)
class RoleAnalysis:
    account: Resource
    role: Resource
    trust: Trust
    permissions: Permissions
    sources: tuple[PolicySource, ...]


class AccountRoles:
    """The IAM resources of one configuration, read once, and the analyses of its roles."""

    def __init__(self, configuration: Configuration):
        self.roles = list(configuration.resources("aws_iam_role"))
        self.policies = list(configuration.resources("aws_iam_policy"))
        self.log_groups = {g.address: g for g in configuration.resources("aws_cloudwatch_log_group")}
        self.data_policies = {p.address: p for p in configuration.resources("aws_iam_policy", mode=DATA)}
        self.role_policies = list(configuration.resources("aws_iam_role_policy"))
        self.attachments = list(configuration.resources("aws_iam_role_policy_attachment"))
        self.shared_attachments = list(configuration.resources("aws_iam_policy_attachment"))
        self.exclusive_attachments = list(configuration.resources("aws_iam_role_policy_attachments_exclusive"))
        self._roles_by_address = {r.address: r for r in self.roles}
        self._analyses: dict[tuple[str, str | None], RoleAnalysis] = {}

    def resolve(self, value: Value) -> str | None:
        """What a Reference in a Resource stands for, when it can be known."""
        if isinstance(value, Reference) and value.resource_type == "aws_cloudwatch_log_group" and value.attribute == "arn":
            group = self.log_groups.get(value.address)
            name = group.attr("name") if group is not None else None
            if isinstance(name, str):
                return f"arn:*:logs:*:*:log-group:{name}"
        return None

    def role_of(self, account: Resource) -> RoleLink:
        value = account.attr("cloudwatch_role_arn")
        if isinstance(value, Reference):
            if value.resource_type == "aws_iam_role" and value.attribute == "arn":
                role = self._roles_by_address.get(value.address)
                if role is not None:
                    return RoleLink(account, role)
            return RoleLink(account, None, f"cloudwatch_role_arn refers to {value.address}.{value.attribute}, not to a role declared here")
        name: Value = None
        if isinstance(value, str):
            match = _ROLE_ARN.fullmatch(value)
            name = match.group(1) if match else None
        holes = holes_of(value)
        if holes is not None:
            parts = holes.parts
            last = parts[-1]
            if isinstance(last, Reference) and last.resource_type == "aws_iam_role" and last.attribute in ("name", "id"):
                role = self._roles_by_address.get(last.address)
                if role is not None and len(parts) > 1 and isinstance(parts[-2], str) and parts[-2].endswith("/"):
                    return RoleLink(account, role)
            match = _ROLE_ARN.fullmatch(holes.pattern())
            if match is not None and isinstance(last, str) and last.endswith("/" + match.group(1)):
                name = match.group(1)
        if not isinstance(name, str):
            return RoleLink(account, None, "cloudwatch_role_arn does not name a role of this configuration")
        named = [r for r in self.roles if r.attr("name") == name]
        if len(named) == 1:
            return RoleLink(account, named[0])
        if not named:
            return RoleLink(account, None, f'no aws_iam_role named "{name}" is declared in this configuration')
        return RoleLink(account, None, f'several aws_iam_role are named "{name}"')

    def analyse(self, account: Resource) -> RoleAnalysis | None:
        """The trust and permissions of the account's role; None when the role is unknown."""
        link = self.role_of(account)
        if link.role is None:
            return None
        region = account.provider.region
        region = region if isinstance(region, str) else None
        key = (link.role.address, region)
        if key not in self._analyses:
            self._analyses[key] = self._analyse(account, link.role, region)
        analysis = self._analyses[key]
        return RoleAnalysis(account, analysis.role, analysis.trust, analysis.permissions, analysis.sources)

    def _analyse(self, account: Resource, role: Resource, region: str | None) -> RoleAnalysis:
        trust = evaluate_trust(parse_policy(role.attr("assume_role_policy")))
        sources = tuple(self._permission_sources(role))
        targets = execution_log_targets(partition_of_region(region), region)
        permissions = evaluate_permissions(sources, targets=targets, resolve=self.resolve)
        boundary_arn = role.attr("permissions_boundary")
        if boundary_arn is not None:
            boundary = PolicySource(f"the permissions boundary of {role.address}", self._policy_of_arn(boundary_arn))
            permissions = within_boundary(permissions, evaluate_permissions([boundary], targets=targets, resolve=self.resolve))
        return RoleAnalysis(account, role, trust, permissions, sources)

    def _permission_sources(self, role: Resource) -> Iterable[PolicySource]:
        for block in role.blocks("inline_policy"):
            if block.has("policy"):
                yield PolicySource(f"an inline_policy of {role.address}", parse_policy(block.attr("policy")), None if block.uncertain else True)
        managed = role.attr("managed_policy_arns")
        for arn in items(managed) if managed is not None else []:
            yield PolicySource(_describe_arn(arn, f"managed_policy_arns of {role.address}"), self._policy_of_arn(arn))
        for resource in self.role_policies:
            attached = _attached(resource, _names_role(resource.attr("role"), role))
            if attached is not False:
                yield PolicySource(resource.address, parse_policy(resource.attr("policy")), attached)
        for resource in self.attachments:
            attached = _attached(resource, _names_role(resource.attr("role"), role))
            if attached is not False:
                arn = resource.attr("policy_arn")
                yield PolicySource(_describe_arn(arn, resource.address), self._policy_of_arn(arn), attached)
        for resource in self.shared_attachments:
            roles = resource.attr("roles")
            attached = _attached(resource, any_item(roles, lambda r: _names_role(r, role)) if roles is not None else False)
            if attached is not False:
                arn = resource.attr("policy_arn")
                yield PolicySource(_describe_arn(arn, resource.address), self._policy_of_arn(arn), attached)
        for resource in self.exclusive_attachments:
            attached = _attached(resource, _names_role(resource.attr("role_name"), role))
            if attached is not False:
                for arn in items(resource.attr("policy_arns") or []):
                    yield PolicySource(_describe_arn(arn, resource.address), self._policy_of_arn(arn), attached)

    def _policy_of_arn(self, arn: Value) -> Value:
        """The document of the policy an ARN names, as far as the configuration tells."""
        if isinstance(arn, Reference):
            if arn.resource_type == "aws_iam_policy" and arn.attribute in ("arn", "id"):
                policy = next((p for p in self.policies if p.address == arn.address), None)
                if policy is not None:
                    return parse_policy(policy.attr("policy"))
                data = self.data_policies.get(arn.address)
                name = data.attr("name") if data is not None and not data.has("path_prefix") else None
                if isinstance(name, str) and name in MANAGED_BY_NAME:
                    return MANAGED_BY_NAME[name]
            return unknown_from(arn, "policy ARN")
        known = managed_policy(arn)
        if known is not None:
            return known
        if isinstance(arn, str):
            match = _CUSTOMER_POLICY_ARN.fullmatch(arn)
            if match is not None:
                path = f"/{match.group(1)}/" if match.group(1) else "/"
                named = [p for p in self.policies if p.attr("name") == match.group(2) and (p.attr("path") or "/") == path]
                if len(named) == 1:
                    return parse_policy(named[0].attr("policy"))
            return Unknown(f"the policy {arn} is not declared in this configuration")
        return unknown_from(arn, "policy ARN")


def _names_role(value: Value, role: Resource) -> bool | None:
    """Whether a `role` argument (the role's name, or its id, which is the name) names `role`."""
    if isinstance(value, Reference):
        if value.address == role.address:
            return True if value.attribute in ("name", "id") else None
        # Two roles of the configuration never share a name.
        return False if value.resource_type == "aws_iam_role" and not value.address.startswith("data.") and ".data." not in value.address else None
    if isinstance(value, str):
        name = role.attr("name")
        if name is None:
            return False  # a generated name cannot be written in advance
        return value == name if isinstance(name, str) else None
    return None


def _attached(resource: Resource, names_role: bool | None) -> bool | None:
    return at_most_maybe(names_role) if resource.uncertain else names_role


def _describe_arn(arn: Value, where: str) -> str:
    if isinstance(arn, str):
        return f"{arn} (in {where})"
    if isinstance(arn, Reference):
        return f"{arn.address} (in {where})"
    return f"a policy of {where}"
