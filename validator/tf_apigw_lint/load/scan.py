"""What a Terraform file tells about its module before it is parsed, read from its bytes.

Parsing is the expensive step of a run; reading is not. Two questions are answered from the
text alone, for every file of a repository: does the file mention an API Gateway resource
type, and which modules does it call, with which literal `source`. The answers feed root
discovery and relevance (SPEC §4) so that only the module trees that can hold an API Gateway
finding are parsed.

The module-call scan is exact for the way Terraform is written (one `module "name" {`
header per line, `source = "..."` on a line of its own, the block closed by a `}` at the
start of a line, as `terraform fmt` writes it) and says `ambiguous` for anything else; the
caller then parses that one file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

API_GATEWAY_TYPE_PREFIXES = (b"aws_api_gateway_", b"aws_apigatewayv2_")

# Matched only where the word `module` starts a line (found with bytes.find, which is much
# faster than a regex search over the whole file).
_MODULE_HEADER = re.compile(rb'module[ \t]*"([^"\n]*)"[ \t]*\{([^\n]*)$', re.MULTILINE)
_BLOCK_END = re.compile(rb"^\}", re.MULTILINE)
_LITERAL_SOURCE = re.compile(rb'^[ \t]*source[ \t]*=[ \t]*"([^"\\\n]*)"[ \t]*(?:(?:#|//)[^\n]*)?\r?$', re.MULTILINE)
_ONE_LINE_SOURCE = re.compile(rb'^[ \t]*source[ \t]*=[ \t]*"([^"\\\n]*)"[ \t]*\}[ \t]*$')
_SOURCE_WORD = re.compile(rb"\bsource\b")
_HEREDOC = re.compile(rb"<<-?[ \t]*\"?([A-Za-z_][\w-]*)\"?[ \t]*\r?\n.*?^[ \t]*\1[ \t]*\r?$", re.MULTILINE | re.DOTALL)
_BLOCK_COMMENT = re.compile(rb"/\*.*?\*/", re.DOTALL)
# A template in a literal source would make it not a literal: Terraform rejects it anyway.
_TEMPLATE_MARKERS = (b"${", b"%{")


@dataclass(frozen=True)
class FileScan:
    """`module_sources`: module call name → its literal `source` (None when the source is
    not a literal string); the whole mapping is None when the text is ambiguous and only a
    parse can tell. A file that cannot be read says nothing (the parse reports it)."""

    path: str
    mentions_api_gateway: bool
    module_sources: dict[str, str | None] | None


def scan_file(path: str) -> FileScan:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return FileScan(path, False, {})
    return scan_bytes(path, data)


def scan_bytes(path: str, data: bytes) -> FileScan:
    mentions = any(prefix in data for prefix in API_GATEWAY_TYPE_PREFIXES)
    if path.endswith(".json"):
        sources = _json_module_sources(data)
    else:
        sources = _hcl_module_sources(data) if b"module" in data else {}
    return FileScan(path, mentions, sources)


def _hcl_module_sources(data: bytes) -> dict[str, str | None] | None:
    headers = _module_headers(data)
    if not headers:
        return {}
    hidden = [m.span() for m in _HEREDOC.finditer(data)] if b"<<" in data else []
    if b"/*" in data:
        hidden += [m.span() for m in _BLOCK_COMMENT.finditer(data)]
    sources: dict[str, str | None] = {}
    for header in headers:
        if any(start <= header.start() < end for start, end in hidden):
            continue
        name = _text(header.group(1))
        if name is None or name in sources:
            return None  # Terraform rejects a duplicate call; the parse says where
        rest = header.group(2).strip()
        if rest:  # `module "x" { source = "./y" }` on one line
            one_line = _ONE_LINE_SOURCE.match(rest)
            if one_line is None:
                return None
            sources[name] = _literal(one_line.group(1))
            continue
        end = _BLOCK_END.search(data, header.end())
        if end is None:
            return None
        if any(start < end.start() and header.end() < stop for start, stop in hidden):
            return None  # a heredoc or comment inside the block may hold any line, even `}`
        body = data[header.end():end.start()]
        literals = _LITERAL_SOURCE.findall(body)
        if len(literals) > 1:
            return None
        if literals:
            sources[name] = _literal(literals[0])
        elif _SOURCE_WORD.search(body):
            return None  # a source that is not a literal, or not on a line of its own
        else:
            sources[name] = None  # no source at all: TFL003 from the analysis
    return sources


def _module_headers(data: bytes) -> list[re.Match[bytes]]:
    headers = []
    offset = data.find(b"module")
    while offset >= 0:
        line_start = data.rfind(b"\n", 0, offset) + 1
        if not data[line_start:offset].strip(b" \t"):
            header = _MODULE_HEADER.match(data, offset)
            if header is not None:
                headers.append(header)
        offset = data.find(b"module", offset + 6)
    return headers


def _literal(raw: bytes) -> str | None:
    if any(marker in raw for marker in _TEMPLATE_MARKERS):
        return None
    return _text(raw)


def _text(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _json_module_sources(data: bytes) -> dict[str, str | None] | None:
    if b'"module"' not in data:
        return {}
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(document, dict):
        return None
    calls = document.get("module", {})
    # Terraform JSON allows a block type's value to be an object or an array of objects.
    groups = calls if isinstance(calls, list) else [calls]
    sources: dict[str, str | None] = {}
    for group in groups:
        if not isinstance(group, dict):
            return None
        for name, body in group.items():
            bodies = body if isinstance(body, list) else [body]
            if len(bodies) != 1 or not isinstance(bodies[0], dict) or name in sources:
                return None
            source = bodies[0].get("source")
            sources[name] = source if isinstance(source, str) and "${" not in source else None
    return sources
