"""Loading many files: the parse cache first, then worker processes for what it misses.

Each file's parse depends on its path and bytes only, so the result is the same whichever
process parses it and however many there are; results are returned by path, never in the
order workers finish.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Protocol

from tf_apigw_lint.load.cache import ParseCache, dump
from tf_apigw_lint.load.files import load_file, parse_data
from tf_apigw_lint.load.reading import NotAnalysed, read_regular_file
from tf_apigw_lint.load.syntax import LoadError, SourceFile

# Below this much source, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 8
PARALLEL_MIN_BYTES = 64 * 1024

if TYPE_CHECKING:
    import multiprocessing.context

class Progress(Protocol):
    """Told how far a step of the run is: `done` of `total` things `what` (a plural noun
    phrase with its verb, e.g. "files parsed")."""

    def __call__(self, done: int, total: int, what: str) -> None: ...


class FileLoader:
    """Parses files, `jobs` processes at a time, through `cache` when there is one.
    `progress` is told as the parses of a `load_many` finish."""

    def __init__(
        self,
        jobs: int = 1,
        cache: ParseCache | None = None,
        progress: Progress | None = None,
        refuse: Callable[[str], str | None] | None = None,
    ):
        self.jobs = max(1, jobs)
        self.cache = cache
        self.progress = progress
        # Why a path must not be read (it leads out of the scanned tree); None to read it.
        self.refuse = refuse

    def load(self, path: str) -> SourceFile:
        return self._load([path], progress=None)[path]

    def load_many(self, paths: Iterable[str]) -> dict[str, SourceFile]:
        return self._load(paths, self.progress)

    def _load(self, paths: Iterable[str], progress: Progress | None) -> dict[str, SourceFile]:
        results: dict[str, SourceFile] = {}
        pending: list[tuple[str, bytes, str | None]] = []
        for path in dict.fromkeys(paths):
            reason = self.refuse(path) if self.refuse is not None else None
            if reason is not None:
                results[path] = SourceFile(path, None, error=LoadError(f"not analysed: {reason}"))
                continue
            try:
                data = read_regular_file(path)  # the loader's bounds: no FIFO, no huge file
            except (OSError, NotAnalysed):
                results[path] = load_file(path)  # the loader words the error
                continue
            key = self.cache.key(path, data) if self.cache is not None else None
            cached = self.cache.get(key, path) if self.cache is not None and key is not None else None
            if cached is not None:
                results[path] = cached
            else:
                pending.append((path, data, key))
        if pending:
            results.update(self._parse(pending, progress))
        return results

    def finish(self) -> None:
        """Bound the cache once the run is done with it."""
        if self.cache is not None and self.cache.written:
            self.cache.evict()

    def _parse(self, pending: list[tuple[str, bytes, str | None]], progress: Progress | None) -> dict[str, SourceFile]:
        parsed: dict[str, SourceFile] = {}
        total = len(pending)

        def done(path: str, source_file: SourceFile) -> None:
            parsed[path] = source_file
            if progress is not None:
                progress(len(parsed), total, "files parsed")

        size = sum(len(data) for _, data, _ in pending)
        if self.jobs > 1 and total >= PARALLEL_MIN_FILES and size >= PARALLEL_MIN_BYTES:
            # Imported only here: a warm run, or a small one, never starts a process.
            from concurrent.futures.process import BrokenProcessPool

            try:
                self._parse_in_workers(pending, done)
            except (BrokenProcessPool, OSError):
                pass  # a worker died (or none could start): what is left is parsed here
        for path, data, key in pending:
            if path not in parsed:
                source_file = parse_data(path, data)
                payload = dump(source_file) if key is not None else None
                if payload is not None and key is not None and self.cache is not None:
                    self.cache.put(key, payload)
                done(path, source_file)
        return parsed

    def _parse_in_workers(self, pending: list[tuple[str, bytes, str | None]], done: Callable[[str, SourceFile], None]) -> None:
        from concurrent.futures import ProcessPoolExecutor

        total = len(pending)
        # A worker for every few files at most: on a large machine, forking one process per
        # CPU for a handful of files costs more than it parses.
        jobs = min(self.jobs, max(2, total // PARALLEL_MIN_FILES))
        # Chunks small enough that progress moves and the last worker does not run alone long.
        chunk = max(1, min(32, total // (jobs * 4)))
        with ProcessPoolExecutor(max_workers=jobs, mp_context=_context()) as pool:
            items = [(path, data) for path, data, _ in pending]
            for (path, _, key), payload in zip(pending, pool.map(_parse_to_bytes, items, chunksize=chunk)):
                if payload is None:
                    continue  # cannot travel between processes: parsed here instead
                if key is not None and self.cache is not None:
                    self.cache.put(key, payload)
                done(path, pickle.loads(payload))


def default_jobs() -> int:
    """The CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _context() -> multiprocessing.context.BaseContext:
    import multiprocessing

    # fork starts a worker in milliseconds with the parser modules already imported; it is
    # safe here because the run forks from its one working thread (model/recursion.py)
    # while the main thread only waits for it, holding no lock a worker could need.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else methods[0])


def _parse_to_bytes(item: tuple[str, bytes]) -> bytes | None:
    path, data = item
    return dump(parse_data(path, data))
