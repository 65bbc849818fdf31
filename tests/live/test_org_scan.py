"""Many accounts × regions: the Organization walk, a denied account, all regions, the bound
on concurrency; over a fake session (moto covers the real HTTP paths in test_live_command)."""

from __future__ import annotations

from live_state import ACCOUNT, REGION, FakeSession

from tf_apigw_lint.live.scan import ScanOptions, scan


def _states(accounts, regions=(REGION,)):
    return {
        account: {region: {"account": {"cloudwatchRoleArn": f"arn:aws:iam::{account}:role/deleted"}} for region in regions}
        for account in accounts
    }


def facts(view):
    return sorted((d.rule_id, d.address) for d in view.diagnostics)


def test_a_denied_account_is_not_readable_and_the_others_are_read():
    session = FakeSession(_states([ACCOUNT, "111111111111", "222222222222"]), denied_accounts={"111111111111"})
    view = scan(session, ScanOptions(org_role="Audit"))
    assert [c.name for c in view.configurations] == [f"{ACCOUNT}/{REGION}", f"222222222222/{REGION}"]
    assert facts(view) == [
        ("LIVE001", f"aws:{ACCOUNT}:{REGION}:account"),
        ("LIVE001", f"aws:222222222222:{REGION}:account"),
        ("LIVE006", "aws:111111111111:global:account"),
    ]
    [denied] = [d for d in view.diagnostics if d.rule_id == "LIVE006"]
    assert denied.message == (
        "cannot enter account 111111111111: AssumeRole failed: AccessDenied: not authorized to assume "
        "arn:aws:iam::111111111111:role/Audit; not checked: the whole account"
    )


def test_all_regions_reads_every_enabled_region():
    regions = ("eu-west-1", "us-east-1", "us-west-2")
    view = scan(FakeSession(_states([ACCOUNT], regions), regions=regions), ScanOptions(all_regions=True))
    assert [c.region for c in view.configurations] == list(regions)


def test_accounts_times_regions_are_read_with_a_bound():
    accounts = [f"{n:012d}" for n in range(1, 7)]
    regions = ("eu-west-1", "us-east-1")
    session = FakeSession(_states(accounts, regions), account=accounts[0], regions=regions)
    view = scan(session, ScanOptions(org_role="Audit", all_regions=True, jobs=3))
    assert len(view.configurations) == 12
    assert 1 < session.concurrency.most <= 3
