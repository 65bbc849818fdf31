"""Terraform's dependency graph between resources of one configuration.

An edge exists where an expression refers to a resource (directly or through variables,
locals and module outputs) or where `depends_on` names it (quoted strings too). A
`depends_on` on a `module` block makes everything inside that module depend on the target;
a `depends_on` naming a module means everything in that module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Iterator

from tf_apigw_lint.load import syntax as s
from tf_apigw_lint.load.hcl import ParseError, parse_expression
from tf_apigw_lint.model.evaluator import traversals

if TYPE_CHECKING:
    from tf_apigw_lint.model.instances import ModuleInstance, ResourceGroup, ResourceInstance

_NO_DEPENDENCIES = frozenset({"count", "each", "self", "path", "terraform"})


def block_expressions(body: s.Body, skip: frozenset[str] = frozenset()) -> Iterator[s.Expression]:
    for attribute in body.attributes.values():
        if attribute.name not in skip:
            yield attribute.expr
    for block in body.blocks():
        if block.type != "lifecycle":
            yield from block_expressions(block.body)


def depends_on_expressions(body: s.Body) -> list[s.Expression]:
    attribute = body.attribute("depends_on")
    if attribute is None or not isinstance(attribute.expr, s.TupleExpr):
        return []
    result = []
    for item in attribute.expr.items:
        if isinstance(item, s.Literal) and isinstance(item.value, str):
            # Quoted references: JSON syntax, and legacy HCL.
            try:
                item = parse_expression(item.value, item.range.path, item.range.line, item.range.column + 1)
            except ParseError:
                continue  # a malformed quoted reference names nothing
        result.append(item)
    return result


class TransitiveDependencies:
    """Transitive closure over `direct(group)`, shared by the configuration's graph and the
    plan's graph, which differ only in where direct edges come from."""

    def __init__(self) -> None:
        self._closure: dict[int, frozenset] = {}

    def direct(self, group: Any) -> frozenset:
        raise NotImplementedError

    def dependencies(self, group: Any) -> frozenset:
        """Every resource `group` depends on, transitively."""
        if id(group) not in self._closure:
            seen: set = set()
            pending = list(self.direct(group))
            while pending:
                node = pending.pop()
                if node not in seen:
                    seen.add(node)
                    pending.extend(self.direct(node))
            self._closure[id(group)] = frozenset(seen)
        return self._closure[id(group)]

    def depends_on(self, group: Any, target: Any) -> bool:
        return target in self.dependencies(group)


class DependencyGraph(TransitiveDependencies):
    def __init__(self) -> None:
        super().__init__()
        self._direct: dict[int, frozenset["ResourceGroup"]] = {}
        self._names: dict[tuple, frozenset["ResourceGroup"]] = {}

    # -- what an expression refers to ---------------------------------------

    def attribute_references(self, instance: "ResourceInstance", name: str) -> frozenset[str]:
        """The resource addresses an attribute of `instance` refers to; `each.value.x` and
        `count.index` refer to what the resource's `for_each` / `count` refers to."""
        attribute = instance.attribute(name)
        if attribute is None:
            return frozenset()
        referenced = set(self.expression_dependencies(attribute.expr, instance.module))
        for meta, root in (("for_each", "each"), ("count", "count")):
            meta_attribute = instance.attribute(meta)
            if meta_attribute is not None and any(r == root for r, _, _ in traversals(attribute.expr)):
                referenced |= self.expression_dependencies(meta_attribute.expr, instance.module)
        return frozenset(group.address for group in referenced)

    def expression_dependencies(self, expr: s.Expression, module: "ModuleInstance") -> set["ResourceGroup"]:
        found: set["ResourceGroup"] = set()
        for root, names, _ in traversals(expr):
            found |= self._name_dependencies(module, root, names)
        return found

    def _name_dependencies(self, module: "ModuleInstance", root: str, names: tuple[str, ...]) -> frozenset["ResourceGroup"]:
        if root in _NO_DEPENDENCIES:
            return frozenset()
        key = (id(module), root, names[:2])
        if key in self._names:
            return self._names[key]
        self._names[key] = frozenset()  # a cycle through locals refers to nothing new
        self._names[key] = frozenset(self._resolve(module, root, names))
        return self._names[key]

    def _resolve(self, module: "ModuleInstance", root: str, names: tuple[str, ...]) -> set["ResourceGroup"]:
        if root == "var" and names:
            if module.call is None or module.parent is None:
                return set()
            argument = module.call.block.body.attribute(names[0])
            found = set() if argument is None else self.expression_dependencies(argument.expr, module.parent)
            for meta in ("count", "for_each"):
                meta_attribute = module.call.block.body.attribute(meta)
                if meta_attribute is not None:
                    found |= self.expression_dependencies(meta_attribute.expr, module.parent)
            return found
        if root == "local" and names:
            attribute = module.source.locals.get(names[0])
            return set() if attribute is None else self.expression_dependencies(attribute.expr, module)
        if root == "module" and names:
            call = module.calls.get(names[0])
            if call is None:
                return set()
            found = set()
            for child in call.instances:
                outputs = [names[1]] if len(names) > 1 else list(child.source.outputs)
                for output in outputs:
                    block = child.source.outputs.get(output)
                    if block is not None:
                        for expr in [*block_expressions(block.body, frozenset({"depends_on"})), *depends_on_expressions(block.body)]:
                            found |= self.expression_dependencies(expr, child)
            return found
        if root == "data" and len(names) >= 2:
            group = module.groups.get(("data", names[0], names[1]))
            return {group} if group else set()
        if names:
            group = module.groups.get(("managed", root, names[0]))
            return {group} if group else set()
        return set()

    # -- edges ----------------------------------------------------------------

    def direct(self, group: "ResourceGroup") -> frozenset["ResourceGroup"]:
        if id(group) not in self._direct:
            self._direct[id(group)] = frozenset()
            found: set["ResourceGroup"] = set()
            body = group.block.body
            for expr in block_expressions(body, frozenset({"depends_on", "provider"})):
                found |= self.expression_dependencies(expr, group.module)
            for target in depends_on_expressions(body):
                found |= self._depends_on_targets(target, group.module)
            found |= self._module_depends_on(group.module)
            found.discard(group)
            self._direct[id(group)] = frozenset(found)
        return self._direct[id(group)]

    def _depends_on_targets(self, expr: s.Expression, module: "ModuleInstance") -> set["ResourceGroup"]:
        found: set["ResourceGroup"] = set()
        for root, names, _ in traversals(expr):
            if root == "module" and len(names) == 1:
                call = module.calls.get(names[0])
                if call is not None:
                    for child in call.instances:
                        found |= set(_groups_within(child))
            else:
                found |= self._name_dependencies(module, root, names)
        return found

    def _module_depends_on(self, module: "ModuleInstance") -> set["ResourceGroup"]:
        found: set["ResourceGroup"] = set()
        node = module
        while node.call is not None and node.parent is not None:
            for target in depends_on_expressions(node.call.block.body):
                found |= self._depends_on_targets(target, node.parent)
            node = node.parent
        return found



def _groups_within(module: "ModuleInstance") -> Iterable["ResourceGroup"]:
    yield from module.groups.values()
    for call in module.calls.values():
        for child in call.instances:
            yield from _groups_within(child)
