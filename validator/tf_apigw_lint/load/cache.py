"""The parse cache: a parsed file is stored under a hash of what decides its parse.

The key is a SHA-256 of the cache format, the tool's version, a digest of the grammar
(python-hcl2's, patched), Lark's version, the path the ranges name, and the file's bytes, so
an edit, an upgrade or a move never reuses a stale tree. Entries live in `$XDG_CACHE_HOME/tf-apigw-lint` (else
`~/.cache/tf-apigw-lint`), one file each, in a directory only the user may write.

An entry is a header, the SHA-256 of its payload and the payload (a pickled `SourceFile`).
Each is written to a temporary file and renamed into place, so a concurrent run (pre-commit
beside an editor) sees the old entry, the new one, or none, never half of one. An entry
whose header, checksum, type or path does not match is a miss and is overwritten. Pickle
runs code from what it loads; the checksum guards against torn or damaged files, not
against someone who can already write to the user's own cache directory (who could as well
edit the user's shell profile). A directory owned by someone else or writable by others is
not used at all.

The compiled grammar is kept below the same directory (`load.grammar.cache_file`).

The cache is bounded: after a run that added entries, the least recently used ones (by
modification time, which a hit refreshes) are removed until it is below its size limit.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
import tempfile
import time

from tf_apigw_lint import __version__
from tf_apigw_lint.load.syntax import SourceFile

CACHE_FORMAT = 1
MAGIC = b"tf-apigw-lint parse cache\n"
DEFAULT_MAX_BYTES = 512 * 1024 * 1024
_DIGEST_SIZE = hashlib.sha256().digest_size


class ParseCache:
    """Parsed files by content; `open` returns None when the directory cannot be used safely."""

    def __init__(self, directory: str, max_bytes: int = DEFAULT_MAX_BYTES):
        self.directory = directory
        self.max_bytes = max_bytes
        self._entries = os.path.join(directory, f"parse-v{CACHE_FORMAT}")
        self._salt = _salt()
        self.written = 0

    @classmethod
    def open(cls, directory: str, max_bytes: int = DEFAULT_MAX_BYTES) -> ParseCache | None:
        try:
            os.makedirs(directory, mode=0o700, exist_ok=True)
            status = os.stat(directory)
        except OSError:
            return None
        if status.st_uid != os.getuid() or status.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return None
        return cls(directory, max_bytes)

    def key(self, path: str, data: bytes) -> str:
        digest = hashlib.sha256(self._salt)
        digest.update(path.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def _entry(self, key: str) -> str:
        return os.path.join(self._entries, key[:2], key[2:])

    def get(self, key: str, path: str) -> SourceFile | None:
        """The cached parse of the file `path` whose key is `key`, or None."""
        entry = self._entry(key)
        try:
            with open(entry, "rb") as handle:
                blob = handle.read()
        except OSError:
            return None
        header = len(MAGIC) + _DIGEST_SIZE
        if not blob.startswith(MAGIC) or len(blob) < header:
            return None
        payload = memoryview(blob)[header:]
        if hashlib.sha256(payload).digest() != blob[len(MAGIC):header]:
            return None
        try:
            source_file = pickle.loads(payload)
        except Exception:  # noqa: BLE001 - a damaged entry is a miss, whatever it raises
            return None
        if not isinstance(source_file, SourceFile) or source_file.path != path:
            return None
        try:
            os.utime(entry)  # recently used: evicted last
        except OSError:
            pass
        return source_file

    def put(self, key: str, payload: bytes) -> None:
        """Store `payload` (a pickled SourceFile) under `key`; failures only cost speed."""
        entry = self._entry(key)
        folder = os.path.dirname(entry)
        try:
            os.makedirs(folder, mode=0o700, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        except OSError:
            return
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(MAGIC)
                out.write(hashlib.sha256(payload).digest())
                out.write(payload)
            os.replace(temporary, entry)
            self.written += 1
        except OSError:
            try:
                os.unlink(temporary)
            except OSError:
                pass

    def evict(self) -> None:
        """Remove least recently used entries until the cache is under 80% of its limit."""
        entries = []
        total = 0
        for folder in _scandir(self._entries):
            for entry in _scandir(folder.path):
                try:
                    status = entry.stat()
                except OSError:
                    continue
                entries.append((status.st_mtime, status.st_size, entry.path))
                total += status.st_size
        if total <= self.max_bytes:
            return
        entries.sort()
        for _mtime, size, path in entries:
            if total <= self.max_bytes * 0.8:
                break
            try:
                os.unlink(path)
            except OSError:
                continue  # another run removed it first
            total -= size


def dump(source_file: SourceFile) -> bytes | None:
    """The cache payload of `source_file`; None for a tree too deep to pickle (never cached)."""
    try:
        return pickle.dumps(source_file, protocol=pickle.HIGHEST_PROTOCOL)
    except RecursionError:
        return None


def _salt() -> bytes:
    # Imported here: they matter only once something is looked up. The grammar's digest
    # stands for python-hcl2, whose code is never run.
    from tf_apigw_lint.load.grammar import grammar_digest
    from tf_apigw_lint.load.lark_import import lark

    versions = f"{CACHE_FORMAT}\0{__version__}\0{grammar_digest()}\0{lark.__version__}\0"
    return versions.encode()


def _scandir(path: str) -> list[os.DirEntry]:
    try:
        with os.scandir(path) as entries:
            return [e for e in entries if not e.name.startswith(".tmp-") or _stale_temporary(e)]
    except OSError:
        return []


def _stale_temporary(entry: os.DirEntry) -> bool:
    """A temporary file older than a day was left by a run that was killed mid-write."""
    try:
        return time.time() - entry.stat().st_mtime > 86400
    except OSError:
        return False
