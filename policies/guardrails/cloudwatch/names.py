"""Names CloudWatch and EventBridge create *or update* by: alarms, dashboards, rules. Two resources given one name
do not fail: the second write overwrites the first, and each later update of either undoes the other."""
from __future__ import annotations

import json
from collections import defaultdict
from typing import Any, Iterator, NamedTuple, Optional

from pulumi_policy import Severity, StackValidationArgs

from ..core.props import UNKNOWN, arn_account, as_list, dig, is_map, json_object, peek
from ..core.registry import stack_policy
from ..core.stack import of_type, region_of

class _Upserted(NamedTuple):
    prop: str  # the prop naming it
    call: str  # AWS's call that creates or updates by that name
    noun: str  # what the name is: metric and composite alarms share their names
    scope: str  # where the name is one: "region", "account" (dashboards), "bus" (a rule's event bus, in a region)


UPSERTED_BY_NAME = {
    "aws:cloudwatch/metricAlarm:MetricAlarm": _Upserted("name", "PutMetricAlarm", "alarm", "region"),
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": _Upserted("alarmName", "PutCompositeAlarm", "alarm", "region"),
    # "All dashboards in your account are global" (PutDashboard).
    "aws:cloudwatch/dashboard:Dashboard": _Upserted("dashboardName", "PutDashboard", "dashboard", "account"),
    "aws:cloudwatch/eventRule:EventRule": _Upserted("name", "PutRule", "rule", "bus"),
}
_IN_SCOPE = {"region": "in its region", "account": "in the account", "bus": "on its event bus"}


# An explicit provider's settings that sign it in with credentials of its own (pulumi-aws's Provider, whose inputs
# are terraform-provider-aws's provider block): static keys, shared credentials or config files, web identity. Each may
# be another account's; Pulumi's multiple-providers docs switch accounts with `profile`.
_CREDENTIALS = ("accessKey", "secretKey", "token", "sharedCredentialsFiles", "sharedConfigFiles",
                "assumeRoleWithWebIdentity")
# The provider inputs that are lists or objects: they reach the analyzer as JSON text (the SDK's `to_json`).
_STRUCTURED = ("allowedAccountIds", "assumeRoles", "assumeRoleWithWebIdentity", "sharedCredentialsFiles",
               "sharedConfigFiles")


def _setting(provider: Any, key: str) -> Any:
    """An explicit provider's input, JSON text decoded for a list or object; UNKNOWN when unknown."""
    value = peek(provider.props, key)
    return json_object(value) if key in _STRUCTURED and value is not UNKNOWN else value


def _role_account(role: Any) -> Optional[str]:
    """The account of a role block's known ARN (`roleArn`, or `role_arn` as a plain dict is written)."""
    return arn_account((dig(role, "roleArn") or dig(role, "role_arn")) if is_map(role) else None)


def _account(provider: Any) -> Any:
    """Which account a resource is written in, as far as the stack tells. For an explicit provider: its
    `allowedAccountIds` when they name exactly one (the provider refuses any other); else the last role it assumes
    (`assumeRoles`, then `assumeRoleWithWebIdentity`), that role's account or, when its ARN does not tell, the
    provider itself; else, with static keys, the provider itself; else its `profile` (with the files it is read
    from: one profile name in other files is another); else the provider itself for any other credential
    setting. With none of these, and for no provider, the default credentials' account. UNKNOWN when a setting that
    decides is unknown."""
    if provider is None:
        return ("default account",)
    allowed = _setting(provider, "allowedAccountIds")
    if allowed is UNKNOWN:
        return UNKNOWN
    allowed = [a for a in as_list(allowed) if isinstance(a, str)]
    if len(allowed) == 1:
        return ("account", allowed[0])
    itself = ("provider", provider.name)
    for key in ("assumeRoles", "assumeRoleWithWebIdentity"):
        roles = _setting(provider, key)
        if roles is UNKNOWN:
            return UNKNOWN
        if roles:  # roles are assumed in turn: the last one's account is where it writes
            account = _role_account(as_list(roles)[-1])
            return ("account", account) if account else itself
    settings = {key: _setting(provider, key) for key in ("profile", *_CREDENTIALS)}
    if UNKNOWN in settings.values():
        return UNKNOWN
    if settings["accessKey"]:
        return itself
    if settings["profile"]:
        files = tuple(json.dumps(settings[k], sort_keys=True) for k in ("sharedCredentialsFiles", "sharedConfigFiles"))
        return ("profile", settings["profile"], files)
    return itself if any(settings[key] for key in _CREDENTIALS) else ("default account",)


def _namespace(resource: Any) -> Optional[tuple]:
    """The namespace and name the resource is written under, or None where either is unknown (or it is
    auto-named, which the provider makes unique)."""
    upserted = UPSERTED_BY_NAME[resource.resource_type]
    name = peek(resource.props, upserted.prop)
    account = _account(getattr(resource, "provider", None))
    region = "everywhere" if upserted.scope == "account" else region_of(resource)
    bus = peek(resource.props, "eventBusName") if upserted.scope == "bus" else None
    if not isinstance(name, str) or not name or UNKNOWN in (account, region, bus):
        return None
    # A bus is named by its name or its ARN (...:event-bus/<name>).
    bus = str(bus).rsplit("event-bus/", 1)[-1] if bus else "default"
    return upserted.noun, (account, region), bus, name


@stack_policy(
    "cloudwatch-names-unique", tuple(UPSERTED_BY_NAME),
    description="Two CloudWatch alarms or EventBridge rules in one account and region, or two dashboards in one "
                "account, must not have one name: AWS creates or updates them by name, so the second silently "
                "overwrites the first.",
    severity=Severity.HIGH,
    anchors=(),
    anchor_note="PutMetricAlarm, PutCompositeAlarm, PutDashboard and PutRule, each of which creates or updates",
)
def names_unique(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """no two metric or composite alarms, or EventBridge rules (on one event bus), share a known name in one account
    and region, and no two dashboards in one account (they are region-less). The account is an explicit provider's
    one `allowedAccountIds`, else the last role it assumes, else its `profile`, else that provider when it has
    credentials of its own (static keys, shared files, web identity), else the default provider's; the region a
    resource's `region`, else its explicit provider's. Every member of such a group is reported, so a name unknown
    until the update only leaves one out; unknown names, accounts and regions are skipped, and auto-named resources
    never collide"""
    groups: dict[tuple, list] = defaultdict(list)
    for resource in of_type(args.resources, *UPSERTED_BY_NAME):
        key = _namespace(resource)
        if key is not None:
            groups[key].append(resource)
    for (noun, _, _, name), members in groups.items():
        if len(members) < 2:
            continue
        for resource in members:
            upserted = UPSERTED_BY_NAME[resource.resource_type]
            message = (f"{name!r} names another {noun} {_IN_SCOPE[upserted.scope]} too: {upserted.call} creates or "
                       "updates by name, so they overwrite each other at every update; give each its own name")
            yield message, resource.urn
