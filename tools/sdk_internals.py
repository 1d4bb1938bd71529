"""Every place where the offline preview reaches into SDK internals for speed, in one module.

Each shim is checked against the SDK version it was written for and read against; on any other version
it does nothing, and the SDK's own behaviour applies (slower, same results). docs/performance.md says
which upstream change would make each shim unnecessary.

- `shared_property_conversion`: pulumi-policy's analyzer converts a request's properties
  (`MessageToDict`, `deserialize_properties`, `unknown_checking_proxy`) once per *policy*; here once per
  request, and every policy reads the same (read-only) proxy.
"""
from __future__ import annotations

import contextlib
import importlib.metadata
import threading
from typing import Any, Callable, Iterator, Optional

import pulumi_policy.policy as policy_module
from pulumi_policy import proxy as proxy_module

# The versions whose internals these shims were read against (requirements.txt pins them).
PULUMI_POLICY_VERSION = "1.21.0"


def _installed(distribution: str) -> Optional[str]:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


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
    """Memoises the analyzer's three conversion steps by the identity of their input, for one request.

    Each memo keeps its input alive, so an id cannot be reused by another object while it is cached.
    """

    def __init__(self, message_to_dict: Callable, deserialize: Callable, make_proxy: Callable):
        self._message_to_dict, self._deserialize, self._make_proxy = message_to_dict, deserialize, make_proxy
        self._dicts: dict[int, tuple[Any, Any]] = {}
        self._deserialized: dict[int, tuple[Any, Any]] = {}
        self._proxies: dict[int, tuple[Any, Any]] = {}
        self.active = False

    def clear(self) -> None:
        self._dicts.clear()
        self._deserialized.clear()
        self._proxies.clear()

    @staticmethod
    def _memo(table: dict, key_object: Any, compute: Callable[[], Any]) -> Any:
        hit = table.get(id(key_object))
        if hit is not None and hit[0] is key_object:
            return hit[1]
        value = compute()
        table[id(key_object)] = (key_object, value)
        return value

    def message_to_dict(self, message, *args, **kwargs):
        if not self.active or args or kwargs:
            return self._message_to_dict(message, *args, **kwargs)
        return self._memo(self._dicts, message, lambda: self._message_to_dict(message))

    def deserialize_properties(self, props, proxy_secrets: bool = False):
        if not self.active or proxy_secrets:
            return self._deserialize(props, proxy_secrets)
        return self._memo(self._deserialized, props, lambda: self._deserialize(props))

    def unknown_checking_proxy(self, props):
        if not self.active:
            return self._make_proxy(props)

        def build():
            proxied = self._make_proxy(props)
            _make_read_only(proxied)
            return proxied
        return self._memo(self._proxies, props, build)


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
        originals = (policy_module.json_format, policy_module.deserialize_properties,
                     policy_module.unknown_checking_proxy)
        if isinstance(originals[0], _JsonFormat):  # already installed by an enclosing block
            conversions = originals[0]._conversions
            installed = False
        else:
            conversions = _Conversions(originals[0].MessageToDict, originals[1], originals[2])
            policy_module.json_format = _JsonFormat(originals[0], conversions)
            policy_module.deserialize_properties = conversions.deserialize_properties
            policy_module.unknown_checking_proxy = conversions.unknown_checking_proxy
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
