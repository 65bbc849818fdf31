"""Many accounts × regions read into one `LiveView`, concurrently with a bound.

`--role-arn` assumes a role first; `--org-role NAME` lists the accounts of the AWS
Organization and assumes NAME in each other account (the caller's own account is read with
the caller's credentials). An account that cannot be entered is a LIVE006 finding on it, not
the end of the run; credentials that do not work at all are a `LiveError` (exit 2).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Callable

from tf_apigw_lint.live.build import Scope, read_account_region
from tf_apigw_lint.live.configuration import LiveConfiguration, LiveView, address
from tf_apigw_lint.live.reader import CallFailed, LiveError, Session
from tf_apigw_lint.view.protocol import Diagnostic

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ScanOptions:
    regions: tuple[str, ...] = ()
    all_regions: bool = False
    role_arn: str | None = None
    org_role: str | None = None
    scope: Scope = field(default_factory=Scope)
    # Account regions read at once; each reads up to `api_workers` APIs' stages at once.
    jobs: int = 4
    api_workers: int = 4


@dataclass(frozen=True)
class _Target:
    account: str
    session: Session
    role: str | None


def scan(session: Session, options: ScanOptions, progress: Progress | None = None) -> LiveView:
    identity = session.identity()
    if options.role_arn:
        try:
            session = session.assume_role(options.role_arn)
            identity = session.identity()
        except (CallFailed, LiveError) as failure:
            raise LiveError(f"--role-arn {options.role_arn}: {failure}") from None
    view = LiveView()
    targets = [_Target(identity.account, session, options.role_arn)]
    if options.org_role:
        targets = _organization_targets(session, identity.account, identity.arn, options, view)
    regions = list(options.regions) or [session.home_region]
    if options.all_regions:
        regions = session.enabled_regions()
    work = [(target, region) for target in targets for region in regions]
    done = 0
    if progress:
        progress(done, len(work))
    with ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
        futures = {
            pool.submit(
                read_account_region,
                target.session.reader(region),
                target.account,
                options.scope,
                target.role,
                options.api_workers,
            ): index
            for index, (target, region) in enumerate(work)
        }
        results: dict[int, LiveConfiguration] = {}
        for future in as_completed(futures):
            results[futures[future]] = future.result()
            done += 1
            if progress:
                progress(done, len(work))
    view.configurations.extend(results[index] for index in range(len(work)))
    return view


def _organization_targets(session: Session, own_account: str, own_arn: str, options: ScanOptions, view: LiveView) -> list[_Target]:
    try:
        accounts = session.list_accounts()
    except CallFailed as failure:
        raise LiveError(f"--org-role {options.org_role}: {failure}") from None
    partition = own_arn.split(":")[1] if own_arn.count(":") >= 5 else "aws"
    targets: list[_Target] = []

    def enter(account_id: str) -> _Target | None:
        if account_id == own_account:
            return _Target(account_id, session, options.role_arn)
        role_arn = f"arn:{partition}:iam::{account_id}:role/{options.org_role}"
        try:
            return _Target(account_id, session.assume_role(role_arn), role_arn)
        except (CallFailed, LiveError) as failure:
            view.scan_diagnostics.append(
                Diagnostic("LIVE006", f"cannot enter account {account_id}: {failure}; not checked: the whole account", None, address(account_id, "global", "account"))
            )
            return None

    with ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
        for target in pool.map(enter, [account["Id"] for account in accounts]):
            if target is not None:
                targets.append(target)
    return targets
