"""Deployed state written as data, read through a fake reader: the documentation examples of
the LIVE rules and unit tests of the live backend use it (importable: tests/ is on sys.path).

A state is AWS's answers, keyed as the reader asks for them:

    {"account": {"cloudwatchRoleArn": ...},               # GetAccount
     "roles": {NAME: {"AssumeRolePolicyDocument": {...},  # GetRole
                      "inline": {POLICY: document},        # ListRolePolicies / GetRolePolicy
                      "attached": [ARN, ...]}},             # ListAttachedRolePolicies
     "policies": {ARN: document},                           # GetPolicy / GetPolicyVersion
     "rest_apis": [{"id", "name", "stages": [GetStages item, ...]}],
     "apis": [{"ApiId", "Name", "ProtocolType", "stages": [GetStages item, ...]}],
     "log_groups": [{"logGroupName", "retentionInDays"}],
     "delivery_streams": [NAME, ...],                       # DescribeDeliveryStream
     "sts": "active" | "disabled",
     "denied": [OPERATION, ...]}                            # answered AccessDenied
"""

from __future__ import annotations

import threading
import time
from typing import Any

from tf_apigw_lint.live.build import read_account_region
from tf_apigw_lint.live.configuration import LiveConfiguration
from tf_apigw_lint.live.reader import CallFailed, Identity, RegionDisabled

ACCOUNT = "123456789012"
REGION = "us-east-1"


class FakeReader:
    def __init__(self, state: dict[str, Any], region: str = REGION, account: str = ACCOUNT):
        self.state = state
        self._region = region
        self.account = account
        self.calls: list[str] = []

    @property
    def region(self) -> str:
        return self._region

    def _answer(self, operation: str) -> None:
        self.calls.append(operation)
        if operation in self.state.get("denied", ()):
            raise CallFailed(operation, f"AccessDenied: not authorized to perform {operation}")

    def get_caller_identity(self) -> Identity:
        self._answer("GetCallerIdentity")
        if self.state.get("sts") == "disabled":
            raise RegionDisabled("GetCallerIdentity", f"RegionDisabledException: STS is not activated in {self._region}")
        return Identity(self.account, f"arn:aws:iam::{self.account}:user/auditor")

    def get_account(self):
        self._answer("GetAccount")
        return dict(self.state.get("account", {}))

    def get_rest_apis(self):
        self._answer("GetRestApis")
        return [{"id": api["id"], "name": api.get("name")} for api in self.state.get("rest_apis", [])]

    def get_stages(self, rest_api_id):
        self._answer("GetStages")
        return next(api.get("stages", []) for api in self.state["rest_apis"] if api["id"] == rest_api_id)

    def get_apis(self):
        self._answer("GetApis")
        return [{k: v for k, v in api.items() if k != "stages"} for api in self.state.get("apis", [])]

    def get_v2_stages(self, api_id):
        self._answer("GetStages")
        return next(api.get("stages", []) for api in self.state["apis"] if api["ApiId"] == api_id)

    def _role(self, name):
        return self.state.get("roles", {}).get(name)

    def get_role(self, name):
        self._answer("GetRole")
        role = self._role(name)
        if role is None:
            return None
        return {"RoleName": name, "Path": "/", "AssumeRolePolicyDocument": role.get("AssumeRolePolicyDocument", {})}

    def list_role_policies(self, role_name):
        self._answer("ListRolePolicies")
        return list(self._role(role_name).get("inline", {}))

    def get_role_policy(self, role_name, policy_name):
        self._answer("GetRolePolicy")
        return self._role(role_name)["inline"][policy_name]

    def list_attached_role_policies(self, role_name):
        self._answer("ListAttachedRolePolicies")
        return [{"PolicyArn": arn, "PolicyName": arn.rsplit("/", 1)[-1]} for arn in self._role(role_name).get("attached", [])]

    def get_policy(self, arn):
        self._answer("GetPolicy")
        if arn not in self.state.get("policies", {}):
            return None
        path, _, name = arn.split(":policy", 1)[1].rpartition("/")
        return {"PolicyName": name, "Path": path + "/", "DefaultVersionId": "v1", "Arn": arn}

    def get_policy_version(self, arn, version_id):
        self._answer("GetPolicyVersion")
        return self.state["policies"][arn]

    def describe_log_groups(self, prefix):
        self._answer("DescribeLogGroups")
        return [
            {**group, "arn": f"arn:aws:logs:{self._region}:{self.account}:log-group:{group['logGroupName']}:*"}
            for group in self.state.get("log_groups", [])
            if group["logGroupName"].startswith(prefix)
        ]


    def describe_delivery_stream(self, name):
        self._answer("DescribeDeliveryStream")
        if name not in self.state.get("delivery_streams", ()):
            return None
        arn = f"arn:aws:firehose:{self._region}:{self.account}:deliverystream/{name}"
        return {"DeliveryStreamName": name, "DeliveryStreamARN": arn, "DeliveryStreamStatus": "ACTIVE"}


def read_state(state: dict[str, Any], region: str = REGION) -> LiveConfiguration:
    return read_account_region(FakeReader(state, region), ACCOUNT)


class Concurrency:
    """How many reads run at once, at most, across every session of a run."""

    def __init__(self):
        self._lock = threading.Lock()
        self.now = 0
        self.most = 0

    def __enter__(self):
        with self._lock:
            self.now += 1
            self.most = max(self.most, self.now)

    def __exit__(self, *exc):
        with self._lock:
            self.now -= 1


class CountingReader(FakeReader):
    """A reader whose first question takes a moment and is counted as running."""

    def __init__(self, state, region, account, concurrency: Concurrency):
        super().__init__(state, region, account)
        self.concurrency = concurrency

    def get_caller_identity(self) -> Identity:
        with self.concurrency:
            time.sleep(0.05)
            return super().get_caller_identity()


class FakeSession:
    """Accounts of an Organization, each with a state per region (`states[account][region]`);
    `denied_accounts` cannot be entered."""

    def __init__(self, states, account=ACCOUNT, denied_accounts=(), regions=(REGION,), concurrency=None):
        self.states = states
        self.account = account
        self.denied_accounts = set(denied_accounts)
        self.regions = list(regions)
        self.concurrency = concurrency or Concurrency()

    @property
    def home_region(self) -> str:
        return REGION

    def identity(self) -> Identity:
        return Identity(self.account, f"arn:aws:iam::{self.account}:user/auditor")

    def reader(self, region: str) -> CountingReader:
        return CountingReader(self.states.get(self.account, {}).get(region, {}), region, self.account, self.concurrency)

    def enabled_regions(self) -> list[str]:
        return list(self.regions)

    def list_accounts(self):
        return [{"Id": account, "Status": "ACTIVE"} for account in sorted(self.states)]

    def assume_role(self, role_arn: str) -> "FakeSession":
        account = role_arn.split(":")[4]
        if account in self.denied_accounts:
            raise CallFailed("AssumeRole", f"AccessDenied: not authorized to assume {role_arn}")
        return FakeSession(self.states, account, self.denied_accounts, self.regions, self.concurrency)
