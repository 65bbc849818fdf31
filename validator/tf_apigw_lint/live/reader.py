"""The questions the live backend asks AWS, and what can go wrong asking them.

Every question is a read. A `Reader` answers for one account in one region; a `Session`
(one set of credentials) hands out readers and answers the account-wide questions: who we
are, which regions are enabled, which accounts the Organization has, and assuming a role.
`aws.AwsSession` answers with boto3; tests use a fake or a local emulator.

Answers are AWS's own response shapes (dicts with AWS's key names), already paginated: a
reader never returns half a list. A call that fails after botocore's retries raises
`CallFailed` naming the operation; the caller reports what it could not check (LIVE006)
and goes on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, Sequence

INSTALL_HINT = "pip install 'tf-apigw-lint[live]'"


class LiveError(Exception):
    """Nothing can be read at all (no credentials, endpoint unreachable, boto3 missing): the
    command stops with this one-line message and exit code 2."""


class CallFailed(Exception):
    """One read failed: denied, throttled past the retries, a server error, a timeout, a
    dropped connection. `operation` is AWS's name for it (`GetRole`)."""

    def __init__(self, operation: str, reason: str):
        super().__init__(f"{operation} failed: {reason}")
        self.operation = operation
        self.reason = reason


class RegionDisabled(CallFailed):
    """STS is not active in the region (RegionDisabledException)."""


@dataclass(frozen=True)
class Identity:
    account: str
    arn: str


Document = dict[str, Any]


class Reader(Protocol):
    """Read-only questions about one account in one region."""

    @property
    def region(self) -> str: ...

    def get_caller_identity(self) -> Identity:
        """Through the region's own STS endpoint: fails with `RegionDisabled` when STS is
        not active there."""
        ...

    def get_account(self) -> Document:
        """API Gateway account settings of the region (`cloudwatchRoleArn`)."""
        ...

    def get_rest_apis(self) -> Sequence[Document]: ...

    def get_stages(self, rest_api_id: str) -> Sequence[Document]: ...

    def get_apis(self) -> Sequence[Document]:
        """HTTP and WebSocket APIs (API Gateway v2)."""
        ...

    def get_v2_stages(self, api_id: str) -> Sequence[Document]: ...

    def get_role(self, name: str) -> Document | None:
        """The role, with its trust policy decoded; None when it does not exist."""
        ...

    def list_role_policies(self, role_name: str) -> Sequence[str]:
        """Names of the role's inline policies."""
        ...

    def get_role_policy(self, role_name: str, policy_name: str) -> Document:
        """One inline policy's document, decoded."""
        ...

    def list_attached_role_policies(self, role_name: str) -> Sequence[Document]:
        """`{"PolicyName", "PolicyArn"}` of every managed policy attached to the role."""
        ...

    def get_policy(self, arn: str) -> Document | None:
        """A managed policy (`DefaultVersionId`, `Path`, `PolicyName`); None when absent."""
        ...

    def get_policy_version(self, arn: str, version_id: str) -> Document:
        """A managed policy version's document, decoded."""
        ...

    def describe_log_groups(self, prefix: str) -> Sequence[Document]:
        """Log groups whose name starts with `prefix`."""
        ...

    def describe_delivery_stream(self, name: str) -> Document | None:
        """A Kinesis Data Firehose stream's description; None when there is no such stream."""
        ...


class Session(Protocol):
    """One set of credentials."""

    @property
    def home_region(self) -> str:
        """The region of the credentials' configuration: where account-wide questions go
        and what is read when no region is given."""
        ...

    def reader(self, region: str) -> Reader: ...

    def identity(self) -> Identity:
        """Who the credentials are; raises `LiveError` when there are none or the endpoint
        cannot be reached, so a command fails early with one line."""
        ...

    def enabled_regions(self) -> list[str]: ...

    def list_accounts(self) -> Sequence[Document]:
        """The active accounts of the AWS Organization (`Id`, `Name`, `Status`)."""
        ...

    def assume_role(self, role_arn: str) -> "Session":
        """A session with the role's temporary credentials."""
        ...
