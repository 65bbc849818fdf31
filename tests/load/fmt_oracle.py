"""`terraform fmt` as the syntax oracle: it parses a file as Terraform does and exits 0
only when the file is valid HCL native syntax."""

from __future__ import annotations

import os
import shutil
import subprocess

TERRAFORM = shutil.which("terraform")


def terraform_fmt_accepts(text: str) -> bool:
    assert TERRAFORM is not None
    # No CLI configuration: the oracle must not depend on the machine's ~/.terraformrc.
    env = {**os.environ, "TF_CLI_CONFIG_FILE": os.devnull, "CHECKPOINT_DISABLE": "1"}
    result = subprocess.run(
        [TERRAFORM, "fmt", "-no-color", "-"], input=text.encode("utf-8"), capture_output=True, env=env, timeout=60,
    )
    # 2 is "invalid syntax"; anything else means terraform itself failed, not the file.
    assert result.returncode in (0, 2), result.stderr.decode(errors="replace")
    return result.returncode == 0


def terraform_version() -> str:
    assert TERRAFORM is not None
    env = {**os.environ, "TF_CLI_CONFIG_FILE": os.devnull, "CHECKPOINT_DISABLE": "1"}
    output = subprocess.run([TERRAFORM, "version"], capture_output=True, text=True, env=env, check=True).stdout
    return output.split("\n", 1)[0].strip()
