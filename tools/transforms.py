"""New-style transforms (`pulumi.runtime.register_resource_transform`, `ResourceOptions.transforms`,
`register_invoke_transform`) run as the engine runs them, under mocks.

The engine runs them, not the SDK: the program registers each as a callback on its own callback server, and
the resource monitor calls it with each registration (pkg/resource/deploy/source_eval.go, `resmon.
RegisterResource`: first the resource's own transforms, then each parent's, nearest first, then the stack's,
in the order registered; `resmon.Invoke`: the stack's invoke transforms). The SDK's mock monitor records them
and runs none (pulumi 3.272.0 `MockMonitor`: "The mock monitor does not run transforms"), so a preview
silently went on without them. Here each is called the way the engine calls it: a TransformRequest for the
callback the SDK registered (`_CallbackServicer`'s callbacks by token), on the program's event loop, and the
registration or invoke continues with what it returns. A callback this cannot find stops the preview.
"""
from __future__ import annotations

import asyncio
import threading
import weakref
from typing import Any, Callable, Coroutine, Optional

from pulumi.runtime import _callbacks
from pulumi.runtime.proto import callback_pb2, resource_pb2
from pulumi.runtime.sync_await import _sync_await

from .sdk_internals.monitor import NeedsTheLoop, makes_calls_inline


class TransformError(Exception):
    """A transform the offline preview cannot run; the message is one line for the user."""


class EngineTransforms:
    """The transforms registered in one run, and the engine's way of running them."""

    def __init__(self, loop: Optional[asyncio.AbstractEventLoop] = None,
                 failure: Callable[[str], Exception] = TransformError):
        # Weakly: a monitor outlives its run, and a loop kept alive with it would keep the run's failed futures
        # from being collected (and their "never retrieved" errors from being logged) when the caller expects.
        self._loop = weakref.ref(loop) if loop is not None else None
        self._loop_thread = threading.current_thread()
        self._failure = failure  # what a transform this cannot run raises (the preview's one-line error)
        self._done: dict[int, Any] = {}  # a request's transformed form, by the request's id, for its call again
        self._stack: list[callback_pb2.Callback] = []
        self._stack_invoke: list[callback_pb2.Callback] = []
        self._own: dict[str, list[callback_pb2.Callback]] = {}  # a resource's own transforms, by URN
        self._parents: dict[str, str] = {}
        self._lock = threading.Lock()

    def add_stack_transform(self, callback: callback_pb2.Callback) -> None:
        with self._lock:
            self._stack.append(callback)

    def add_stack_invoke_transform(self, callback: callback_pb2.Callback) -> None:
        with self._lock:
            self._stack_invoke.append(callback)

    def registered(self, urn: str, parent: str, own: Any) -> None:
        """A resource is registered (under `parent`, with its `own` transforms): its children inherit them."""
        with self._lock:
            self._parents[urn] = parent
            if own:
                self._own[urn] = list(own)

    # ----------------------------------------------------------------------------------------------
    # Resources
    # ----------------------------------------------------------------------------------------------

    def _resource_chain(self, request: Any) -> list[callback_pb2.Callback]:
        with self._lock:
            chain = list(request.transforms)
            parent = request.parent
            while parent:
                chain.extend(self._own.get(parent, ()))
                parent = self._parents.get(parent, "")
            return chain + self._stack

    def resource(self, request: Any, then: Callable[[Any], Any]) -> Any:
        """`then(the registration after its transforms)`, as the engine goes on with it: at once with the request
        itself where none applies, else once the transforms have run on the program's loop (`_on_the_loop`)."""
        chain = self._resource_chain(request)
        if not chain:
            return then(request)
        return self._on_the_loop(request, lambda: self._transformed(request, chain), then)

    async def _transformed(self, request: Any, chain: list[callback_pb2.Callback]) -> Any:
        properties, options = request.object, _resource_options(request)
        for callback in chain:
            response = await self._call(callback, resource_pb2.TransformRequest(
                type=request.type, name=request.name, custom=request.custom, parent=request.parent,
                properties=properties, options=options), f"resource {request.name!r} ({request.type})")
            if response.HasField("properties"):
                properties = response.properties
            if response.HasField("options"):
                options = response.options
        return _transformed_request(request, properties, options)

    # ----------------------------------------------------------------------------------------------
    # Invokes
    # ----------------------------------------------------------------------------------------------

    def invoke(self, request: Any, then: Callable[[Any], Any]) -> Any:
        """`then(the invoke after the stack's invoke transforms)`, as for a registration (`resource`)."""
        with self._lock:
            chain = list(self._stack_invoke)
        if not chain:
            return then(request)
        return self._on_the_loop(request, lambda: self._transformed_invoke(request, chain), then)

    async def _transformed_invoke(self, request: Any, chain: list[callback_pb2.Callback]) -> Any:
        args = request.args
        options = resource_pb2.TransformInvokeOptions(
            provider=request.provider, version=request.version, plugin_download_url=request.pluginDownloadURL,
            plugin_checksums=request.pluginChecksums)
        for callback in chain:
            response = await self._call(callback, resource_pb2.TransformInvokeRequest(
                token=request.tok, args=args, options=options), f"invoke {request.tok}")
            if response.HasField("args"):
                args = response.args
            if response.HasField("options"):
                options = response.options
        transformed = resource_pb2.ResourceInvokeRequest()
        transformed.CopyFrom(request)
        transformed.args.CopyFrom(args)
        transformed.provider, transformed.version = options.provider, options.version
        transformed.pluginDownloadURL = options.plugin_download_url
        transformed.pluginChecksums.clear()
        transformed.pluginChecksums.update(options.plugin_checksums)
        return transformed

    # ----------------------------------------------------------------------------------------------
    # Calling the program back
    # ----------------------------------------------------------------------------------------------

    async def _call(self, callback: callback_pb2.Callback, request: Any, what: str) -> Any:
        try:
            function = _callback_function(callback, what)
        except TransformError as error:
            raise self._failure(str(error)) from None
        return await function(request.SerializeToString())

    def _on_the_loop(self, request: Any, work: Callable[[], Coroutine[Any, Any, Any]],
                     then: Callable[[Any], Any]) -> Any:
        """`then(await work())`, `work` (the program's callbacks for `request`) run on the program's loop while the
        monitor's call waits, as the engine calls the program's callback server outside the registration. A
        callback may await another resource (a provider registered just before), so it must not run inside this
        call on the loop's thread, where that resource's registration would wait below it. From a thread of the
        SDK's pool: wait for the loop to run it. On the loop's thread, where the monitor's calls are made inline:
        raise NeedsTheLoop, so that the SDK awaits a task that runs `work` on the loop, keeps its result for this
        request and makes the call again (`run_monitor_calls_inline`), which then goes on with it. Outside a mock
        run's loop (a test calling the monitor), at once."""
        with self._lock:
            done = self._done.pop(id(request), _NOT_DONE)
        if done is not _NOT_DONE:
            return then(done)
        loop = self._loop() if self._loop is not None else None
        if loop is not None and threading.current_thread() is not self._loop_thread:
            return then(asyncio.run_coroutine_threadsafe(work(), loop).result())
        if makes_calls_inline(loop):
            raise NeedsTheLoop(lambda: self._keep(request, work()))
        return then(_sync_await(work()))

    async def _keep(self, request: Any, work: Coroutine[Any, Any, Any]) -> None:
        result = await work
        with self._lock:
            self._done[id(request)] = result  # the request lives until the call made again takes it


_NOT_DONE = object()


def _callback_function(callback: callback_pb2.Callback, what: str) -> Callable[[bytes], Any]:
    """The coroutine function the SDK's callback server runs for `callback` (pulumi 3.272.0's
    `_CallbackServicer._callbacks`, by token)."""
    for servicer in list(getattr(_callbacks._CallbackServicer, "_servicers", ())):
        functions = getattr(servicer, "_callbacks", {})
        if getattr(servicer, "_target", None) == callback.target and callback.token in functions:
            return functions[callback.token]
    raise TransformError(f"the offline preview cannot run a transform of {what}: this pulumi SDK's callback server "
                         f"does not hold it where pulumi 3.272.0's does, so the preview would go on without it")


def _resource_options(request: Any) -> resource_pb2.TransformResourceOptions:
    """The options the engine hands a transform (`resmon.RegisterResource`'s TransformResourceOptions)."""
    options = resource_pb2.TransformResourceOptions(
        depends_on=request.dependencies, ignore_changes=request.ignoreChanges,
        replace_on_changes=request.replaceOnChanges, version=request.version, aliases=request.aliases,
        provider=request.provider, providers=request.providers, plugin_download_url=request.pluginDownloadURL,
        deleted_with=request.deletedWith, additional_secret_outputs=request.additionalSecretOutputs,
        plugin_checksums=request.pluginChecksums, hide_diff=request.hideDiffs, replace_with=request.replace_with)
    setattr(options, "import", request.importId)  # `import` is a Python keyword
    if request.HasField("protect"):
        options.protect = request.protect
    if request.HasField("retainOnDelete"):
        options.retain_on_delete = request.retainOnDelete
    if request.deleteBeforeReplace or request.deleteBeforeReplaceDefined:
        options.delete_before_replace = request.deleteBeforeReplace
    for name, target in (("customTimeouts", "custom_timeouts"), ("hooks", "hooks"),
                         ("replacement_trigger", "replacement_trigger")):
        if request.HasField(name):
            getattr(options, target).CopyFrom(getattr(request, name))
    return options


def _transformed_request(request: Any, properties: Any, options: Any) -> Any:
    """The registration with the transforms' properties and options in place of the program's; the transforms
    themselves are done (the engine passes none on to the provider)."""
    result = resource_pb2.RegisterResourceRequest()
    result.CopyFrom(request)
    del result.transforms[:]
    result.object.Clear()
    result.object.MergeFrom(properties)
    _repeated(result.ignoreChanges, options.ignore_changes)
    _repeated(result.replaceOnChanges, options.replace_on_changes)
    _repeated(result.additionalSecretOutputs, options.additional_secret_outputs)
    _repeated(result.replace_with, options.replace_with)
    _repeated(result.hideDiffs, options.hide_diff)
    del result.aliases[:]
    result.aliases.extend(options.aliases)
    result.version, result.provider = options.version, options.provider
    result.pluginDownloadURL, result.deletedWith = options.plugin_download_url, options.deleted_with
    result.importId = getattr(options, "import")
    for mapping, values in ((result.providers, options.providers), (result.pluginChecksums, options.plugin_checksums)):
        mapping.clear()
        mapping.update(values)
    for name, target in (("protect", "protect"), ("retain_on_delete", "retainOnDelete")):
        if options.HasField(name):
            setattr(result, target, getattr(options, name))
        else:
            result.ClearField(target)
    result.deleteBeforeReplaceDefined = options.HasField("delete_before_replace")
    result.deleteBeforeReplace = options.delete_before_replace
    for name, target in (("custom_timeouts", "customTimeouts"), ("hooks", "hooks"),
                         ("replacement_trigger", "replacement_trigger")):
        if options.HasField(name):
            getattr(result, target).CopyFrom(getattr(options, name))
        else:
            result.ClearField(target)
    if request.transforms:
        _dependencies_after_own_transforms(request, result, options)
    return result


def _dependencies_after_own_transforms(request: Any, result: Any, options: Any) -> None:
    """With transforms of its own, the engine reads a resource's dependencies again after the transforms: its
    `dependsOn` option, and each property's from the output values it holds (the engine sends the properties as
    output values then). The mocks' properties carry none: a property the transforms left as it was keeps its
    dependencies, one they changed or added has none; one they dropped, none."""
    kept = {key: list(request.propertyDependencies[key].urns) if key in request.propertyDependencies
            and key in request.object.fields and value == request.object.fields[key] else []
            for key, value in result.object.fields.items()}
    result.propertyDependencies.clear()
    for key, urns in kept.items():
        result.propertyDependencies[key].urns.extend(urns)
    dependencies = dict.fromkeys(options.depends_on)
    for urns in kept.values():
        dependencies.update(dict.fromkeys(urns))
    del result.dependencies[:]
    result.dependencies.extend(dependencies)


def _repeated(field: Any, values: Any) -> None:
    del field[:]
    field.extend(values)
