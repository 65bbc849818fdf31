"""A model built from `terraform show -json` plan output, read by the rules unchanged.

The plan-side classes answer the same questions as the static model (`Configuration`,
`ResourceInstance`, `BlockInstance`, `ProviderConfig`, `DependencyGraph`), so
`ApiGateway`, the IAM and log helpers and every rule work on them as they are; the static
model is not changed. What differs is where values come from:

- **Values** are the planned values (`planned_values`; data sources also from
  `prior_state`). A leaf that `after_unknown` marks as known only after apply is a
  `Reference` when its configuration expression is exactly one resource attribute
  (followed through module variables, module outputs and, with PATH, locals), else
  `Unknown`. An unknown attribute the configuration does not set is computed by the
  provider (an Optional+Computed `logging_level`) and reads as not set (`None`), as in
  static analysis.
- **Links follow the configuration, as in static analysis**: an attribute whose expression
  is a reference to a *computed* attribute of a managed resource
  (`aws_api_gateway_rest_api.x.id`, `aws_cloudwatch_log_group.x.arn`) is that `Reference`
  even when the plan knows its text (an existing resource), so rules follow the same links
  in both modes. When the plan knows both texts and they differ, the expression was not a
  plain reference and the planned text is kept; so is what a data source read.
- **Exactly one traversal**: Terraform's JSON lists what an expression refers to, not
  what it does with it. With PATH the source expression decides (and binds `each.key` /
  `count.index` in `aws_x.y[count.index].arn`); without it an expression referring to a
  single resource attribute is taken to be that attribute.
- **Dependencies** are Terraform's: `references` of every expression, `depends_on`,
  module `depends_on`, module inputs and outputs.
- **Providers** come from `configuration.provider_config`: a region is known when it is a
  constant; with PATH the provider block is evaluated with the plan's variable values.
- **Ranges**: with PATH (the configuration directory the plan was made from) each resource
  maps to its block by module call path + type + name (instance keys dropped) and each
  attribute to its line. Without PATH a finding points at the resource's `"address"` in
  the plan file (line and column; `terraform show -json` writes one line). The Terraform
  address is always in the finding.

Terraform's JSON has no locals, so without PATH a reference through a `local` is not
followed (its value stays Unknown and it adds no dependency edge).
"""

from __future__ import annotations

import bisect
import json
import os
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Iterator

from tf_apigw_lint.load import syntax as s
from tf_apigw_lint.model.build import BuildOptions, PathError, SourceCache, environment_workspace
from tf_apigw_lint.model.configuration import Configuration
from tf_apigw_lint.model.context import RootValues, ScannedTree
from tf_apigw_lint.model.evaluator import traversals
from tf_apigw_lint.model.graph import TransitiveDependencies
from tf_apigw_lint.model.instances import ModuleInstance, ProviderConfig, instance_key_text, resource_address
from tf_apigw_lint.plan.read import PlanError, Shape, read_plan
from tf_apigw_lint.plan.traversals import (
    Key,
    Steps,
    expression_references,
    is_expression,
    maximal_references,
    module_path,
    parse_traversal,
    static_steps,
    steps_text,
)
from tf_apigw_lint.view import protocol as view
from tf_apigw_lint.view.protocol import DATA, MANAGED, AccountRegion, Diagnostic, Provider
from tf_apigw_lint.view.ranges import Range, range_along
from tf_apigw_lint.view.values import Holes, Piece, Reference, Unknown, Value, is_known, merge_pieces, pieces_of

KNOWN_AFTER_APPLY = "known only after apply"
_NO_DEPENDENCIES = frozenset({"count", "each", "self", "path", "terraform"})
_MAX_HOPS = 32




class _NotWritten:
    """The configuration is known and does not set the attribute."""


NOT_WRITTEN = _NotWritten()


class PlanBlock:
    """A resource instance's values, or one nested block of them: planned values, the
    `after_unknown` markers, the configuration `expressions` (None when unknown, as for
    `dynamic` blocks) and the source body when PATH was given."""

    def __init__(self, instance: "PlanInstance", values: Any, unknown: Any, expressions: Any, source: s.Body | None, range_: s.Range, uncertain: bool = False):
        self.instance = instance
        self.values = values if isinstance(values, dict) else {}
        self.unknown = unknown
        self.expressions = expressions if isinstance(expressions, dict) else None
        self.source = source
        self.range = range_
        self.uncertain = uncertain
        self._attrs: dict[str, Value] = {}
        self._blocks: dict[str, list[PlanBlock]] = {}

    def _marker(self, name: str) -> Any:
        if self.unknown is True:
            return True
        return self.unknown.get(name) if isinstance(self.unknown, dict) else None

    def _expression(self, name: str) -> Any:
        if self.expressions is None:
            return None
        return self.expressions.get(name, NOT_WRITTEN)

    def _source_attribute(self, name: str) -> s.Attribute | None:
        return self.source.attribute(name) if self.source is not None else None

    def attr(self, name: str) -> Value:
        """The planned value; `None` when not set."""
        if name not in self._attrs:
            self._attrs[name] = None  # a reference cycle in a malformed plan reads as unset
            self._attrs[name] = self._value(name)
        return self._attrs[name]

    def _value(self, name: str) -> Value:
        marker = self._marker(name)
        expression = self._expression(name)
        source = self._source_attribute(name)
        if marker is True:
            if expression is NOT_WRITTEN and source is None:
                return None  # computed by the provider, as if unset
            return self.instance.configuration.linked_value(self, name, expression, None, known=False)
        value = self.values.get(name)
        if _marks_unknown(marker):
            return _with_unknowns(value, marker)
        if value is not None and is_expression(expression) and expression.get("references"):
            return self.instance.configuration.linked_value(self, name, expression, value, known=True)
        return value

    def has(self, name: str) -> bool:
        return self.attr(name) is not None

    def pieces(self, name: str) -> list[Piece] | None:
        return pieces_of(self.attr(name))

    def written(self, name: str) -> bool:
        """Whether the configuration writes attribute `name` (or the plan has a value for it)."""
        return is_expression(self._expression(name)) or self.attr(name) is not None

    def attribute_range(self, name: str) -> Range:
        source = self._source_attribute(name)
        return source.range if source is not None else self.range

    def references(self, name: str) -> list:
        """What the configuration expression of attribute `name` refers to, as the plan lists it."""
        return _references(self._expression(name))

    def range_of(self, path: str | None = None) -> Range:
        """The range of `path` inside the block, falling back to the deepest block that exists."""
        return range_along(self, path, _block_range, _written_range, PlanBlock.blocks)

    def blocks(self, block_type: str) -> list["PlanBlock"]:
        if block_type not in self._blocks:
            self._blocks[block_type] = self._expand(block_type)
        return self._blocks[block_type]

    def _expand(self, block_type: str) -> list["PlanBlock"]:
        marker = self._marker(block_type)
        candidates = self._source_blocks(block_type)
        if marker is True:
            # Unknown number of blocks (a `dynamic` block over an unknown collection).
            source, range_ = candidates[0] if len(candidates) == 1 else (None, self.range)
            return [PlanBlock(self.instance, {}, True, None, source, range_, uncertain=True)]
        value = self.values.get(block_type)
        items = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
        expressions = self._expression(block_type)
        if isinstance(expressions, dict):
            expressions = [expressions]
        if not isinstance(expressions, list) or len(expressions) != len(items):
            expressions = [None] * len(items)
        blocks = []
        for index, item in enumerate(items):
            item_marker = marker[index] if isinstance(marker, list) and index < len(marker) else marker if isinstance(marker, dict) else None
            if len(candidates) == len(items) or len(candidates) == 1:
                source, range_ = candidates[index if len(candidates) == len(items) else 0]
            else:
                source, range_ = None, self.range
            blocks.append(PlanBlock(self.instance, item, item_marker, expressions[index], source, range_, self.uncertain))
        return blocks

    def _source_blocks(self, block_type: str) -> list[tuple[s.Body | None, s.Range]]:
        """Written blocks of this type in source order, `dynamic` ones as their content."""
        if self.source is None:
            return []
        found = [b for b in self.source.blocks() if b.type == block_type or (b.type == "dynamic" and b.labels[:1] == (block_type,))]
        found.extend(b for b in self.source.blocks(block_type) if b not in found)  # JSON syntax candidates
        found.sort(key=lambda b: (b.range.line, b.range.column))
        result = []
        for block in found:
            if block.type == "dynamic":
                contents = block.body.blocks("content")
                result.append((contents[0].body if contents else None, block.range))
            else:
                result.append((block.body, block.range))
        return result


def _block_range(block: PlanBlock) -> Range:
    return block.range


def _written_range(block: PlanBlock, name: str) -> Range | None:
    return block.attribute_range(name) if block.written(name) else None


def _marks_unknown(marker: Any) -> bool:
    if isinstance(marker, dict):
        return any(_marks_unknown(m) for m in marker.values())
    if isinstance(marker, list):
        return any(_marks_unknown(m) for m in marker)
    return marker is True


def _with_unknowns(value: Any, marker: Any) -> Value:
    """A partly unknown value: the leaves `after_unknown` marks become Unknown."""
    if marker is True:
        return Unknown(KNOWN_AFTER_APPLY)
    if isinstance(marker, dict):
        result = dict(value) if isinstance(value, dict) else {}
        for key, inner in marker.items():
            if inner:
                result[key] = _with_unknowns(result.get(key), inner)
        return result
    if isinstance(marker, list):
        elements = list(value) if isinstance(value, list) else [None] * len(marker)
        for index, inner in enumerate(marker[: len(elements)]):
            if inner:
                elements[index] = _with_unknowns(elements[index], inner)
        return elements
    return value


class PlanInstance:
    """One resource instance of the plan, with the interface of `ResourceInstance`."""

    uncertain = False  # the plan has expanded every count / for_each

    def __init__(self, group: "PlanGroup", address: str, key: int | str | None, values: Any, unknown: Any):
        self.group = group
        self.address = address
        self.key = key
        expressions = group.config.get("expressions", {}) if group.config is not None else None
        block = group.source_block
        range_ = block.range if block is not None else group.module.configuration.locate(address)
        self.body = PlanBlock(self, values, unknown, expressions, block.body if block is not None else None, range_)

    type = property(lambda self: self.group.type)
    name = property(lambda self: self.group.name)
    mode = property(lambda self: self.group.mode)
    module = property(lambda self: self.group.module)
    range = property(lambda self: self.body.range)
    configuration = property(lambda self: self.group.module.configuration)

    @property
    def provider(self) -> Provider:
        """As `ResourceInstance.provider`: in the resource's own planned `region` (AWS
        provider v6 plans it for every resource) when that differs from its configuration's."""
        own_region = self.attr("region") if self.type.startswith("aws_") else None
        return self.group.provider.view().in_region(own_region, self.address)

    def has(self, name: str) -> bool:
        return self.body.has(name)

    def attr(self, name: str) -> Value:
        return self.body.attr(name)

    def pieces(self, name: str) -> list[Piece] | None:
        return self.body.pieces(name)

    def range_of(self, path: str | None = None) -> Range:
        return self.body.range_of(path)

    @property
    def resource_address(self) -> str:
        return self.group.address

    def refers_to(self, name: str) -> frozenset[str]:
        return self.configuration.graph.attribute_references(self, name)

    def blocks(self, block_type: str) -> list[PlanBlock]:
        return self.body.blocks(block_type)

    def planned(self, steps: Steps) -> Any:
        """The raw planned value at `steps`, or NOT_WRITTEN when it is absent or not fully known."""
        value: Any = self.body.values
        marker = self.body.unknown
        for step in steps:
            if marker is True:
                return NOT_WRITTEN
            index = step.value if isinstance(step, Key) else step
            if isinstance(value, dict) and isinstance(index, str):
                value = value.get(index)
                marker = marker.get(index) if isinstance(marker, dict) else None
            elif isinstance(value, list) and isinstance(index, int) and 0 <= index < len(value):
                value = value[index]
                marker = marker[index] if isinstance(marker, list) and index < len(marker) else None
            else:
                return NOT_WRITTEN
        return NOT_WRITTEN if value is None or _marks_unknown(marker) else value

    def __repr__(self) -> str:
        return f"PlanInstance({self.address})"


class PlanGroup:
    """A `resource` / `data` block in one module instance, with its planned instances."""

    def __init__(self, module: "PlanModule", mode: str, type_: str, name: str, config: dict | None):
        self.module = module
        self.mode = mode
        self.type = type_
        self.name = name
        self.config = config
        self.address = resource_address(module.address, mode, type_, name)
        self.instances: list[PlanInstance] = []

    def __repr__(self) -> str:
        return f"PlanGroup({self.address})"

    @cached_property
    def source_block(self) -> s.Block | None:
        source = self.module.source
        return source.resources.get((self.mode, self.type, self.name)) if source is not None else None

    @cached_property
    def provider(self) -> "PlanProvider":
        key = self.config.get("provider_config_key") if self.config is not None else None
        if not isinstance(key, str) or not key:
            key = self.type.split("_", 1)[0]
            if self.module.config_path:
                key = f"{_module_text(self.module.config_path)}:{key}"
        return self.module.configuration.provider(key)

    def configured(self, name: str) -> bool | None:
        """Whether the configuration sets attribute `name`; None when unknown."""
        if self.config is None:
            return None
        expressions = self.config.get("expressions")
        return isinstance(expressions, dict) and name in expressions


def _module_text(config_path: tuple[str, ...]) -> str:
    return ".".join(f"module.{name}" for name in config_path)


class PlanModule:
    """One module instance of the plan (`module.a["x"].module.b`)."""

    uncertain = False

    def __init__(self, configuration: "PlanConfiguration", address: str, segments: tuple, parent: "PlanModule | None", config: dict | None, call_config: dict | None):
        self.configuration = configuration
        self.address = address
        self.segments = segments
        self.parent = parent
        self.config = config
        self.call_config = call_config
        self.config_path = tuple(name for name, _ in segments)
        self.key = segments[-1][1] if segments else None
        self.children: list[PlanModule] = []
        self.groups: dict[tuple[str, str, str], PlanGroup] = {}
        shape = configuration.shape
        for index, resource in enumerate(shape.objects((config or {}).get("resources"), f"configuration of {address or 'the root module'} resources")):
            mode, type_, name = resource.get("mode", "managed"), resource.get("type"), resource.get("name")
            if isinstance(type_, str) and isinstance(name, str) and mode in ("managed", "data"):
                self.groups[(mode, type_, name)] = PlanGroup(self, mode, type_, name, resource)

    def __repr__(self) -> str:
        return f"PlanModule({self.address or '<root>'})"

    @property
    def call_path(self) -> tuple[str, ...]:
        return self.config_path

    @cached_property
    def static(self) -> ModuleInstance | None:
        """The module as read from PATH (first instance of its call path)."""
        return self.configuration.static_module(self.config_path)

    @property
    def source(self):
        return self.static.source if self.static is not None else None

    def group(self, mode: str, type_: str, name: str) -> PlanGroup | None:
        return self.groups.get((mode, type_, name))

    def planned_group(self, mode: str, type_: str, name: str) -> PlanGroup:
        """The group of a planned resource; one the configuration does not list is added."""
        group = self.groups.get((mode, type_, name))
        if group is None:
            group = self.groups[(mode, type_, name)] = PlanGroup(self, mode, type_, name, None)
        return group

    def calls(self, name: str, key: Any = NOT_WRITTEN) -> list["PlanModule"]:
        return [c for c in self.children if c.segments[-1][0] == name and (key is NOT_WRITTEN or c.key == key)]

    def output_config(self, name: str) -> dict | None:
        outputs = (self.config or {}).get("outputs")
        output = outputs.get(name) if isinstance(outputs, dict) else None
        return output if isinstance(output, dict) else None

    def call_argument(self, name: str) -> Any:
        expressions = (self.call_config or {}).get("expressions")
        return expressions.get(name) if isinstance(expressions, dict) else None

    # -- source expressions (PATH only) --------------------------------------

    def static_local(self, name: str) -> s.Attribute | None:
        return self.source.locals.get(name) if self.source is not None else None

    def static_output(self, name: str) -> s.Expression | None:
        block = self.source.outputs.get(name) if self.source is not None else None
        attribute = block.body.attribute("value") if block is not None else None
        return attribute.expr if attribute is not None else None

    def static_argument(self, name: str) -> s.Expression | None:
        if self.parent is None or self.parent.source is None:
            return None
        block = self.parent.source.module_calls.get(self.segments[-1][0])
        attribute = block.body.attribute(name) if block is not None else None
        return attribute.expr if attribute is not None else None


class PlanProvider:
    """A provider configuration from `configuration.provider_config`. With PATH its
    settings are evaluated from the source."""

    def __init__(self, key: str, config: dict | None, static: ProviderConfig | None):
        self.key = key
        self.config = config or {}
        self.static = static
        prefix, _, local = key.rpartition(":")
        self.display = f"{prefix}.{local}" if prefix else local

    def __repr__(self) -> str:
        return f"PlanProvider({self.display})"

    def _expressions(self) -> dict:
        expressions = self.config.get("expressions")
        return expressions if isinstance(expressions, dict) else {}

    def setting(self, name: str) -> Value:
        if self.static is not None:
            return self.static.setting(name)
        expression = self._expressions().get(name)
        if expression is None:
            return Unknown(f"provider {self.display} has no {name}: it comes from the environment")
        return _constant(expression, f"provider {self.display} {name}")

    def region(self) -> Value:
        return self.setting("region")

    def account_region(self) -> AccountRegion:
        """As `ProviderConfig.account_region`: the same known region, profile and role."""
        if self.static is not None:
            return self.static.account_region()
        region = self.region()
        if not isinstance(region, str):
            return AccountRegion(configuration=self.display)
        expressions = self._expressions()
        profile = self.setting("profile") if "profile" in expressions else None
        role = None
        assume = expressions.get("assume_role")
        for block in assume if isinstance(assume, list) else [assume] if isinstance(assume, dict) else []:
            role = _constant(block.get("role_arn"), f"provider {self.display} assume_role") if isinstance(block, dict) and "role_arn" in block else None
        if not is_known(profile) or not is_known(role):
            return AccountRegion(configuration=self.display)
        return AccountRegion(region, profile, role)

    @cached_property
    def _view(self) -> Provider:
        return Provider(self.display, self.region(), self.account_region())

    def view(self) -> Provider:
        return self._view


def _constant(expression: Any, what: str) -> Value:
    if is_expression(expression) and not expression.get("references") and "constant_value" in expression:
        return expression["constant_value"]
    references = [steps_text(steps) for steps in maximal_references((expression or {}).get("references"))] if isinstance(expression, dict) else []
    if references:
        return Unknown(f"{what} refers to {', '.join(references)}: give the configuration directory to evaluate it")
    return Unknown(f"{what} is not a constant")


class PlanGraph(TransitiveDependencies):
    """Terraform's dependency graph between the plan's resources: `references` of
    expressions, `depends_on`, module `depends_on`."""

    def __init__(self, configuration: "PlanConfiguration"):
        super().__init__()
        self.configuration = configuration
        self._names: dict[tuple, frozenset[PlanGroup]] = {}
        self._direct: dict[int, frozenset[PlanGroup]] = {}

    def attribute_references(self, instance: PlanInstance, name: str) -> frozenset[str]:
        """The resource addresses an attribute of `instance` refers to; `each.value.x` and
        `count.index` refer to what the resource's `for_each` / `count` refers to."""
        references = instance.body.references(name)
        found = self.references_dependencies(references, instance.module)
        config = instance.group.config or {}
        for meta, root in (("for_each_expression", "each"), ("count_expression", "count")):
            if any(isinstance(r, str) and r.split(".", 1)[0].split("[", 1)[0] == root for r in references):
                found |= self.references_dependencies(_references(config.get(meta)), instance.module)
        return frozenset(group.address for group in found)

    def source_dependencies(self, expr: s.Expression, module: PlanModule) -> set[PlanGroup]:
        """What a source expression (a local, with PATH) refers to."""
        found: set[PlanGroup] = set()
        for root, names, _ in traversals(expr):
            found |= self._steps_dependencies((root, *names), module)
        return found

    def references_dependencies(self, references: Any, module: PlanModule) -> set[PlanGroup]:
        found: set[PlanGroup] = set()
        for steps in maximal_references(references):
            found |= self._steps_dependencies(steps, module)
        return found

    def _steps_dependencies(self, steps: Steps, module: PlanModule) -> frozenset[PlanGroup]:
        root = steps[0]
        if root in _NO_DEPENDENCIES:
            return frozenset()
        key = (id(module), steps[:4])
        if key not in self._names:
            self._names[key] = frozenset()  # a cycle refers to nothing new
            self._names[key] = frozenset(self._resolve(steps, module))
        return self._names[key]

    def _resolve(self, steps: Steps, module: PlanModule) -> set[PlanGroup]:
        root, rest = steps[0], steps[1:]
        names = [step for step in rest if isinstance(step, str)]
        if root == "var" and names:
            if module.parent is None:
                return set()
            found = self.references_dependencies(_references(module.call_argument(names[0])), module.parent)
            for meta in ("count_expression", "for_each_expression"):
                found |= self.references_dependencies(_references((module.call_config or {}).get(meta)), module.parent)
            return found
        if root == "local" and names:
            attribute = module.static_local(names[0])
            return set() if attribute is None else self.source_dependencies(attribute.expr, module)
        if root == "module" and names:
            key = rest[1].value if len(rest) > 1 and isinstance(rest[1], Key) else NOT_WRITTEN
            found = set()
            for child in module.calls(names[0], key):
                outputs = [names[1]] if len(names) > 1 else list((child.config or {}).get("outputs") or {})
                for name in outputs:
                    output = child.output_config(name) or {}
                    found |= self.references_dependencies(_references(output.get("expression")), child)
                    for target in _listed(output.get("depends_on")):
                        found |= self._depends_on_target(target, child)
            return found
        if root == "data" and len(names) >= 2:
            group = module.group("data", names[0], names[1])
            return {group} if group else set()
        if names:
            group = module.group("managed", root, names[0])
            return {group} if group else set()
        return set()

    def direct(self, group: PlanGroup) -> frozenset[PlanGroup]:
        if id(group) not in self._direct:
            self._direct[id(group)] = frozenset()
            found: set[PlanGroup] = set()
            config = group.config or {}
            for references in expression_references(config.get("expressions")):
                found |= self.references_dependencies(references, group.module)
            for meta in ("count_expression", "for_each_expression"):
                found |= self.references_dependencies(_references(config.get(meta)), group.module)
            for target in _listed(config.get("depends_on")):
                found |= self._depends_on_target(target, group.module)
            node = group.module
            while node.parent is not None:
                for target in _listed((node.call_config or {}).get("depends_on")):
                    found |= self._depends_on_target(target, node.parent)
                node = node.parent
            found.discard(group)
            self._direct[id(group)] = frozenset(found)
        return self._direct[id(group)]

    def _depends_on_target(self, target: Any, module: PlanModule) -> set[PlanGroup]:
        steps = parse_traversal(target) if isinstance(target, str) else None
        if steps is None:
            return set()
        if steps[0] == "module" and len([x for x in steps if isinstance(x, str)]) == 2:
            key = steps[2].value if len(steps) > 2 and isinstance(steps[2], Key) else NOT_WRITTEN
            found: set[PlanGroup] = set()
            for child in module.calls(steps[1], key):
                found |= set(_groups_within(child))
            return found
        return set(self._steps_dependencies(steps, module))


def _listed(value: Any) -> list:
    return value if isinstance(value, list) else []


def _references(expression: Any) -> list:
    return (expression.get("references") or []) if is_expression(expression) else []


def _groups_within(module: PlanModule) -> Iterator[PlanGroup]:
    yield from module.groups.values()
    for child in module.children:
        yield from _groups_within(child)


class PlanConfiguration:
    """The plan as one `view.Configuration`."""

    def __init__(self, plan_path: str, document: dict, text: str, static: Configuration | None):
        self.plan_path = os.path.abspath(plan_path)
        # Where findings that belong to no resource (a crashed rule) point.
        self.root_dir = static.root_dir if static is not None else self.plan_path
        self.shape = Shape(plan_path)
        self._text = text
        self._static = static
        self._line_starts: list[int] | None = None
        self._by_address: dict[str, PlanInstance] | None = None
        self._by_resource: dict[str, list[PlanInstance]] | None = None
        self._address_offsets: dict[str, tuple[int, int]] | None = None
        shape = self.shape
        configuration = shape.object(document.get("configuration"), "configuration")
        self._provider_configs = shape.object(configuration.get("provider_config"), "configuration.provider_config")
        self._providers: dict[str, PlanProvider] = {}
        self._unknown = self._after_unknown(document)
        root_config = shape.object(configuration.get("root_module"), "configuration.root_module") if configuration else None
        self.root = PlanModule(self, "", (), None, root_config, None)
        self._modules: dict[tuple, PlanModule] = {(): self.root}
        planned = shape.object(document["planned_values"].get("root_module"), "planned_values.root_module")
        self._add_resources(planned, "planned_values.root_module", modes=("managed", "data"))
        prior = shape.object(shape.object(document.get("prior_state"), "prior_state").get("values"), "prior_state.values")
        # Data sources read while planning are in the prior state only.
        self._add_resources(shape.object(prior.get("root_module"), "prior_state.values.root_module"), "prior_state.values.root_module", modes=("data",))

    def __repr__(self) -> str:
        return f"PlanConfiguration({self.plan_path})"

    @cached_property
    def graph(self) -> PlanGraph:
        return PlanGraph(self)

    @property
    def name(self) -> str:
        return self.plan_path

    @property
    def source(self) -> str:
        return "static"  # the JSON report's `source` has no value for plans (schema version 1)

    @property
    def library(self) -> bool:
        return False  # a plan is made in an account, with its providers configured

    @cached_property
    def modules(self) -> list[PlanModule]:
        """Every module instance, parents before children (complete once built)."""
        ordered, pending = [], [self.root]
        while pending:
            module = pending.pop(0)
            ordered.append(module)
            pending.extend(module.children)
        return ordered

    def _all(self) -> Iterator[PlanInstance]:
        for module in self.modules:
            for group in module.groups.values():
                yield from group.instances

    def resources(self, resource_type: str, mode: str = MANAGED) -> list[PlanInstance]:
        return [i for i in self._all() if i.mode == mode and i.type == resource_type]

    def resource(self, address: str) -> PlanInstance | None:
        if self._by_address is None:
            self._by_address = {i.address: i for i in self._all()}
        return self._by_address.get(address)

    def instances_of(self, resource_address: str) -> list[PlanInstance]:
        if self._by_resource is None:
            self._by_resource = {}
            for instance in self._all():
                self._by_resource.setdefault(instance.resource_address, []).append(instance)
        return self._by_resource.get(resource_address, [])

    def depends_on(self, resource: view.Resource, target: view.Resource) -> bool:
        if not isinstance(resource, PlanInstance) or not isinstance(target, PlanInstance):
            return False
        return self.graph.depends_on(resource.group, target.group)

    # -- building -------------------------------------------------------------

    def _after_unknown(self, document: dict) -> dict[str, Any]:
        markers = {}
        for index, change in enumerate(self.shape.objects(document.get("resource_changes"), "resource_changes")):
            if change.get("deposed") or not isinstance(change.get("address"), str):
                continue
            body = self.shape.object(change.get("change"), f"resource_changes[{index}].change")
            markers[change["address"]] = body.get("after_unknown")
        return markers

    def _add_resources(self, root: dict, where: str, modes: tuple[str, ...]) -> None:
        shape = self.shape
        pending = [(root, where)]
        while pending:
            values, here = pending.pop(0)
            address = values.get("address", "")
            segments = module_path(address) if isinstance(address, str) else None
            if segments is None:
                raise PlanError(f"{shape.path}: invalid plan: {here} has an invalid module address {address!r}")
            module = self._module(segments)
            for index, resource in enumerate(shape.objects(values.get("resources"), f"{here}.resources")):
                self._add_resource(module, resource, f"{here}.resources[{index}]", modes)
            children = shape.objects(values.get("child_modules"), f"{here}.child_modules")
            pending.extend((child, f"{here}.child_modules[{i}]") for i, child in enumerate(children))

    def _add_resource(self, module: PlanModule, resource: dict, where: str, modes: tuple[str, ...]) -> None:
        shape = self.shape
        mode = resource.get("mode", "managed")
        if mode not in modes:
            return
        address = shape.text(resource.get("address"), f"{where}.address")
        type_ = shape.text(resource.get("type"), f"{where}.type")
        name = shape.text(resource.get("name"), f"{where}.name")
        group = module.planned_group(mode, type_, name)
        if any(instance.address == address for instance in group.instances):
            return
        key = resource.get("index")
        values = shape.object(resource.get("values"), f"{where}.values")
        group.instances.append(PlanInstance(group, address, key if isinstance(key, (int, str)) else None, values, self._unknown.get(address)))

    def _module(self, segments: tuple) -> PlanModule:
        if segments in self._modules:
            return self._modules[segments]
        parent = self._module(segments[:-1])
        name, key = segments[-1]
        calls = (parent.config or {}).get("module_calls")
        call = calls.get(name) if isinstance(calls, dict) else None
        call = call if isinstance(call, dict) else None
        config = call.get("module") if call is not None and isinstance(call.get("module"), dict) else None
        local = f"module.{name}" + instance_key_text(key)
        address = f"{parent.address}.{local}" if parent.address else local
        module = PlanModule(self, address, segments, parent, config, call)
        parent.children.append(module)
        self._modules[segments] = module
        return module

    # -- providers --------------------------------------------------------------

    def provider(self, key: str) -> PlanProvider:
        found = self._source_provider_key(key)
        if found not in self._providers:
            config = self._provider_configs.get(found)
            prefix, _, local = found.rpartition(":")
            static = None
            if self._static is not None:
                path = module_path(prefix) or ()
                static_module = self.static_module(tuple(name for name, _ in path))
                static = static_module.providers.get(local) if static_module is not None else None
            self._providers[found] = PlanProvider(found, config if isinstance(config, dict) else None, static)
        return self._providers[found]

    def _source_provider_key(self, key: str) -> str:
        """Resources of a module that inherits its provider may name the module's own key
        (older Terraform); the configuration is then the nearest ancestor's."""
        if key in self._provider_configs:
            return key
        prefix, _, local = key.rpartition(":")
        path = [name for name, _ in module_path(prefix) or ()]
        while path:
            path.pop()
            candidate = f"{_module_text(tuple(path))}:{local}" if path else local
            if candidate in self._provider_configs:
                return candidate
        return key

    # -- static source (PATH) -----------------------------------------------------

    @cached_property
    def _static_modules(self) -> dict[tuple[str, ...], ModuleInstance]:
        found: dict[tuple[str, ...], ModuleInstance] = {}
        for module in self._static.modules if self._static is not None else []:
            found.setdefault(module.call_path, module)
        return found

    def static_module(self, config_path: tuple[str, ...]) -> ModuleInstance | None:
        return self._static_modules.get(config_path)

    # -- values -------------------------------------------------------------------

    def linked_value(self, block: PlanBlock, name: str, expression: Any, planned: Value, known: bool) -> Value:
        """The value of an attribute whose expression refers to something: a Reference
        when it is exactly a computed attribute of a resource (see the module docstring)."""
        unknown = Unknown(f"{block.instance.address}.{name} is {KNOWN_AFTER_APPLY}")
        source = block._source_attribute(name)
        steps = self._single(expression, source.expr if source is not None else None, block.instance.key)
        target = self._follow(steps, block.instance.module, 0) if steps is not None else None
        if target is None and not known and source is not None and isinstance(source.expr, s.Template):
            return self._partly_known(source.expr, block, unknown)
        if target is None:
            return planned if known else unknown
        instance, attribute = target
        if not known:
            return self._after_apply(instance, attribute, block, unknown)
        configured = instance.group.configured(attribute[0])
        if configured:
            return planned
        # A data source's attributes are what it read, not a link: keep them.
        target_value = instance.planned(attribute)
        if instance.mode == "data" or configured is None or target_value is NOT_WRITTEN or target_value != planned:
            return planned
        return Reference(instance.address, steps_text(attribute), instance.type)

    @staticmethod
    def _after_apply(instance: PlanInstance, attribute: Steps, block: PlanBlock, unknown: Unknown) -> Value:
        """What a traversal to `instance`'s `attribute` is when Terraform knows it only after
        apply: the configured value when the configuration writes it, else a Reference."""
        if instance.group.configured(attribute[0]):
            return instance.attr(attribute[0]) if len(attribute) == 1 and instance is not block.instance else unknown
        return Reference(instance.address, steps_text(attribute), instance.type)

    def _partly_known(self, template: s.Template, block: PlanBlock, unknown: Unknown) -> Value:
        """A string template known after apply, as the static backend reads it: its literal
        text, and for each `${ }` what the traversal it holds is (a Reference to a computed
        attribute, a configured value) or Unknown. A directive leaves it all Unknown."""
        parts: list[Any] = []
        for part in template.parts:
            if isinstance(part, str):
                parts.append(part)
                continue
            if not isinstance(part, s.Interpolation):
                return unknown
            steps = static_steps(part.expr, block.instance.key)
            target = self._follow(steps, block.instance.module, 0) if steps is not None else None
            if target is None:
                parts.append(unknown)
                continue
            value = self._after_apply(*target, block, unknown)
            parts.append(value if isinstance(value, (str, Reference)) else unknown)
        merged = merge_pieces(parts)
        texts = [part for part in merged if isinstance(part, str)]
        if len(texts) == len(merged):
            return "".join(texts)
        return Unknown(unknown.reason, partial=Holes(tuple(merged)))

    def _single(self, expression: Any, source: s.Expression | None, key: int | str | None) -> Steps | None:
        """The one traversal an expression is: from the source when given (exact), else from
        the plan's references (the expression may still transform it)."""
        if source is not None:
            return static_steps(source, key)
        references = maximal_references(_references(expression))
        return references[0] if len(references) == 1 else None

    def _follow(self, steps: Steps, module: PlanModule, hops: int) -> tuple[PlanInstance, Steps] | None:
        """The resource instance and attribute path a traversal names, through module
        variables, module outputs and (with PATH) locals; None when it names no single one."""
        if hops > _MAX_HOPS or len(steps) < 2 or not isinstance(steps[1], str):
            return None
        root = steps[0]
        if root in _NO_DEPENDENCIES:
            return None
        if root == "var":
            if module.parent is None:
                return None
            inner = self._single(module.call_argument(steps[1]), module.static_argument(steps[1]), module.key)
            return self._follow(inner + steps[2:], module.parent, hops + 1) if inner else None
        if root == "local":
            attribute = module.static_local(steps[1])
            inner = static_steps(attribute.expr, None) if attribute is not None else None
            return self._follow(inner + steps[2:], module, hops + 1) if inner else None
        if root == "module":
            rest = steps[2:]
            key: Any = NOT_WRITTEN
            if rest and isinstance(rest[0], Key):
                key, rest = rest[0].value, rest[1:]
            children = module.calls(steps[1], key)
            if len(children) != 1 or not rest or not isinstance(rest[0], str):
                return None
            child = children[0]
            inner = self._single((child.output_config(rest[0]) or {}).get("expression"), child.static_output(rest[0]), None)
            return self._follow(inner + rest[1:], child, hops + 1) if inner else None
        if root == "data":
            if len(steps) < 3 or not isinstance(steps[2], str):
                return None
            group, rest = module.group("data", steps[1], steps[2]), steps[3:]
        else:
            group, rest = module.group("managed", root, steps[1]), steps[2:]
        if group is None:
            return None
        if rest and isinstance(rest[0], Key):
            matching = [i for i in group.instances if i.key == rest[0].value]
            rest = rest[1:]
        else:
            matching = [i for i in group.instances if i.key is None]
        if len(matching) != 1 or not rest or not isinstance(rest[0], str):
            return None
        return matching[0], rest

    # -- plan-file positions ------------------------------------------------------

    def locate(self, address: str) -> s.Range:
        """Where the plan file names `address` (its first `"address"` in planned_values)."""
        if self._address_offsets is None:
            self._address_offsets = self._index_addresses()
        start, end = self._address_offsets.get(address, (0, 0))
        line, column = self._position(start)
        end_line, end_column = self._position(end)
        return s.Range(self.plan_path, line, column, end_line, max(end_column, column + 1) if end_line == line else end_column)

    def _index_addresses(self) -> dict[str, tuple[int, int]]:
        text = self._text
        begin = max(text.find('"planned_values"'), 0)
        offsets: dict[str, tuple[int, int]] = {}
        for match in _ADDRESS.finditer(text, begin):
            try:
                address = json.loads(match.group(1))
            except ValueError:
                continue
            offsets.setdefault(address, (match.start(), match.end()))
        return offsets

    def _position(self, offset: int) -> tuple[int, int]:
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self._text)]
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1


_ADDRESS = re.compile(r'"address"\s*:\s*("(?:[^"\\]|\\.)*")')


@dataclass
class PlanModel:
    """The plan backend's view, and the configuration files it read (with PATH)."""

    configurations: list[PlanConfiguration]
    files: list[s.SourceFile]
    module_directories: list[str]
    plan_path: str

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """TFL001 for each file of PATH that did not load: its resources cannot be mapped."""
        return [
            Diagnostic("TFL001", f.error.message, Range(f.path, f.error.line, f.error.column, f.error.line, f.error.column + 1))
            for f in self.files
            if f.error is not None
        ]


def _conforms(model: PlanModel, configuration: PlanConfiguration, resource: PlanInstance) -> tuple[view.View, view.Configuration, view.Resource]:
    """The plan backend implements the view protocol; the type checker proves it here."""
    return model, configuration, resource


def build_plan_model(plan_path: str, config_path: str | None, options: BuildOptions) -> PlanModel:
    """The model of a `terraform show -json` plan. `config_path` is the configuration
    directory the plan was made from (a file selects its directory), used for source
    ranges, locals and provider settings; PlanError / PathError name what cannot be read."""
    document, text = read_plan(plan_path)
    static = None
    cache = SourceCache()
    if config_path is not None:
        if not os.path.exists(config_path):
            raise PathError(f"{config_path}: no such file or directory")
        directory = os.path.abspath(config_path if os.path.isdir(config_path) else os.path.dirname(os.path.abspath(config_path)))
        values = RootValues()
        variables = document.get("variables")
        for name, variable in (variables if isinstance(variables, dict) else {}).items():
            if isinstance(variable, dict) and "value" in variable:
                values.set_value(name, variable["value"])
        workspace = options.workspace or options.environ.get("TF_WORKSPACE") or environment_workspace(directory) or "default"
        tree = ScannedTree.of(options.scanned_tree or [config_path])
        static = Configuration(directory, cache.module, values, workspace, tree)
        static.modules  # noqa: B018 - loads every module directory it calls
    configuration = PlanConfiguration(plan_path, document, text, static)
    modules = [m.address or "<root>" for m in configuration.modules]
    return PlanModel([configuration], list(cache.files.values()), modules, configuration.plan_path)

