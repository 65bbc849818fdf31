"""The reader questions answered with boto3: the only module of the package that imports it,
and only when a live command runs (`pip install 'tf-apigw-lint[live]'`).

Every client gets botocore's *standard* retry mode (back-off with jitter on throttling, 5xx
and dropped connections) and connect / read timeouts, so one slow or throttled API never
hangs a run; every listing goes through a paginator; `--endpoint-url` applies to every
client, for local emulators. STS is asked through the region's own endpoint, which is what
fails when STS is not active in the region.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from tf_apigw_lint.live.reader import INSTALL_HINT, CallFailed, Document, Identity, LiveError, RegionDisabled


@dataclass(frozen=True)
class Timeouts:
    connect: float = 5.0
    read: float = 20.0
    # Attempts in total, the first included (botocore's standard mode counts that way).
    attempts: int = 4


def load_boto3() -> Any:
    """boto3, or a `LiveError` that says how to install it."""
    try:
        import boto3
    except ImportError:
        raise LiveError(f"this command needs boto3: {INSTALL_HINT}") from None
    return boto3


def new_botocore_session(profile: str | None) -> Any:
    """A botocore session that asks STS in the region's own endpoint. Tests replace this
    function to register event hooks on every session a command creates."""
    load_boto3()
    import botocore.session

    session = botocore.session.Session(profile=profile)
    session.set_config_variable("sts_regional_endpoints", "regional")
    return session


# Codes that mean "the thing is not there", answered as None rather than as a failure.
_ABSENT = {"NoSuchEntity", "NoSuchEntityException"}


def _botocore_errors() -> tuple[type[Exception], ...]:
    """What a call can raise: AWS's errors, botocore's own, and an answer that cannot be
    parsed (an endpoint that is not AWS, a proxy's error page), which botocore raises as
    neither."""
    from botocore.exceptions import BotoCoreError, ClientError
    from botocore.parsers import ResponseParserError

    return ClientError, BotoCoreError, ResponseParserError


def _operation_error(operation: str, error: Exception) -> CallFailed:
    from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError
    from botocore.parsers import ResponseParserError

    if isinstance(error, NoCredentialsError):
        return NoCredentials(operation, "no credentials")
    if isinstance(error, EndpointConnectionError):
        return Unreachable(operation, " ".join(str(error).split()))
    if isinstance(error, ResponseParserError):
        return CallFailed(operation, "the answer is not one AWS gives (cannot be parsed)")
    if isinstance(error, ClientError):
        details = error.response.get("Error", {})
        code = details.get("Code", "Error")
        message = " ".join(str(details.get("Message") or "").split())
        reason = f"{code}: {message}" if message else code
        if code == "RegionDisabledException":
            return RegionDisabled(operation, reason)
        return CallFailed(operation, reason)
    return CallFailed(operation, " ".join(str(error).split()) or type(error).__name__)


def _decode_document(document: Any) -> Document:
    """IAM returns policy documents URL-encoded; botocore usually decodes them already."""
    if isinstance(document, str):
        return json.loads(urllib.parse.unquote(document))
    return document


# The region whose STS endpoint is always active.
STS_ALWAYS_ON = "us-east-1"


class NoCredentials(CallFailed):
    """No credentials in the chain: nothing at all can be read."""


class Unreachable(CallFailed):
    """The endpoint cannot be connected to."""


class AwsReader:
    """`Reader` over boto3 clients that `client(service)` creates for one region."""

    def __init__(self, region: str, client: Callable[[str], Any]):
        self._region = region
        self._client = client

    @property
    def region(self) -> str:
        return self._region

    def _call(self, service: str, operation: str, method: str, **params: Any) -> Any:
        try:
            return getattr(self._client(service), method)(**params)
        except _botocore_errors() as error:
            raise _operation_error(operation, error) from None

    def _pages(self, service: str, operation: str, method: str, key: str, **params: Any) -> list[Any]:
        """Every item of a paginated listing; a page that fails fails the whole listing, so
        no caller mistakes half a list for all of it."""
        try:
            paginator = self._client(service).get_paginator(method)
            return [item for page in paginator.paginate(**params) for item in page.get(key, [])]
        except _botocore_errors() as error:
            raise _operation_error(operation, error) from None

    def get_caller_identity(self) -> Identity:
        answer = self._call("sts", "GetCallerIdentity", "get_caller_identity")
        return Identity(answer["Account"], answer["Arn"])

    def get_account(self) -> Document:
        return self._call("apigateway", "GetAccount", "get_account")

    def get_rest_apis(self) -> Sequence[Document]:
        return self._pages("apigateway", "GetRestApis", "get_rest_apis", "items")

    def get_stages(self, rest_api_id: str) -> Sequence[Document]:
        # GetStages is not paginated: one answer holds every stage of the API.
        return self._call("apigateway", "GetStages", "get_stages", restApiId=rest_api_id).get("item", [])

    def get_apis(self) -> Sequence[Document]:
        return self._pages("apigatewayv2", "GetApis", "get_apis", "Items")

    def get_v2_stages(self, api_id: str) -> Sequence[Document]:
        return self._pages("apigatewayv2", "GetStages", "get_stages", "Items", ApiId=api_id)

    def get_role(self, name: str) -> Document | None:
        try:
            role = self._call("iam", "GetRole", "get_role", RoleName=name)["Role"]
        except CallFailed as failure:
            if failure.reason.split(":")[0] in _ABSENT:
                return None
            raise
        return {**role, "AssumeRolePolicyDocument": _decode_document(role.get("AssumeRolePolicyDocument", {}))}

    def list_role_policies(self, role_name: str) -> Sequence[str]:
        return self._pages("iam", "ListRolePolicies", "list_role_policies", "PolicyNames", RoleName=role_name)

    def get_role_policy(self, role_name: str, policy_name: str) -> Document:
        answer = self._call("iam", "GetRolePolicy", "get_role_policy", RoleName=role_name, PolicyName=policy_name)
        return _decode_document(answer["PolicyDocument"])

    def list_attached_role_policies(self, role_name: str) -> Sequence[Document]:
        return self._pages("iam", "ListAttachedRolePolicies", "list_attached_role_policies", "AttachedPolicies", RoleName=role_name)

    def get_policy(self, arn: str) -> Document | None:
        try:
            return self._call("iam", "GetPolicy", "get_policy", PolicyArn=arn)["Policy"]
        except CallFailed as failure:
            if failure.reason.split(":")[0] in _ABSENT:
                return None
            raise

    def get_policy_version(self, arn: str, version_id: str) -> Document:
        answer = self._call("iam", "GetPolicyVersion", "get_policy_version", PolicyArn=arn, VersionId=version_id)
        return _decode_document(answer["PolicyVersion"]["Document"])

    def describe_log_groups(self, prefix: str) -> Sequence[Document]:
        return self._pages("logs", "DescribeLogGroups", "describe_log_groups", "logGroups", logGroupNamePrefix=prefix)

    def describe_delivery_stream(self, name: str) -> Document | None:
        try:
            answer = self._call("firehose", "DescribeDeliveryStream", "describe_delivery_stream", DeliveryStreamName=name)
        except CallFailed as failure:
            if failure.reason.split(":")[0] == "ResourceNotFoundException":
                return None
            raise
        return answer["DeliveryStreamDescription"]


class AwsSession:
    """`Session` over one boto3 session: the standard credential chain or `profile`, or the
    temporary credentials of an assumed role."""

    def __init__(
        self,
        profile: str | None = None,
        endpoint_url: str | None = None,
        timeouts: Timeouts = Timeouts(),
        credentials: dict[str, str] | None = None,
        home_region: str | None = None,
    ):
        boto3 = load_boto3()
        from botocore.config import Config

        self._endpoint_url = endpoint_url
        botocore_session = new_botocore_session(profile)
        if credentials is not None:
            botocore_session.set_credentials(
                credentials["AccessKeyId"], credentials["SecretAccessKey"], credentials["SessionToken"]
            )
        from botocore.exceptions import ProfileNotFound

        try:
            self._session = boto3.Session(botocore_session=botocore_session)
            self._home_region = home_region or self._session.region_name or "us-east-1"
        except ProfileNotFound:
            raise LiveError(f"--profile {profile}: no such profile in the AWS configuration") from None
        self._config = Config(
            retries={"mode": "standard", "total_max_attempts": timeouts.attempts},
            connect_timeout=timeouts.connect,
            read_timeout=timeouts.read,
        )
        self._timeouts = timeouts
        # boto3 sessions are not safe to share between threads; the clients they make are.
        self._lock = threading.Lock()
        self._clients: dict[tuple[str, str], Any] = {}

    @property
    def home_region(self) -> str:
        return self._home_region

    def client(self, service: str, region: str) -> Any:
        with self._lock:
            key = (service, region)
            if key not in self._clients:
                self._clients[key] = self._session.client(
                    service, region_name=region, endpoint_url=self._endpoint_url, config=self._config
                )
            return self._clients[key]

    def reader(self, region: str) -> AwsReader:
        return AwsReader(region, lambda service: self.client(service, region))

    def identity(self) -> Identity:
        try:
            try:
                return self.reader(self._home_region).get_caller_identity()
            except RegionDisabled:
                # STS is off in that region (LIVE002 says so when it is read); us-east-1's
                # cannot be turned off and answers for the same credentials.
                if self._home_region == STS_ALWAYS_ON:
                    raise
                return self.reader(STS_ALWAYS_ON).get_caller_identity()
        except NoCredentials:
            raise LiveError("no AWS credentials found (environment, --profile or the shared credentials file)") from None
        except Unreachable:
            raise LiveError(f"cannot reach {self._endpoint_url or 'the STS endpoint of ' + self._home_region}") from None
        except CallFailed as failure:
            raise LiveError(f"cannot tell who the AWS credentials are: {failure}") from None

    def enabled_regions(self) -> list[str]:
        client = self.client("ec2", self._home_region)
        try:
            answer = client.describe_regions(
                Filters=[{"Name": "opt-in-status", "Values": ["opt-in-not-required", "opted-in"]}]
            )
        except _botocore_errors() as error:
            raise LiveError(f"--all-regions: {_operation_error('DescribeRegions', error)}") from None
        # The filter is asked of the service and applied again here, for emulators that ignore it.
        enabled = ("opt-in-not-required", "opted-in")
        return sorted(r["RegionName"] for r in answer["Regions"] if r.get("OptInStatus", "opt-in-not-required") in enabled)

    def list_accounts(self) -> Sequence[Document]:
        accounts = AwsReader(self._home_region, lambda service: self.client(service, self._home_region))._pages(
            "organizations", "ListAccounts", "list_accounts", "Accounts"
        )
        return [account for account in accounts if account.get("Status", "ACTIVE") == "ACTIVE"]

    def assume_role(self, role_arn: str) -> "AwsSession":
        answer = self.reader(self._home_region)._call(
            "sts", "AssumeRole", "assume_role", RoleArn=role_arn, RoleSessionName="tf-apigw-lint"
        )
        return AwsSession(
            endpoint_url=self._endpoint_url,
            timeouts=self._timeouts,
            credentials=answer["Credentials"],
            home_region=self._home_region,
        )

