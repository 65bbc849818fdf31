"""AWS facts every layer reads the same way: ARNs and the partition of a region."""

from __future__ import annotations

from dataclasses import dataclass

PARTITIONS = ("aws", "aws-cn", "aws-us-gov")


@dataclass(frozen=True)
class Arn:
    partition: str
    service: str
    region: str
    account: str
    resource: str


def parse_arn(text: str) -> Arn | None:
    """`arn:<partition>:<service>:<region>:<account>:<resource>`; None when it is not one."""
    parts = text.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        return None
    return Arn(*parts[1:])


def partition_of_region(region: object) -> str | None:
    """The partition a region name belongs to; None when the region is not known."""
    if not isinstance(region, str):
        return None
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"
