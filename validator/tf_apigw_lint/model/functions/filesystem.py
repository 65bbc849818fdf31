"""Terraform's filesystem functions: files read through the evaluator's context, and paths."""

from __future__ import annotations

import os
import posixpath

from tf_apigw_lint.model.functions.core import BadArgument, CallFailed, FunctionContext, Param, Unknowns, function
from tf_apigw_lint.model.types import STRING
from tf_apigw_lint.view.values import Value


@function("file", Param("path", STRING), context=True)
def _file(context: FunctionContext, path: str) -> str:
    return context.read_file(path)


@function("templatefile", Param("path", STRING), Param("vars", unknowns=Unknowns.IN_ELEMENTS), context=True)
def _templatefile(context: FunctionContext, path: str, variables: dict) -> Value:
    if not isinstance(variables, dict):
        raise BadArgument("vars", "invalid vars value: must be a map")
    return context.render_template(context.read_file(path), path, variables)


@function("fileexists", Param("path", STRING), context=True)
def _fileexists(context: FunctionContext, path: str) -> bool:
    full = os.path.join(context.base_dir, _expand_home(path))
    if os.path.isdir(full):
        raise CallFailed(f'"{path}" is a directory, not a file')
    return os.path.isfile(full)


@function("pathexpand", Param("path", STRING))
def _pathexpand(path: str) -> str:
    return _expand_home(path)


def _expand_home(path: str) -> str:
    if path == "~" or path.startswith("~/"):
        return os.path.expanduser("~") + path[1:]
    if path.startswith("~"):
        raise CallFailed("cannot expand user-specific home dir")
    return path


@function("abspath", Param("path", STRING), context=True)
def _abspath(context: FunctionContext, path: str) -> str:
    return _clean(posixpath.join(os.path.abspath(context.base_dir).replace(os.sep, "/"), path))


@function("dirname", Param("path", STRING))
def _dirname(path: str) -> str:
    return _clean(path[: path.rfind("/") + 1])


@function("basename", Param("path", STRING))
def _basename(path: str) -> str:
    if path == "":
        return "."
    stripped = path.rstrip("/")
    return stripped[stripped.rfind("/") + 1 :] if stripped else "/"


def _clean(path: str) -> str:
    """Go's filepath.Clean, which differs from normpath for "" and a leading "//"."""
    cleaned = posixpath.normpath(path) if path else "."
    return "/" + cleaned.lstrip("/") if cleaned.startswith("//") else cleaned


FUNCTIONS = (
    _file,
    _templatefile,
    _fileexists,
    _pathexpand,
    _abspath,
    _dirname,
    _basename,
)
