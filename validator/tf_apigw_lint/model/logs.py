"""CloudWatch Logs and Firehose names and ARNs as API Gateway logging uses them.

- `parse_arn` splits `arn:<partition>:<service>:<region>:<account>:<resource>`.
- `text_pieces` reads a string attribute as literal text around the references it
  interpolates: `"API-Gateway-Execution-Logs_${aws_api_gateway_rest_api.x.id}/prod"` is
  `["API-Gateway-Execution-Logs_", Reference(aws_api_gateway_rest_api.x.id), "/prod"]`.
  A name that is known only after apply can so still be matched by its structure.
- `execution_log_group_name` reads `<api-id>` and `<stage>` out of the name of an
  execution-log group `API-Gateway-Execution-Logs_<api-id>/<stage>`.
"""

from __future__ import annotations

from dataclasses import dataclass

from tf_apigw_lint.load import syntax as s
from tf_apigw_lint.model.errors import EvalError
from tf_apigw_lint.model.evaluator import evaluate, materialize, to_template_string
from tf_apigw_lint.model.instances import BlockInstance
from tf_apigw_lint.view.values import Reference, Unknown, Value, is_known

EXECUTION_LOG_GROUP_PREFIX = "API-Gateway-Execution-Logs_"
FIREHOSE_STREAM_PREFIX = "amazon-apigateway-"

Piece = str | Reference | Unknown


@dataclass(frozen=True)
class Arn:
    partition: str
    service: str
    region: str
    account: str
    resource: str


def parse_arn(text: str) -> Arn | None:
    parts = text.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        return None
    return Arn(*parts[1:])


def text_pieces(block: BlockInstance, name: str) -> list[Piece] | None:
    """Attribute `name` as literal text and the References / Unknowns between it, adjacent
    text merged; None when it is unset or null."""
    attribute = block.attribute(name)
    if attribute is None:
        return None
    expr = attribute.expr
    if isinstance(expr, s.Template) and len(expr.parts) > 1 and all(isinstance(p, (str, s.Interpolation)) for p in expr.parts):
        values = [part if isinstance(part, str) else _evaluate(part.expr, block) for part in expr.parts]
    else:
        value = block.attr(name)
        if value is None:
            return None
        values = [value]
    pieces: list[Piece] = []
    for value in values:
        piece = _piece(value)
        if isinstance(piece, str) and pieces and isinstance(pieces[-1], str):
            pieces[-1] += piece
        elif piece != "":
            pieces.append(piece)
    return pieces


def _evaluate(expr: s.Expression, block: BlockInstance) -> Value:
    try:
        return materialize(evaluate(expr, block.scope))
    except EvalError as error:
        return Unknown(str(error))


def _piece(value: Value) -> Piece:
    if isinstance(value, (Reference, Unknown)):
        return value
    if is_known(value) and value is not None and not isinstance(value, (dict, list)):
        return to_template_string(value)
    return Unknown("not a string")


@dataclass(frozen=True)
class ExecutionLogGroupName:
    """`API-Gateway-Execution-Logs_<api_id>/<stage>`: each part is text, a Reference (e.g.
    to the REST API's id) or Unknown."""

    api_id: Value
    stage: Value


def execution_log_group_name(pieces: list[Piece] | None) -> ExecutionLogGroupName | Unknown | None:
    """The parts of an execution-log group name; None when the name is certainly not one;
    Unknown when the unknown part of the name decides."""
    if not pieces:
        return None
    first = pieces[0]
    if not isinstance(first, str):
        return Unknown("the log group name starts with a value known only after apply")
    if not first.startswith(EXECUTION_LOG_GROUP_PREFIX):
        partial = len(pieces) > 1 and EXECUTION_LOG_GROUP_PREFIX.startswith(first)
        return Unknown("the log group name is only partly known") if partial else None
    rest: list[Piece] = [first[len(EXECUTION_LOG_GROUP_PREFIX):], *pieces[1:]]
    for index, piece in enumerate(rest):
        if isinstance(piece, str) and "/" in piece:
            head, _, tail = piece.partition("/")
            return ExecutionLogGroupName(_single([*rest[:index], head]), _single([tail, *rest[index + 1:]]))
    if all(isinstance(piece, str) for piece in rest):
        return None
    return Unknown("the log group name has no known '/' between API id and stage")


def _single(pieces: list[Piece]) -> Value:
    pieces = [p for p in pieces if p != ""]
    if not pieces:
        return ""
    if len(pieces) == 1:
        return pieces[0]
    return Unknown("only part of it is known")
