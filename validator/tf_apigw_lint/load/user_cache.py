"""The user's cache directory, shared by the parse cache (`load.cache`) and the compiled
grammar (`load.grammar`)."""

from __future__ import annotations

import os
from collections.abc import Mapping


def default_cache_directory(environ: Mapping[str, str]) -> str | None:
    """`$XDG_CACHE_HOME/tf-apigw-lint`, else `~/.cache/tf-apigw-lint`; None without a home.
    A relative XDG_CACHE_HOME is ignored, as the XDG specification says."""
    base = environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        home = environ.get("HOME") or os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return os.path.join(base, "tf-apigw-lint")
