"""Every place where the offline preview reaches into SDK internals for speed, in one package.

Each shim is checked against the SDK version it was written for and read against (`pins`); on any other
version it does nothing, and the SDK's own behaviour applies (slower, same results). docs/performance.md
says which upstream change would make each shim unnecessary.

- `analyzer` (pulumi-policy): one conversion of each request's properties, shared by all policies, and the
  stack's resource graph built once (`shared_property_conversion`, `StackResources`);
- for a program run under mocks only (`program.mock_run_shims` puts their replacements of SDK functions in
  and takes them out):
  - `outputs` (pulumi): the wait for outstanding outputs, output tracking, the walks made for every value
    (`unwrap_type`, `contains_unknowns`), a new resource's output properties (`transfer_properties`), and
    outputs of plain data (`Output.from_input`);
  - `monitor` (pulumi): no stack traces, no chain of outputs for a URN a mock run never uses (`create_urn`),
    the mock monitor's replies, and (`run_monitor_calls_inline`, which changes the mock run's own event loop
    rather than an SDK function) its calls made on the loop's thread;
  - `dependencies` (pulumi): the cycle check for every dependency, kept incrementally;
  - `dataclass_code` (Python's dataclasses, pinned to its own Python version): each generated method's text
    compiled once, for the program's modules imported afresh on every run;
- `lazy_aws` (pulumi_aws): service packages, and their input, output and enum types, loaded when first read
  (`lazy_service_packages`);
- `lazy_pulumi` (pulumi): the two packages `pulumi/__init__.py` imports that a program run never reads, run when
  first read, in a process that runs one preview (`defer_unused_packages`, called before pulumi is imported:
  hence this package loads its exports only when they are read).

Each block that puts shims in (`mock_run_shims`, `shared_property_conversion`, `lazy_service_packages`) keeps them
in until the last such block open in the process ends (`pins.SharedInstall`): runs in two threads overlap.

The version checks read `pins`' own globals: a test that switches a shim off patches `pins`, not the names
this package re-exports. A replacement of an SDK function keeps the SDK's name with a leading underscore
(`outputs._track`): private to this package, read by `program` and the tests.
"""
import importlib
from typing import Any

# What this package exports, and the submodule each comes from: loaded when first read, so that importing a
# submodule that must run before pulumi is imported (`lazy_pulumi`) does not import pulumi through the others.
_EXPORTS = {
    "SharedPropsModified": "analyzer", "StackResources": "analyzer", "analyze_built_stack": "analyzer",
    "building_stacks": "analyzer", "shared_property_conversion": "analyzer",
    "lazy_service_packages": "lazy_aws",
    "release_unread_failures": "outputs",
    "ROOT_STACK_TYPE": "monitor", "EchoedState": "monitor", "EchoingMocks": "monitor",
    "run_monitor_calls_inline": "monitor",
    "aws_shims_apply": "pins", "policy_shims_apply": "pins", "pulumi_shims_apply": "pins",
    "mock_run_shims": "program",
}
__all__ = sorted(_EXPORTS)


_SUBMODULES = ("analyzer", "dataclass_code", "dependencies", "lazy_aws", "lazy_pulumi", "monitor", "outputs", "pins", "program")


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")  # binds itself on this package
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    globals()[name] = value
    return value
