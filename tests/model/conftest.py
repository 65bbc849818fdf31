"""`terraform console` as the reference oracle for the model tests."""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

_RESULT = re.compile(r'"([A-Za-z0-9+/=]*)"|\(known after apply\)')


def console_json(directory: Path, expressions: list[str]) -> list[str | None]:
    """Each expression's value as Terraform's JSON text, or None when Terraform says it is
    known only after apply.

    Piped into `terraform console`, only the last line's value is printed, so all the
    expressions are evaluated in one run as one tuple; base64 keeps the output trivial to
    read back whatever the strings contain.
    """
    line = "[" + ", ".join(f"base64encode(jsonencode({e}))" for e in expressions) + "]\n"
    completed = subprocess.run(
        ["terraform", "console", "-no-color"],
        input=line,
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, TF_CLI_CONFIG_FILE=os.devnull, CHECKPOINT_DISABLE="1"),
    )
    if completed.returncode != 0:
        pytest.fail(f"terraform console failed:\n{completed.stderr}")
    results = [base64.b64decode(m.group(1)).decode() if m.group(1) is not None else None for m in _RESULT.finditer(completed.stdout)]
    assert len(results) == len(expressions), completed.stdout
    return results


@pytest.fixture(scope="session")
def terraform_console():
    """`console_json`, or a skip when Terraform is not installed."""
    if shutil.which("terraform") is None:
        pytest.skip("terraform is not on PATH")
    return console_json
