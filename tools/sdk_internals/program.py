"""The shims a program run under mocks uses (`mock_run_shims`): which SDK functions they replace, and the
block that replaces them and puts the SDK's own back."""
from __future__ import annotations

import contextlib
from typing import Iterator, Optional

from pulumi import _types as types_module
from pulumi import output as output_module
from pulumi.runtime import mocks as mocks_module
from pulumi.runtime import resource as resource_module
from pulumi.runtime import rpc as rpc_module
from pulumi.runtime import stack as stack_module

from . import dataclass_code, dependencies, monitor, outputs, pins

# Each SDK function a mock run replaces: (module, name, replacement).
_MOCK_RUN_SHIMS = (
    (stack_module, "wait_for_rpcs", outputs._wait_for_rpcs),
    (resource_module, "_get_stack_trace", monitor._no_stack_trace),
    (resource_module, "create_urn", monitor._create_urn),
    (rpc_module, "declare_dependency", dependencies._declare_dependency),
    (mocks_module, "_sync_await", monitor._sync_await),
    (mocks_module.MockMonitor, "RegisterResource", monitor._register_resource),
    (output_module.Output, "_track", outputs._track),
    (types_module, "unwrap_type", outputs._unwrap_type),
    (rpc_module, "contains_unknowns", outputs._contains_unknowns),
    (rpc_module, "serialize_property", outputs._serialize_property),
    (rpc_module, "transfer_properties", outputs._transfer_properties),
    (output_module.Output, "from_input", staticmethod(outputs._from_input)),
)


def _put_in() -> list:
    """The SDK's functions, as they were, after putting each replacement in."""
    originals = [vars(module)[name] for module, name, _ in _MOCK_RUN_SHIMS]  # a static method as it is
    for module, name, shim in _MOCK_RUN_SHIMS:
        setattr(module, name, shim)
    dataclass_code.install()  # the standard library's, checked against its own pin
    return originals


def _take_out(originals: list) -> None:
    for (module, name, _), original in zip(_MOCK_RUN_SHIMS, originals):
        setattr(module, name, original)
    dataclass_code.uninstall()
    outputs.forget_unwrapped_types()


_installed = pins.SharedInstall(_put_in, _take_out)


@contextlib.contextmanager
def mock_run_shims(enabled: bool = True, *, version: Optional[str] = None) -> Iterator[bool]:
    """Within the block, a program run under mocks uses the replacements in `_MOCK_RUN_SHIMS` (in until the last
    block open in the process ends: a run in another thread may have opened its own).

    Yields whether the shims are in place: not when disabled, nor on a pulumi other than PULUMI_VERSION
    (`version` stands in for the installed one, for tests), where the SDK's own functions run.
    """
    if not enabled or not pins.pulumi_shims_apply(version):
        yield False
        return
    with _installed.hold():
        yield True
