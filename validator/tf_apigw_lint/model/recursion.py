"""Room for evaluation to recurse through long reference chains.

Evaluation follows references by recursion, some twenty frames per step: a value passed
down a local module chain a hundred deep and back up through its outputs needs a few
thousand frames, more than Python's default limit of 1,000. The run gets a thread of its own
with a stack sized for `RECURSION_LIMIT` frames (about 13 KiB each, several times what a
frame takes); what needs more still stops with RecursionError, which evaluation reports as
an Unknown ("nested too deeply") instead of crashing. About 1,000 module levels fit.
"""

from __future__ import annotations

import sys
import threading
from typing import Callable, TypeVar

RECURSION_LIMIT = 20_000
STACK_BYTES = 256 * 1024 * 1024

T = TypeVar("T")


def with_deep_stack(work: Callable[[], T]) -> T:
    """`work()` run with `RECURSION_LIMIT` frames of room; its result or its exception."""
    outcome: list = []

    def run() -> None:
        try:
            outcome.append((True, work()))
        except BaseException as error:  # noqa: BLE001 - re-raised in the calling thread
            outcome.append((False, error))

    previous_limit = sys.getrecursionlimit()
    try:
        previous_stack = threading.stack_size(STACK_BYTES)
    except (ValueError, RuntimeError):  # the platform cannot size thread stacks
        return work()
    try:
        worker = threading.Thread(target=run, name="tf-apigw-lint", daemon=True)  # Ctrl-C ends the process
        sys.setrecursionlimit(max(previous_limit, RECURSION_LIMIT))
        try:
            worker.start()
        except RuntimeError:  # no memory for such a stack: run with the default room
            sys.setrecursionlimit(previous_limit)
            return work()
        worker.join()
    finally:
        threading.stack_size(previous_stack)
        sys.setrecursionlimit(previous_limit)
    succeeded, value = outcome[0]
    if not succeeded:
        raise value
    return value
