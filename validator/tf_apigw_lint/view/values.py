"""Values as the evaluator sees them.

A value is plain Python data — `None` (null), `bool`, `int`, `float`, `str`, `list`
(tuples, lists and sets), `dict` (objects and maps) — whose leaves may also be:

- `Unknown`: cannot be known before apply, or not by this tool; `reason` says why.
- `Reference`: an attribute of a resource that is only known after apply (`.arn`, `.id`);
  it names the resource instance, so links can be followed although the text is unknown.

An Unknown may carry what *is* known of it in `partial`: a string template with unknown
interpolations keeps its text around them (`Holes`), `jsonencode` of a partly known value
keeps that value's structure. `pieces_of` reads any value as text with holes.

Nothing is guessed: an operation that needs the text of an Unknown or a Reference yields an
Unknown. `is_known` tells whether a value is fully known.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Union


@dataclass(frozen=True)
class Unknown:
    reason: str
    # Structure under `jsonencode` etc. that is known apart from some leaves; lets the IAM
    # analysis look inside a policy whose `Resource` is a reference.
    partial: Any = None

    def __repr__(self) -> str:
        return f"Unknown({self.reason!r})"


@dataclass(frozen=True)
class Reference:
    """`address` is the full resource instance address (`module.a.aws_x.y["k"]`),
    `attribute` the path below it (`arn`, `settings[0].x`), `resource_type` the type
    (`aws_cloudwatch_log_group`; data sources keep their `data.` prefix in `address`)."""

    address: str
    attribute: str
    resource_type: str

    def __repr__(self) -> str:
        return f"Reference({self.address}.{self.attribute})"


@dataclass(frozen=True)
class Holes:
    """A string known apart from some parts: `parts` are text and the unknown values
    (`Unknown` / `Reference`) in order, adjacent text merged. Carried as `Unknown.partial`:
    `"API-Gateway-Execution-Logs_${aws_api_gateway_rest_api.x.id}/prod"` is
    `Holes(("API-Gateway-Execution-Logs_", Reference(...id), "/prod"))`."""

    parts: tuple[Any, ...]

    def pattern(self, resolve: Callable[[Any], str | None] = lambda v: None) -> str:
        """The text with each unknown part as `*` (or what `resolve` knows it to be)."""
        return "".join(p if isinstance(p, str) else (resolve(p) or "*") for p in self.parts)


Value = Any
Piece = Union[str, "Reference", "Unknown"]

UNKNOWN_TYPES = (Unknown, Reference)


def is_known(value: Value) -> bool:
    """True when `value` contains no Unknown and no Reference at any depth."""
    if isinstance(value, UNKNOWN_TYPES):
        return False
    if isinstance(value, dict):
        return all(is_known(v) for v in value.values())
    if isinstance(value, list):
        return all(is_known(v) for v in value)
    return True


def first_unknown(value: Value) -> Unknown | Reference | None:
    """The first Unknown or Reference inside `value`, depth first."""
    if isinstance(value, UNKNOWN_TYPES):
        return value
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for child in children:
        found = first_unknown(child)
        if found is not None:
            return found
    return None


def unknown_from(value: Value, doing: str) -> Unknown:
    """An Unknown explaining that `doing` needed the unknown part of `value`."""
    inner = first_unknown(value)
    if isinstance(inner, Reference):
        return Unknown(f"{doing}: {inner.address}.{inner.attribute} is known only after apply")
    if isinstance(inner, Unknown):
        return Unknown(f"{doing}: {inner.reason}" if doing else inner.reason)
    return Unknown(doing)


def type_name(value: Value) -> str:
    """Terraform's name for the type of a known value, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "tuple"
    if isinstance(value, dict):
        return "object"
    return "unknown"


def holes_of(value: Value) -> Holes | None:
    """The known text around the unknown parts of a string, when `value` is such a string."""
    if isinstance(value, Unknown) and isinstance(value.partial, Holes):
        return value.partial
    return None


def merge_pieces(pieces: list[Piece]) -> list[Piece]:
    """Adjacent text merged, empty text dropped."""
    merged: list[Piece] = []
    for piece in pieces:
        if isinstance(piece, str) and merged and isinstance(merged[-1], str):
            merged[-1] += piece
        elif piece != "":
            merged.append(piece)
    return merged


def pieces_of(value: Value) -> list[Piece] | None:
    """A value read as text: literal text and the References / Unknowns between it, adjacent
    text merged; None for null. A known value that is not text is one Unknown piece."""
    if value is None:
        return None
    holes = holes_of(value)
    if holes is not None:
        return list(holes.parts)
    if isinstance(value, (Reference, Unknown)):
        return [value]
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer() and abs(value) < 1e21):
        return [str(int(value))]
    if isinstance(value, float):
        return [repr(value)]
    return [Unknown("not a string")]
