"""The architecture holds: layers and cycles (import-linter, grimp) and the view protocol
(the type checker proves every backend implements it)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]


def _tool(name: str) -> str:
    beside_python = Path(sys.executable).parent / name
    return str(beside_python) if beside_python.exists() else (shutil.which(name) or name)


def test_import_contracts_hold():
    completed = subprocess.run([_tool("lint-imports")], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "Contracts: 4 kept, 0 broken." in completed.stdout


def import_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan, with an explicit stack)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles = []
    for start in sorted(graph.modules):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    cycles.append(sorted(group))
    return cycles


def test_no_import_cycle_anywhere_in_the_package():
    graph = grimp.build_graph("tf_apigw_lint", exclude_type_checking_imports=True)
    assert import_cycles(graph) == []


def test_the_cycle_check_finds_a_cycle():
    graph = grimp.build_graph("tf_apigw_lint", exclude_type_checking_imports=True)
    graph.add_import(importer="tf_apigw_lint.view.values", imported="tf_apigw_lint.model.evaluator")
    cycles = import_cycles(graph)
    assert len(cycles) == 1 and {"tf_apigw_lint.view.values", "tf_apigw_lint.model.evaluator"} <= set(cycles[0])


def _mypy(*arguments: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mypy", *arguments], cwd=cwd, capture_output=True, text=True, timeout=600)


def test_type_checker_passes_and_proves_each_backend_implements_the_view():
    completed = _mypy()
    assert completed.returncode == 0, completed.stdout + completed.stderr
    conformance = {
        "validator/tf_apigw_lint/model/configuration.py": "def _conforms(configuration: Configuration, resource: ResourceInstance)",
        "validator/tf_apigw_lint/model/build.py": "def _conforms(model: Model) -> view.View",
        "validator/tf_apigw_lint/plan/configuration.py": "def _conforms(model: PlanModel, configuration: PlanConfiguration, resource: PlanInstance)",
        "validator/tf_apigw_lint/live/configuration.py": "def _conforms(configuration: LiveConfiguration, resource: LiveResource, block: LiveBlock, live: LiveView)",
    }
    for path, line in conformance.items():
        assert line in (ROOT / path).read_text(encoding="utf-8"), path


def test_a_backend_missing_part_of_the_protocol_fails_the_type_checker(tmp_path):
    module = tmp_path / "broken_backend.py"
    module.write_text(textwrap.dedent("""\
        from tf_apigw_lint.view import protocol as view
        from tf_apigw_lint.view.protocol import Provider


        class Half:
            address = "aws_x.y"
            resource_address = "aws_x.y"
            type = "aws_x"
            name = "y"
            mode = "managed"
            uncertain = False
            provider: Provider

            def attr(self, name: str) -> object:
                return None


        def _conforms(resource: Half) -> view.Resource:
            return resource
        """))
    completed = _mypy("--config-file", str(ROOT / "pyproject.toml"), str(module), cwd=tmp_path)
    assert completed.returncode == 1
    assert 'Incompatible return value type (got "Half", expected "Resource")' in completed.stdout
