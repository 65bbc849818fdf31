"""One deployed account region as a view `Configuration`, so the analysis and every rule
read it exactly as they read Terraform.

Deployed objects become the Terraform resource types that would manage them, with the
attributes Terraform would show (`aws_api_gateway_stage.access_log_settings`,
`aws_api_gateway_method_settings.settings`, ...). Their addresses name the deployed object,
`aws:<account>:<region>:restapi/<id>/stage/<name>` (IAM is global: `aws:<account>:global:…`).
Every value is known, except where a read failed: then it is `Unknown` with the failure as
its reason, and the rules that need it report uncertain findings instead of guessing.
There is no source: `range_of` is None.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from tf_apigw_lint.view import protocol as view
from tf_apigw_lint.view.protocol import MANAGED, AccountRegion, Diagnostic, Provider
from tf_apigw_lint.view.ranges import Range
from tf_apigw_lint.view.values import Piece, Value, pieces_of

SOURCE = "live"


def address(account: str, region: str, path: str) -> str:
    return f"aws:{account}:{region}:{path}"


# eq=False: deployed objects are told apart by identity, and the analysis keys dicts by them.
@dataclass(eq=False)
class LiveBlock:
    """A nested block (`settings`, `access_log_settings`): attributes and blocks as read."""

    values: dict[str, Value] = field(default_factory=dict)
    nested: dict[str, list["LiveBlock"]] = field(default_factory=dict)

    @property
    def uncertain(self) -> bool:
        return False  # a deployed object exists

    def has(self, name: str) -> bool:
        return self.values.get(name) is not None

    def attr(self, name: str) -> Value:
        return self.values.get(name)

    def pieces(self, name: str) -> list[Piece] | None:
        return pieces_of(self.values.get(name))

    def blocks(self, block_type: str) -> Sequence["LiveBlock"]:
        return self.nested.get(block_type, [])

    def range_of(self, path: str | None = None) -> Range | None:
        return None


@dataclass(eq=False)
class LiveResource(LiveBlock):
    """A deployed object. `references` says which other deployed objects an attribute names
    (a method settings' `stage_name` names its stage), as a reference would in Terraform."""

    address: str = ""
    type: str = ""
    name: str = ""
    provider: Provider = field(default_factory=lambda: Provider("aws", None, AccountRegion()))
    references: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def resource_address(self) -> str:
        return self.address  # deployed objects have no instance keys

    @property
    def mode(self) -> str:
        return MANAGED

    def refers_to(self, name: str) -> frozenset[str]:
        return self.references.get(name, frozenset())


class LiveConfiguration:
    """The deployed objects of one account in one region, and what could not be read
    (`diagnostics`: LIVE001–LIVE004 and LIVE006 facts the reads established)."""

    def __init__(self, account: str, region: str, assumed_role: str | None = None):
        self.account = account
        self.region = region
        self.provider = Provider(
            display=f"aws:{account}:{region}",
            region=region,
            # One configuration is one account region: the account (or the role assumed in it)
            # stands for the credentials, so every object here has the same key.
            account=AccountRegion(region=region, profile=None, role=assumed_role or account),
        )
        self._resources: list[LiveResource] = []
        self._by_address: dict[str, LiveResource] = {}
        self.diagnostics: list[Diagnostic] = []

    @property
    def name(self) -> str:
        return f"{self.account}/{self.region}"

    @property
    def source(self) -> str:
        return SOURCE

    @property
    def library(self) -> bool:
        return False  # deployed state belongs to the account it was read from

    def address(self, path: str, region: str | None = None) -> str:
        return address(self.account, region or self.region, path)

    def add(
        self,
        resource_type: str,
        path: str,
        name: str,
        values: dict[str, Value],
        nested: dict[str, list[LiveBlock]] | None = None,
        references: dict[str, str] | None = None,
        region: str | None = None,
    ) -> LiveResource:
        """Record a deployed object once; `references` maps an attribute to the address of
        the object it names."""
        where = self.address(path, region)
        if where in self._by_address:
            return self._by_address[where]
        resource = LiveResource(
            values=values,
            nested=nested or {},
            address=where,
            type=resource_type,
            name=name,
            provider=self.provider,
            references={attribute: frozenset({target}) for attribute, target in (references or {}).items()},
        )
        self._resources.append(resource)
        self._by_address[where] = resource
        return resource

    def note(self, rule_id: str, message: str, where: str) -> None:
        """A fact a read established for a LIVE rule, on the object at `where`."""
        self.diagnostics.append(Diagnostic(rule_id, message, None, where))

    def resources(self, resource_type: str, mode: str = MANAGED) -> Sequence[LiveResource]:
        if mode != MANAGED:
            return []  # deployed state has no data sources
        return [r for r in self._resources if r.type == resource_type]

    def resource(self, address: str) -> LiveResource | None:
        return self._by_address.get(address)

    def instances_of(self, resource_address: str) -> Sequence[LiveResource]:
        found = self._by_address.get(resource_address)
        return [found] if found is not None else []

    def depends_on(self, resource: view.Resource, target: view.Resource) -> bool:
        # Ordering is a question about an apply still to come; deployed objects all exist.
        return True


@dataclass
class LiveView:
    """What the live backend hands to the rules: every account region read, and the
    problems of reads outside any one of them (an account that could not be entered)."""

    configurations: list[LiveConfiguration] = field(default_factory=list)
    scan_diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def source(self) -> str:
        return SOURCE

    @property
    def diagnostics(self) -> list[Diagnostic]:
        found = list(self.scan_diagnostics)
        for configuration in self.configurations:
            found.extend(configuration.diagnostics)
        return found


def _conforms(configuration: LiveConfiguration, resource: LiveResource, block: LiveBlock, live: LiveView) -> tuple[view.Configuration, view.Resource, view.Node, view.View]:
    """The type checker proves the live backend offers the view protocol."""
    return configuration, resource, block, live
