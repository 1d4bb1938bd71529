"""Every place where the offline preview reaches into SDK internals for speed, in one module.

Each shim is checked against the SDK version it was written for and read against; on any other version
it does nothing, and the SDK's own behaviour applies (slower, same results). docs/performance.md says
which upstream change would make each shim unnecessary.

- `shared_property_conversion` (pulumi-policy): the analyzer converts a request's properties
  (`MessageToDict`, `deserialize_properties`, `unknown_checking_proxy`) once per *policy*; here once per
  request, and every policy reads the same (read-only) proxy; likewise each resource's options and provider
  (`_get_resource_options`, `_get_provider_resource`); and AnalyzeStack builds the stack's resource graph
  once for all stack policies instead of once per policy (`_shared_analyze_stack`, the SDK's AnalyzeStack
  otherwise unchanged). The graph can also be built a resource at a time (`StackResources`), as the policy
  worker does while the program runs, then analyzed (`analyze_built_stack`).
- `mock_run_shims` (pulumi), for programs run under mocks only:
  - the SDK's `wait_for_rpcs` waits for outstanding outputs with `asyncio.wait(FIRST_COMPLETED)` in a
    loop, registering a callback on every pending output on every pass (millions at 200 services); the
    replacement registers one callback per output and wakes on the first failure or when all are done;
  - every output registers a done callback that drops it from the run's set of outputs once it succeeds,
    and the loop runs each of those callbacks; `_track` drops succeeded ones in a sweep instead, whenever
    the set has doubled;
  - `serialize_property` unwraps each value's type annotation (`unwrap_type`: Output[T], Input[T],
    Optional[T]) afresh for every value; `_unwrap_type` remembers the answer per annotation for the run;
  - `contains_unknowns` leaves a reference cycle per call (an inner function that calls itself), which a
    one-run preview, its collector off, never frees; `_contains_unknowns` is the same walk without one;
  - the SDK walks the Python stack for every registration (`_get_stack_trace`) to give the engine source
    positions, which the mock monitor never reads; the replacement returns an empty trace;
  - pulumi_aws's service packages (`pulumi_aws.ec2`, ...) import every resource module of the service when
    first touched (183 for ec2), and their class bodies are most of a fresh preview's import time; a
    package found while the shims are on imports each module when one of its names is first read. Each
    resource module star-imports its service's `_inputs` and imports its `outputs`, thousands of classes
    (2,042 and 1,041 for wafv2) that were then built; in such a package both build a class when it is first
    read (prod reads 393 input and 252 output types of 6,444), and a module's star import binds only the
    input types the module names. An input type names others as strings, which pulumi resolves in a copy
    of the module's namespace (`_types._globals_for_cls`, hooked so that it builds the ones a class names
    first); a direct `typing.get_type_hints` on an input type or TypedDict (or its `__init__`), which pulumi
    never makes, can find a named type not yet built (NameError) unless it is read from the module first;
  - the mock monitor serialises each new resource's state with `_sync_await`, which runs an event loop in the
    monitor's thread for a coroutine that, on plain mock data, finishes without ever waiting; the
    replacement drives such a coroutine to its end directly and hands the rest of any that does wait to
    the SDK's `_sync_await`. For the preview's own mocks (`EchoingMocks`: the state is the inputs plus a
    few outputs), `_register_resource` skips the deserialising and serialising altogether where the
    inputs' Struct round-trips (no nulls, no secrets, assets or references: read from its wire bytes):
    the reply is that Struct plus the added outputs;
  - the SDK makes every monitor call (RegisterResource, Invoke, ...) in the event loop's thread pool, so
    each registration hops to a thread and back while the two contend for the GIL; the mock monitor's
    calls are plain Python that never block, so `run_monitor_calls_inline` makes them on the loop's own
    thread, returning a finished future (a serialisation that would wait is still finished by the SDK's
    `_sync_await`, which pumps a running loop for exactly this case);
  - the SDK refuses a dependency that would close a cycle (`declare_dependency`) by walking everything the
    new dependency reaches, for every dependency of every resource: quadratic in a large mesh, where the
    callers' security groups chain most of the graph together. The replacement keeps a topological order
    of the same graph and answers the same question by Pearce and Kelly's incremental algorithm, which
    walks only the part of the graph between the two resources' places in that order.
"""
from __future__ import annotations

import asyncio
import builtins
import contextlib
import functools
import importlib
import importlib.abc
import importlib.machinery
import importlib.metadata
import importlib.util
import itertools
import re
import sys
import threading
import types
import typing
import weakref
from typing import Any, Callable, Iterator, Mapping, Optional

import pulumi_policy.policy as policy_module
from google.protobuf import json_format, struct_pb2
from pulumi import _types as types_module
from pulumi import output as output_module
from pulumi.runtime import known_types
from pulumi.runtime import mocks as mocks_module
from pulumi.runtime import resource as resource_module
from pulumi.runtime import resource_cycle_breaker as cycle_module
from pulumi.runtime import rpc as rpc_module
from pulumi.runtime import stack as stack_module
from pulumi.runtime.proto import resource_pb2, source_pb2
from pulumi.runtime.settings import SETTINGS, _get_rpc_manager, is_dry_run
from pulumi_policy import proxy as proxy_module

# The versions whose internals these shims were read against (requirements.txt pins them).
PULUMI_VERSION = "3.272.0"
PULUMI_POLICY_VERSION = "1.21.0"
PULUMI_AWS_VERSION = "7.51.1"
# The type of the stack resource every program registers first (the engine leaves it out of child URNs).
ROOT_STACK_TYPE = "pulumi:pulumi:Stack"


def _installed(distribution: str) -> Optional[str]:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def pulumi_shims_apply(version: Optional[str] = None) -> bool:
    """Whether the installed pulumi SDK is the one the mock-run shims were written for."""
    return (version or _installed("pulumi")) == PULUMI_VERSION


def policy_shims_apply(version: Optional[str] = None) -> bool:
    """Whether the installed pulumi-policy is the one the analyzer shim was written for."""
    return (version or _installed("pulumi-policy")) == PULUMI_POLICY_VERSION


# --------------------------------------------------------------------------------------------------
# pulumi-policy: one conversion of each request's properties, shared by all policies
# --------------------------------------------------------------------------------------------------


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


class _Conversions:
    """Memoises the analyzer's conversion steps by the identity of their input, for one request: one table
    per step, all cleared when the request ends.

    Each memo keeps its input alive, so an id cannot be reused by another object while it is cached.
    """

    def __init__(self, message_to_dict: Callable, deserialize: Callable, make_proxy: Callable):
        self._message_to_dict, self._deserialize, self._make_proxy = message_to_dict, deserialize, make_proxy
        self._tables: dict[str, dict[int, tuple[Any, Any]]] = {}
        self.active = False

    def clear(self) -> None:
        self._tables.clear()

    def _memo(self, table: str, key_object: Any, compute: Callable[[], Any]) -> Any:
        memo = self._tables.setdefault(table, {})
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


class StackResources:
    """The analyzer's view of a stack request's resources: one PolicyResource per resource, with parent,
    dependencies and property dependencies resolved to those objects (what AnalyzeStack rebuilds for every
    stack policy). Built a resource at a time, so the policy worker can convert each as it arrives while
    the program still runs; `add` belongs inside a request scope, where the props become the shared
    read-only proxy."""

    def __init__(self, servicer: Any):
        self._servicer = servicer
        # AnalyzeStack builds nothing for a pack without an enabled stack policy; nor does this.
        self._wanted = any(isinstance(policy, policy_module.StackValidationPolicy) and
                           servicer._get_enforcement_level(policy) != policy_module.EnforcementLevel.DISABLED
                           for policy in getattr(servicer, "_PolicyAnalyzerServicer__policies"))
        self._made: dict[str, Any] = {}
        self._links: list[tuple[Any, Any]] = []

    def add(self, r: Any) -> None:
        if not self._wanted:
            return
        conversions = getattr(policy_module.json_format, "_conversions", None)
        if conversions is None or not conversions.active:
            # Outside a request scope the props would be each caller's own, writable copy.
            raise RuntimeError("StackResources.add outside a request scope of shared_property_conversion")
        props = policy_module.unknown_checking_proxy(
            policy_module.deserialize_properties(policy_module.json_format.MessageToDict(r.properties)))
        self._made[r.urn] = policy_module.PolicyResource(
            r.type, props, r.urn, r.name, self._servicer._get_resource_options(r),
            self._servicer._get_provider_resource(r), None, [], {})
        self._links.append((self._made[r.urn], r))

    def linked(self, by_urn: bool = False) -> list:
        """The resources linked to each other, in the order they were added or, with `by_urn`, by URN."""
        made = self._made
        for resource, r in self._links:
            resource.parent = made.get(r.parent) if r.parent else None
            resource.dependencies[:] = [made[d] for d in r.dependencies if d in made]
            for key, deps in r.propertyDependencies.items():
                resource.property_dependencies[key] = [made[d] for d in deps.urns if d in made]
        resources = [resource for resource, _ in self._links]
        return sorted(resources, key=lambda resource: resource.urn) if by_urn else resources


def _stack_resources(servicer: Any, request: Any) -> list:
    stack = StackResources(servicer)
    for r in request.resources:
        stack.add(r)
    return stack.linked()


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
    mangled = "_PolicyAnalyzerServicer__"
    servicer._configure_runtime_settings()
    response = policy_module.proto.AnalyzeResponse()
    resources = None
    for policy in getattr(servicer, mangled + "policies"):
        level = servicer._get_enforcement_level(policy)
        if level == policy_module.EnforcementLevel.DISABLED or not isinstance(
                policy, policy_module.StackValidationPolicy):
            continue
        if level == policy_module.EnforcementLevel.REMEDIATE:
            level = policy_module.EnforcementLevel.MANDATORY  # stack policies cannot remediate
        report = servicer._create_report_violation(response, policy.name, policy.description, level, policy.severity)
        if resources is None:
            resources = build_resources()
        args = policy_module.StackValidationArgs(resources, servicer._get_policy_config(policy.name),
                                                 getattr(servicer, mangled + "stack_tags"))
        try:
            result = policy.validate(args, report)
            if policy_module.isawaitable(result):
                loop = asyncio.new_event_loop()
                try:
                    loop.run_until_complete(asyncio.ensure_future(result, loop=loop))
                finally:
                    loop.close()
        except policy_module.UnknownValueError as error:
            pack, version = getattr(servicer, mangled + "policy_pack_name"), getattr(servicer, mangled + "policy_pack_version")
            response.diagnostics.append(policy_module.proto.AnalyzeDiagnostic(
                policyName=policy.name, policyPackName=pack, policyPackVersion=version, urn="",
                message=f"can't run policy '{policy.name}' from policy pack '{pack}@v{version}' during preview: "
                        f"{error.message}",
                description=policy.description,
                enforcementLevel=servicer._map_enforcement_level(policy_module.EnforcementLevel.ADVISORY)))
        except policy_module._NotApplicableError as error:
            response.not_applicable.append(policy_module.proto.PolicyNotApplicable(
                policy_name=policy.name, reason=error.reason or ""))
    return response


class _JsonFormat:
    """Stands in for `google.protobuf.json_format` inside pulumi_policy.policy only."""

    def __init__(self, real, conversions: _Conversions):
        self._real, self._conversions = real, conversions

    def MessageToDict(self, message, *args, **kwargs):  # noqa: N802 (the protobuf name)
        return self._conversions.message_to_dict(message, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._real, name)


_install_lock = threading.Lock()


@contextlib.contextmanager
def shared_property_conversion(enabled: bool = True) -> Iterator[Callable[[], contextlib.AbstractContextManager]]:
    """Within the block, pulumi-policy's analyzer converts properties once per request.

    Yields `request_scope`: wrap each `Analyze`/`AnalyzeStack` call in `with request_scope():` so cached
    conversions live for one request only. When disabled, or on another pulumi-policy version, the
    analyzer is untouched and `request_scope` does nothing.
    """
    if not enabled or not policy_shims_apply():
        yield contextlib.nullcontext
        return
    with _install_lock:
        servicer = policy_module._PolicyAnalyzerServicer
        originals = (policy_module.json_format, policy_module.deserialize_properties,
                     policy_module.unknown_checking_proxy)
        methods = (servicer._get_resource_options, servicer._get_provider_resource, servicer.AnalyzeStack)
        if isinstance(originals[0], _JsonFormat):  # already installed by an enclosing block
            conversions = originals[0]._conversions
            installed = False
        else:
            conversions = _Conversions(originals[0].MessageToDict, originals[1], originals[2])
            policy_module.json_format = _JsonFormat(originals[0], conversions)
            policy_module.deserialize_properties = conversions.deserialize_properties
            policy_module.unknown_checking_proxy = conversions.unknown_checking_proxy
            # A resource's options and provider, rebuilt per policy too (for AnalyzeStack, per policy and resource).
            servicer._get_resource_options = conversions.shared("options", methods[0])
            servicer._get_provider_resource = conversions.shared("providers", methods[1])
            servicer.AnalyzeStack = _shared_analyze_stack
            installed = True

    @contextlib.contextmanager
    def request_scope():
        conversions.active = True
        try:
            yield
        finally:
            conversions.active = False
            conversions.clear()

    try:
        yield request_scope
    finally:
        if installed:
            with _install_lock:
                (policy_module.json_format, policy_module.deserialize_properties,
                 policy_module.unknown_checking_proxy) = originals
                servicer._get_resource_options, servicer._get_provider_resource, servicer.AnalyzeStack = methods


# --------------------------------------------------------------------------------------------------
# pulumi: the wait for outstanding outputs, and no stack traces under mocks
# --------------------------------------------------------------------------------------------------


def _failed(task: asyncio.Future) -> bool:
    return task.cancelled() or task.exception() is not None


def _kept_traceback(task: asyncio.Future) -> Optional[types.TracebackType]:
    """The traceback a failed task kept when it ended. The exception's own `__traceback__` is whatever the
    last task to re-raise the same exception left on it (an output derived from a failed apply re-raises
    the apply's exception with a traceback that begins in pulumi's `output.py`). Reading it uses it up (a C
    future hands its kept traceback out once) and re-raises the shared exception: its `__traceback__`, which
    a failure already propagating carries, is put back."""
    shared = task.exception()
    before = shared.__traceback__ if shared is not None else None
    try:
        task.result()
    except BaseException as exc:  # re-raised with the kept traceback, under this frame
        return exc.__traceback__.tb_next if exc.__traceback__ is not None else None
    finally:
        if shared is not None:
            shared.__traceback__ = before
    return None


def _depth(tb: Optional[types.TracebackType]) -> int:
    depth = 0
    while tb is not None:
        depth, tb = depth + 1, tb.tb_next
    return depth


def _see_failures(tasks: Any, *, trace: bool = True) -> Optional[tuple[asyncio.Future, Optional[types.TracebackType]]]:
    """Ask each ended task whether it failed, as the SDK's done callback on every tracked output does, which
    marks its exception seen (asyncio logs an unseen one when it is collected). Return the first failure
    (as the SDK's loop re-raises the first a set gives it) with the deepest traceback any task kept for
    the same exception: the one that reaches where it was raised, whichever task the set gives first."""
    first, deepest = None, None
    for task in list(tasks):
        if not (task.done() and _failed(task)):
            continue
        if first is None:
            first = task
        if trace and not first.cancelled() and not task.cancelled() and task.exception() is first.exception():
            tb = _kept_traceback(task)
            if deepest is None or _depth(tb) > _depth(deepest):
                deepest = tb
    return None if first is None else (first, deepest)


def _raise(task: asyncio.Future, tb: Optional[types.TracebackType]) -> typing.NoReturn:
    if task.cancelled():
        task.result()  # raises CancelledError
    raise task.exception().with_traceback(tb)


async def _await_outstanding_outputs() -> None:
    """Wait until every tracked output is done; re-raise the first failure, as the SDK's loop does."""
    loop = asyncio.get_running_loop()
    while True:
        with SETTINGS.lock:
            if not SETTINGS.outputs:
                return
            batch = list(SETTINGS.outputs)
            SETTINGS.outputs.clear()
        failure = _see_failures(batch)
        if failure is not None:
            _raise(*failure)
        waiting = [task for task in batch if not task.done()]
        if not waiting:
            continue
        wake: asyncio.Future = loop.create_future()
        outstanding = len(waiting)

        def on_done(task: asyncio.Future) -> None:
            nonlocal outstanding
            outstanding -= 1
            failed = _failed(task)  # asked of every one, as above
            if not wake.done() and (outstanding == 0 or failed):
                # The first to fail is where the failure began (the outputs derived from it fail after it).
                wake.set_result((task, _kept_traceback(task) if failed else None))

        for task in waiting:
            task.add_done_callback(on_done)
        last, kept = await wake
        if _failed(last):
            _raise(last, kept)
        # Outputs created meanwhile were added to SETTINGS.outputs: the next pass takes them.


async def _wait_for_rpcs(await_all_outstanding_tasks: bool = True) -> None:
    """pulumi 3.272.0's `wait_for_rpcs` with `_await_outstanding_outputs` in place of its output loop."""
    try:
        await _wait_for_rpcs_and_outputs(await_all_outstanding_tasks)
    except BaseException:
        _see_failures(SETTINGS.outputs, trace=False)  # the outputs this wait did not reach (`_track` has no callback)
        raise


async def _wait_for_rpcs_and_outputs(await_all_outstanding_tasks: bool) -> None:
    rpc_manager = _get_rpc_manager()
    while True:
        while len(rpc_manager.rpcs) > 0:
            await asyncio.sleep(0)
            try:
                await rpc_manager.rpcs.pop()
            except Exception as exn:
                if rpc_manager.unhandled_exception is not None:
                    cause = rpc_manager.unhandled_exception.with_traceback(rpc_manager.exception_traceback)
                    raise exn from cause
                raise
        if rpc_manager.unhandled_exception is not None:
            raise rpc_manager.unhandled_exception.with_traceback(rpc_manager.exception_traceback)
        if await_all_outstanding_tasks:
            await _await_outstanding_outputs()
        if len(rpc_manager.rpcs) == 0:
            break


class _TrackedOutputs:
    """The set of outputs `_track` last swept (`SETTINGS.outputs`: a new set each run; a weak reference, so
    a finished run's set is not kept), and its size after that sweep."""
    outputs: Callable[[], Optional[set]] = staticmethod(lambda: None)
    after_sweep = 0


def _track(self: Any) -> None:
    """pulumi 3.272.0's `Output._track`, without a done callback per output (which the loop then runs: about
    7 % of a large run, for some 37 outputs a resource). The SDK's callback drops an output from
    `SETTINGS.outputs` once it succeeds, leaving failed ones for the wait at the end; here succeeded ones
    are dropped in a sweep whenever the set reaches twice what the last sweep left (pending and failed
    outputs) plus 4,096; the wait at the end passes over any left, and asks each ended one whether it
    failed, as the callback did (`_see_failures`). Two runs at once in two threads only sweep more often."""
    with SETTINGS.lock:
        outputs = SETTINGS.outputs
        if _TrackedOutputs.outputs() is not outputs:
            _TrackedOutputs.outputs, _TrackedOutputs.after_sweep = weakref.ref(outputs), 0
        outputs.add(self._data)
        if len(outputs) >= 2 * _TrackedOutputs.after_sweep + 4096:
            outputs.difference_update([task for task in outputs if task.done() and not _failed(task)])
            _TrackedOutputs.after_sweep = len(outputs)


def _contains_unknowns(val: Any) -> bool:
    """pulumi 3.272.0's `contains_unknowns` without its inner function that calls itself: such a closure
    refers to itself, a reference cycle on every call (some 50 a resource), which only the cyclic collector
    frees. A one-run preview has the collector off, so they stayed: about 130 MiB at 200 services."""
    return _unknown_in(val, set())


def _unknown_in(val: Any, seen_ids: set) -> bool:
    if known_types.is_unknown(val):
        return True
    val_id = id(val)
    if val_id in seen_ids:
        return False
    seen_ids.add(val_id)
    if isinstance(val, dict):
        return any(_unknown_in(val[k], seen_ids) for k in val)
    if isinstance(val, list):
        return any(_unknown_in(x, seen_ids) for x in val)
    return False


_sdk_unwrap_type = types_module.unwrap_type
_unwrapped: dict[int, tuple[Any, Any]] = {}  # id(annotation) -> (annotation, answer), for one run


def _unwrap_type(typ: Any) -> Any:
    """pulumi 3.272.0's `unwrap_type` (the T of Output[T], Input[T], Optional[T]), a pure function of the
    annotation, remembered per annotation object for the run (the annotation is kept with its answer, so
    its id is not reused): `serialize_property` asks it for every value it serialises. By identity, not equality: Union[None, int] == Optional[int], but the SDK answers them
    differently (it reads the arguments in order)."""
    known = _unwrapped.get(id(typ))
    if known is not None and known[0] is typ:
        return known[1]
    answer = _sdk_unwrap_type(typ)
    _unwrapped[id(typ)] = (typ, answer)
    return answer


def _no_stack_trace() -> source_pb2.StackTrace:
    return source_pb2.StackTrace()


def _sync_await(awaitable):
    """pulumi 3.272.0's `_sync_await` for the mock monitor: a coroutine that finishes without waiting (the
    monitor serialising plain mock data) is run to its end here; one that waits is finished by the SDK's."""
    if not asyncio.iscoroutine(awaitable):
        return _sdk_sync_await(awaitable)
    try:
        waiting_on = awaitable.send(None)
    except StopIteration as done:
        return done.value
    return _sdk_sync_await(_finish(awaitable, waiting_on))


@types.coroutine
def _finish(coroutine, waiting_on):
    """The rest of a coroutine that has already run up to its first wait, as an awaitable for the event loop."""
    while True:
        try:
            received = yield waiting_on
        except BaseException as error:  # thrown in by the task, e.g. cancellation
            try:
                waiting_on = coroutine.throw(error)
            except StopIteration as done:
                return done.value
            continue
        try:
            waiting_on = coroutine.send(received)
        except StopIteration as done:
            return done.value


_sdk_sync_await = mocks_module._sync_await


_PLAIN_SCALARS = frozenset((str, bool, int, float, type(None)))


def _is_plain(value: Any) -> bool:
    """Whether `value` is data `serialize_property` gives back unchanged and a Struct takes as it is:
    scalars, lists and str-keyed dicts of them (not tuples, assets, resources, unknowns, outputs, or a
    subclass of any of these)."""
    kind = type(value)
    if kind in _PLAIN_SCALARS:
        return True
    if kind is dict:
        return all(type(key) is str and _is_plain(item) for key, item in value.items())
    if kind is list:
        return all(_is_plain(item) for item in value)
    return False


_NULL = struct_pb2.Value(null_value=struct_pb2.NULL_VALUE).SerializeToString()  # b"\x08\x00"
_SIGNATURE = rpc_module._special_sig_key.encode()


def round_trips(struct: struct_pb2.Struct) -> bool:
    """Whether pulumi 3.272.0, in a preview, gives `struct` back unchanged (equal, though its maps may
    iterate in another order) when it deserialises and then serialises it. It does when no value in it is null (deserialisation drops nulls
    from maps) and no map in it has the special signature key (secrets, assets, archives, resource
    references and output values are rebuilt, secrets pushed up a level); unknowns, strings, numbers,
    booleans, lists and maps come back as they were. Read from the bytes, where a null is always 08 00
    and a signature key its own text; where those bytes occur for another reason the answer is a safe no."""
    wire = struct.SerializeToString()
    return _NULL not in wire and _SIGNATURE not in wire


class _InputsView(Mapping):
    """A Struct's properties as `deserialize_properties` gives them, each deserialised when read (for a
    Struct that `round_trips`: no property is null, so none is dropped)."""

    def __init__(self, struct: struct_pb2.Struct):
        self._struct = struct

    def __getitem__(self, key: str) -> Any:
        if key not in self._struct.fields:
            raise KeyError(key)
        return rpc_module.deserialize_property(self._struct[key])

    def __contains__(self, key: object) -> bool:
        return key in self._struct.fields

    def __iter__(self) -> Iterator[str]:
        return iter(self._struct.keys())

    def __len__(self) -> int:
        return len(self._struct.fields)


class EchoedState(Mapping):
    """A registered resource's state, inputs and added outputs, deserialised if the monitor is asked for it
    (`getResource`). `reply` and `struct` build the state's Struct from the two again. It compares and
    prints as that Struct: deserialising depends on the run (outside one, unknowns are dropped)."""

    __hash__ = None  # type: ignore[assignment]  # a Mapping, compared by value

    def __init__(self, inputs: struct_pb2.Struct, added: dict):
        self._inputs, self._added = inputs, added

    def reply(self, urn: str, resource_id: str) -> resource_pb2.RegisterResourceResponse:
        # Key by key, nested maps too, in the order the request's maps iterate, as the SDK's rebuild inserts
        # them, then merged into the reply as the SDK's is: the order a map iterates in depends on how it
        # was built, and it reaches the program's outputs and the stack policies (the test compares orders).
        state = struct_pb2.Struct()
        state.update(self._inputs)
        state.update({key: value for key, value in self._added.items() if value is not None})
        return resource_pb2.RegisterResourceResponse(urn=urn, id=resource_id, object=state)

    def struct(self) -> struct_pb2.Struct:
        """The state as the reply carries it, map order included."""
        return self.reply("", "").object

    def __eq__(self, other: object) -> bool:
        return self.struct() == other.struct() if isinstance(other, EchoedState) else NotImplemented

    def __repr__(self) -> str:
        return f"EchoedState({json_format.MessageToDict(self.struct())!r})"

    @functools.cached_property
    def _state(self) -> dict:
        return {**rpc_module.deserialize_properties(self._inputs), **self._added}

    def __getitem__(self, key: str) -> Any:
        return self._state[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._state)

    def __len__(self) -> int:
        return len(self._state)


class EchoingMocks(typing.Protocol):
    """Mocks whose state for a new resource is its inputs plus what `added_outputs` gives (the preview's own,
    tools/mockrun.py): what lets the monitor answer from the request's own Struct."""

    def added_outputs(self, type_: str, name: str, custom: bool,
                      inputs: Mapping[str, Any]) -> tuple[str, dict]: ...


_sdk_register_resource = mocks_module.MockMonitor.RegisterResource


def _register_resource(self: mocks_module.MockMonitor, request: Any) -> resource_pb2.RegisterResourceResponse:
    """pulumi 3.272.0's `MockMonitor.RegisterResource`. The SDK deserialises the inputs, asks the mocks for
    the state and serialises it back (a coroutine per value); for `EchoingMocks`, whose state is the inputs
    plus a few outputs, that round trip is skipped (about 5 % of a large run) where the inputs
    `round_trips` and the added outputs are plain: the reply is the inputs' own Struct, rebuilt, plus
    those outputs. Everything else is the SDK's own answer."""
    added_outputs = getattr(self.mocks, "added_outputs", None)
    if (added_outputs is None or request.type == ROOT_STACK_TYPE or request.transforms
            or not is_dry_run() or not round_trips(request.object)):
        return _sdk_register_resource(self, request)
    resource_id, added = added_outputs(request.type, request.name, request.custom or False,
                                       _InputsView(request.object))
    if not _is_plain(added):
        return _sdk_register_resource(self, request)  # e.g. an output copied from an input holding an unknown
    urn = self.make_urn(request.parent, request.type, request.name)
    state = EchoedState(request.object, added)
    self.resources[urn] = mocks_module.MockMonitor.ResourceRegistration(urn, resource_id, state)
    return state.reply(urn, resource_id)


def run_monitor_calls_inline(loop: asyncio.AbstractEventLoop, enabled: bool = True, *,
                             version: Optional[str] = None) -> bool:
    """On this loop (a mock run's own), `run_in_executor(None, call)` makes the call at once, on the loop's
    thread, and returns its finished future: pulumi 3.272.0 passes the thread pool only the mock monitor's
    calls, which never block. Another executor is used as asked. Returns whether the loop was changed: not
    when disabled, nor on a pulumi other than PULUMI_VERSION (`version` stands in, for tests)."""
    if not enabled or not pulumi_shims_apply(version):
        return False
    in_pool = loop.run_in_executor

    def run_in_executor(executor, func, *args):
        if executor is not None:
            return in_pool(executor, func, *args)
        future = loop.create_future()
        try:
            future.set_result(func(*args))
        except Exception as exc:  # noqa: BLE001 - the caller's await raises it, as from the pool
            future.set_exception(exc)
        return future

    loop.run_in_executor = run_in_executor  # type: ignore[method-assign]
    return True


# The SDK keeps each resource's direct dependencies in an attribute (`cycle_module._DEPENDENCIES_PROPERTY`);
# these two sit beside it: the resource's place in a topological order of that graph (a dependency is always
# placed before its dependents), and the reverse edges.
_PLACE = "_preview_topological_place"
_DEPENDENTS = "_preview_dependents"
_places = itertools.count()


def _place(resource: Any) -> int:
    place = getattr(resource, _PLACE, None)
    if place is None:
        place = next(_places)  # a resource first seen goes last: it has no edges yet
        setattr(resource, _PLACE, place)
    return place


def _declare_dependency(from_resource: Any, to_resource: Any) -> bool:
    """pulumi 3.272.0's `declare_dependency` (record that `from_resource` depends on `to_resource` unless that
    closes a cycle; say whether it was recorded), with the same answers and the same recorded graph.

    With every dependency placed before its dependents, `to_resource` can reach `from_resource` only if it is
    placed after it. Then the search is bounded: forward from `to_resource` through what lies after
    `from_resource`, backward from `from_resource` through what lies before `to_resource`; with no cycle, the
    two regions swap places (Pearce and Kelly, "A dynamic topological sort algorithm for directed acyclic
    graphs", JEA 2007)."""
    if from_resource is to_resource:
        return False
    low, high = _place(from_resource), _place(to_resource)
    if high > low:
        forward = _region(to_resource, cycle_module._deps, lambda place: place > low, stop=from_resource)
        if forward is None:
            return False
        backward = _region(from_resource, lambda r: getattr(r, _DEPENDENTS, ()), lambda place: place < high)
        moved = sorted(forward, key=_place) + sorted(backward, key=_place)
        for resource, place in zip(moved, sorted(_place(r) for r in moved)):
            setattr(resource, _PLACE, place)
    cycle_module._add_dep(from_resource, to_resource)
    dependents = getattr(to_resource, _DEPENDENTS, None)
    if dependents is None:
        dependents = set()
        setattr(to_resource, _DEPENDENTS, dependents)
    dependents.add(from_resource)
    return True


def _region(start: Any, edges: Callable[[Any], Any], within: Callable[[int], bool],
            stop: Any = None) -> Optional[list]:
    """Everything reachable from `start` along `edges` through resources whose place is `within`; None if
    `stop` is reached (a cycle)."""
    found, seen, pending = [], {id(start)}, [start]
    while pending:
        resource = pending.pop()
        found.append(resource)
        for neighbour in edges(resource):
            if neighbour is stop:
                return None
            if id(neighbour) not in seen and within(_place(neighbour)):
                seen.add(id(neighbour))
                pending.append(neighbour)
    return found


# --------------------------------------------------------------------------------------------------
# pulumi_aws: a service package imports each resource module when one of its names is first read
# --------------------------------------------------------------------------------------------------

_SERVICE_PACKAGE = re.compile(r"pulumi_aws\.[a-z0-9_]+")
# Every line a generated service package's __init__.py has; any other line and the package loads as shipped.
_INIT_LINE = re.compile(r"from \.(?P<star>[a-z0-9_]+) import \*|from \. import (?P<module>[a-z0-9_]+)|"
                        r"import builtins as _builtins|from \.\. import _utilities|import typing|#.*|")
_ALL = re.compile(r"^__all__ = \[(.*?)\]", re.S | re.M)


def _read_until(path: str, pattern: re.Pattern) -> Optional[tuple[str, re.Match]]:
    """A generated module's text up to the first match of `pattern`, and the match: the modules are large
    (wafv2's `_inputs` is 2.8 MB) and what is wanted comes first. None if nothing matches."""
    with open(path, encoding="utf-8") as handle:
        text = ""
        while chunk := handle.read(65536):
            text += chunk
            match = pattern.search(text)
            if match:
                return text, match
    return None


def _exported_names(path: str) -> Optional[list[str]]:
    """A generated module's `__all__`, read from its text (it comes before any class); None if not found."""
    found = _read_until(path, _ALL)
    return re.findall(r"'([^']+)'", found[1][1]) if found else None


class _LazyServicePackage(types.ModuleType):
    """A service package whose `from .x import *` lines run when one of their names is first read."""

    def __getattr__(self, name: str):
        names, package = self.__dict__["_lazy_names"], self.__name__
        if name in names:
            submodule = importlib.import_module(f"{package}.{names[name]}")  # binds its names: see __setattr__
            if name not in self.__dict__:  # imported before this package could bind them
                types.ModuleType.__setattr__(self, name, getattr(submodule, name))
            return self.__dict__[name]
        if not name.startswith("__") and importlib.util.find_spec(f"{package}.{name}") is not None:
            return importlib.import_module(f"{package}.{name}")  # a submodule read as an attribute
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __setattr__(self, name: str, value) -> None:
        # The import system binds a submodule on its package. In the shipped package a star-imported name of
        # the same spelling holds that slot (`get_eips` the function, not its module): `__getattr__` reads it.
        if name in self.__dict__.get("_lazy_names", {}) and isinstance(value, types.ModuleType) and \
                value.__name__ == f"{self.__name__}.{name}":
            return
        super().__setattr__(name, value)

    def __dir__(self):
        return sorted(set(self.__dict__) | set(self.__dict__["__all__"]))


class _ServicePackageLoader(importlib.abc.Loader):
    """Executes a service package's `__init__.py` lazily: the names its `from .x import *` lines would bring
    are read from each module's `__all__`, and a module is imported when one of them is first read; its
    names are then bound as the star import binds them, to the same objects from the same modules. A
    package that does not have the generated shape loads as shipped."""

    def __init__(self, shipped: importlib.abc.Loader, init_path: str):
        self._shipped, self._init_path = shipped, init_path

    def create_module(self, spec):
        return None

    def exec_module(self, module) -> None:
        plan = self._plan()
        if plan is None:
            self._shipped.exec_module(module)
            return
        names, submodules = plan
        module.__dict__["_lazy_names"] = names
        # What the __init__'s plain import lines bind, and what executing it would set.
        module.__dict__.update(_builtins=builtins, typing=typing, __builtins__=builtins.__dict__,
                               _utilities=importlib.import_module("pulumi_aws._utilities"))
        # The public names the shipped package ends up with, so `from pulumi_aws.x import *` binds them all.
        module.__dict__["__all__"] = sorted(n for n in {*names, *submodules, "typing"} if not n.startswith("_"))
        module.__class__ = _LazyServicePackage  # `from . import outputs` too waits until it is read

    def _plan(self) -> Optional[tuple[dict[str, str], list[str]]]:
        """Each name the star imports bring, with the module it comes from; and every module imported (which
        the import system binds on the package)."""
        with open(self._init_path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
        directory = self._init_path.rsplit("/", 1)[0]
        names: dict[str, str] = {}
        submodules: list[str] = []
        for line in lines:
            match = _INIT_LINE.fullmatch(line)
            if match is None:
                return None
            if match["star"]:
                exported = _exported_names(f"{directory}/{match['star']}.py")
                if exported is None:
                    return None
                names.update(dict.fromkeys(exported, match["star"]))  # a later star import wins, as in Python
            if match["star"] or match["module"]:
                submodules.append(match["star"] or match["module"])
        return names, submodules


# A service's input types: `@pulumi.input_type class XArgs:` and `class XArgsDict(TypedDict):`; its output
# types: `@pulumi.output_type class X(dict):`; each after a header of imports and `__all__`. The loaders' `plan`
# checks a module has that shape (tests/test_preview_speed.py checks every module of PULUMI_AWS_VERSION
# does), and any other loads as shipped.
_INPUTS_BODY = re.compile(r"^(?:@pulumi\.input_type|class )", re.M)
_OUTPUTS_BODY = re.compile(r"^(?:@pulumi\.output_type|class )", re.M)
_TYPED_DICT = "Dict"  # the suffix of a TypedDict's name


def _build_type(module: types.ModuleType, name: str):
    """Class `name` of a lazy type module (a service's `_inputs` or `outputs`), built from the class body its
    compiled code holds when first read: the module's `_lazy_bodies` maps each name to its body, its bases
    and the pulumi decorator to apply, if any."""
    bodies = module.__dict__["_lazy_bodies"]
    if name not in bodies:
        raise AttributeError(f"module {module.__name__!r} has no attribute {name!r}")
    with _build_lock:
        if name not in module.__dict__:
            body, bases, decorator = bodies[name]
            cls = builtins.__build_class__(types.FunctionType(body, module.__dict__, name), name, *bases)
            if decorator:
                cls = getattr(module.__dict__["pulumi"], decorator)(cls)
            types.ModuleType.__setattr__(module, name, cls)
    return module.__dict__[name]


def _lazy_dir(module: types.ModuleType, names: typing.Iterable[str]) -> list[str]:
    """`dir()` of a module whose `names` its `__getattr__` answers, without the laziness's own entries."""
    return sorted((set(module.__dict__) - {"_lazy_bodies", "__getattr__", "__dir__"}) | set(names))


class _LazyInputs(types.ModuleType):
    """A service's `_inputs`, lazy (`_build_type`). A class's annotations name other input types as strings
    (`pulumi.Input['XArgs']`), which pulumi resolves in a copy of this module's namespace that
    `_globals_for_cls` makes: `_globals_for_lazy_types` builds the types a class names before that copy is
    made (the types those name wait until pulumi resolves theirs). While one of the service's modules runs
    its `from ._inputs import *`, `__all__` is what that module names (see `_ServiceModuleLoader`); otherwise
    it is the module's own."""

    @property
    def __all__(self):  # type: ignore[override]
        star = getattr(_star_names, "value", None)
        return star[1] if star is not None and star[0] is self else self.__dict__["__all__"]

    def __getattr__(self, name: str):
        return _build_type(self, name)

    def __dir__(self):
        return _lazy_dir(self, self.__dict__["_lazy_bodies"])

    def build_named_by(self, name: str) -> None:
        """Build the input types that class `name`'s body names."""
        bodies = self.__dict__["_lazy_bodies"]
        if name in bodies:
            for named in _input_types_named(bodies[name][0], bodies):
                getattr(self, named)


_build_lock = threading.RLock()
_star_names = threading.local()  # (the _inputs module, the names its star import binds) while a module runs


def _input_types_named(code: types.CodeType, bodies: dict) -> set[str]:
    """The input types a code object, and the code nested in it, names: as globals it reads, or in string
    annotations (`pulumi.Input['XArgs']`), which get_type_hints resolves in the module's namespace."""
    found, pending = set(), [code]
    while pending:
        current = pending.pop()
        if isinstance(current, types.CodeType):
            found.update(n for n in current.co_names if n in bodies)
            pending.extend(current.co_consts)
        elif isinstance(current, str):
            if current in bodies:
                found.add(current)
        elif isinstance(current, (tuple, frozenset)):  # `Union['XArgs', 'XArgsDict']` folds into one tuple
            pending.extend(current)
    return found


_sdk_globals_for_cls = types_module._globals_for_cls


def _globals_for_lazy_types(cls: type) -> Optional[dict[str, Any]]:
    """pulumi's `_globals_for_cls` (the namespace it resolves a class's annotations in: a copy of its
    module's), once the lazy input types `cls` and its bases name are built. pulumi resolves every
    annotation of pulumi_aws's classes through it (input, output and resource types alike)."""
    for base in cls.__mro__:
        module = sys.modules.get(base.__module__)
        if isinstance(module, _LazyInputs):
            module.build_named_by(base.__name__)
    return _sdk_globals_for_cls(cls)


class _TypesLoader(importlib.abc.Loader):
    """Runs a generated type module's header (imports, `__all__`) and keeps each class body for the lazy
    module; a module of another shape loads as shipped."""

    _body: re.Pattern  # where the header ends
    _names: frozenset[str]  # the names the classes' own lines read, beyond the header's and the classes'

    def __init__(self, shipped: importlib.abc.SourceLoader, path: str):
        self._shipped, self._path = shipped, path

    def create_module(self, spec):
        return None

    def exec_module(self, module) -> None:
        plan = self.plan(module.__name__)
        if plan is None:
            self._shipped.exec_module(module)
            return
        header, bodies = plan
        exec(header, module.__dict__)
        if set(module.__dict__["__all__"]) != set(bodies):
            self._shipped.exec_module(module)
            return
        module.__dict__["_lazy_bodies"] = self._classes(module, bodies)
        with _build_lock:  # from now on pulumi resolves annotations through the hook (and stays so)
            types_module._globals_for_cls = _globals_for_lazy_types
        self._make_lazy(module)

    def plan(self, name: str) -> Optional[tuple[types.CodeType, dict[str, types.CodeType]]]:
        """The compiled header and each class's body, if the module has the generated shape: a header, then
        only classes named as generated, none needing a closure, and nothing else at the top level (no name
        beyond the header's, the classes' and `_names`)."""
        found = _read_until(self._path, self._body)
        if found is None:
            return None
        header = compile(found[0][:found[1].start()], self._path, "exec", dont_inherit=True)
        code = self._shipped.get_code(name)
        bodies = {c.co_name: c for c in code.co_consts if isinstance(c, types.CodeType)}
        if any(c.co_freevars for c in bodies.values()) or not all(self._generated(n) for n in bodies) or \
                not set(code.co_names) <= set(header.co_names) | set(bodies) | self._names:
            return None
        return header, bodies

    @staticmethod
    def _generated(name: str) -> bool:
        return True

    def _classes(self, module, bodies: dict[str, types.CodeType]) -> dict[str, tuple]:
        raise NotImplementedError

    def _make_lazy(self, module) -> None:
        raise NotImplementedError


class _InputsLoader(_TypesLoader):
    _body, _names = _INPUTS_BODY, frozenset({"input_type"})

    @staticmethod
    def _generated(name):
        return name.endswith("Args") or name.endswith("Args" + _TYPED_DICT)

    def _classes(self, module, bodies):
        typed_dict = module.__dict__["TypedDict"]
        return {n: (body, (typed_dict,), None) if n.endswith(_TYPED_DICT) else (body, (), "input_type")
                for n, body in bodies.items()}

    def _make_lazy(self, module):
        module.__class__ = _LazyInputs


class _OutputsLoader(_TypesLoader):
    """A service's `outputs`, lazy (`_build_type`) through a module `__getattr__`, so it stays a plain module.
    Every class is `@pulumi.output_type class X(dict):` and names the others only as `outputs.X` (the module
    reads itself through `from . import outputs`): an attribute read, which builds the class then
    (tests/test_preview_speed.py reads every `outputs` of PULUMI_AWS_VERSION for both)."""

    _body, _names = _OUTPUTS_BODY, frozenset({"output_type", "dict"})

    def _classes(self, module, bodies):
        return {n: (body, (dict,), "output_type") for n, body in bodies.items()}

    def _make_lazy(self, module):
        module.__dict__["__getattr__"] = functools.partial(_build_type, module)
        module.__dict__["__dir__"] = functools.partial(_lazy_dir, module, module.__dict__["_lazy_bodies"])


class _ServiceModuleLoader(importlib.abc.Loader):
    """A module of a lazy service package that star-imports its `_inputs`: that import binds only the input
    types the module names (as globals, or in annotations, which get_type_hints resolves in the module's
    namespace), building them; any other is read through the module's `__getattr__`."""

    def __init__(self, shipped: importlib.abc.SourceLoader):
        self._shipped = shipped

    def create_module(self, spec):
        return None

    def exec_module(self, module) -> None:
        code = self._shipped.get_code(module.__name__)
        inputs = importlib.import_module(module.__name__.rpartition(".")[0] + "._inputs") \
            if "_inputs" in code.co_names else None
        if not isinstance(inputs, _LazyInputs):
            exec(code, module.__dict__)
            return
        bodies = inputs.__dict__["_lazy_bodies"]
        wanted = sorted(_input_types_named(code, bodies))
        for name in wanted:
            getattr(inputs, name)
        outer = getattr(_star_names, "value", None)
        _star_names.value = (inputs, wanted)
        try:
            exec(code, module.__dict__)
        finally:
            _star_names.value = outer

        def __getattr__(name: str):
            if name in bodies:
                return getattr(inputs, name)
            raise AttributeError(f"module {module.__name__!r} has no attribute {name!r}")

        module.__dict__.setdefault("__getattr__", __getattr__)
        module.__dict__.setdefault("__dir__", functools.partial(_lazy_dir, module, bodies))


def _in_lazy_package(package: str) -> bool:
    """Whether a package is a lazy service package, or will be when pulumi_aws's own lazy import loads it."""
    module = sys.modules.get(package)
    if isinstance(module, _LazyServicePackage):
        return True
    # Read past pulumi's lazy module, whose attribute reads would load the package here.
    spec = types.ModuleType.__getattribute__(module, "__spec__") if isinstance(module, types.ModuleType) else None
    return isinstance(getattr(spec, "loader", None), _ServicePackageLoader)


class _ServicePackageFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        package, _, short = fullname.rpartition(".")
        if _in_lazy_package(package):
            spec = importlib.machinery.PathFinder.find_spec(fullname, path)
            if spec is None or not spec.origin or not spec.origin.endswith(".py") or \
                    not isinstance(spec.loader, importlib.machinery.SourceFileLoader):
                return spec
            loaders = {"_inputs": _InputsLoader, "outputs": _OutputsLoader}
            spec.loader = loaders[short](spec.loader, spec.origin) if short in loaders else \
                _ServiceModuleLoader(spec.loader)
            return spec
        if not _SERVICE_PACKAGE.fullmatch(fullname):
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or not spec.submodule_search_locations or not spec.origin or \
                not spec.origin.endswith("__init__.py"):
            return spec
        spec.loader = _ServicePackageLoader(spec.loader, spec.origin)
        return spec


_finder = _ServicePackageFinder()


def aws_shims_apply(version: Optional[str] = None) -> bool:
    """Whether the installed pulumi-aws is the one the lazy service packages were written for, and pulumi the
    one whose `_globals_for_cls` they hook."""
    return (version or _installed("pulumi-aws")) == PULUMI_AWS_VERSION and pulumi_shims_apply()


@contextlib.contextmanager
def lazy_service_packages(enabled: bool = True) -> Iterator[bool]:
    """Within the block, a pulumi_aws service package found for the first time loads its modules lazily (a
    package found before, in this process, stays as it was). Yields whether the finder is in place."""
    if not enabled or not aws_shims_apply():
        yield False
        return
    with _install_lock:
        installed = _finder not in sys.meta_path
        if installed:
            sys.meta_path.insert(0, _finder)
    try:
        yield True
    finally:
        if installed:
            with _install_lock:
                sys.meta_path.remove(_finder)


# Each SDK function a mock run replaces: (module, name, replacement).
_MOCK_RUN_SHIMS = (
    (stack_module, "wait_for_rpcs", _wait_for_rpcs),
    (resource_module, "_get_stack_trace", _no_stack_trace),
    (rpc_module, "declare_dependency", _declare_dependency),
    (mocks_module, "_sync_await", _sync_await),
    (mocks_module.MockMonitor, "RegisterResource", _register_resource),
    (output_module.Output, "_track", _track),
    (types_module, "unwrap_type", _unwrap_type),
    (rpc_module, "contains_unknowns", _contains_unknowns),
)


@contextlib.contextmanager
def mock_run_shims(enabled: bool = True, *, version: Optional[str] = None) -> Iterator[bool]:
    """Within the block, a program run under mocks uses the replacements in `_MOCK_RUN_SHIMS`.

    Yields whether the shims are in place: not when disabled, nor on a pulumi other than PULUMI_VERSION
    (`version` stands in for the installed one, for tests), where the SDK's own functions run.
    """
    if not enabled or not pulumi_shims_apply(version):
        yield False
        return
    with _install_lock:
        installed = stack_module.wait_for_rpcs is not _wait_for_rpcs
        originals = [getattr(module, name) for module, name, _ in _MOCK_RUN_SHIMS]
        if installed:
            for module, name, shim in _MOCK_RUN_SHIMS:
                setattr(module, name, shim)
    try:
        yield True
    finally:
        if installed:
            with _install_lock:
                for (module, name, _), original in zip(_MOCK_RUN_SHIMS, originals):
                    setattr(module, name, original)
                # Each run imports the program's modules afresh, so its annotations are new objects: kept,
                # they would keep every run's modules alive.
                _unwrapped.clear()
