"""CloudWatch Logs and Firehose names as API Gateway logging uses them.

`execution_log_group_name` reads `<api-id>` and `<stage>` out of the name of an
execution-log group `API-Gateway-Execution-Logs_<api-id>/<stage>`, given as text with holes
(`Node.pieces`): a name known only in part can still be matched by its structure.
"""

from __future__ import annotations

from dataclasses import dataclass

from tf_apigw_lint.view.values import Piece, Unknown, Value

EXECUTION_LOG_GROUP_PREFIX = "API-Gateway-Execution-Logs_"
FIREHOSE_STREAM_PREFIX = "amazon-apigateway-"


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
