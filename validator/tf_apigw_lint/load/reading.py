"""Reading a Terraform file's bytes within the loader's bounds, for the parser and the text
scan alike: only regular files are read, so a FIFO or a device named `*.tf` cannot block or
flood the run, and a file over `MAX_FILE_BYTES` is not read at all. Nothing heavy is
imported here: the text scan runs before the parser is loaded."""

from __future__ import annotations

import os
import stat

MAX_FILE_BYTES = 8 * 1024 * 1024


class NotAnalysed(Exception):
    """A file the loader declines to read; the message says why."""


def read_regular_file(path: str) -> bytes:
    """The bytes of a regular file within the size bound; OSError or NotAnalysed otherwise."""
    # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise NotAnalysed("not a regular file (a FIFO, device or socket)")
        if status.st_size > MAX_FILE_BYTES:
            raise NotAnalysed(f"{status.st_size:,} bytes, more than the {MAX_FILE_BYTES // 2**20} MiB the loader reads")
        # One byte more than its size tells a file that grows while being read.
        data = handle.read(status.st_size + 1)
        if len(data) > status.st_size:
            data += handle.read(MAX_FILE_BYTES + 1 - len(data))
    if len(data) > MAX_FILE_BYTES:  # it grew while being read
        raise NotAnalysed(f"more than the {MAX_FILE_BYTES // 2**20} MiB the loader reads")
    return data
