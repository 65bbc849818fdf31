"""One module directory as Terraform reads it: which files count, override merging, and the
top-level blocks indexed by kind and name. Nothing here is evaluated."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Callable

from tf_apigw_lint.load import syntax as s

TERRAFORM_SUFFIXES = (".tf", ".tf.json", ".tofu", ".tofu.json")


def is_terraform_file(name: str) -> bool:
    return name.endswith(TERRAFORM_SUFFIXES) and not name.startswith(".")


def _is_override(name: str) -> bool:
    stem = name
    for suffix in (".tf.json", ".tofu.json", ".tf", ".tofu"):
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            break
    return stem == "override" or stem.endswith("_override")


def module_file_names(directory: str) -> list[str]:
    """The Terraform files of a module directory, `x.tofu` replacing `x.tf` (and
    `x.tofu.json` replacing `x.tf.json`), in lexical order as Terraform reads them."""
    try:
        # A dangling link is kept so that it is reported as unreadable, not silently skipped.
        names = sorted(
            n for n in os.listdir(directory)
            if is_terraform_file(n) and (os.path.isfile(os.path.join(directory, n)) or os.path.islink(os.path.join(directory, n)))
        )
    except OSError:
        return []
    present = set(names)
    kept = []
    for name in names:
        if name.endswith(".tf") and name[:-3] + ".tofu" in present:
            continue
        if name.endswith(".tf.json") and name[:-8] + ".tofu.json" in present:
            continue
        kept.append(name)
    return kept


@dataclass
class ModuleSource:
    """The parsed, override-merged content of one module directory."""

    directory: str
    files: list[s.SourceFile]
    variables: dict[str, s.Block] = field(default_factory=dict)
    locals: dict[str, s.Attribute] = field(default_factory=dict)
    outputs: dict[str, s.Block] = field(default_factory=dict)
    # keyed by (mode, type, name); mode is "managed" or "data"
    resources: dict[tuple[str, str, str], s.Block] = field(default_factory=dict)
    module_calls: dict[str, s.Block] = field(default_factory=dict)
    providers: list[s.Block] = field(default_factory=list)
    # `terraform {}` blocks of primary and override files alike
    terraform_blocks: list[s.Block] = field(default_factory=list)

    def configures_provider_or_state(self) -> bool:
        """Whether the directory has a `provider` block, or a `backend` or `cloud` block in
        `terraform {}`: what a configuration that is applied has and a reusable module
        usually leaves to its caller."""
        return bool(self.providers) or any(
            block.body.blocks("backend") or block.body.blocks("cloud") for block in self.terraform_blocks
        )

    def module_call_sources(self) -> dict[str, str]:
        """Literal `source` of each module call (calls whose source is not a literal are left out)."""
        sources = {}
        for name, block in self.module_calls.items():
            attribute = block.body.attribute("source")
            if attribute is not None and isinstance(attribute.expr, s.Literal) and isinstance(attribute.expr.value, str):
                sources[name] = attribute.expr.value
        return sources


def read_module(directory: str, load: Callable[[str], s.SourceFile]) -> ModuleSource:
    """Parse every Terraform file of `directory` with `load` and merge overrides."""
    names = module_file_names(directory)
    primary = [load(os.path.join(directory, n)) for n in names if not _is_override(n)]
    overrides = [load(os.path.join(directory, n)) for n in names if _is_override(n)]
    module = ModuleSource(directory=directory, files=primary + overrides)
    for source_file in primary:
        if source_file.body is not None:
            _index_body(module, source_file.body)
    for source_file in overrides:
        if source_file.body is not None:
            _apply_override(module, source_file.body)
    return module


def _index_body(module: ModuleSource, body: s.Body) -> None:
    for block in body.blocks():
        kind = block.type
        if kind == "resource" and len(block.labels) == 2:
            module.resources.setdefault(("managed", *block.labels), block)
        elif kind == "data" and len(block.labels) == 2:
            module.resources.setdefault(("data", *block.labels), block)
        elif kind == "variable" and len(block.labels) == 1:
            module.variables.setdefault(block.labels[0], block)
        elif kind == "output" and len(block.labels) == 1:
            module.outputs.setdefault(block.labels[0], block)
        elif kind == "module" and len(block.labels) == 1:
            module.module_calls.setdefault(block.labels[0], block)
        elif kind == "provider" and len(block.labels) == 1:
            module.providers.append(block)
        elif kind == "locals":
            for attribute in block.body.attributes.values():
                module.locals.setdefault(attribute.name, attribute)
        elif kind == "terraform":
            module.terraform_blocks.append(block)


def merge_bodies(base: s.Body, override: s.Body) -> s.Body:
    """Terraform's override merge: attributes replace attributes of the same name; nested
    blocks of a type present in the override replace all blocks of that type."""
    overridden_types = set(override.block_types())
    attributes = dict(base.attributes)
    attributes.update(override.attributes)
    block_list = [b for b in base.block_list if b.type not in overridden_types]
    block_list.extend(override.block_list)
    candidates = {k: v for k, v in base.json_block_candidates.items() if k not in overridden_types}
    candidates.update(override.json_block_candidates)
    return s.Body(attributes=attributes, block_list=block_list, range=base.range, json_block_candidates=candidates)


def _merged(block: s.Block, override: s.Block) -> s.Block:
    return s.Block(block.type, block.labels, merge_bodies(block.body, override.body), block.range, block.type_range)


def _apply_override(module: ModuleSource, body: s.Body) -> None:
    for block in body.blocks():
        kind = block.type
        if kind in ("resource", "data") and len(block.labels) == 2:
            key = ("managed" if kind == "resource" else "data", *block.labels)
            if key in module.resources:
                module.resources[key] = _merged(module.resources[key], block)
        elif kind in ("variable", "output", "module") and len(block.labels) == 1:
            table = {"variable": module.variables, "output": module.outputs, "module": module.module_calls}[kind]
            if block.labels[0] in table:
                table[block.labels[0]] = _merged(table[block.labels[0]], block)
        elif kind == "locals":
            for attribute in block.body.attributes.values():
                if attribute.name in module.locals:
                    module.locals[attribute.name] = attribute
        elif kind == "provider" and len(block.labels) == 1:
            alias = _literal_attribute(block.body, "alias")
            for index, existing in enumerate(module.providers):
                if existing.labels == block.labels and _literal_attribute(existing.body, "alias") == alias:
                    module.providers[index] = _merged(existing, block)
        elif kind == "terraform":
            # An override file may set the backend; Terraform merges it into the settings.
            module.terraform_blocks.append(block)


def _literal_attribute(body: s.Body, name: str) -> object:
    attribute = body.attribute(name)
    if attribute is not None and isinstance(attribute.expr, s.Literal):
        return attribute.expr.value
    return None
