"""Read one Terraform file from disk and parse it with the loader its name calls for.

Every failure (unreadable, binary, not UTF-8, syntax) comes back as `SourceFile.error`;
nothing here raises for bad input.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable

from tf_apigw_lint.load.hcl import parse_hcl
from tf_apigw_lint.load.syntax import LoadError, SourceFile
from tf_apigw_lint.load.tfjson import parse_tf_json, parse_tfvars_json

TERRAFORM_SUFFIXES = (".tf", ".tofu", ".tf.json", ".tofu.json", ".tfvars", ".tfvars.json")


def load_file(path: str, display_path: str | None = None) -> SourceFile:
    """Parse the file at `path`; ranges and errors name `display_path` (default `path`)."""
    shown = path if display_path is None else display_path
    if _parser_for(path) is None:
        expected = ", ".join(TERRAFORM_SUFFIXES)
        return SourceFile(shown, None, error=LoadError(f"not a Terraform file (expected one of {expected})"))
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        return SourceFile(shown, None, error=LoadError(f"cannot read file: {exc.strerror or exc}"))
    return parse_data(path, data, shown)


def parse_data(path: str, data: bytes, display_path: str | None = None) -> SourceFile:
    """Parse `data`, the bytes of the Terraform file at `path` (its name picks the loader)."""
    shown = path if display_path is None else display_path
    parse = _parser_for(path)
    if parse is None:
        return load_file(path, display_path)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    nul = data.find(b"\0")
    if nul >= 0:
        return _byte_error(shown, data, nul, "binary file (contains a NUL byte)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        message = f"not valid UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}"
        return _byte_error(shown, data, exc.start, message)
    return parse(text, shown)


def _parser_for(path: str) -> Callable[[str, str], SourceFile] | None:
    if path.endswith(".tfvars.json"):
        return parse_tfvars_json
    if path.endswith((".tf.json", ".tofu.json")):
        return parse_tf_json
    if path.endswith(".tfvars"):
        return _parse_tfvars
    if path.endswith((".tf", ".tofu")):
        return parse_hcl
    return None


def _parse_tfvars(text: str, path: str) -> SourceFile:
    source = parse_hcl(text, path)
    if source.body is not None and source.body.block_list:
        block = source.body.block_list[0]
        error = LoadError(
            f'unexpected "{block.type}" block: a variable definitions file holds only "name = value" arguments',
            block.range.line, block.range.column,
        )
        return SourceFile(path, None, error=error, line_count=source.line_count)
    return source


def _byte_error(path: str, data: bytes, offset: int, message: str) -> SourceFile:
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", "replace")) + 1
    lines = data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
    return SourceFile(path, None, error=LoadError(message, line, column), line_count=lines)
