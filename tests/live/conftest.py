"""A local AWS emulator for the live commands: moto in server mode on 127.0.0.1, a free
port, real HTTP through `--endpoint-url`. Fake credentials only; never real AWS.

Known gaps of moto are worked around here, not in the product: AWS managed policies exist
only with MOTO_IAM_LOAD_MANAGED_POLICIES=true (slow, so only for the tests that ask for
`managed_policies`); per-method `methodSettings` keys are stored as sent (`~1pets/GET`),
which is what the product's normalisation is for. Paging and throttling, which moto does not
show, are tested with botocore's Stubber (test_aws_reader.py).
"""

from __future__ import annotations

import logging
import socket
import urllib.request

import pytest
from live_fixtures import REGION, Deployer


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def moto_server():
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def _reset(url: str) -> None:
    urllib.request.urlopen(urllib.request.Request(f"{url}/moto-api/reset", method="POST"), timeout=30).read()


@pytest.fixture
def aws_env(monkeypatch, tmp_path):
    """Fake credentials and no shared AWS files, so nothing can reach a real account."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.fixture
def aws(moto_server, aws_env, monkeypatch):
    """An empty emulator and a helper that deploys into it."""
    monkeypatch.delenv("MOTO_IAM_LOAD_MANAGED_POLICIES", raising=False)
    _reset(moto_server)
    return Deployer(moto_server)


@pytest.fixture
def managed_policies(aws, monkeypatch):
    """The emulator with AWS managed policies loaded (several seconds)."""
    monkeypatch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    _reset(aws.url)
    return aws
