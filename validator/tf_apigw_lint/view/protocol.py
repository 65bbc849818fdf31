"""The view protocol: what every backend offers, and all that the analysis and rules see.

Three backends implement it, each proving it with one conformance line checked by the type
checker (`mypy`, run by the test suite):

- `model/` — the static backend: HCL and Terraform JSON evaluated the way Terraform would;
- `plan/`  — `terraform show -json` plan output;
- `live/`  — deployed AWS state read with boto3.

A backend offers *configurations* (one root module, one plan, one account region), each with
its *resources* by type. A resource, and each nested block of it, answers `has` / `attr`
(evaluated values: known data, `Reference`, `Unknown`), `pieces` (an attribute as text with
holes), `blocks` (nested blocks after `dynamic` expansion) and `range_of` (where an attribute
is written; None where there is no source, as for deployed objects). A resource also says
which resources an attribute refers to (`refers_to`), and its configuration whether one
resource depends on another (`depends_on`, Terraform's graph) and whether it is a library
module analysed without the caller whose account it is applied in (`library`).

Nothing here knows about syntax trees, plan JSON or AWS responses: the analysis above it is
the same for every backend.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Sequence

from tf_apigw_lint.view.ranges import Range
from tf_apigw_lint.view.values import Piece, Value

MANAGED = "managed"
DATA = "data"


@dataclass(frozen=True)
class AccountRegion:
    """Which API Gateway account settings a provider configuration writes to. Two provider
    configurations with equal keys manage the same account region: the same known region,
    profile and assumed role. When one of those is not known, the key is the configuration
    alone (`configuration` set), equal only to itself."""

    region: str | None = None
    profile: Value = None
    role: Value = None
    configuration: str | None = None

    @property
    def known(self) -> bool:
        return self.configuration is None


@dataclass(frozen=True)
class Provider:
    """The provider configuration a resource belongs to: `display` is its name as written
    (`aws`, `aws.west`, `module.edge.aws`), `region` a string or Unknown."""

    display: str
    region: Value
    account: AccountRegion


@dataclass(frozen=True)
class Diagnostic:
    """A problem of the input itself, not found by a rule (a file that does not parse, a
    module that cannot be loaded); the TFL rules report them. `address` names the module
    call when there is one."""

    rule_id: str
    message: str
    range: Range | None
    address: str | None = None
    uncertain: bool = False

    def range_of(self, path: str | None = None) -> Range | None:
        return self.range


class Node(Protocol):
    """A resource instance or one of its nested blocks."""

    @property
    def uncertain(self) -> bool:
        """True when it may not exist at all: an instance of an unknown `count` /
        `for_each`, a block of a `dynamic` block over an unknown collection."""
        ...

    def has(self, name: str) -> bool:
        """Whether attribute `name` is set."""
        ...

    def attr(self, name: str) -> Value:
        """The evaluated attribute; None when it is not set."""
        ...

    def pieces(self, name: str) -> list[Piece] | None:
        """The attribute as literal text and the References / Unknowns between it
        (`["API-Gateway-Execution-Logs_", Reference(aws_api_gateway_rest_api.x.id), "/prod"]`);
        None when it is not set."""
        ...

    def blocks(self, block_type: str) -> Sequence["Node"]:
        """Nested blocks of a type, in order, after `dynamic` expansion."""
        ...

    def range_of(self, path: str | None = None) -> Range | None:
        """Where `path` (`settings.logging_level`, `route_settings[1].logging_level`) is
        written, else the deepest enclosing block that is; the whole node for None. None
        when there is no source (deployed state)."""
        ...


class Resource(Node, Protocol):
    """One instance of a managed resource or data source."""

    @property
    def address(self) -> str:
        """The instance address, as Terraform prints it (`module.a["k"].aws_x.y[0]`)."""
        ...

    @property
    def resource_address(self) -> str:
        """The address without the instance key (`module.a["k"].aws_x.y`): what
        `refers_to` answers with."""
        ...

    @property
    def type(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def mode(self) -> str:
        """`managed` or `data`."""
        ...

    @property
    def provider(self) -> Provider: ...

    def refers_to(self, name: str) -> frozenset[str]:
        """The resource addresses attribute `name` refers to, through variables, locals and
        module outputs; `each.value.x` / `count.index` count as referring to what the
        resource's `for_each` / `count` refers to."""
        ...


class Configuration(Protocol):
    """One root module (static), one plan, or one deployed account region (live)."""

    @property
    def name(self) -> str:
        """What it is, for messages: a root directory, a plan file, `account/region`."""
        ...

    @property
    def source(self) -> str:
        """Where findings on it come from, as the JSON report says it: `static` or `live`."""
        ...

    @property
    def library(self) -> bool:
        """True for a library module analysed on its own: a module directory analysed as the
        root, without a caller, that has no `provider` block and no `backend` or `cloud`
        block in `terraform {}`. The account it is applied in, and so the account-wide
        settings (the API Gateway account and its CloudWatch role), is its caller's and not
        known here. False for a plan and for deployed state: both belong to an account."""
        ...

    def resources(self, resource_type: str, mode: str = MANAGED) -> Sequence[Resource]:
        """Every instance of a type, in every module instance, parents first."""
        ...

    def resource(self, address: str) -> Resource | None:
        """The managed or data resource instance at a full address, as a Reference names it."""
        ...

    def instances_of(self, resource_address: str) -> Sequence[Resource]:
        """The instances of one resource (`count` / `for_each` expanded)."""
        ...

    def depends_on(self, resource: Resource, target: Resource) -> bool:
        """Whether Terraform orders `resource` after `target`: references and `depends_on`,
        transitively, module `depends_on` included."""
        ...


class View(Protocol):
    """What a backend hands to the rules: its configurations and the input's problems."""

    @property
    def configurations(self) -> Sequence[Configuration]: ...

    @property
    def diagnostics(self) -> Sequence[Diagnostic]: ...
