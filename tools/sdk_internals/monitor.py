"""pulumi's registrations under mocks: what the SDK does for the engine that the mock monitor never needs.

- the SDK walks the Python stack for every registration (`_get_stack_trace`) to give the engine source
  positions, which the mock monitor never reads; `_no_stack_trace` returns an empty trace;
- before every registration the SDK awaits the URN it would give a resource if there were no monitor
  (`create_urn`: a chain of outputs, applies and a gather); a mock run has one, so the URN goes unused.
  `_create_urn` makes it from plain strings at once, as a known output;
- the mock monitor serialises each new resource's state with `_sync_await`, which runs an event loop in the
  monitor's thread for a coroutine that, on plain mock data, finishes without ever waiting; the replacement
  drives such a coroutine to its end directly and hands the rest of any that does wait to the SDK's
  `_sync_await`. For the preview's own mocks (`EchoingMocks`: the state is the inputs plus a few outputs),
  `_register_resource` skips the deserialising and serialising altogether where the inputs' Struct
  round-trips (no nulls, no secrets, assets or references: read from its wire bytes): the reply is that
  Struct plus the added outputs;
- the SDK makes every monitor call (RegisterResource, Invoke, ...) in the event loop's thread pool, so each
  registration hops to a thread and back while the two contend for the GIL; the mock monitor's calls are
  plain Python that never block, so `run_monitor_calls_inline` makes them on the loop's own thread,
  returning a finished future (a serialisation that would wait is still finished by the SDK's `_sync_await`,
  which pumps a running loop for exactly this case). A call that must first run the program's transform
  callbacks, which may await other resources, returns a task instead that runs them on the loop and then makes
  the call again (`NeedsTheLoop`).
"""
from __future__ import annotations

import asyncio
import functools
import types
import typing
import weakref
from typing import Any, Iterator, Mapping, Optional

from google.protobuf import json_format, struct_pb2
from pulumi import Output
from pulumi.runtime import mocks as mocks_module
from pulumi.runtime import resource as resource_module
from pulumi.runtime import rpc as rpc_module
from pulumi.runtime import settings as settings_module
from pulumi.runtime.proto import resource_pb2, source_pb2
from pulumi.runtime.settings import is_dry_run

from . import pins

# The type of the stack resource every program registers first (the engine leaves it out of child URNs).
ROOT_STACK_TYPE = "pulumi:pulumi:Stack"


def _no_stack_trace() -> source_pb2.StackTrace:
    return source_pb2.StackTrace()


_sdk_create_urn = resource_module.create_urn


def _create_urn(name: Any, type_: Any, parent: Any = None, project: Optional[str] = None,
                stack: Optional[str] = None) -> Output[str]:
    """pulumi 3.272.0's `create_urn`, which `do_register` awaits before every registration for a URN it uses
    only without a monitor (a mock run has one), through an output of the parent's URN, an apply, a gather of
    three outputs and another apply. With a plain string name, type and parent (or no parent), the same URN as
    a known, not secret output with no dependencies, as the SDK's resolves; anything else (an output, a
    resource) goes to the SDK's. Its other callers (alias URNs) get the same answers either way."""
    if type(name) is not str or type(type_) is not str or (parent is not None and type(parent) is not str):
        return _sdk_create_urn(name, type_, parent, project, stack)
    if parent is not None:
        prefix = parent[0:parent.rfind("::")] + "$"
    else:
        stack = settings_module.get_stack() if stack is None else stack
        project = settings_module.get_project() if project is None else project
        prefix = "urn:pulumi:" + stack + "::" + project + "::"
    return Output.from_input(prefix + type_ + "::" + name)


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

    def added_outputs(self, type_: str, name: str, custom: bool, inputs: Mapping[str, Any],
                      provider: Optional[str] = None) -> tuple[str, dict]: ...


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
                                       _InputsView(request.object), request.provider or None)
    if not _is_plain(added):
        return _sdk_register_resource(self, request)  # e.g. an output copied from an input holding an unknown
    urn = self.make_urn(request.parent, request.type, request.name)
    state = EchoedState(request.object, added)
    self.resources[urn] = mocks_module.MockMonitor.ResourceRegistration(urn, resource_id, state)
    return state.reply(urn, resource_id)


class NeedsTheLoop(Exception):
    """Raised by a monitor call made inline, before it changes anything, when it must first wait on the event loop
    (a transform's callback, which may await another resource's registration): `first` makes that wait, a coroutine
    that readies what the call needs (made only once the task runs: a task cancelled before it starts leaves no
    coroutine unawaited). `run_in_executor` hands the SDK's await a task that runs it on the loop and then makes the
    call again."""

    def __init__(self, first: typing.Callable[[], typing.Coroutine[Any, Any, Any]]):
        super().__init__("the monitor's call waits on the event loop")
        self.first = first


_INLINE_LOOPS: "weakref.WeakSet[asyncio.AbstractEventLoop]" = weakref.WeakSet()


async def _again(first: typing.Callable[[], typing.Coroutine[Any, Any, Any]], func: typing.Callable[..., Any],
                 *args: Any) -> Any:
    await first()
    return func(*args)


def makes_calls_inline(loop: Optional[asyncio.AbstractEventLoop]) -> bool:
    """Whether `run_monitor_calls_inline` changed this loop (so a call on its thread may raise NeedsTheLoop)."""
    return loop is not None and loop in _INLINE_LOOPS


def run_monitor_calls_inline(loop: asyncio.AbstractEventLoop, enabled: bool = True, *,
                             version: Optional[str] = None) -> bool:
    """On this loop (a mock run's own), `run_in_executor(None, call)` makes the call at once, on the loop's
    thread, and returns its finished future: pulumi 3.272.0 passes the thread pool only the mock monitor's
    calls, which never block; one that must wait on the loop (NeedsTheLoop) gives a task instead. Another executor is
    used as asked. Returns whether the loop was changed: not when disabled, nor on a pulumi other than
    PULUMI_VERSION (`version` stands in, for tests)."""
    if not enabled or not pins.pulumi_shims_apply(version):
        return False
    in_pool = loop.run_in_executor

    def run_in_executor(executor, func, *args):
        if executor is not None:
            return in_pool(executor, func, *args)
        future = loop.create_future()
        try:
            future.set_result(func(*args))
        except NeedsTheLoop as waits:
            return loop.create_task(_again(waits.first, func, *args))
        except Exception as exc:  # noqa: BLE001 - the caller's await raises it, as from the pool
            future.set_exception(exc)
        return future

    loop.run_in_executor = run_in_executor  # type: ignore[method-assign]
    _INLINE_LOOPS.add(loop)
    return True
