"""AWS IoT Core policies, the permissions attached to device certificates: judged on their document, as IoT Device
Defender's audit judges them (IOT_POLICY_OVERLY_PERMISSIVE_CHECK)."""
from __future__ import annotations

from typing import Any, Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, as_list, is_map, peek
from ..core.registry import resource_policy
from ..iam.documents import statements
from . import POLICY

# The data-plane actions a device takes, and the kind of resource each names (AWS IoT Core's policy actions).
_DEVICE_ACTIONS = {"iot:Connect": "client", "iot:Publish": "topic", "iot:Receive": "topic",
                   "iot:Subscribe": "topicfilter"}
_KIND_NAMES = {"client": "client id", "topic": "topic", "topicfilter": "topic filter"}


def _any_name(resource: Any, kind: str) -> bool:
    """Whether a Resource entry names every resource of the kind: `*`, or an ARN whose region, account or name is
    all `*` with no policy variable (`${iot:Connection.Thing.ThingName}` scopes a device to its own)."""
    if not isinstance(resource, str) or "${" in resource:
        return False
    if resource == "*":
        return True
    parts = resource.split(":", 5)
    return (len(parts) == 6 and parts[2] in ("iot", "*") and
            (parts[5] == "*" or parts[5] == f"{kind}/*"))


@resource_policy(
    "iot-policy-not-overly-permissive", POLICY,
    description="AWS IoT policies must not let a device connect as any client id, or publish, receive or subscribe "
                "to any topic: one stolen device certificate would then impersonate every device and read all "
                "their data.",
    severity=Severity.HIGH,
    anchors=("IoT Device Defender audit IOT_POLICY_OVERLY_PERMISSIVE_CHECK",),
)
def not_overly_permissive(args: ResourceValidationArgs) -> Iterator[str]:
    """no unconditional Allow statement of the policy document takes iot:Connect, iot:Publish, iot:Receive or
    iot:Subscribe (or a wildcard of them, `iot:*`) on `*` or on every client, topic or topic filter (`.../client/*`,
    `.../topic/*`) without a policy variable; statements with a Condition or NotResource, and unknown documents, are
    not judged"""
    document = peek(args.props, "policy")
    if document is UNKNOWN:
        return
    for statement in statements(document, f"IoT policy {args.name}"):
        raw = statement.raw
        if statement.effect != "Allow" or statement.conditional or not is_map(raw) or "NotResource" in raw:
            continue
        resources = as_list(raw.get("Resource"))
        if any(r is UNKNOWN for r in resources):
            continue
        broad = [action for action, kind in _DEVICE_ACTIONS.items()
                 if statement.covers_action(action) and any(_any_name(r, kind) for r in resources)]
        if broad:
            kinds = list(dict.fromkeys(_KIND_NAMES[_DEVICE_ACTIONS[action]] for action in broad))
            every = " and ".join(filter(None, [", ".join(kinds[:-1]), kinds[-1]]))
            yield (f"{statement.label} allows {', '.join(broad)} on every {every}: a device holding any certificate "
                   "it is attached to may act as every other; scope the resources with policy variables such as "
                   "${iot:Connection.Thing.ThingName}")
