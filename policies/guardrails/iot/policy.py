"""AWS IoT Core policies, the permissions attached to device certificates: judged on their document, as IoT Device
Defender's audit judges them (IOT_POLICY_OVERLY_PERMISSIVE_CHECK): a device's data-plane actions on every client id,
topic, topic filter or thing, rather than its own."""
from __future__ import annotations

import re
from typing import Any, Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, as_list, iam_like, is_map, peek
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


def _bound(resource: str) -> str:
    """The Resource with its policy variables as a device fills them: `${iot:ClientId}` is whatever client id the
    device sends (any: `*`), every other one (the thing's name, the certificate's id) the device's own."""
    return _VARIABLE.sub(lambda m: "*" if m.group(1).strip().lower() == "iot:clientid" else "the-own-device", resource)


def _every(resource: Any, kind: str) -> bool:
    """Whether a Resource entry takes every resource of the kind: two unrelated names, in its own region and account
    where it names them (a subscription's `#` filter, literal in a policy, is every topic too)."""
    if not isinstance(resource, str):
        return False
    pattern = _bound(resource)
    parts = (pattern.split(":", 5) + [""] * 6)[:6]
    region, account = (part if part and "*" not in part and "?" not in part else default
                       for part, default in ((parts[3], "us-east-1"), (parts[4], "123456789012")))
    arns = [f"arn:aws:iot:{region}:{account}:{kind}/{name}" for name in _PROBES]
    if kind == "topicfilter" and iam_like(f"arn:aws:iot:{region}:{account}:topicfilter/#", pattern):
        return True
    return all(iam_like(arn, pattern) for arn in arns)


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
    any client id the device sends, a thing's name or certificate's id its own); a statement whose Condition may tie it
    to one device (any key but those reading no resource, such as aws:SecureTransport) or that has NotResource, and
    unknown documents, are not judged"""
    document = peek(args.props, "policy")
    if document is UNKNOWN:
        return
    for statement in statements(document, f"IoT policy {args.name}"):
        raw = statement.raw
        if statement.effect != "Allow" or not is_map(raw) or "NotResource" in raw or _narrowed(statement):
            continue
        resources = as_list(raw.get("Resource"))
        broad = [action for action, kind in _DEVICE_ACTIONS.items()
                 if statement.covers_action(action) and any(_every(r, kind) for r in resources)]
        if broad:
            kinds = list(dict.fromkeys(_KIND_NAMES[_DEVICE_ACTIONS[action]] for action in broad))
            every = " and ".join(filter(None, [", ".join(kinds[:-1]), kinds[-1]]))
            actions = (", ".join(broad) if len(broad) <= 4
                       else f"{', '.join(broad[:3])} and {len(broad) - 3} more device actions")
            yield (f"{statement.label} allows {actions} on every {every}: a device holding any certificate "
                   "it is attached to may act as every other; scope the resources with policy variables such as "
                   "${iot:Connection.Thing.ThingName} (not ${iot:ClientId}, which the device chooses)")
