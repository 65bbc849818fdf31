"""Module instances, resource instances and provider configurations of one root module.

Everything is evaluated lazily and memoized: a rule that reads `logging_level` of one
method settings evaluates that attribute, what it references, and nothing else. An error
while evaluating an attribute makes that attribute Unknown with Terraform's message as the
reason; it never stops the analysis.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterator

from tf_apigw_lint.load import syntax as s
from tf_apigw_lint.model.errors import EvalError
from tf_apigw_lint.model.evaluator import (
    ChildScope,
    LazyObject,
    evaluate,
    materialize,
)
from tf_apigw_lint.model.sources import ModuleSource
from tf_apigw_lint.view.values import Reference, Unknown, Value, is_known, unknown_from

if TYPE_CHECKING:
    from tf_apigw_lint.model.configuration import Configuration

MODULE_META_ARGUMENTS = frozenset({"source", "version", "count", "for_each", "providers", "depends_on"})


@dataclass(frozen=True)
class Diagnostic:
    """A problem of the configuration itself (not of a rule), e.g. a module not analysed."""

    rule_id: str
    message: str
    range: s.Range


class _Memo:
    """Memoized evaluation with cycle detection."""

    def __init__(self) -> None:
        self._values: dict[Any, Value] = {}
        self._active: set[Any] = set()

    def get(self, key: Any, compute: Callable[[], Value]) -> Value:
        if key in self._values:
            return self._values[key]
        if key in self._active:
            raise EvalError(f"Cycle: {key[-1] if isinstance(key, tuple) else key} refers to itself")
        self._active.add(key)
        try:
            value = compute()
        finally:
            self._active.discard(key)
        self._values[key] = value
        return value


def instance_key_text(key: int | str | None) -> str:
    if key is None:
        return ""
    if isinstance(key, int):
        return f"[{key}]"
    return "[" + json.dumps(key) + "]"


def resource_address(module_address: str, mode: str, type_: str, name: str) -> str:
    """`module.a.aws_x.y` / `data.aws_x.y` (without an instance key)."""
    local = f"{type_}.{name}" if mode == "managed" else f"data.{type_}.{name}"
    return f"{module_address}.{local}" if module_address else local


# ---------------------------------------------------------------------------
# Scopes and lazy objects
# ---------------------------------------------------------------------------


class Namespace(LazyObject):
    """`var`, `local`, `module`, `data`, `data.<type>` and `<resource type>`."""

    def __init__(self, label: str, getter: Callable[[str], Value]):
        self.label = label
        self.getter = getter

    def get_attr(self, name: str) -> Value:
        return self.getter(name)

    def __repr__(self) -> str:
        return self.label


class ModuleScope:
    """Names visible inside a module instance, plus `count` / `each` / `self` bindings."""

    def __init__(self, module: "ModuleInstance", bindings: dict[str, Value] | None = None):
        self.module = module
        self.bindings = bindings or {}

    def lookup(self, name: str) -> Value:
        if name in self.bindings:
            return self.bindings[name]
        module = self.module
        if name == "var":
            return Namespace("var", module.variable)
        if name == "local":
            return Namespace("local", module.local)
        if name == "module":
            return Namespace("module", module.module_value)
        if name == "data":
            return Namespace("data", lambda type_: Namespace(f"data.{type_}", lambda n: module.resource_value("data", type_, n)))
        if name == "path":
            return {"module": module.path_module, "root": ".", "cwd": module.configuration.root_dir}
        if name == "terraform":
            return {"workspace": module.configuration.workspace}
        if name in ("count", "each", "self"):
            raise EvalError(f'Reference to "{name}" in context without {name}')
        if module.has_resource_type(name):
            return Namespace(name, lambda n: module.resource_value("managed", name, n))
        raise EvalError(f'Reference to undeclared resource: no resource of type "{name}" is declared in this module')

    def function_context(self) -> "FunctionContextImpl":
        return self.module.configuration.function_context

    def with_bindings(self, bindings: dict[str, Value]) -> "ModuleScope":
        merged = dict(self.bindings)
        merged.update(bindings)
        return ModuleScope(self.module, merged)


class FunctionContextImpl:
    """What file() and templatefile() need: Terraform resolves relative paths against the
    working directory, which is the root module directory."""

    def __init__(self, base_dir: str):
        self.base_dir = base_dir

    def read_file(self, path: str) -> str:
        full = path if os.path.isabs(path) else os.path.join(self.base_dir, path)
        try:
            with open(full, encoding="utf-8") as handle:
                return handle.read()
        except (OSError, UnicodeDecodeError) as error:
            raise EvalError(f"Invalid function argument: no file exists at {path!r} ({error.__class__.__name__})") from None

    def render_template(self, text: str, path: str, variables: dict) -> Value:
        from tf_apigw_lint.load.hcl import ParseError, parse_template

        try:
            template = parse_template(text, path, 1, 1)
        except ParseError as error:
            raise EvalError(f"Invalid template {path}: {error.error.message} at line {error.error.line}") from None
        return materialize(evaluate(template, _TemplateFileScope(variables, self)))


class _TemplateFileScope:
    """templatefile(): only the given variables are visible."""

    def __init__(self, variables: dict, context: FunctionContextImpl):
        self.variables = variables
        self.context = context

    def lookup(self, name: str) -> Value:
        if name in self.variables:
            return self.variables[name]
        raise EvalError(f'Invalid reference in templatefile: there is no variable named "{name}"')

    def function_context(self) -> FunctionContextImpl:
        return self.context


# ---------------------------------------------------------------------------
# Blocks
# ---------------------------------------------------------------------------


class BlockInstance:
    """A block body evaluated in one scope: a resource instance's body, or one of its nested
    blocks after `dynamic` expansion. `uncertain` is set when the block comes from a
    `dynamic` block whose `for_each` is unknown (it may not exist)."""

    def __init__(self, body: s.Body, scope: Any, range_: s.Range, uncertain: bool = False):
        self.body = body
        self.scope = scope
        self.range = range_
        self.uncertain = uncertain
        self._memo = _Memo()

    def has(self, name: str) -> bool:
        return self.body.attribute(name) is not None

    def attribute(self, name: str) -> s.Attribute | None:
        return self.body.attribute(name)

    def attr(self, name: str) -> Value:
        """The evaluated attribute; `None` (null) when it is not set."""
        attribute = self.body.attribute(name)
        if attribute is None:
            return None
        return self._memo.get(("attr", name), lambda: _evaluate_safely(attribute.expr, self.scope))

    def blocks(self, block_type: str) -> list["BlockInstance"]:
        return self._memo.get(("blocks", block_type), lambda: list(self._expand(block_type)))

    def _expand(self, block_type: str) -> Iterator["BlockInstance"]:
        # Static and dynamic blocks keep their relative source order.
        candidates = self.body.blocks(block_type) + [b for b in self.body.blocks("dynamic") if b.labels[:1] == (block_type,)]
        candidates.sort(key=lambda b: (b.range.line, b.range.column))
        for block in candidates:
            if block.type == "dynamic":
                yield from _expand_dynamic(block, self.scope, self.uncertain)
            else:
                yield BlockInstance(block.body, self.scope, block.range, self.uncertain)


def _evaluate_safely(expr: s.Expression, scope: Any) -> Value:
    try:
        return materialize(evaluate(expr, scope))
    except EvalError as error:
        return Unknown(str(error))
    except RecursionError:
        return Unknown("expression nested too deeply to evaluate")


def evaluate_for_each(expr: s.Expression, scope: Any) -> Value:
    """A `for_each` collection with its elements left lazy: `for_each = aws_x.y` binds
    `each.value` to each resource instance, so `each.value.id` is still a Reference."""
    try:
        collection = evaluate(expr, scope)
    except EvalError as error:
        return Unknown(str(error))
    if isinstance(collection, LazyObject):
        collection = collection.materialize()
    if isinstance(collection, list):
        return [materialize(item) for item in collection]
    return collection


def _expand_dynamic(block: s.Block, scope: Any, uncertain: bool) -> Iterator[BlockInstance]:
    iterator_name = block.labels[0]
    iterator_attribute = block.body.attribute("iterator")
    if iterator_attribute is not None:
        expr = iterator_attribute.expr
        if isinstance(expr, s.Variable):
            iterator_name = expr.name
        elif isinstance(expr, s.Literal) and isinstance(expr.value, str):  # JSON syntax
            iterator_name = expr.value
    contents = block.body.blocks("content")
    if not contents:
        return
    content = contents[0]
    for_each_attribute = block.body.attribute("for_each")
    collection = evaluate_for_each(for_each_attribute.expr, scope) if for_each_attribute else Unknown("dynamic block without for_each")
    if isinstance(collection, list):
        items = list(enumerate(collection))
    elif isinstance(collection, dict):
        items = sorted(collection.items())
    elif collection is None:
        items = []
    else:
        # Unknown: the block may expand to any number of blocks, including none.
        unknown = collection if isinstance(collection, Unknown) else unknown_from(collection, "dynamic for_each")
        bound = ChildScope(scope, {iterator_name: {"key": unknown, "value": unknown}})
        yield BlockInstance(content.body, bound, block.range, uncertain=True)
        return
    for key, value in items:
        bound = ChildScope(scope, {iterator_name: {"key": key, "value": value}})
        yield BlockInstance(content.body, bound, block.range, uncertain)


# ---------------------------------------------------------------------------
# Providers
# ---------------------------------------------------------------------------


class ProviderConfig:
    """One provider configuration. `block` is None for the implicit default configuration
    Terraform creates when none is written."""

    def __init__(self, module: "ModuleInstance", name: str, alias: str | None, block: s.Block | None):
        self.module = module
        self.name = name
        self.alias = alias
        self.block = block
        self.body = BlockInstance(block.body, ModuleScope(module), block.range) if block else None

    @property
    def display(self) -> str:
        local = self.name if self.alias is None else f"{self.name}.{self.alias}"
        prefix = self.module.address
        return f"{prefix}.{local}" if prefix else local

    def __repr__(self) -> str:
        return f"ProviderConfig({self.display})"

    def setting(self, name: str) -> Value:
        if self.body is None or not self.body.has(name):
            return Unknown(f"provider {self.display} has no {name}: it comes from the environment")
        return self.body.attr(name)

    def region(self) -> Value:
        return self.setting("region")

    def account_region_key(self) -> tuple:
        """Two configurations with the same key manage the same account region: the same
        known region, profile and assumed role. Otherwise a configuration is only itself."""
        region = self.region()
        if not isinstance(region, str):
            return ("configuration", self.display)
        profile = self.setting("profile") if self.body and self.body.has("profile") else None
        role = None
        if self.body is not None:
            for assume in self.body.blocks("assume_role"):
                role = assume.attr("role_arn")
        if not is_known(profile) or not is_known(role):
            return ("configuration", self.display)
        return ("region", region, profile, role)


# ---------------------------------------------------------------------------
# Resources
# ---------------------------------------------------------------------------


class ResourceInstance:
    """One instance of a `resource` or `data` block in one module instance."""

    def __init__(self, group: "ResourceGroup", key: int | str | None, bindings: dict[str, Value], uncertain: bool):
        self.group = group
        self.key = key
        self.uncertain = uncertain or group.module.uncertain
        self.address = group.address + instance_key_text(key)
        scope = ModuleScope(group.module, bindings)
        self.body = BlockInstance(group.block.body, scope, group.block.range)
        self.body.scope = scope.with_bindings({"self": ResourceObject(self)})

    type = property(lambda self: self.group.type)
    name = property(lambda self: self.group.name)
    mode = property(lambda self: self.group.mode)
    module = property(lambda self: self.group.module)
    range = property(lambda self: self.group.block.range)
    configuration = property(lambda self: self.group.module.configuration)

    @property
    def provider(self) -> ProviderConfig:
        return self.group.provider

    def has(self, name: str) -> bool:
        return self.body.has(name)

    def attr(self, name: str) -> Value:
        return self.body.attr(name)

    def attribute(self, name: str) -> s.Attribute | None:
        return self.body.attribute(name)

    def blocks(self, block_type: str) -> list[BlockInstance]:
        return self.body.blocks(block_type)

    def __repr__(self) -> str:
        return f"ResourceInstance({self.address})"


class ResourceObject(LazyObject):
    """A resource instance used as a value: configured attributes are their values, the
    rest are References (known only after apply)."""

    def __init__(self, instance: ResourceInstance):
        self.instance = instance

    def get_attr(self, name: str) -> Value:
        instance = self.instance
        special = instance.configuration.computed_attribute(instance, name)
        if special is not None:
            return special
        if instance.has(name):
            return instance.attr(name)
        nested = instance.blocks(name)
        if nested:
            return [_block_value(b) for b in nested]
        return Reference(instance.address, name, instance.type)

    def get_index(self, key: Value) -> Value:
        raise EvalError(f"Invalid index: {self.instance.address} is a single resource instance")

    def materialize(self) -> Value:
        return Unknown(f"{self.instance.address} as a whole is known only after apply")

    def __repr__(self) -> str:
        return self.instance.address


def _block_value(block: BlockInstance) -> Value:
    """A nested block read as a value: its attributes and nested blocks as lists."""
    value: dict[str, Value] = {name: block.attr(name) for name in block.body.attribute_names()}
    for block_type in block.body.block_types():
        if block_type == "dynamic":
            continue
        value[block_type] = [_block_value(b) for b in block.blocks(block_type)]
    return value


class AnyIndex(LazyObject):
    """Something whose count / for_each is unknown: any index gives its one unexpanded
    instance, so links through `aws_x.y[0].arn` or `module.m["k"].out` are still followed."""

    def __init__(self, single: LazyObject, description: str):
        self.single = single
        self.description = description

    def get_attr(self, name: str) -> Value:
        return self.single.get_attr(name)

    def get_index(self, key: Value) -> Value:
        return self.single

    def materialize(self) -> Value:
        return Unknown(f"the instances of {self.description} are known only after apply")


class ResourceGroup:
    """A `resource` / `data` block in one module instance, with its expanded instances."""

    def __init__(self, module: "ModuleInstance", mode: str, type_: str, name: str, block: s.Block):
        self.module = module
        self.mode = mode
        self.type = type_
        self.name = name
        self.block = block
        self.address = resource_address(module.address, mode, type_, name)
        self._instances: list[ResourceInstance] | None = None
        self._value: Value = None
        self._provider: ProviderConfig | None = None

    @property
    def instances(self) -> list[ResourceInstance]:
        if self._instances is None:
            self._instances = []  # a reference from its own count is a cycle: see no instances
            self._instances, self._value = self._expand()
        return self._instances

    def value(self) -> Value:
        self.instances  # noqa: B018 - expands and sets the value
        return self._value

    def _expand(self) -> tuple[list[ResourceInstance], Value]:
        body = self.block.body
        scope = ModuleScope(self.module)
        count_attribute = body.attribute("count")
        for_each_attribute = body.attribute("for_each")
        if count_attribute is not None:
            count = _evaluate_safely(count_attribute.expr, scope)
            if isinstance(count, (int, float)) and not isinstance(count, bool) and count >= 0:
                instances = [ResourceInstance(self, i, {"count": {"index": i}}, False) for i in range(int(count))]
                return instances, [ResourceObject(i) for i in instances]
            reason = count if isinstance(count, Unknown) else unknown_from(count, "count")
            one = ResourceInstance(self, None, {"count": {"index": reason}}, True)
            return [one], AnyIndex(ResourceObject(one), one.address)
        if for_each_attribute is not None:
            collection = evaluate_for_each(for_each_attribute.expr, scope)
            if isinstance(collection, dict) and is_known(list(collection.keys())):
                instances = [ResourceInstance(self, k, {"each": {"key": k, "value": v}}, False) for k, v in sorted(collection.items())]
                return instances, {i.key: ResourceObject(i) for i in instances}
            if isinstance(collection, list) and all(isinstance(v, str) for v in collection):
                keys = sorted(set(collection))
                instances = [ResourceInstance(self, k, {"each": {"key": k, "value": k}}, False) for k in keys]
                return instances, {i.key: ResourceObject(i) for i in instances}
            reason = collection if isinstance(collection, Unknown) else unknown_from(collection, "for_each")
            one = ResourceInstance(self, None, {"each": {"key": reason, "value": reason}}, True)
            return [one], AnyIndex(ResourceObject(one), one.address)
        one = ResourceInstance(self, None, {}, False)
        return [one], ResourceObject(one)

    @property
    def provider(self) -> ProviderConfig:
        if self._provider is None:
            self._provider = self.module.provider_for(self.block.body.attribute("provider"), self.type)
        return self._provider


# ---------------------------------------------------------------------------
# Modules
# ---------------------------------------------------------------------------


class ModuleCall:
    """A `module` block in one module instance; its child instances are expanded on first
    use, because `count` / `for_each` may refer to other modules' outputs."""

    def __init__(self, parent: "ModuleInstance", name: str, block: s.Block):
        self.parent = parent
        self.name = name
        self.block = block
        self._expanded: tuple[list[ModuleInstance], Value] | None = None

    @property
    def instances(self) -> list["ModuleInstance"]:
        return self._expand()[0]

    @property
    def value(self) -> Value:
        return self._expand()[1]

    def _expand(self) -> tuple[list["ModuleInstance"], Value]:
        if self._expanded is None:
            self._expanded = ([], UnloadedModule(f"module.{self.name} refers to itself"))
            self._expanded = self.parent.configuration.expand_module_call(self)
        return self._expanded


class ModuleInstance:
    def __init__(
        self,
        configuration: "Configuration",
        source: ModuleSource,
        address: str,
        call_path: tuple[str, ...],
        parent: "ModuleInstance | None" = None,
        call: ModuleCall | None = None,
        call_scope: ModuleScope | None = None,
        uncertain: bool = False,
    ):
        self.configuration = configuration
        self.source = source
        self.address = address
        self.call_path = call_path
        self.parent = parent
        self.call = call
        self.call_scope = call_scope
        self.uncertain = uncertain or (parent.uncertain if parent else False)
        self._memo = _Memo()
        self.calls: dict[str, ModuleCall] = {name: ModuleCall(self, name, block) for name, block in source.module_calls.items()}
        self.groups: dict[tuple[str, str, str], ResourceGroup] = {
            key: ResourceGroup(self, key[0], key[1], key[2], block) for key, block in source.resources.items()
        }
        self._resource_types = {key[1] for key in source.resources if key[0] == "managed"}
        self.providers = self._provider_configurations()
        relative = os.path.relpath(source.directory, configuration.root_dir)
        self.path_module = "." if relative == "." else relative.replace(os.sep, "/")

    def __repr__(self) -> str:
        return f"ModuleInstance({self.address or '<root>'})"

    @property
    def ancestors(self) -> Iterator["ModuleInstance"]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    # -- providers ---------------------------------------------------------

    def _provider_configurations(self) -> dict[str, ProviderConfig]:
        providers: dict[str, ProviderConfig] = {}
        if self.parent is not None and self.call is not None:
            passed = self.call.block.body.attribute("providers")
            if passed is not None and isinstance(passed.expr, s.ObjectExpr):
                for item in passed.expr.items:
                    inner, outer = _provider_key(item.key), _provider_key(item.value)
                    if inner and outer:
                        providers[inner] = self.parent.provider_named(outer)
            for key, config in self.parent.providers.items():
                if "." not in key and key not in providers:
                    providers[key] = config
        for block in self.source.providers:
            alias_attribute = block.body.attribute("alias")
            alias = alias_attribute.expr.value if alias_attribute and isinstance(alias_attribute.expr, s.Literal) else None
            key = block.labels[0] if alias is None else f"{block.labels[0]}.{alias}"
            providers[key] = ProviderConfig(self, block.labels[0], alias, block)
        return providers

    def provider_named(self, key: str) -> ProviderConfig:
        if key not in self.providers:
            name, _, alias = key.partition(".")
            if self.parent is not None and not alias:
                # A default configuration no one wrote is inherited, like a written one:
                # the root's implicit `aws` serves every module that is not given another.
                self.providers[key] = self.parent.provider_named(key)
            else:
                self.providers[key] = ProviderConfig(self, name, alias or None, None)
        return self.providers[key]

    def provider_for(self, attribute: s.Attribute | None, resource_type: str) -> ProviderConfig:
        key = _provider_key(attribute.expr) if attribute is not None else None
        return self.provider_named(key or resource_type.split("_", 1)[0])

    # -- names ---------------------------------------------------------------

    def variable(self, name: str) -> Value:
        block = self.source.variables.get(name)
        if block is None:
            raise EvalError(f'Reference to undeclared input variable: an input variable with the name "{name}" has not been declared')
        return self._memo.get(("var", name), lambda: self.configuration.variable_value(self, name, block))

    def local(self, name: str) -> Value:
        attribute = self.source.locals.get(name)
        if attribute is None:
            raise EvalError(f'Reference to undeclared local value: a local value with the name "{name}" has not been declared')
        return self._memo.get(("local", name), lambda: materialize(evaluate(attribute.expr, ModuleScope(self))))

    def output(self, name: str) -> Value:
        block = self.source.outputs.get(name)
        if block is None:
            raise EvalError(f'Unsupported attribute: module "{self.address}" has no output named "{name}"')
        value_attribute = block.body.attribute("value")
        if value_attribute is None:
            return None
        return self._memo.get(("output", name), lambda: _evaluate_safely(value_attribute.expr, ModuleScope(self)))

    def module_value(self, name: str) -> Value:
        call = self.calls.get(name)
        if call is None:
            raise EvalError(f'Reference to undeclared module: no module call named "{name}" is declared in this module')
        return call.value

    def has_resource_type(self, type_: str) -> bool:
        return type_ in self._resource_types

    def resource_value(self, mode: str, type_: str, name: str) -> Value:
        group = self.groups.get((mode, type_, name))
        if group is None:
            kind = "resource" if mode == "managed" else "data resource"
            raise EvalError(f'Reference to undeclared resource: a {kind} "{type_}" "{name}" has not been declared')
        return group.value()


class ModuleObject(LazyObject):
    """A module instance used as a value: its outputs."""

    def __init__(self, module: ModuleInstance):
        self.module = module

    def get_attr(self, name: str) -> Value:
        return self.module.output(name)

    def materialize(self) -> Value:
        return {name: self.module.output(name) for name in self.module.source.outputs}


class UnloadedModule(LazyObject):
    """A module call whose source could not be loaded: every output is Unknown."""

    def __init__(self, reason: str):
        self.reason = reason

    def get_attr(self, name: str) -> Value:
        return Unknown(self.reason)

    def get_index(self, key: Value) -> Value:
        return self

    def materialize(self) -> Value:
        return Unknown(self.reason)


def _provider_key(expr: s.Expression) -> str | None:
    """`aws`, `aws.west` (also written as the strings "aws.west" in JSON syntax)."""
    if isinstance(expr, s.Variable):
        return expr.name
    if isinstance(expr, s.GetAttr) and isinstance(expr.obj, s.Variable):
        return f"{expr.obj.name}.{expr.name}"
    if isinstance(expr, (s.Literal, s.Template)):
        text = expr.value if isinstance(expr, s.Literal) else None
        if isinstance(text, str) and text.replace(".", "").replace("_", "").replace("-", "").isalnum():
            return text
    return None

