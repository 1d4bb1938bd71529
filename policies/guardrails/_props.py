"""Helpers for reading engine-shaped props (camelCase wire names, unknown-checking proxy).

The analyzer hands policies the resource inputs after the provider's check, wrapped in
`pulumi_policy.proxy.unknown_checking_proxy`: dicts become read-only `Mapping`s and lists become
`Sequence`s (not `dict`/`list`), and reading a value that is unknown during preview raises
`UnknownValueError`. The analyzer turns that into an advisory "can't run during preview" note, so
these helpers let it propagate: an unknown value must never turn into a violation.
"""
from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, Callable, Iterable, Iterator, Optional

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

# --------------------------------------------------------------------------------------------------
# Reading props
# --------------------------------------------------------------------------------------------------


def is_map(value: Any) -> bool:
    return isinstance(value, Mapping)


def is_seq(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes))


def dig(value: Any, *path: str | int) -> Any:
    """Walk nested maps/sequences (plain or proxied); return None where a step is missing."""
    for step in path:
        if value is None:
            return None
        if isinstance(step, int):
            if not is_seq(value) or not -len(value) <= step < len(value):
                return None
            value = value[step]
        elif is_map(value):
            value = value.get(step)
        else:
            return None
    return value


def as_list(value: Any) -> list:
    """A wire list as a Python list ([] when absent). A lone object counts as a one-item list."""
    if value is None:
        return []
    if is_seq(value):
        return list(value)
    return [value]


def is_true(value: Any) -> bool:
    """True for a wire boolean true (mocks and the engine may also hand over "true")."""
    return value is True or (isinstance(value, str) and value.lower() == "true")


def is_false(value: Any) -> bool:
    return value is False or (isinstance(value, str) and value.lower() == "false")


def has_text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def num(value: Any) -> Any:
    """A wire number for messages: protobuf turns every number into a float (8080.0 -> 8080)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def json_object(value: Any) -> Any:
    """Decode a JSON string (e.g. provider config blocks); maps pass through; None when undecodable."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


def is_set(block: Any, key: str) -> bool:
    """Whether `block[key]` holds a value, counting a value unknown during preview as set.

    Presence is known even when the value is not (e.g. `destinationArn = log_group.arn` on a first
    preview), so a presence check must not turn an unknown into "missing". Keys are read by iterating
    the proxy, which does not touch values.
    """
    if not is_map(block) or key not in list(iter(block)):
        return False
    try:
        value = block[key]
    except UnknownValueError:
        return True
    return value is not None and value != "" and value != [] and value != {}


def is_present(block: Any, key: str) -> bool:
    """Whether `block` has `key` at all (an empty `{}` block counts), reading no value but that one."""
    if not is_map(block) or key not in list(iter(block)):
        return False
    try:
        return block[key] is not None
    except UnknownValueError:
        return True


def has_any(block: Any, *keys: str) -> bool:
    return any(is_set(block, k) for k in keys)


def unless_unknown(read: Callable[..., Any], *args: Any) -> Any:
    """`read(*args)`, or None when it touches a value unknown during preview ("can't tell yet").

    For per-resource work inside stack policies, so one unknown skips that resource instead of the
    whole stack check. Never treat the None as a violation.
    """
    try:
        return read(*args)
    except UnknownValueError:
        return None


# --------------------------------------------------------------------------------------------------
# Policy configuration
# --------------------------------------------------------------------------------------------------


def config_value(args: Any, key: str, default: Any) -> Any:
    """A per-policy config knob, or its default when the stack's policy config leaves it out."""
    value = args.get_config().get(key)
    return default if value is None else value


def config_list(args: Any, key: str, default: Iterable[Any]) -> list:
    return list(config_value(args, key, list(default)))


def string_list_schema(description: str, default: Iterable[str]) -> dict:
    return {"type": "array", "items": {"type": "string"}, "description": description, "default": list(default)}


# --------------------------------------------------------------------------------------------------
# Building policies
# --------------------------------------------------------------------------------------------------

Check = Callable[[ResourceValidationArgs], Iterable[str]]


def _type_tuple(resource_types: str | Iterable[str] | None) -> tuple[str, ...]:
    if resource_types is None:
        return ()
    return (resource_types,) if isinstance(resource_types, str) else tuple(resource_types)


StackCheck = Callable[[StackValidationArgs], Iterable[tuple[str, Optional[str]]]]


def stack_policy(
    name: str,
    description: str,
    resource_types: str | Iterable[str],
    check: StackCheck,
    *,
    enforcement_level: EnforcementLevel = EnforcementLevel.MANDATORY,
    severity: Severity = Severity.HIGH,
    config_schema: Optional[PolicyConfigSchema] = None,
    remediation_steps: Optional[str] = None,
) -> StackValidationPolicy:
    """A StackValidationPolicy; `check(args)` yields (message, urn of the offending resource).

    `resource_types` names the types it reports on (documentation and tests read `policy.resource_types`).
    """

    def validate(args: StackValidationArgs, report: ReportViolation) -> None:
        for message, urn in check(args):
            report(message, urn)

    policy = StackValidationPolicy(
        name=name,
        description=description,
        validate=validate,
        enforcement_level=enforcement_level,
        severity=severity,
        config_schema=config_schema,
        remediation_steps=remediation_steps,
    )
    policy.resource_types = _type_tuple(resource_types)
    return policy


def resource_policy(
    name: str,
    description: str,
    resource_types: str | Iterable[str] | None,
    check: Check,
    *,
    enforcement_level: EnforcementLevel = EnforcementLevel.MANDATORY,
    severity: Severity = Severity.HIGH,
    config_schema: Optional[PolicyConfigSchema] = None,
    remediation_steps: Optional[str] = None,
) -> ResourceValidationPolicy:
    """A ResourceValidationPolicy that runs `check` on the given resource types.

    `check(args)` yields one message per problem; each becomes a violation. Other resource types are
    reported as not applicable, the way the engine expects. `resource_types=None` means every type
    (the check then calls `args.not_applicable()` itself where it does not apply).
    """
    types = frozenset(_type_tuple(resource_types))

    def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
        if types and args.resource_type not in types:
            args.not_applicable(f"applies to {', '.join(sorted(types))}")
        for message in check(args):
            report(message)

    policy = ResourceValidationPolicy(
        name=name,
        description=description,
        validate=validate,
        enforcement_level=enforcement_level,
        severity=severity,
        config_schema=config_schema,
        remediation_steps=remediation_steps,
    )
    policy.resource_types = tuple(sorted(types))  # () means every type
    return policy


# --------------------------------------------------------------------------------------------------
# ECS container definitions (a JSON *string* on the wire)
# --------------------------------------------------------------------------------------------------


class Container:
    """One entry of an ECS task definition's containerDefinitions, with a readable label."""

    def __init__(self, index: int, raw: Mapping[str, Any]):
        self.index = index
        self.raw = raw

    def get(self, key: str, default: Any = None) -> Any:
        value = self.raw.get(key)
        return default if value is None else value

    @property
    def name(self) -> Optional[str]:
        return self.raw.get("name")

    @property
    def label(self) -> str:
        return f"container '{self.name}'" if self.name else f"containerDefinitions[{self.index}]"

    @property
    def essential(self) -> bool:
        # ECS treats a container without `essential` as essential.
        return not is_false(self.raw.get("essential"))

    def env(self) -> dict[str, Any]:
        """The container's `environment` as {name: value}."""
        return {e.get("name"): e.get("value") for e in as_list(self.raw.get("environment")) if is_map(e)}


def containers(props: Mapping[str, Any]) -> list[Container]:
    """Parse `containerDefinitions`. Reading an unknown string raises (preview), as it should.

    Undecodable JSON yields no containers: the provider rejects it anyway, and guessing would be worse.
    """
    raw = props.get("containerDefinitions")
    if raw is None:
        return []
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return []
    return [Container(i, c) for i, c in enumerate(as_list(raw)) if is_map(c)]


def each_container(args: ResourceValidationArgs) -> Iterator[Container]:
    yield from containers(args.props)


# --------------------------------------------------------------------------------------------------
# App Mesh TLS blocks, shared by virtual nodes and virtual gateways
# --------------------------------------------------------------------------------------------------


def listener_tls_problems(tls: Any, where: str) -> list[str]:
    """Server side of mTLS: mode STRICT, a certificate, and validation.trust for client certs."""
    if not is_map(tls):
        return [f"{where} has no tls block; set tls.mode = STRICT with a certificate and validation.trust"]
    problems = []
    mode = tls.get("mode")
    if mode != "STRICT":
        problems.append(f"{where} tls.mode is {mode or 'unset'}; it must be STRICT")
    if not has_any(tls.get("certificate"), "acm", "file", "sds"):
        problems.append(f"{where} tls has no certificate (acm, file or sds)")
    if not has_any(dig(tls, "validation", "trust"), "acm", "file", "sds"):
        problems.append(f"{where} tls has no validation.trust, so client certificates are not required (no mutual TLS)")
    return problems


def client_tls_problems(client_policy: Any, where: str) -> list[str]:
    """Client side of mTLS: clientPolicy.tls enforced, with a client certificate and validation.trust.

    `enforce` defaults to true in App Mesh (and in the provider's schema), so only an explicit false
    is a violation: the engine fills the default in, mocks do not.
    """
    tls = dig(client_policy, "tls")
    if not is_map(tls):
        return [f"{where} has no clientPolicy.tls; set enforce = true with a certificate and validation.trust"]
    problems = []
    if is_false(tls.get("enforce")):
        problems.append(f"{where} clientPolicy.tls.enforce is false")
    if not has_any(tls.get("certificate"), "file", "sds"):
        problems.append(f"{where} clientPolicy.tls has no client certificate (file or sds), so it cannot do mutual TLS")
    if not has_any(dig(tls, "validation", "trust"), "acm", "file", "sds"):
        problems.append(f"{where} clientPolicy.tls has no validation.trust")
    return problems


def listener_label(listener: Any, index: int) -> str:
    protocol = dig(listener, "portMapping", "protocol")
    port = dig(listener, "portMapping", "port")
    if protocol is None and port is None:
        return f"listener[{index}]"
    return f"listener[{index}] ({protocol}:{num(port)})"


def has_access_log_path(spec: Any) -> bool:
    return is_set(dig(spec, "logging", "accessLog", "file"), "path")


# --------------------------------------------------------------------------------------------------
# Stack policies: linking resources without relying on ARNs or IDs (unknown during preview)
# --------------------------------------------------------------------------------------------------


def of_type(resources: Iterable[Any], resource_type: str) -> list:
    return [r for r in resources if r.resource_type == resource_type]


def linked(resource: Any) -> list:
    """Every resource `resource` points at: parent, dependencies and property dependencies."""
    found = [resource.parent] if resource.parent is not None else []
    found += resource.dependencies
    found += [d for deps in resource.property_dependencies.values() for d in deps]
    return found


def linked_of_type(resource: Any, resource_type: str) -> set[str]:
    """URNs of the resources of `resource_type` that `resource` points at."""
    return {r.urn for r in linked(resource) if r.resource_type == resource_type}


def prop(resource: Any, *path: str | int) -> Any:
    """A stack resource's prop, or None when missing or unknown during preview (for matching only)."""
    return unless_unknown(dig, resource.props, *path)


UNKNOWN = object()
"""What `peek` returns for a value unknown during preview (None means missing)."""


def peek(value: Any, *path: str | int) -> Any:
    """`dig`, but UNKNOWN instead of raising when the value is unknown during preview."""
    try:
        return dig(value, *path)
    except UnknownValueError:
        return UNKNOWN


def covering(candidates: Iterable[Any], target: Any, matches: Callable[[Any, Any], Optional[bool]]):
    """The candidates that point at `target`, and whether any other might (it depends on an unknown).

    `matches(candidate, target)` answers True, False or None ("can't tell during preview"). A stack
    policy reports a missing link only when nothing might provide it.
    """
    found, maybe = [], False
    for candidate in candidates:
        answer = matches(candidate, target)
        if answer:
            found.append(candidate)
        elif answer is None:
            maybe = True
    return found, maybe


def links_to(resource: Any, target: Any, prop_name: Optional[str] = None) -> bool:
    """Whether `resource` depends on `target`: through `prop_name`'s property dependencies when given,
    else through any dependency, property dependency or parent link."""
    if prop_name is not None:
        return any(d.urn == target.urn for d in resource.property_dependencies.get(prop_name, []))
    return any(d.urn == target.urn for d in linked(resource))


def same_value(a: Any, b: Any) -> bool:
    """Both known and equal (unknowns never match by value)."""
    return a is not None and b is not None and a == b


def in_domain(hostname: str, suffixes: Iterable[str]) -> bool:
    """Whether `hostname` is one of the DNS suffixes or below one (case-insensitive)."""
    host = hostname.lower().rstrip(".")
    return any(host == s.lower().strip(".") or host.endswith("." + s.lower().strip(".")) for s in suffixes)


def glob_match(value: str, patterns: Iterable[str]) -> bool:
    """Case-insensitive match against exact names or `*.example.com`-style wildcards."""
    value = value.lower().rstrip(".")
    for pattern in patterns:
        regex = re.escape(pattern.lower().rstrip(".")).replace(r"\*", "[^.]+")
        if re.fullmatch(regex, value):
            return True
    return False
