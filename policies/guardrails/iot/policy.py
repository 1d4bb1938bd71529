"""AWS IoT Core policies, the permissions attached to device certificates: judged on their document, as IoT Device
Defender's audit judges them (IOT_POLICY_OVERLY_PERMISSIVE_CHECK): a device's data-plane actions on every client id,
topic, topic filter or thing, rather than its own."""
from __future__ import annotations

import re
from typing import Any, Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, as_list, iam_like, is_map, peek, peek_items
from ..core.registry import resource_policy
from ..iam.documents import statements
from . import POLICY

# The data-plane actions a device takes, and the kind of resource each names (AWS IoT Core's policy actions): its
# connection, its messages (retained ones too), its subscriptions, its shadows and its jobs.
_DEVICE_ACTIONS = {
    "iot:Connect": "client", "iot:Publish": "topic", "iot:Receive": "topic", "iot:RetainPublish": "topic",
    "iot:GetRetainedMessage": "topic", "iot:Subscribe": "topicfilter", "iot:GetThingShadow": "thing",
    "iot:UpdateThingShadow": "thing", "iot:DeleteThingShadow": "thing", "iot:DescribeJobExecution": "thing",
    "iot:GetPendingJobExecutions": "thing", "iot:StartNextPendingJobExecution": "thing",
    "iot:UpdateJobExecution": "thing"}
_KIND_NAMES = {"client": "client id", "topic": "topic", "topicfilter": "topic filter", "thing": "thing"}
_VARIABLE = re.compile(r"\$\{([^}]*)\}")
# Two names no scoped pattern takes both of, one of them several levels deep.
_PROBES = ("zq9-probe-device", "other-fleet/x7/deep")


# What `_bound` fills a policy variable naming the device's own with (its thing's name, its certificate's id).
_OWN = "the-own-device"


# A client ARN whose whole name is the client id the device connects with: whichever that is.
_ITS_OWN_CLIENT = re.compile(r":client/\$\{\s*iot:clientid\s*\}$", re.I)


def _bound(resource: str, *, excluded: bool = False) -> str:
    """The Resource with its policy variables as a device fills them: `${iot:ClientId}` is whatever client id the
    device sends (any: `*`), every other one (the thing's name, the certificate's id) the device's own. In a
    NotResource entry (`excluded`) `${iot:ClientId}` too is the device's own: an exclusion takes out only the one
    value the device fills in, never every name, so `*` would hide what the statement grants (the device may still
    publish to every topic but its own). But `client/${iot:ClientId}` excludes the very client id a device connects
    as, whichever it is: every one (`*`)."""
    if excluded and _ITS_OWN_CLIENT.search(resource):
        resource = _ITS_OWN_CLIENT.sub(":client/*", resource)

    def fill(variable: re.Match) -> str:
        return "*" if variable.group(1).strip().lower() == "iot:clientid" and not excluded else _OWN
    return _VARIABLE.sub(fill, resource)


def _taken(resource: Any, kind: str, *, excluded: bool = False) -> tuple[bool, ...]:
    """Which probe ARNs of the kind a Resource (or, `excluded`, NotResource) entry takes, its variables filled by
    `_bound`: one per `_PROBES` name, then for a topic filter `#` (literal in a policy: every topic); each in the
    entry's own region and account where it names them. In an exclusion a variable there is the device's own, which
    need not be the policy's region or account: another one is probed."""
    if not isinstance(resource, str):
        return ()
    pattern = _bound(resource, excluded=excluded)
    parts = (pattern.split(":", 5) + [""] * 6)[:6]
    region, account = (part if part and not any(c in part for c in "*?") and not (excluded and _OWN in part)
                       else default for part, default in ((parts[3], "us-east-1"), (parts[4], "123456789012")))
    names = [*_PROBES, *(["#"] if kind == "topicfilter" else [])]
    return tuple(iam_like(f"arn:aws:iot:{region}:{account}:{kind}/{name}", pattern) for name in names)


def _every(taken: tuple[bool, ...]) -> bool:
    """Whether the probes a statement grants (`_taken` by a Resource entry, or left out by every NotResource one) are
    every resource of the kind: both unrelated names, or a subscription's `#` filter."""
    return bool(taken) and (all(taken[:len(_PROBES)]) or any(taken[len(_PROBES):]))


def _every_but(excluded: list[str], kind: str) -> bool:
    """Whether an Allow with these NotResource entries takes every resource of the kind: AWS grants every resource
    but those listed (IAM's "NotResource" element), so it does unless one entry leaves out every resource of the
    kind (`client/*`, `*`). Entries that each leave out some names (`client/zq9*`, `client/o*`) still grant nearly
    every other, whichever probes they happen to take."""
    return not any(all(_taken(entry, kind, excluded=True)) for entry in excluded)


def _takes_every(raw: Any, kind: str) -> bool:
    """Whether a statement's Resource entries (or its NotResource list) take every resource of the kind."""
    if "NotResource" in raw:
        return _every_but(peek_items(raw, "NotResource"), kind)
    return any(_every(_taken(resource, kind)) for resource in as_list(raw.get("Resource")))


def _narrowed(statement: Any) -> bool:
    """Whether a statement's Condition may tie it to one device (a thing attribute, `iot:Connection.Thing.*`): any
    key but those that read no resource (aws:SecureTransport, aws:SourceIp, ...), which narrow nothing."""
    return statement.conditional and not statement.resource_blind


@resource_policy(
    "iot-policy-not-overly-permissive", POLICY,
    description="AWS IoT policies must not let a device connect as any client id, or use every topic, topic filter "
                "or thing's shadows and jobs: one stolen device certificate would then act as every device and read "
                "or command them all.",
    severity=Severity.HIGH,
    anchors=("IoT Device Defender audit IOT_POLICY_OVERLY_PERMISSIVE_CHECK",),
)
def not_overly_permissive(args: ResourceValidationArgs) -> Iterator[str]:
    """no Allow statement of the policy document takes a device's data-plane actions (iot:Connect; iot:Publish,
    Receive, RetainPublish, GetRetainedMessage; iot:Subscribe; the thing shadow and job execution actions; or a
    wildcard of them, `iot:*`) on every client id, topic, topic filter (`#` too) or thing: `*`, `.../client/*`, or any
    pattern that takes two unrelated names, policy variables filled in as a device fills them (`${iot:ClientId}` is
    any client id the device sends, a thing's name or certificate's id its own); nor has a NotResource (every resource
    but those listed) that has no entry leaving out every name of the kind (`client/*`, `*`), a policy variable there
    excluding only the device's own value (`${iot:ClientId}` too, but as a client's whole name: every client id); a
    statement whose Condition may tie it to one device (any key but those reading no resource, such as
    aws:SecureTransport), and unknown documents, are not judged; an unknown NotResource entry cannot be"""
    document = peek(args.props, "policy")
    if document is UNKNOWN:
        return
    undecided, found = [], False
    for statement in statements(document, f"IoT policy {args.name}"):
        raw = statement.raw
        if statement.effect != "Allow" or not is_map(raw) or _narrowed(statement):
            continue
        # Only a known list of patterns is judged: a NotResource entry unknown until the update may leave out anything.
        excluded = peek_items(raw, "NotResource") if "NotResource" in raw else None
        if excluded is not None and UNKNOWN in excluded:
            undecided.append(raw)
            continue
        if excluded is not None and not (excluded and all(isinstance(entry, str) for entry in excluded)):
            continue
        broad = [action for action, kind in _DEVICE_ACTIONS.items()
                 if statement.covers_action(action) and _takes_every(raw, kind)]
        if broad:
            found = True
            kinds = list(dict.fromkeys(_KIND_NAMES[_DEVICE_ACTIONS[action]] for action in broad))
            every = " and ".join(filter(None, [", ".join(kinds[:-1]), kinds[-1]]))
            but = " but those it lists (NotResource)" if "NotResource" in raw else ""
            actions = (", ".join(broad) if len(broad) <= 4
                       else f"{', '.join(broad[:3])} and {len(broad) - 3} more device actions")
            yield (f"{statement.label} allows {actions} on every {every}{but}: a device holding any certificate "
                   "it is attached to may act as every other; scope the resources with policy variables such as "
                   "${iot:Connection.Thing.ThingName} (not ${iot:ClientId}, which the device chooses)")
    if undecided and not found:
        list(as_list(undecided[0].get("NotResource")))  # reads the unknown: the check could not run
