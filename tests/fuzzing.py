"""Shared pieces of the fuzz tests (importable: tests/ is on sys.path).

Each fuzz test runs `tf_apigw_lint.cli.main` on generated input in a fresh temporary
directory and checks the invariants of SPEC §3 and §10 (`run_cli`). The default run is
short and derandomized, so the suite stays fast and stable; `TF_APIGW_LINT_LONG_FUZZ=1`
runs many random examples (README, "Security and reliability").
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from dataclasses import dataclass

from hypothesis import HealthCheck, settings

from tf_apigw_lint.cli import main

LONG = os.environ.get("TF_APIGW_LINT_LONG_FUZZ") == "1"


def fuzz_settings(examples: int = 25):
    """Bounded by default; long and random behind TF_APIGW_LINT_LONG_FUZZ=1."""
    return settings(
        max_examples=2000 if LONG else examples, derandomize=not LONG, deadline=None, database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


@dataclass
class CliRun:
    code: int
    out: str
    err: str

    def report(self) -> dict:
        return json.loads(self.out)


def run_cli(*argv: str) -> CliRun:
    """`main(argv)` with stdout and stderr captured; asserts what must hold for any input:
    no exception escapes, the exit code is 0, 1 or 2, stderr never holds a traceback or an
    internal error, and every message on stderr is one `tf-apigw-lint: ` line."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    run = CliRun(code, out.getvalue(), err.getvalue())
    assert code in (0, 1, 2), run
    assert "Traceback" not in run.err and "internal error" not in run.err, run.err
    for line in run.err.splitlines():
        assert line.startswith("tf-apigw-lint: "), run.err
    if code == 2:
        assert len(run.err.splitlines()) == 1, run.err
    return run
