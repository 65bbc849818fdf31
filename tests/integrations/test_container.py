"""The container image (Dockerfile): built and run for real when a container engine answers
(`docker info` or `podman info`), skipped with a message otherwise. What the image promises
(slim Python base, non-root user, the CLI as entrypoint) is read from the Dockerfile always."""

from __future__ import annotations

import json
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def instructions() -> list[tuple[str, str]]:
    lines = (ROOT / "Dockerfile").read_text().replace("\\\n", " ").splitlines()
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1].strip())
            for line in lines if line.strip() and not line.lstrip().startswith("#")]


def test_dockerfile_is_slim_non_root_and_runs_the_cli():
    steps = instructions()
    bases = [argument for keyword, argument in steps if keyword == "FROM"]
    assert all(base.split()[0].startswith("python:") and "-slim" in base.split()[0] for base in bases)
    final_stage = steps[max(i for i, (keyword, _) in enumerate(steps) if keyword == "FROM"):]
    users = [argument for keyword, argument in final_stage if keyword == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert [argument for keyword, argument in final_stage if keyword == "ENTRYPOINT"] == ['["tf-apigw-lint"]']
    # only what the wheel needs is copied in: no .venv or .git from a checkout
    copied = [argument.split()[:-1] for keyword, argument in steps if keyword == "COPY" and "--from" not in argument]
    assert sorted(sum(copied, [])) == ["LICENSE", "README.md", "pyproject.toml", "validator/"]


def container_engine() -> str | None:
    for engine in ("docker", "podman"):
        if shutil.which(engine) is None:
            continue
        try:
            if subprocess.run([engine, "info"], capture_output=True, timeout=30).returncode == 0:
                return engine
        except (OSError, subprocess.TimeoutExpired):
            continue
    return None


@pytest.mark.slow
def test_image_builds_and_lints_the_example():
    engine = container_engine()
    if engine is None:
        pytest.skip("no container engine answers `docker info` or `podman info`: the image is not built here")
    tag = f"tf-apigw-lint-test:{uuid.uuid4().hex[:12]}"
    built = subprocess.run([engine, "build", "-t", tag, str(ROOT)], capture_output=True, text=True, timeout=1200)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    try:
        version = subprocess.run([engine, "run", "--rm", tag, "--version"], capture_output=True, text=True, timeout=120)
        assert version.returncode == 0 and version.stdout.startswith("tf-apigw-lint "), version.stderr
        user = subprocess.run([engine, "run", "--rm", "--entrypoint", "id", tag, "-u"], capture_output=True, text=True, timeout=120)
        assert user.stdout.strip() not in ("", "0")
        lint = subprocess.run(
            [engine, "run", "--rm", "-v", f"{ROOT / 'examples'}:/src:ro", tag, ".", "--format", "json", "--select", "APIGW108"],
            capture_output=True, text=True, timeout=300,
        )
        assert lint.returncode == 1, lint.stderr
        assert [(f["rule_id"], f["path"], f["line"]) for f in json.loads(lint.stdout)["findings"]] == [
            ("APIGW108", "envs/prod/legacy.tf", 31)]
    finally:
        subprocess.run([engine, "rmi", "-f", tag], capture_output=True, timeout=120)
