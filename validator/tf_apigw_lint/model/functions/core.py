"""How a built-in function is called: its parameters, argument checks and errors.

An implementation is a plain Python function of the converted arguments; `function()`
wraps it with its Terraform name and parameters into a `Function`, which the evaluator
calls as `fn(context, args) -> Value`. Nothing here keeps a table of functions: the
package's `__init__` lists them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Callable, Protocol

from tf_apigw_lint.model.errors import EvalError
from tf_apigw_lint.model.types import ANY, TfType, convert
from tf_apigw_lint.view.values import UNKNOWN_TYPES, Unknown, Value, is_known, unknown_from


class FunctionContext(Protocol):
    """What the file functions need from the evaluator."""

    base_dir: str  # the root module directory, Terraform's working directory

    def read_file(self, path: str) -> str:
        """The text of `path` (relative to `base_dir`); EvalError when missing or unreadable."""

    def render_template(self, text: str, path: str, variables: dict) -> Value:
        """`text` (read from `path`) rendered as a template with only `variables` in scope."""


class Unknowns(enum.Enum):
    """How much of an argument may be unknown before the function gives up."""

    REJECT = "reject"  # any Unknown inside makes the result Unknown
    IN_ELEMENTS = "elements"  # the argument must be known; the function handles unknown elements
    ACCEPT = "accept"  # the function handles the argument itself being Unknown


@dataclass(frozen=True)
class Param:
    name: str
    type: TfType = ANY
    nullable: bool = False
    unknowns: Unknowns = Unknowns.REJECT


class BadArgument(Exception):
    """Raised by an implementation: the argument for `param` is unacceptable."""

    def __init__(self, param: str, detail: str):
        super().__init__(detail)
        self.param = param
        self.detail = detail


class CallFailed(Exception):
    """Raised by an implementation: the call failed for a reason not tied to one argument."""


class Unsupported(Exception):
    """Raised by an implementation for a valid call this tool cannot evaluate."""


@dataclass(frozen=True)
class Function:
    name: str
    params: tuple[Param, ...]
    variadic: Param | None
    impl: Callable[..., Value]
    wants_context: bool

    def __call__(self, context: FunctionContext, args: list[Value]) -> Value:
        params = self._params_for(len(args))
        values: list[Value] = []
        blocking = None
        for param, arg in zip(params, args):
            if isinstance(arg, UNKNOWN_TYPES) and param.unknowns is not Unknowns.ACCEPT:
                blocking = arg if blocking is None else blocking
                values.append(arg)
                continue
            if arg is None:
                if not param.nullable:
                    raise self._argument_error(param.name, "argument must not be null")
                values.append(None)
                continue
            try:
                value = convert(arg, param.type)
            except EvalError as error:
                raise self._argument_error(param.name, str(error)) from None
            if param.unknowns is Unknowns.REJECT and blocking is None and not is_known(value):
                blocking = value
            values.append(value)
        if blocking is not None:
            return unknown_from(blocking, f"{self.name}()")
        try:
            return self.impl(context, *values) if self.wants_context else self.impl(*values)
        except BadArgument as error:
            raise self._argument_error(error.param, error.detail) from None
        except CallFailed as error:
            detail = _sentence(str(error))
            raise EvalError(f'Error in function call: Call to function "{self.name}" failed: {detail}') from None
        except Unsupported as error:
            return Unknown(f"{self.name}(): {error}")

    def _params_for(self, count: int) -> list[Param]:
        expected = len(self.params)
        if count < expected:
            at_least = "at least " if self.variadic else ""
            raise EvalError(
                f'Not enough function arguments: Function "{self.name}" expects {at_least}{expected} argument(s). '
                f'Missing value for "{self.params[count].name}".'
            )
        if count > expected and self.variadic is None:
            raise EvalError(f'Too many function arguments: Function "{self.name}" expects only {expected} argument(s).')
        extra = [self.variadic] * (count - expected) if self.variadic is not None else []
        return list(self.params) + extra

    def _argument_error(self, param: str, detail: str) -> EvalError:
        return EvalError(f'Invalid function argument: Invalid value for "{param}" parameter: {_sentence(detail)}')


def _sentence(text: str) -> str:
    return text if text.endswith(".") else text + "."


def function(
    name: str, *params: Param, variadic: Param | None = None, context: bool = False
) -> Callable[[Callable[..., Value]], Function]:
    """The decorated implementation as the Terraform function `name`; with `context`, the
    implementation receives the `FunctionContext` as its first argument."""

    def wrap(impl: Callable[..., Value]) -> Function:
        return Function(name, params, variadic, impl, context)

    return wrap


def whole(number: int | float, what: str = "", param: str | None = None) -> int:
    """`number` as an int; Terraform's error naming `param` (or the call) when not whole."""
    if isinstance(number, float) and not number.is_integer() or not -(2**63) <= number < 2**63:
        detail = f"{what}value must be a whole number, between -9223372036854775808 and 9223372036854775807"
        raise BadArgument(param, detail) if param else CallFailed(detail)
    return int(number)
