"""Module instances, resource instances and provider configurations of one root module: the
static backend's implementation of the view's `Resource` and `Node`.

Everything is evaluated lazily and memoized: a rule that reads `logging_level` of one
method settings evaluates that attribute, what it references, and nothing else. An error
while evaluating an attribute makes that attribute Unknown with Terraform's message as the
reason; it never stops the analysis. What an instance needs from outside its module tree
(root variables, module directories, the dependency graph, where problems go) comes from
its `EvalContext`.
"""

from __future__ import annotations

import json
import os
from typing import Any, Callable, Iterator

from tf_apigw_lint.load import syntax as s
from tf_apigw_lint.model.context import EvalContext, evaluate_safely
from tf_apigw_lint.model.errors import EvalError
from tf_apigw_lint.model.evaluator import ChildScope, LazyObject, evaluate, materialize
from tf_apigw_lint.model.expansion import Expansion, evaluate_for_each, expand
from tf_apigw_lint.model.provider import emulated_attribute
from tf_apigw_lint.model.sources import ModuleSource
from tf_apigw_lint.model.variables import NOT_GIVEN, root_given, variable_value
from tf_apigw_lint.view.protocol import MANAGED, AccountRegion, Provider
from tf_apigw_lint.view.ranges import Range, range_along
from tf_apigw_lint.view.values import Piece, Reference, Unknown, Value, is_known, pieces_of, unknown_from

MODULE_META_ARGUMENTS = frozenset({"source", "version", "count", "for_each", "providers", "depends_on"})


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
    """`[0]` / `["k"]` as Terraform prints instance keys (non-ASCII characters as they are)."""
    if key is None:
        return ""
    if isinstance(key, int):
        return f"[{key}]"
    return "[" + json.dumps(key, ensure_ascii=False) + "]"


def resource_address(module_address: str, mode: str, type_: str, name: str) -> str:
    """`module.a.aws_x.y` / `data.aws_x.y` (without an instance key)."""
    local = f"{type_}.{name}" if mode == MANAGED else f"data.{type_}.{name}"
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
            return {"module": module.path_module, "root": ".", "cwd": module.context.root_dir}
        if name == "terraform":
            return {"workspace": module.context.workspace}
        if name in ("count", "each", "self"):
            raise EvalError(f'Reference to "{name}" in context without {name}')
        if module.has_resource_type(name):
            return Namespace(name, lambda n: module.resource_value(MANAGED, name, n))
        raise EvalError(f'Reference to undeclared resource: no resource of type "{name}" is declared in this module')

    def function_context(self) -> Any:
        return self.module.context.functions

    def with_bindings(self, bindings: dict[str, Value]) -> "ModuleScope":
        merged = dict(self.bindings)
        merged.update(bindings)
        return ModuleScope(self.module, merged)


# ---------------------------------------------------------------------------
# Blocks
# ---------------------------------------------------------------------------


class BlockInstance:
    """A block body evaluated in one scope: a resource instance's body, or one of its nested
    blocks after `dynamic` expansion. `uncertain` is set when the block comes from a
    `dynamic` block whose `for_each` is unknown (it may not exist)."""

    def __init__(self, body: s.Body, scope: Any, range_: Range, uncertain: bool = False):
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
        return self._memo.get(("attr", name), lambda: evaluate_safely(attribute.expr, self.scope))

    def pieces(self, name: str) -> list[Piece] | None:
        return pieces_of(self.attr(name))

    def blocks(self, block_type: str) -> list["BlockInstance"]:
        return self._memo.get(("blocks", block_type), lambda: list(self._expand(block_type)))

    def range_of(self, path: str | None = None) -> Range:
        """The range of `path` inside the block, falling back to the deepest block that exists."""
        return range_along(self, path, _block_range, _written_range, BlockInstance.blocks)

    def memoized(self, key: str, compute: Callable[[], Value]) -> Value:
        """A value computed once for this block; a computation that needs itself is a cycle."""
        return self._memo.get(("memo", key), compute)

    def _expand(self, block_type: str) -> Iterator["BlockInstance"]:
        # Static and dynamic blocks keep their relative source order.
        candidates = self.body.blocks(block_type) + [b for b in self.body.blocks("dynamic") if b.labels[:1] == (block_type,)]
        candidates.sort(key=lambda b: (b.range.line, b.range.column))
        for block in candidates:
            if block.type == "dynamic":
                yield from _expand_dynamic(block, self.scope, self.uncertain)
            else:
                yield BlockInstance(block.body, self.scope, block.range, self.uncertain)


def _block_range(block: BlockInstance) -> Range:
    return block.range


def _written_range(block: BlockInstance, name: str) -> Range | None:
    attribute = block.attribute(name)
    return attribute.range if attribute is not None else None


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
        self._view: Provider | None = None

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

    def account_region(self) -> AccountRegion:
        """Two configurations with the same key manage the same account region: the same
        known region, profile and assumed role. Otherwise a configuration is only itself."""
        region = self.region()
        if not isinstance(region, str):
            return AccountRegion(configuration=self.display)
        profile = self.setting("profile") if self.body and self.body.has("profile") else None
        role = None
        if self.body is not None:
            for assume in self.body.blocks("assume_role"):
                role = assume.attr("role_arn")
        if not is_known(profile) or not is_known(role):
            return AccountRegion(configuration=self.display)
        return AccountRegion(region, profile, role)

    def view(self) -> Provider:
        if self._view is None:
            self._view = Provider(self.display, self.region(), self.account_region())
        return self._view


# ---------------------------------------------------------------------------
# Resources
# ---------------------------------------------------------------------------


class ResourceInstance:
    """One instance of a `resource` or `data` block in one module instance."""

    def __init__(self, group: "ResourceGroup", key: int | str | None, bindings: dict[str, Value], uncertain: bool):
        self.group = group
        self.key = key
        self.uncertain: bool = uncertain or group.module.uncertain
        self.address = group.address + instance_key_text(key)
        scope = ModuleScope(group.module, bindings)
        self.body = BlockInstance(group.block.body, scope, group.block.range)
        self.body.scope = scope.with_bindings({"self": ResourceObject(self)})

    @property
    def type(self) -> str:
        return self.group.type

    @property
    def name(self) -> str:
        return self.group.name

    @property
    def mode(self) -> str:
        return self.group.mode

    @property
    def resource_address(self) -> str:
        return self.group.address

    @property
    def module(self) -> "ModuleInstance":
        return self.group.module

    @property
    def range(self) -> Range:
        return self.group.block.range

    @property
    def provider_config(self) -> ProviderConfig:
        return self.group.provider

    @property
    def provider(self) -> Provider:
        return self.group.provider.view()

    def has(self, name: str) -> bool:
        return self.body.has(name)

    def attr(self, name: str) -> Value:
        return self.body.attr(name)

    def pieces(self, name: str) -> list[Piece] | None:
        return self.body.pieces(name)

    def attribute(self, name: str) -> s.Attribute | None:
        return self.body.attribute(name)

    def blocks(self, block_type: str) -> list[BlockInstance]:
        return self.body.blocks(block_type)

    def range_of(self, path: str | None = None) -> Range:
        return self.body.range_of(path)

    def refers_to(self, name: str) -> frozenset[str]:
        return self.module.context.references.attribute_references(self, name)

    def memoized(self, key: str, compute: Callable[[], Value]) -> Value:
        return self.body.memoized(key, compute)

    def __repr__(self) -> str:
        return f"ResourceInstance({self.address})"


class ResourceObject(LazyObject):
    """A resource instance used as a value: configured attributes are their values, what the
    provider knows without apply is emulated, the rest are References (known after apply)."""

    def __init__(self, instance: ResourceInstance):
        self.instance = instance

    def get_attr(self, name: str) -> Value:
        instance = self.instance
        emulated = emulated_attribute(instance, name)
        if emulated is not None:
            return emulated
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


def expansion_value(expansion: Expansion, objects: list[LazyObject], description: str) -> Value:
    """The value a `count` / `for_each` block has as a whole: a list, a map, a single
    object, or for an unknown expansion an object any index of which is its one instance."""
    if expansion.keyed == "count":
        return list(objects)
    if expansion.keyed == "for_each":
        return {instance.key: obj for instance, obj in zip(expansion.instances, objects)}
    if expansion.keyed == "unknown":
        return AnyIndex(objects[0], description)
    return objects[0]


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
            expansion = expand(self.block.body, ModuleScope(self.module))
            instances = [ResourceInstance(self, i.key, i.bindings, expansion.uncertain) for i in expansion.instances]
            self._instances = instances
            self._value = expansion_value(expansion, [ResourceObject(i) for i in instances], self.address)
        return self._instances

    def value(self) -> Value:
        self.instances  # noqa: B018 - expands and sets the value
        return self._value

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
    def address(self) -> str:
        """`module.a.module.b`: the call, without instance keys of its own."""
        local = f"module.{self.name}"
        return f"{self.parent.address}.{local}" if self.parent.address else local

    @property
    def instances(self) -> list["ModuleInstance"]:
        return self._expand()[0]

    @property
    def value(self) -> Value:
        return self._expand()[1]

    def _expand(self) -> tuple[list["ModuleInstance"], Value]:
        if self._expanded is None:
            self._expanded = ([], UnloadedModule(f"module.{self.name} refers to itself"))
            self._expanded = self._load()
        return self._expanded

    def _load(self) -> tuple[list["ModuleInstance"], Value]:
        context = self.parent.context
        directory, problem = self._directory()
        if directory is None:
            context.diagnostics.report_once("TFL003", f'module "{self.name}" was not analysed: {problem}', self._source_range())
            return [], UnloadedModule(f"module.{self.name} was not analysed: {problem}")
        chain = [self.parent.source.directory, *(m.source.directory for m in self.parent.ancestors)]
        if directory in chain:
            names = " -> ".join(reversed([*self.parent.call_path, self.name]))
            context.diagnostics.report_once(
                "TFL003", f'module "{self.name}" calls a module that includes it (cycle through {names}); not analysed again', self._source_range()
            )
            return [], UnloadedModule(f"module.{self.name} is part of a module cycle")
        source = context.read_module(directory)
        expansion = expand(self.block.body, ModuleScope(self.parent))
        call_path = (*self.parent.call_path, self.name)
        children = [
            ModuleInstance(context, source, self.address + instance_key_text(i.key), call_path, self.parent, self, ModuleScope(self.parent, i.bindings), expansion.uncertain)
            for i in expansion.instances
        ]
        return children, expansion_value(expansion, [ModuleObject(c) for c in children], children[0].address if children else self.address)

    def _directory(self) -> tuple[str | None, str]:
        attribute = self.block.body.attribute("source")
        if attribute is None:
            return None, "it has no source"
        source = attribute.expr.value if isinstance(attribute.expr, s.Literal) else None
        if not isinstance(source, str):
            return None, "its source is not a literal string"
        installed = self.parent.context.installed.get(".".join((*self.parent.call_path, self.name)))
        if installed is not None and os.path.isdir(installed):
            return installed, ""
        if source.startswith(("./", "../")) or source in (".", ".."):
            directory = os.path.normpath(os.path.join(self.parent.source.directory, source))
            if os.path.isdir(directory):
                return directory, ""
            return None, f'local source "{source}" does not exist'
        return None, f'source "{source}" is not installed (run terraform init to analyse it)'

    def _source_range(self) -> Range:
        attribute = self.block.body.attribute("source")
        return attribute.range if attribute is not None else self.block.range


class ModuleInstance:
    def __init__(
        self,
        context: EvalContext,
        source: ModuleSource,
        address: str,
        call_path: tuple[str, ...],
        parent: "ModuleInstance | None" = None,
        call: ModuleCall | None = None,
        call_scope: ModuleScope | None = None,
        uncertain: bool = False,
    ):
        self.context = context
        self.source = source
        self.address = address
        self.call_path = call_path
        self.parent = parent
        self.call = call
        self.call_scope = call_scope
        self.uncertain: bool = uncertain or (parent.uncertain if parent else False)
        self._memo = _Memo()
        self.calls: dict[str, ModuleCall] = {name: ModuleCall(self, name, block) for name, block in source.module_calls.items()}
        self.groups: dict[tuple[str, str, str], ResourceGroup] = {
            key: ResourceGroup(self, key[0], key[1], key[2], block) for key, block in source.resources.items()
        }
        self._resource_types = {key[1] for key in source.resources if key[0] == MANAGED}
        self.providers = self._provider_configurations()
        relative = os.path.relpath(source.directory, context.root_dir)
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
            providers[key] = ProviderConfig(self, block.labels[0], alias if isinstance(alias, str) else None, block)
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
        return self._memo.get(("var", name), lambda: self._variable(name, block))

    def _variable(self, name: str, block: s.Block) -> Value:
        functions = self.context.functions
        if self.call is None or self.call_scope is None:
            missing = f'root variable "{name}" has no value (set it with --var, --var-file or a tfvars file)'
            return variable_value(name, block, root_given(self.context.root_values, name), functions, missing)
        argument = self.call.block.body.attribute(name)
        given = evaluate_safely(argument.expr, self.call_scope) if argument is not None else NOT_GIVEN
        missing = f'variable "{name}" is required but module.{self.call.name} does not set it'
        return variable_value(name, block, given, functions, missing)

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
        return self._memo.get(("output", name), lambda: evaluate_safely(value_attribute.expr, ModuleScope(self)))

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
            kind = "resource" if mode == MANAGED else "data resource"
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
