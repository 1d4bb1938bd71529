"""pulumi-policy: one conversion of each request's properties, shared by all policies.

The analyzer converts a request's properties (`MessageToDict`, `deserialize_properties`, `unknown_checking_proxy`)
once per *policy*; within `shared_property_conversion`, once per request, and every policy reads the same
(read-only) proxy, made in one walk of the Struct (`_read_only_props`); likewise each resource's options and
provider (`_get_resource_options`, `_get_provider_resource`); and AnalyzeStack builds the stack's resource graph
once for all stack policies instead of once per policy (`_shared_analyze_stack`, the SDK's AnalyzeStack otherwise
unchanged). The graph can also be built a resource at a time (`StackResources`), as the policy worker does while
the program runs, then analyzed (`analyze_built_stack`).

Analyze asks every resource policy about every resource, and builds each policy's arguments first, though a
policy on other types then only says it does not apply (about 68 of the 70 policies for a resource of this
pack). `_shared_analyze` builds a resource's arguments once, and reports a policy that says it does not apply
to the resource's type (`not_applicable_to`, a method the pack's registry gives each policy, with the reason
its `validate` gives) as not applicable without them. Which policies run for a type, at what level, and which
are reported not applicable is worked out once per type and configuration (`_AnalyzePlan`); likewise
AnalyzeStack's enabled stack policies and their levels (`_stack_policies`).
"""
from __future__ import annotations

import asyncio
import contextlib
import threading
import weakref
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Optional

import pulumi_policy.policy as policy_module
from pulumi_policy import deserialize as deserialize_module
from pulumi_policy import proxy as proxy_module

from . import pins

# The prefix of the analyzer servicer's private attributes (its policies, pack name and version, stack tags).
_SERVICER = "_PolicyAnalyzerServicer__"


class SharedPropsModified(TypeError):
    pass


class _ReadOnlyDictProxy(proxy_module._DictProxy):
    """The SDK's unknown-checking dict proxy, refusing writes: every policy sees the same object."""

    def __setitem__(self, key, value):
        raise SharedPropsModified(
            f"a policy assigned props[{key!r}]: the offline preview shares one read-only copy of a resource's "
            f"properties between policies (run with optimisations off to give each policy its own)")


def _make_read_only(value: Any) -> None:
    if isinstance(value, proxy_module._DictProxy):
        value.__class__ = _ReadOnlyDictProxy
        for item in value._DictProxy__target.values():
            _make_read_only(item)
    elif isinstance(value, proxy_module._ListProxy):
        for item in value._ListProxy__target:
            _make_read_only(item)


class _Request(threading.local):
    """A thread's request: whether one is open, and its memo tables. Runs in two threads at once share the shims
    (`pins.SharedInstall`) but not their requests."""

    def __init__(self) -> None:
        self.active = False
        self.tables: dict[str, dict[int, tuple[Any, Any]]] = {}
        self.providers: dict[tuple, Any] = {}  # kept across requests (`_Conversions.provider`)


class _Conversions:
    """Memoises the analyzer's conversion steps by the identity of their input, for one request: one table
    per step, all cleared when the request ends (each thread's request its own).

    Each memo keeps its input alive, so an id cannot be reused by another object while it is cached.
    """

    def __init__(self, message_to_dict: Callable, deserialize: Callable, make_proxy: Callable):
        self._message_to_dict, self._deserialize, self._make_proxy = message_to_dict, deserialize, make_proxy
        self._request = _Request()

    @property
    def active(self) -> bool:
        """Whether this thread has a request open."""
        return self._request.active

    @contextlib.contextmanager
    def request(self) -> Iterator[None]:
        """One request of this thread: its conversions are memoised until it ends."""
        self._request.active = True
        try:
            yield
        finally:
            self._request.active = False
            self._request.tables.clear()

    def _memo(self, table: str, key_object: Any, compute: Callable[[], Any]) -> Any:
        memo = self._request.tables.setdefault(table, {})
        hit = memo.get(id(key_object))
        if hit is not None and hit[0] is key_object:
            return hit[1]
        value = compute()
        memo[id(key_object)] = (key_object, value)
        return value

    def message_to_dict(self, message, *args, **kwargs):
        if not self.active or args or kwargs:
            return self._message_to_dict(message, *args, **kwargs)
        return self._memo("dicts", message, lambda: self._message_to_dict(message))

    def deserialize_properties(self, props, proxy_secrets: bool = False):
        if not self.active or proxy_secrets:
            return self._deserialize(props, proxy_secrets)
        return self._memo("deserialized", props, lambda: self._deserialize(props))

    def unknown_checking_proxy(self, props):
        if not self.active:
            return self._make_proxy(props)

        def build():
            proxied = self._make_proxy(props)
            _make_read_only(proxied)
            return proxied
        return self._memo("proxies", props, build)

    def shared(self, table: str, method: Callable) -> Callable:
        """`method(servicer, resource_request)` computed once per resource request while a request is active."""
        def once(servicer, resource_request):
            if not self.active:
                return method(servicer, resource_request)
            return self._memo(table, resource_request, lambda: method(servicer, resource_request))
        return once

    def provider(self, method: Callable) -> Callable:
        """`_get_provider_resource`, once per provider (its type, URN, name and inputs) across this thread's
        requests: every resource of a provider names the same one (the engine's default provider, thousands),
        and its props are read-only (`unknown_checking_proxy` within a request)."""
        def once(servicer, resource_request):
            if not self.active or not resource_request.HasField("provider"):
                return method(servicer, resource_request)
            given = resource_request.provider
            key = (given.type, given.urn, given.name, given.properties.SerializeToString(deterministic=True))
            memo = self._request.providers
            if key not in memo:
                if len(memo) >= _PROVIDERS_KEPT:
                    memo.clear()
                memo[key] = method(servicer, resource_request)
            return memo[key]
        return once


_PROVIDERS_KEPT = 256  # a stack has a few providers; previews in one process have a few stacks


class StackResources:
    """The analyzer's view of a stack request's resources: one PolicyResource per resource, with parent,
    dependencies and property dependencies resolved to those objects (what AnalyzeStack rebuilds for every
    stack policy). Built a resource at a time, so the policy worker can convert each as it arrives while
    the program still runs; `add` belongs inside a request scope, where the props become the shared
    read-only proxy."""

    def __init__(self, servicer: Any, let_go: bool = False):
        self._servicer = servicer
        # `let_go`: the caller hands each resource over and keeps nothing of its message (the policy worker).
        self._let_go = let_go
        # AnalyzeStack builds nothing for a pack without an enabled stack policy; nor does this.
        self._wanted = bool(_stack_policies(servicer))
        self._made: dict[str, Any] = {}
        self._links: list[tuple[Any, Any]] = []

    def add(self, r: Any) -> None:
        if not self._wanted:
            return
        if not _in_request_scope():  # the props would be each caller's own, writable copy
            raise RuntimeError("StackResources.add outside a request scope of shared_property_conversion")
        props, provider = _props(r), self._servicer._get_provider_resource(r)
        # The options the SDK builds keep views into the message (its repeated fields), and any part of a
        # parsed message keeps all of it. With `let_go` they are built from a message holding the options
        # alone, and the links are kept as plain data, not to keep every resource's properties a second time
        # as protobuf (about 90 MiB at 200 services, where the converted ones take about 45).
        options = self._servicer._get_resource_options(_options_only(r) if self._let_go else r)
        self._made[r.urn] = policy_module.PolicyResource(r.type, props, r.urn, r.name, options, provider, None, [], {})
        self._links.append((self._made[r.urn], r.parent, list(r.dependencies),
                            {key: list(deps.urns) for key, deps in r.propertyDependencies.items()}))

    def linked(self, by_urn: bool = False) -> list:
        """The resources linked to each other, in the order they were added or, with `by_urn`, by URN."""
        made = self._made
        for resource, parent, dependencies, property_dependencies in self._links:
            resource.parent = made.get(parent) if parent else None
            resource.dependencies[:] = [made[d] for d in dependencies if d in made]
            for key, deps in property_dependencies.items():
                resource.property_dependencies[key] = [made[d] for d in deps if d in made]
        resources = [resource for resource, *_ in self._links]
        return sorted(resources, key=lambda resource: resource.urn) if by_urn else resources


def _options_only(r: Any) -> Any:
    """A stack request's resource with nothing but its options, as a message of its own (parsed anew: a copy
    cleared in place keeps what it cleared in its arena)."""
    return type(r).FromString(type(r)(options=r.options).SerializeToString())


def _stack_resources(servicer: Any, request: Any) -> list:
    stack = StackResources(servicer)
    for r in request.resources:
        stack.add(r)
    return stack.linked()


def _props(resource: Any) -> Any:
    """A request's resource properties as every policy reads them, in a request scope: the one read-only proxy the
    SDK's steps (`MessageToDict`, `deserialize_properties`, `unknown_checking_proxy`) and `_make_read_only` give,
    made in one walk of the Struct (`_read_only_props`), or by those steps where the walk leaves it to them."""
    try:
        return _read_only_props(resource.properties)
    except _LeftToTheSdk:
        return policy_module.unknown_checking_proxy(
            policy_module.deserialize_properties(policy_module.json_format.MessageToDict(resource.properties)))


class _LeftToTheSdk(Exception):
    """A value `_read_only_props` leaves to the SDK's steps: a map with a special signature (a secret, an asset, an
    archive, which `deserialize_properties` turns into other values), or a number JSON cannot hold (which
    `MessageToDict` refuses)."""


def _read_only_props(struct: Any) -> Any:
    """The read-only proxy of a Struct's plain values, as the SDK's steps and `_make_read_only` make it: the same
    maps in the same order, the same values (a number a float, as `MessageToDict` gives it), each map a
    `_ReadOnlyDictProxy` and each list a `_ListProxy` with its path from the top (`_proxy_helper`'s). The SDK's
    walks took a third of prod's policy phase: three copies of every resource's properties, then a fourth pass to
    make them read-only. (Like `deserialize_properties`, a signature key at the top is an ordinary key.)"""
    return _ReadOnlyDictProxy(_fields(struct, []), [])


def _fields(struct: Any, path: list[str]) -> dict[str, Any]:
    fields = struct.fields
    return {key: _value(fields[key], path, key) for key in fields}


def _value(value: Any, path: list[str], key: Any) -> Any:
    kind = value.WhichOneof("kind")
    if kind == "string_value":
        return value.string_value
    if kind == "bool_value":
        return value.bool_value
    if kind == "number_value":
        number = value.number_value
        if number - number != 0:  # infinite or NaN
            raise _LeftToTheSdk
        return number
    if kind == "struct_value":
        inner = value.struct_value
        if _SPECIAL_SIG_KEY in inner.fields:
            raise _LeftToTheSdk
        inner_path = path + [str(key)]
        return _ReadOnlyDictProxy(_fields(inner, inner_path), inner_path)
    if kind == "list_value":
        inner_path = path + [str(key)]
        return proxy_module._ListProxy([_value(item, inner_path, index)
                                        for index, item in enumerate(value.list_value.values)], inner_path)
    return None  # null_value, or no kind set: MessageToDict's None


_SPECIAL_SIG_KEY = deserialize_module.SPECIAL_SIG_KEY


def _in_request_scope() -> bool:
    """Whether `shared_property_conversion` is in place and one of its request scopes is open."""
    conversions = getattr(policy_module.json_format, "_conversions", None)
    return conversions is not None and conversions.active


def _enabled(servicer: Any, kind: type) -> Iterator[tuple[Any, Any]]:
    """The servicer's policies of `kind` (resource or stack) not disabled, in the order the SDK's loops take
    them, each with the level its violations are reported at (a remediate policy's as mandatory, as both
    loops report them: a stack policy cannot remediate, and a resource policy that still finds something
    after remediating is reported mandatory)."""
    for policy in getattr(servicer, _SERVICER + "policies"):
        level = servicer._get_enforcement_level(policy)
        if level != policy_module.EnforcementLevel.DISABLED and isinstance(policy, kind):
            yield policy, (policy_module.EnforcementLevel.MANDATORY
                           if level == policy_module.EnforcementLevel.REMEDIATE else level)


# The SDK's own Analyze, kept before `shared_property_conversion` replaces it on the class (which it gives back).
_sdk_analyze = policy_module._PolicyAnalyzerServicer.Analyze


def _shared_analyze(servicer: Any, request: Any, context: Any) -> Any:
    """pulumi-policy 1.21.0's Analyze, in a request scope (outside one, the SDK's own: each policy gets props
    of its own there). The same loop over the policies, with three changes:

    - the resource's props, options and provider are built once, before the first policy is asked, if any
      policy has a validate (the SDK builds them at the first such policy; where they cannot be built, both
      raise before any policy runs, and the response is lost either way); in a request scope each policy's
      conversions give those same shared objects anyway;
    - a policy whose `not_applicable_to(type)` gives a reason is reported not applicable with it, as its
      `validate` would report it, without building its config, violation reporter and arguments or calling it;
    - which policies run and which are reported not applicable, at what level, is worked out once per
      resource type and configuration (`_AnalyzePlan`): the loop then only runs the policies that apply.
    """
    if not _in_request_scope():
        return _sdk_analyze(servicer, request, context)
    servicer._configure_runtime_settings()
    response = policy_module.proto.AnalyzeResponse()
    plan = _AnalyzePlan.for_type(servicer, request.type)
    if plan.builds_arguments:
        props = _props(request)
        options, provider = servicer._get_resource_options(request), servicer._get_provider_resource(request)
    for step in plan.steps:
        if step.not_applicable:  # policies in a row that do not apply: merged, they append in order
            response.MergeFromString(step.not_applicable)
            continue
        policy = step.policy
        report = servicer._create_report_violation(response, policy.name, policy.description, step.level,
                                                   policy.severity)
        args = policy_module.ResourceValidationArgs(request.type, props, request.urn, request.name, options, provider,
                                                    servicer._get_policy_config(policy.name),
                                                    getattr(servicer, _SERVICER + "stack_tags"))
        _validate(servicer, response, policy, args, report)
    return response


@dataclass(frozen=True)
class _Step:
    """One step of Analyze's loop: a policy to run at the level it reports at, or the serialised
    `not_applicable` entries of the policies in a row that do not apply."""
    policy: Any = None
    level: Any = None
    not_applicable: bytes = b""


@dataclass(frozen=True)
class _AnalyzePlan:
    """What Analyze's loop does for a resource of one type: whether it builds the resource's arguments (some
    policy has a validate) and its steps, in the SDK's order.

    Kept per servicer (weakly) and type, for the servicer's configuration: the levels come from the
    enforcement-level map `Configure` assigns anew (a map replaced is a plan made again; the plans keep the
    map alive, so its identity is not reused), from the pack's level and from each policy's; a policy's
    `has_validation` and `not_applicable_to` answer the same for a type every time."""
    builds_arguments: bool
    steps: tuple[_Step, ...]

    @staticmethod
    def for_type(servicer: Any, resource_type: str) -> "_AnalyzePlan":
        plans = _plans(servicer).by_type
        if resource_type not in plans:
            plans[resource_type] = _AnalyzePlan.make(servicer, resource_type)
        return plans[resource_type]

    @staticmethod
    def make(servicer: Any, resource_type: str) -> "_AnalyzePlan":
        builds = False
        steps: list[_Step] = []
        skipped = policy_module.proto.AnalyzeResponse()

        def not_applicable(policy: Any, reason: str) -> None:
            skipped.not_applicable.append(policy_module.proto.PolicyNotApplicable(policy_name=policy.name,
                                                                                  reason=reason))

        def flush() -> None:
            if skipped.not_applicable:
                steps.append(_Step(not_applicable=skipped.SerializeToString()))
                skipped.Clear()

        for policy, level in _enabled(servicer, policy_module.ResourceValidationPolicy):
            if not policy.has_validation():  # remediation only
                not_applicable(policy, "Policy does not implement validate")
                continue
            builds = True
            not_applicable_to = getattr(policy, "not_applicable_to", None)
            reason = not_applicable_to(resource_type) if not_applicable_to is not None else None
            if reason is not None:
                not_applicable(policy, reason)
                continue
            flush()
            steps.append(_Step(policy=policy, level=level))
        flush()
        return _AnalyzePlan(builds_arguments=builds, steps=tuple(steps))


@dataclass
class _Plans:
    """What a servicer's loops do, for one configuration: Analyze's plan per resource type, and AnalyzeStack's
    enabled stack policies with their levels (None until asked: the SDK's loop asked each of the pack's
    policies its level on every call, about a third of a small stack's AnalyzeStack)."""
    configured: tuple[Any, Any]
    by_type: dict[str, _AnalyzePlan] = field(default_factory=dict)
    stack: Optional[tuple[tuple[Any, Any], ...]] = None


# Kept per servicer (weakly), for its configuration: see `_AnalyzePlan`.
_PLANS: "weakref.WeakKeyDictionary[Any, _Plans]" = weakref.WeakKeyDictionary()


def _plans(servicer: Any) -> _Plans:
    """The servicer's plans for its configuration now: its enforcement-level map (which `Configure` assigns anew:
    a map replaced is plans made again; the plans keep the map alive, so its identity is not reused) and its
    pack's level."""
    configured = (getattr(servicer, _SERVICER + "policy_pack_config_enforcement_level"),
                  getattr(servicer, _SERVICER + "policy_pack_enforcement_level"))
    known = _PLANS.get(servicer)
    if known is None or known.configured[0] is not configured[0] or known.configured[1] != configured[1]:
        known = _PLANS[servicer] = _Plans(configured)
    return known


def _stack_policies(servicer: Any) -> tuple[tuple[Any, Any], ...]:
    """The servicer's enabled stack policies in the SDK's order, each with its level (`_enabled`), once per
    configuration."""
    plans = _plans(servicer)
    if plans.stack is None:
        plans.stack = tuple(_enabled(servicer, policy_module.StackValidationPolicy))
    return plans.stack


def _validate(servicer: Any, response: Any, policy: Any, args: Any, report: Callable) -> None:
    """One policy's validate, as both of the SDK's loops call it: an awaitable result run to its end as a Task
    on a loop of its own (`asyncio.Task` refuses anything but a coroutine, as in the SDK); a check that met an
    unknown value, or does not apply, recorded in the response."""
    try:
        result = policy.validate(args, report)
        # Most validates return None, which is not awaitable: not asked (inspect's ABC check, per policy).
        if result is not None and policy_module.isawaitable(result):
            loop = asyncio.new_event_loop()
            try:
                loop.run_until_complete(asyncio.Task(result, loop=loop))
            finally:
                loop.close()
    except policy_module.UnknownValueError as error:
        response.diagnostics.append(_cannot_run(servicer, policy, error))
    except policy_module._NotApplicableError as error:
        response.not_applicable.append(policy_module.proto.PolicyNotApplicable(
            policy_name=policy.name, reason=error.reason or ""))


def _cannot_run(servicer: Any, policy: Any, error: Any) -> Any:
    """The advisory diagnostic the SDK gives a policy that met an unknown value during a preview."""
    pack = getattr(servicer, _SERVICER + "policy_pack_name")
    version = getattr(servicer, _SERVICER + "policy_pack_version")
    return policy_module.proto.AnalyzeDiagnostic(
        policyName=policy.name, policyPackName=pack, policyPackVersion=version, urn="",
        message=f"can't run policy '{policy.name}' from policy pack '{pack}@v{version}' during preview: "
                f"{error.message}",
        description=policy.description,
        enforcementLevel=servicer._map_enforcement_level(policy_module.EnforcementLevel.ADVISORY))


def _shared_analyze_stack(servicer: Any, request: Any, _context: Any) -> Any:
    """pulumi-policy 1.21.0's AnalyzeStack, with the stack's resources built once for all stack policies
    (each reads the same objects, as each resource policy reads the same props)."""
    return _analyze_stack(servicer, lambda: _stack_resources(servicer, request))


def analyze_built_stack(servicer: Any, stack: StackResources) -> Any:
    """AnalyzeStack over resources already built with `stack.add`, in URN order, as the preview sends a
    whole stack request (registration order changes between runs). Call it in a request scope."""
    return _analyze_stack(servicer, lambda: stack.linked(by_urn=True))


def building_stacks(servicer: Any) -> bool:
    """Whether this servicer's AnalyzeStack is the shared one, so a stack can be built ahead with
    StackResources (not on another pulumi-policy version, nor outside `shared_property_conversion`)."""
    return type(servicer).AnalyzeStack is _shared_analyze_stack


def _analyze_stack(servicer: Any, build_resources: Callable[[], list]) -> Any:
    servicer._configure_runtime_settings()
    response = policy_module.proto.AnalyzeResponse()
    resources = None
    for policy, level in _stack_policies(servicer):
        report = servicer._create_report_violation(response, policy.name, policy.description, level, policy.severity)
        if resources is None:
            resources = build_resources()
        args = policy_module.StackValidationArgs(resources, servicer._get_policy_config(policy.name),
                                                 getattr(servicer, _SERVICER + "stack_tags"))
        _validate(servicer, response, policy, args, report)
    return response


class _JsonFormat:
    """Stands in for `google.protobuf.json_format` inside pulumi_policy.policy only."""

    def __init__(self, real, conversions: _Conversions):
        self._real, self._conversions = real, conversions

    def MessageToDict(self, message, *args, **kwargs):  # noqa: N802 (the protobuf name)
        return self._conversions.message_to_dict(message, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._real, name)


def _put_in() -> tuple[_Conversions, tuple, tuple]:
    """The conversions every analyzer call shares, once they are in place; and what they replaced."""
    servicer = policy_module._PolicyAnalyzerServicer
    originals = (policy_module.json_format, policy_module.deserialize_properties, policy_module.unknown_checking_proxy)
    methods = (servicer._get_resource_options, servicer._get_provider_resource, servicer.Analyze,
               servicer.AnalyzeStack)
    conversions = _Conversions(originals[0].MessageToDict, originals[1], originals[2])
    policy_module.json_format = _JsonFormat(originals[0], conversions)
    policy_module.deserialize_properties = conversions.deserialize_properties
    policy_module.unknown_checking_proxy = conversions.unknown_checking_proxy
    # A resource's options and provider, rebuilt per policy too (for AnalyzeStack, per policy and resource).
    servicer._get_resource_options = conversions.shared("options", methods[0])
    servicer._get_provider_resource = conversions.provider(methods[1])
    servicer.Analyze, servicer.AnalyzeStack = _shared_analyze, _shared_analyze_stack
    return conversions, originals, methods


def _take_out(installed: tuple[_Conversions, tuple, tuple]) -> None:
    _, originals, methods = installed
    servicer = policy_module._PolicyAnalyzerServicer
    policy_module.json_format, policy_module.deserialize_properties, policy_module.unknown_checking_proxy = originals
    (servicer._get_resource_options, servicer._get_provider_resource, servicer.Analyze,
     servicer.AnalyzeStack) = methods


_installed = pins.SharedInstall(_put_in, _take_out)


@contextlib.contextmanager
def shared_property_conversion(enabled: bool = True) -> Iterator[Callable[[], contextlib.AbstractContextManager]]:
    """Within the block (and until the last such block open in the process ends), pulumi-policy's analyzer
    converts properties once per request.

    Yields `request_scope`: wrap each `Analyze`/`AnalyzeStack` call in `with request_scope():` so cached
    conversions live for one request only. When disabled, or on another pulumi-policy version, the
    analyzer is untouched and `request_scope` does nothing.
    """
    if not enabled or not pins.policy_shims_apply():
        yield contextlib.nullcontext
        return
    with _installed.hold() as (conversions, _, _):
        yield conversions.request
