"""Where something is in the source: a 1-based range, `end_column` just past the last
character (the convention SARIF and editors use)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence, TypeVar


@dataclass(frozen=True)
class Range:
    path: str
    line: int
    column: int
    end_line: int
    end_column: int

    def contains_line(self, line: int) -> bool:
        return self.line <= line <= self.end_line


Block = TypeVar("Block")


def range_along(
    block: Block,
    path: str | None,
    block_range: Callable[[Block], Range],
    attribute_range: Callable[[Block, str], Range | None],
    blocks: Callable[[Block, str], Sequence[Block]],
) -> Range:
    """Where `path` (`settings.logging_level`, `route_settings[1].logging_level`) is written
    below `block`: the attribute when it is written, else the deepest block of the path that
    exists. Backends walk their own blocks with it, so they point at the same places."""
    best = block_range(block)
    if not path:
        return best
    node = block
    parts = path.split(".")
    for index, part in enumerate(parts):
        name, _, position = part.partition("[")
        if index == len(parts) - 1 and not position:
            written = attribute_range(node, name)
            if written is not None:
                return written
        children = blocks(node, name)
        block_index = int(position.rstrip("]")) if position else 0
        if block_index >= len(children):
            written = attribute_range(node, name)
            return written if written is not None and not position else best
        node = children[block_index]
        best = block_range(node)
    return best
