"""Registering a policy: one decorator on its check carries the whole catalogue entry.

    @resource_policy(
        "ecs-taskdef-no-privileged", TASK_DEFINITION,
        description="ECS containers must not run privileged.",
        severity=Severity.CRITICAL,
        anchors=("Security Hub ECS.4", "Config ecs-containers-nonprivileged"),
    )
    def no_privileged(args):
        \"""no container sets `privileged: true`\"""   <- "what it checks" in docs/policies.md
        ...

The decorator builds the pulumi-policy object, records the entry and returns the check unchanged (so
one check may back two policies, e.g. REST and HTTP API stages). A policy whose types share nothing but
its purpose takes a check of the properties per type instead (`resource_policy_by_type`, as pulumi-policy's
TypeScript `validateResourceOfType`). `guardrails.ALL_POLICIES` is the list
of every registered policy; docs/policies.md is generated from `catalogue()` (policies/catalogue.py).
"""
from __future__ import annotations

import inspect
import sys
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Mapping, Optional, Union

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

from .props import UNKNOWN, named_by

Check = Callable[[ResourceValidationArgs], Iterable[str]]
PropsCheck = Callable[[Any], Iterable[str]]  # a check of one resource type's properties
StackCheck = Callable[[StackValidationArgs], Iterable[tuple[str, Optional[str]]]]
Types = Union[str, Iterable[str], None]

MANDATORY, ADVISORY = EnforcementLevel.MANDATORY, EnforcementLevel.ADVISORY


@dataclass(frozen=True)
class Entry:
    """One policy in the catalogue."""

    name: str
    description: str
    checks: str                      # what it checks, in one line (the check's docstring)
    resource_types: tuple[str, ...]  # () means every type
    stack: bool
    severity: Severity
    level: EnforcementLevel          # the policy's own level, used when no stack config overrides it
    anchors: tuple[str, ...]         # rule ids in other rule sets; () means none: ours
    anchor_note: str
    config: Mapping[str, dict]
    module: str                      # e.g. "ecs/task_definition"
    policy: Any = field(compare=False, repr=False)


_ENTRIES: dict[str, Entry] = {}


def catalogue() -> list[Entry]:
    """Every registered policy, in registration order (module by module)."""
    return list(_ENTRIES.values())


# --- config knobs -------------------------------------------------------------------------------------


# The config schema of the policy whose check is running: where a knob's one default is written.
_KNOBS: ContextVar[Mapping[str, dict]] = ContextVar("policy_knobs")


def config_value(args: Any, key: str) -> Any:
    """A per-policy config knob: the stack's policy config, else the default the policy's schema declares. The
    engine sends schema defaults with the config (so does the offline preview); this reads them for an engine that
    does not. A key the running policy does not declare is a KeyError, never a silent default."""
    value = args.get_config().get(key)
    return _KNOBS.get()[key]["default"] if value is None else value


def config_list(args: Any, key: str) -> list:
    return list(config_value(args, key))


def knob_names(args: Any, key: str, name: Any, resource_name: Optional[str] = None) -> bool:
    """Whether list knob `key` names the resource by `name` (its name prop, as `peek` reads it) or its resource name
    (`resource_name`, a resource policy's own by default; `named_by`); a name unknown until the update counts where
    the knob names any: it may be one it names."""
    patterns = config_list(args, key)
    if patterns and name is UNKNOWN:
        return True
    names = (name, resource_name or getattr(args, "name", None))
    return named_by([n for n in names if isinstance(n, str)], patterns)


@contextmanager
def _knobs(config: Optional[Mapping[str, dict]]) -> Iterator[None]:
    token = _KNOBS.set(config or {})
    try:
        yield
    finally:
        _KNOBS.reset(token)


def string_list(description: str, default: Iterable[str] = (), *, item: Optional[Mapping[str, Any]] = None,
                max_items: Optional[int] = None) -> dict:
    """The JSON schema of a list-of-strings knob; `item` adds constraints on each string."""
    schema = {"type": "array", "items": {"type": "string", **(item or {})}, "description": description,
              "default": list(default)}
    return schema if max_items is None else {**schema, "maxItems": max_items}


# --- decorators -----------------------------------------------------------------------------------------


def _types(resource_types: Types) -> tuple[str, ...]:
    if resource_types is None:
        return ()
    return (resource_types,) if isinstance(resource_types, str) else tuple(resource_types)


def _module(check: Callable) -> str:
    parts = check.__module__.split(".")
    return "/".join(parts[parts.index("guardrails") + 1:] if "guardrails" in parts else parts)


def _register(name: str, check: Callable, policy: Any, *, stack: bool, types: tuple[str, ...], description: str,
              severity: Severity, level: EnforcementLevel, anchors: Iterable[str], anchor_note: str,
              config: Optional[Mapping[str, dict]], checks: Optional[str]) -> None:
    if name in _ENTRIES:
        raise ValueError(f"policy {name} is registered twice ({_ENTRIES[name].module} and {_module(check)})")
    summary = checks or inspect.getdoc(check)
    # Under `python -OO` (PYTHONOPTIMIZE=2) there are no docstrings: the pack still runs (only the catalogue reads
    # this, and it refuses to run so).
    if not summary and not sys.flags.optimize >= 2:
        raise ValueError(f"policy {name}: say what it checks (a docstring on the check, or checks=...)")
    policy.resource_types = types  # tests and docs read it; () means every type
    _ENTRIES[name] = Entry(
        name=name, description=description, checks=" ".join((summary or "").split()), resource_types=types, stack=stack,
        severity=severity, level=level, anchors=tuple(anchors), anchor_note=anchor_note,
        config=dict(config or {}), module=_module(check), policy=policy)


def _schema(config: Optional[Mapping[str, dict]]) -> Optional[PolicyConfigSchema]:
    return PolicyConfigSchema(properties=dict(config)) if config else None


def resource_policy(name: str, resource_types: Types, *, description: str, severity: Severity,
                    anchors: Iterable[str] = (), anchor_note: str = "", level: EnforcementLevel = MANDATORY,
                    config: Optional[Mapping[str, dict]] = None, remediation: Optional[str] = None,
                    checks: Optional[str] = None) -> Callable[[Check], Check]:
    """Register `check(args)` as a ResourceValidationPolicy on `resource_types` (None: every type).

    The check yields one message per problem; each becomes a violation, so a message should name the exact
    container, listener or rule. Other resource types are reported as not applicable, as the engine expects
    (with `None`, the check calls `args.not_applicable()` itself where it does not apply).
    """
    types = _types(resource_types)
    wanted = frozenset(types)
    reason = f"applies to {', '.join(sorted(wanted))}" if wanted else None

    def not_applicable_to(resource_type: str) -> Optional[str]:
        """Why the policy does not apply to a resource of this type, or None if it may."""
        return None if reason is None or resource_type in wanted else reason

    def register(check: Check) -> Check:
        def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
            skipped = not_applicable_to(args.resource_type)
            if skipped is not None:
                args.not_applicable(skipped)
            with _knobs(config):
                for message in check(args):
                    report(message)

        policy = ResourceValidationPolicy(name=name, description=description, validate=validate,
                                          enforcement_level=level, severity=severity, config_schema=_schema(config),
                                          remediation_steps=remediation)
        # Read by an analyzer that can skip building a resource's arguments for a policy that does not apply
        # (the offline preview's); the engine's analyzer ignores it and `validate` says the same.
        policy.not_applicable_to = not_applicable_to
        _register(name, check, policy, stack=False, types=tuple(sorted(wanted)), description=description,
                  severity=severity, level=level, anchors=anchors, anchor_note=anchor_note, config=config,
                  checks=checks)
        return check

    return register


def resource_policy_by_type(name: str, by_type: Mapping[str, PropsCheck], *, checks: str, description: str,
                            severity: Severity, **options: Any) -> Check:
    """Register a resource policy whose types each have a check of their own, of the resource's properties:
    `by_type` maps each type to it, and `checks` says what they check together (for the catalogue). Returns the
    combined check, as `resource_policy` does."""

    def check(args: ResourceValidationArgs) -> Iterable[str]:
        return by_type[args.resource_type](args.props)

    # The catalogue files the policy under the module of its checks.
    check.__module__ = next(iter(by_type.values())).__module__
    return resource_policy(name, tuple(by_type), checks=checks, description=description, severity=severity,
                           **options)(check)


def stack_policy(name: str, reports_on: Types, *, description: str, severity: Severity,
                 anchors: Iterable[str] = (), anchor_note: str = "", level: EnforcementLevel = MANDATORY,
                 config: Optional[Mapping[str, dict]] = None, remediation: Optional[str] = None,
                 checks: Optional[str] = None) -> Callable[[StackCheck], StackCheck]:
    """Register `check(args)` as a StackValidationPolicy; it yields (message, urn of the offending resource).

    `reports_on` names the types it reports on (for the catalogue and the tests).
    """
    types = _types(reports_on)

    def register(check: StackCheck) -> StackCheck:
        def validate(args: StackValidationArgs, report: ReportViolation) -> None:
            with _knobs(config):
                for message, urn in check(args):
                    report(message, urn)

        policy = StackValidationPolicy(name=name, description=description, validate=validate,
                                       enforcement_level=level, severity=severity, config_schema=_schema(config),
                                       remediation_steps=remediation)
        _register(name, check, policy, stack=True, types=types, description=description, severity=severity,
                  level=level, anchors=anchors, anchor_note=anchor_note, config=config, checks=checks)
        return check

    return register
