"""One root module and everything it calls, as Terraform would plan it."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Iterator

from tf_apigw_lint.load import syntax as s
from tf_apigw_lint.load.hcl import ParseError, parse_expression
from tf_apigw_lint.model.apigw import ApiGateway
from tf_apigw_lint.model.computed import computed_attribute
from tf_apigw_lint.model.errors import EvalError
from tf_apigw_lint.model.graph import DependencyGraph
from tf_apigw_lint.model.evaluator import evaluate, materialize
from tf_apigw_lint.model.types import convert, parse_type
from tf_apigw_lint.model.instances import (
    AnyIndex,
    Diagnostic,
    FunctionContextImpl,
    ModuleCall,
    ModuleInstance,
    ModuleObject,
    ModuleScope,
    ResourceInstance,
    UnloadedModule,
    instance_key_text,
    _evaluate_safely,
    evaluate_for_each,
)
from tf_apigw_lint.model.sources import ModuleSource
from tf_apigw_lint.view.values import Unknown, Value, unknown_from


@dataclass
class RootValues:
    """Values of root variables after Terraform's precedence: evaluated values from tfvars
    files, or raw text from `--var` / `TF_VAR_*` that is read with the variable's type."""

    values: dict[str, Value] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)

    def set_value(self, name: str, value: Value) -> None:
        self.values[name] = value
        self.raw.pop(name, None)

    def set_raw(self, name: str, text: str) -> None:
        self.raw[name] = text
        self.values.pop(name, None)


class _EmptyScope:
    """Where variable defaults and tfvars values are evaluated: no references allowed."""

    def __init__(self, context: FunctionContextImpl):
        self.context = context

    def lookup(self, name: str) -> Value:
        raise EvalError(f'Variables not allowed: "{name}" cannot be referenced here')

    def function_context(self) -> FunctionContextImpl:
        return self.context


class Configuration:
    def __init__(
        self,
        root_dir: str,
        read_module: Callable[[str], ModuleSource],
        root_values: RootValues,
        workspace: str,
    ):
        self.root_dir = root_dir
        self.read_module = read_module
        self.root_values = root_values
        self.workspace = workspace
        self.function_context = FunctionContextImpl(root_dir)
        self.diagnostics: list[Diagnostic] = []
        self._reported: set[tuple] = set()
        self._installed = _installed_modules(root_dir)
        self.root = ModuleInstance(self, read_module(root_dir), "", ())
        self._modules: list[ModuleInstance] | None = None
        self._by_address: dict[str, ResourceInstance] | None = None

    def __repr__(self) -> str:
        return f"Configuration({self.root_dir})"

    @cached_property
    def graph(self) -> DependencyGraph:
        return DependencyGraph()

    @cached_property
    def apigw(self) -> ApiGateway:
        return ApiGateway(self, self.graph)

    # -- module tree ----------------------------------------------------------

    @property
    def modules(self) -> list[ModuleInstance]:
        """Every module instance, parents before children."""
        if self._modules is None:
            ordered: list[ModuleInstance] = []
            pending = [self.root]
            while pending:
                module = pending.pop(0)
                ordered.append(module)
                for call in module.calls.values():
                    pending.extend(call.instances)
            self._modules = ordered
        return self._modules

    def resources(self, resource_type: str | None = None, mode: str = "managed") -> Iterator[ResourceInstance]:
        for module in self.modules:
            for group in module.groups.values():
                if group.mode == mode and (resource_type is None or group.type == resource_type):
                    yield from group.instances

    def instance_by_address(self, address: str) -> ResourceInstance | None:
        """The managed or data resource instance at a full address, as a Reference names it
        (`module.a["k"].aws_x.y[0]`, `data.aws_x.y`); None when it is not declared."""
        if self._by_address is None:
            self._by_address = {i.address: i for mode in ("managed", "data") for i in self.resources(mode=mode)}
        return self._by_address.get(address)

    def expand_module_call(self, call: ModuleCall) -> tuple[list[ModuleInstance], Value]:
        directory, problem = self._module_directory(call)
        if directory is None:
            self._report_once("TFL003", f'module "{call.name}" was not analysed: {problem}', _source_range(call.block))
            return [], UnloadedModule(f"module.{call.name} was not analysed: {problem}")
        chain = [call.parent.source.directory, *(m.source.directory for m in call.parent.ancestors)]
        if directory in chain:
            names = " -> ".join(reversed([*call.parent.call_path, call.name]))
            self._report_once("TFL003", f'module "{call.name}" calls a module that includes it (cycle through {names}); not analysed again', _source_range(call.block))
            return [], UnloadedModule(f"module.{call.name} is part of a module cycle")
        source = self.read_module(directory)
        parent = call.parent
        prefix = f"{parent.address}.module.{call.name}" if parent.address else f"module.{call.name}"
        call_path = (*parent.call_path, call.name)
        scope = ModuleScope(parent)

        def child(key: int | str | None, bindings: dict, uncertain: bool) -> ModuleInstance:
            return ModuleInstance(self, source, prefix + instance_key_text(key), call_path, parent, call, ModuleScope(parent, bindings), uncertain)

        body = call.block.body
        count_attribute, for_each_attribute = body.attribute("count"), body.attribute("for_each")
        if count_attribute is not None:
            count = _evaluate_safely(count_attribute.expr, scope)
            if isinstance(count, (int, float)) and not isinstance(count, bool) and count >= 0:
                children = [child(i, {"count": {"index": i}}, False) for i in range(int(count))]
                return children, [ModuleObject(c) for c in children]
            reason = count if isinstance(count, Unknown) else unknown_from(count, "count")
            one = child(None, {"count": {"index": reason}}, True)
            return [one], AnyIndex(ModuleObject(one), one.address)
        if for_each_attribute is not None:
            collection = evaluate_for_each(for_each_attribute.expr, scope)
            if isinstance(collection, list) and all(isinstance(v, str) for v in collection):
                collection = {v: v for v in collection}
            if isinstance(collection, dict):
                keyed = {k: child(k, {"each": {"key": k, "value": v}}, False) for k, v in sorted(collection.items())}
                return list(keyed.values()), {k: ModuleObject(c) for k, c in keyed.items()}
            reason = collection if isinstance(collection, Unknown) else unknown_from(collection, "for_each")
            one = child(None, {"each": {"key": reason, "value": reason}}, True)
            return [one], AnyIndex(ModuleObject(one), one.address)
        one = child(None, {}, False)
        return [one], ModuleObject(one)

    def _module_directory(self, call: ModuleCall) -> tuple[str | None, str]:
        attribute = call.block.body.attribute("source")
        if attribute is None:
            return None, "it has no source"
        source = attribute.expr.value if isinstance(attribute.expr, s.Literal) else None
        if not isinstance(source, str):
            return None, "its source is not a literal string"
        installed = self._installed.get(".".join((*call.parent.call_path, call.name)))
        if installed is not None and os.path.isdir(installed):
            return installed, ""
        if source.startswith(("./", "../")) or source in (".", ".."):
            directory = os.path.normpath(os.path.join(call.parent.source.directory, source))
            if os.path.isdir(directory):
                return directory, ""
            return None, f'local source "{source}" does not exist'
        return None, f'source "{source}" is not installed (run terraform init to analyse it)'

    def _report_once(self, rule_id: str, message: str, range_: s.Range) -> None:
        key = (rule_id, range_.path, range_.line, range_.column)
        if key not in self._reported:
            self._reported.add(key)
            self.diagnostics.append(Diagnostic(rule_id, message, range_))

    # -- values -----------------------------------------------------------------

    def variable_value(self, module: ModuleInstance, name: str, block: s.Block) -> Value:
        body = block.body
        context = self.function_context
        default_attribute = body.attribute("default")
        has_default = default_attribute is not None
        default = _evaluate_safely(default_attribute.expr, _EmptyScope(context)) if has_default else None
        type_attribute = body.attribute("type")
        nullable_attribute = body.attribute("nullable")
        nullable = not (nullable_attribute and isinstance(nullable_attribute.expr, s.Literal) and nullable_attribute.expr.value is False)
        if module.call is None:
            if name in self.root_values.values:
                value = self.root_values.values[name]
            elif name in self.root_values.raw:
                value = self._raw_variable(self.root_values.raw[name], type_attribute)
            elif has_default:
                value = default
            else:
                return Unknown(f'root variable "{name}" has no value (set it with --var, --var-file or a tfvars file)')
        else:
            argument = module.call.block.body.attribute(name)
            if argument is not None:
                value = _evaluate_safely(argument.expr, module.call_scope)
            elif has_default:
                value = default
            else:
                return Unknown(f'variable "{name}" is required but module.{module.call.name} does not set it')
        if value is None and has_default and not nullable:
            value = default
        if type_attribute is not None and value is not None:
            value = self._convert(value, type_attribute, default if has_default else None)
        return value

    def _raw_variable(self, text: str, type_attribute: s.Attribute | None) -> Value:
        # Terraform reads -var / TF_VAR_ text as a string for primitive types and as an
        # HCL expression for collection and structural types.
        if type_attribute is None or _type_expression(type_attribute) in ("string", "number", "bool", "any"):
            return text
        try:
            expr = parse_expression(text, "<command line>", 1, 1)
            return materialize(evaluate(expr, _EmptyScope(self.function_context)))
        except ParseError as error:
            return Unknown(f"cannot read variable value {text!r}: {error.error.message}")
        except EvalError as error:
            return Unknown(str(error))

    def _convert(self, value: Value, type_attribute: s.Attribute, default: Value) -> Value:
        expr = type_attribute.expr
        try:
            if isinstance(expr, s.Literal) and isinstance(expr.value, str):
                expr = parse_expression(expr.value, type_attribute.range.path, type_attribute.range.line, type_attribute.range.column)
            return convert(value, parse_type(expr))
        except ParseError as error:
            return Unknown(f"Invalid type constraint: {error.error.message}")
        except EvalError as error:
            return Unknown(f"Invalid value for variable: {error}")

    def computed_attribute(self, instance: ResourceInstance, name: str) -> Value | None:
        return computed_attribute(instance, name)


def _type_expression(attribute: s.Attribute) -> str | None:
    expr = attribute.expr
    if isinstance(expr, s.Variable):
        return expr.name
    if isinstance(expr, s.Literal) and isinstance(expr.value, str):
        return expr.value
    return None


def _source_range(block: s.Block) -> s.Range:
    attribute = block.body.attribute("source")
    return attribute.range if attribute is not None else block.range


def _installed_modules(root_dir: str) -> dict[str, str]:
    """`.terraform/modules/modules.json` written by `terraform init`: call path → directory."""
    manifest = os.path.join(root_dir, ".terraform", "modules", "modules.json")
    try:
        with open(manifest, encoding="utf-8") as handle:
            entries = json.load(handle).get("Modules", [])
    except (OSError, ValueError, AttributeError):
        return {}
    installed = {}
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and entry.get("Key") and isinstance(entry.get("Dir"), str):
            installed[entry["Key"]] = os.path.normpath(os.path.join(root_dir, entry["Dir"]))
    return installed
