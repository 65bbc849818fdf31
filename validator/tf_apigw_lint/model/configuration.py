"""One root module and everything it calls, as Terraform would plan it: the static backend's
`view.Configuration`."""

from __future__ import annotations

from typing import Callable, Iterator

from tf_apigw_lint.model.context import EvalContext, RootValues
from tf_apigw_lint.model.graph import DependencyGraph
from tf_apigw_lint.model.instances import ModuleInstance, ResourceInstance
from tf_apigw_lint.model.sources import ModuleSource
from tf_apigw_lint.view import protocol as view
from tf_apigw_lint.view.protocol import DATA, MANAGED


class Configuration:
    def __init__(
        self,
        root_dir: str,
        read_module: Callable[[str], ModuleSource],
        root_values: RootValues,
        workspace: str,
    ):
        self.root_dir = root_dir
        self.graph = DependencyGraph()
        self.context = EvalContext(root_dir, workspace, root_values, read_module, self.graph)
        self.root = ModuleInstance(self.context, read_module(root_dir), "", ())
        self._modules: list[ModuleInstance] | None = None
        self._by_address: dict[str, ResourceInstance] | None = None
        self._by_resource: dict[str, list[ResourceInstance]] | None = None

    def __repr__(self) -> str:
        return f"Configuration({self.root_dir})"

    @property
    def name(self) -> str:
        return self.root_dir

    @property
    def source(self) -> str:
        return "static"

    @property
    def library(self) -> bool:
        return not self.root.source.configures_provider_or_state()

    @property
    def diagnostics(self) -> list[view.Diagnostic]:
        return self.context.diagnostics.found

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

    def _all(self, mode: str) -> Iterator[ResourceInstance]:
        for module in self.modules:
            for group in module.groups.values():
                if group.mode == mode:
                    yield from group.instances

    def resources(self, resource_type: str, mode: str = MANAGED) -> list[ResourceInstance]:
        found = []
        for module in self.modules:
            for group in module.groups.values():
                if group.mode == mode and group.type == resource_type:
                    found.extend(group.instances)
        return found

    def resource(self, address: str) -> ResourceInstance | None:
        if self._by_address is None:
            self._by_address = {i.address: i for mode in (MANAGED, DATA) for i in self._all(mode)}
        return self._by_address.get(address)

    def instances_of(self, resource_address: str) -> list[ResourceInstance]:
        if self._by_resource is None:
            self._by_resource = {}
            for mode in (MANAGED, DATA):
                for instance in self._all(mode):
                    self._by_resource.setdefault(instance.resource_address, []).append(instance)
        return self._by_resource.get(resource_address, [])

    def depends_on(self, resource: view.Resource, target: view.Resource) -> bool:
        if not isinstance(resource, ResourceInstance) or not isinstance(target, ResourceInstance):
            return False
        return self.graph.depends_on(resource.group, target.group)


def _conforms(configuration: Configuration, resource: ResourceInstance) -> tuple[view.Configuration, view.Resource]:
    """The static backend implements the view protocol; the type checker proves it here."""
    return configuration, resource
