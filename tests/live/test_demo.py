"""`make demo-live` runs offline: the demo script against its own emulator, each command
finding what the demo broke (the script fails on any other exit code)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_demo_live_runs_and_finds_what_it_broke(tmp_path):
    completed = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "live" / "demo.py")],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    assert "$ tf-apigw-lint live" in completed.stdout and "APIGW002 account-role-trust" in completed.stdout
    assert "LIVE005 drift */* settings.logging_level is \"ERROR\" deployed, \"INFO\" in the configuration" in completed.stdout
    assert "  [failed] the role trusts apigateway.amazonaws.com" in completed.stdout
