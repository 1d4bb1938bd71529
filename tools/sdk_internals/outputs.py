"""pulumi's outputs under mocks: the wait for outstanding outputs, their tracking, and the walks made for every
value.

- the SDK's `wait_for_rpcs` waits for outstanding outputs with `asyncio.wait(FIRST_COMPLETED)` in a loop,
  registering a callback on every pending output on every pass (millions at 200 services); `_wait_for_rpcs`
  registers one callback per output and wakes on the first failure or when all are done;
- every output registers a done callback that drops it from the run's set of outputs once it succeeds, and
  the loop runs each of those callbacks; `_track` drops succeeded ones in a sweep instead, whenever the set
  has doubled;
- `serialize_property` unwraps each value's type annotation (`unwrap_type`: Output[T], Input[T],
  Optional[T]) afresh for every value; `_unwrap_type` remembers the answer per annotation for the run;
- `serialize_property` gives a string, number, boolean or None back unchanged after some fifteen checks;
  `_serialize_property` answers those first;
- `contains_unknowns` leaves a reference cycle per call (an inner function that calls itself), which a
  one-run preview, its collector off, never frees; `_contains_unknowns` is the same walk without one;
- `transfer_properties` gives each of a resource's output properties four futures and a task that gathers them
  into the output's data; `_transfer_properties` gives it one future, which its resolver fills with that data;
- `Output.from_input` unwraps a dict or list through an `Output.all` (a task) per level, nested ones included,
  though most it is given hold plain data (a resolved value gathered again); `_from_input` makes the output such
  data ends as at once.
"""
from __future__ import annotations

import asyncio
import functools
import threading
import types
import typing
import weakref
from typing import Any, Callable, Optional

from pulumi import _types as types_module
from pulumi.output import Output, _OutputData
from pulumi.runtime import known_types
from pulumi.runtime import rpc as rpc_module
from pulumi.runtime.settings import SETTINGS, Settings, _get_rpc_manager


def _context_getter(name: str) -> Callable[[], Any]:
    """`SETTINGS.<name>` through its context property's getter: read as an attribute, it calls the getter twice (is
    the value a dict? then the value). A pulumi whose Settings has no such property gets the attribute read."""
    prop = vars(Settings).get(name)
    return prop.fget if hasattr(prop, "fget") else lambda: getattr(SETTINGS, name)


_OUTPUTS, _LOCK = _context_getter("outputs"), _context_getter("lock")  # the run's set of outputs, and its lock


def _leaf(value: Any) -> bool:
    """A string, number, boolean or None: nothing inside it, so no unknown, and what `serialize_property` gives back
    as it is. Types compared by identity: a type whose metaclass defines `__eq__` alone cannot be hashed."""
    kind = type(value)
    return kind is str or kind is int or kind is float or kind is bool or value is None


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
    with _LOCK():
        outputs = _OUTPUTS()
        if _TrackedOutputs.outputs() is not outputs:
            _TrackedOutputs.outputs, _TrackedOutputs.after_sweep = weakref.ref(outputs), 0
        outputs.add(self._data)
        if len(outputs) >= 2 * _TrackedOutputs.after_sweep + 4096:
            outputs.difference_update([task for task in outputs if task.done() and not _failed(task)])
            _TrackedOutputs.after_sweep = len(outputs)


def _contains_unknowns(val: Any) -> bool:
    """pulumi 3.272.0's `contains_unknowns` without its inner function that calls itself: such a closure
    refers to itself, a reference cycle on every call (some 50 a resource), which only the cyclic collector
    frees. A one-run preview has the collector off, so they stayed: about 130 MiB at 200 services. Most values
    asked about are strings or numbers (`_leaf`), answered before anything else."""
    return _unknown_in(val, set())


def _unknown_in(val: Any, seen_ids: set) -> bool:
    if _leaf(val):
        return False
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


_sdk_serialize_property = rpc_module.serialize_property


async def _serialize_property(value: Any, deps: Optional[list], property_key: Optional[str], resource_obj: Any = None,
                              input_transformer: Optional[Callable[[str], str]] = None, typ: Optional[type] = None,
                              keep_output_values: bool = False, exclude_resource_refs_from_deps: bool = False,
                              return_protobuf_value: bool = False) -> Any:
    """pulumi 3.272.0's `serialize_property`, which it calls for every value of every input, nested ones included:
    a string, number, boolean or None comes back unchanged, but only after some fifteen checks, two of them
    `isinstance` against ABCs (Sequence, Mapping). Those are most of its calls; the rest go to the SDK's, whose
    recursion comes back here. The type annotation is unwrapped first, as the SDK does (remembered under mocks):
    a union with None first (`Union[None, str]`) fails there."""
    if not return_protobuf_value and _leaf(value):
        if typ:
            types_module.unwrap_type(typ)
        return value
    return await _sdk_serialize_property(value, deps, property_key, resource_obj, input_transformer, typ,
                                         keep_output_values, exclude_resource_refs_from_deps, return_protobuf_value)


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


def forget_unwrapped_types() -> None:
    """Drop `_unwrap_type`'s answers when a run ends: each run imports the program's modules afresh, so its
    annotations are new objects, and kept they would keep every run's modules alive."""
    _unwrapped.clear()


_sdk_from_input = Output.from_input
_NOT_PLAIN = object()


def _from_input(val: Any) -> Output:
    """pulumi 3.272.0's `Output.from_input`, which unwraps a non-empty dict or list by making an output of each key
    and value, nested ones included, and gathering them with `Output.all` (a task, and an apply for a dict, per
    level): a resolved value passed to `Output.all` or an apply's result is unwrapped so, every time. Where the
    whole value is plain data (`_plain_copy`), the output is the one those tasks would end with: known, not
    secret, no resources, and a copy of the value made as theirs is made. Anything else goes to the SDK's.
    One difference: the copy is made now, where the SDK reads a dict's nested values a loop turn later, so a
    program that changed a nested dict or list just after handing it over would see the change only there."""
    kind = type(val)
    if (kind is dict or kind is list) and val:
        try:
            copied = _plain_copy(val)
        except RecursionError:  # nested deeper than a walk can go: the SDK's tasks nest without recursing
            copied = _NOT_PLAIN
        if copied is not _NOT_PLAIN:
            data = _OutputData(resources=set(), value=copied, is_known=False, is_secret=False)
            data.is_known = True  # plain data holds no unknown: known, without `__post_init__` walking it again
            future: asyncio.Future = asyncio.Future()
            future.set_result(data)
            return Output._from_data(future)
    return _sdk_from_input(val)


def _plain_copy(value: Any) -> Any:
    """`value`, an exact dict or list, as `from_input` would rebuild it when it holds only strings, numbers,
    booleans, None and exact dicts (with string keys) and lists of them: each non-empty dict and list new (a
    dict's keys in the same order), each empty one the same object (the SDK takes it as a prompt value).
    `_NOT_PLAIN` otherwise (an output, an unknown, a tuple, a subclass, a key `Output.all(**d)` would refuse)."""
    if type(value) is dict:
        copied: Any = {}
        for key, item in value.items():
            if type(key) is not str:
                return _NOT_PLAIN
            copied[key] = item = _plain_item(item)
            if item is _NOT_PLAIN:
                return _NOT_PLAIN
        return copied
    copied = []
    for item in value:
        item = _plain_item(item)
        if item is _NOT_PLAIN:
            return _NOT_PLAIN
        copied.append(item)
    return copied


def _plain_item(item: Any) -> Any:
    """One key's value or list item for `_plain_copy`: a leaf or an empty container as it is, a non-empty
    container copied, `_NOT_PLAIN` for anything else."""
    if _leaf(item):
        return item
    kind = type(item)
    if kind is dict or kind is list:
        return _plain_copy(item) if item else item
    return _NOT_PLAIN


# Each failed resolution's unread failure, until its run lets it go (`release_unread_failures`, by its loop: runs
# in two threads at once keep theirs apart).
_unread_failures: list[asyncio.Future] = []
_unread_lock = threading.Lock()


def release_unread_failures(loop: asyncio.AbstractEventLoop) -> None:
    """Let the failures of the run on `loop` go, once it has ended: its loop's exception handler by then knows
    which failure the run reported (mockrun drops that one's log and logs any other)."""
    with _unread_lock:
        mine = [future for future in _unread_failures if future.get_loop() is loop]
        _unread_failures[:] = [future for future in _unread_failures if future.get_loop() is not loop]
    del mine  # freed outside the lock: asyncio reports each the run's handler does not drop


def _transfer_properties(res: Any, props: Any, custom: bool) -> dict[str, Callable[..., None]]:
    """pulumi 3.272.0's `transfer_properties`, which makes each output property of a new resource (some 15 a
    resource) from four futures (value, known, secret, dependencies) and a task that awaits them into the
    output's data: the task's two steps and its wake-up are about a third of the event loop's callbacks in a
    prod run. Here each property's output is one future, and its resolver (the same arguments, called as the
    SDK calls it) sets the data the task would have made, or the failure the task would have ended with."""
    resolvers: dict[str, Callable[..., None]] = {}
    for name in props:
        if name == "urn" or (name == "id" and custom):  # made elsewhere (`resource_output`), as in the SDK
            continue
        data: asyncio.Future = asyncio.Future()
        resolvers[name] = functools.partial(_resolve_output, res, data)
        res.__dict__[name] = Output._from_data(data)
    return resolvers


def _resolve_output(res: Any, data: asyncio.Future, value: Any, is_known: bool, is_secret: bool, deps: Any,
                    failed: Optional[Exception]) -> None:
    """The SDK's `do_resolve` and what its task then builds from the four futures: the output's data, the
    resource joined to the value's dependencies, or the failure."""
    if failed is not None:
        data.set_exception(failed)
        # The SDK's known and secret futures of a failed resolution are never read, so asyncio logs the failure
        # when the collector frees them, after the run: that is how a second, different bug reaches the log
        # (mockrun drops the reported one's). One such future an output, kept until its run ends, does the same.
        unread: asyncio.Future = data.get_loop().create_future()
        unread.set_exception(failed)
        with _unread_lock:
            _unread_failures.append(unread)
        return
    resources = set(deps) if deps else set()
    resources.add(res)
    data.set_result(_OutputData(resources=resources, value=value, is_known=is_known, is_secret=is_secret))
