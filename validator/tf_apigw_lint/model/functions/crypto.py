"""Terraform's hash and crypto functions."""

from __future__ import annotations

import hashlib

from tf_apigw_lint.model.functions.core import Function, Param, function
from tf_apigw_lint.model.types import STRING
from tf_apigw_lint.view.values import Unknown, Value


def _hash_function(name: str, algorithm: str) -> Function:
    return function(name, Param("str", STRING))(lambda text: hashlib.new(algorithm, text.encode()).hexdigest())


@function("uuid")
def _uuid() -> Value:
    return Unknown("uuid() is different on every run")


FUNCTIONS = (
    _hash_function("md5", "md5"),
    _hash_function("sha1", "sha1"),
    _hash_function("sha256", "sha256"),
    _hash_function("sha512", "sha512"),
    _uuid,
)
