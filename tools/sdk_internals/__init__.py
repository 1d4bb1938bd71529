"""Every place where the offline preview reaches into SDK internals for speed, in one package.

Each shim is checked against the SDK version it was written for and read against (`pins`); on any other
version it does nothing, and the SDK's own behaviour applies (slower, same results). docs/performance.md
says which upstream change would make each shim unnecessary.

- `analyzer` (pulumi-policy): one conversion of each request's properties, shared by all policies, and the
  stack's resource graph built once (`shared_property_conversion`, `StackResources`);
- for a program run under mocks only (`program.mock_run_shims` puts their replacements of SDK functions in
  and takes them out):
  - `outputs` (pulumi): the wait for outstanding outputs, output tracking, and the walks made for every value
    (`unwrap_type`, `contains_unknowns`);
  - `monitor` (pulumi): no stack traces, the mock monitor's replies, and (`run_monitor_calls_inline`, which
    changes the mock run's own event loop rather than an SDK function) its calls made on the loop's thread;
  - `dependencies` (pulumi): the cycle check for every dependency, kept incrementally;
- `lazy_aws` (pulumi_aws): service packages, and their input and output types, loaded when first read
  (`lazy_service_packages`).

The version checks read `pins`' own globals: a test that switches a shim off patches `pins`, not the names
this package re-exports. A replacement of an SDK function keeps the SDK's name with a leading underscore
(`outputs._track`): private to this package, read by `program` and the tests.
"""
from .analyzer import (SharedPropsModified, StackResources, analyze_built_stack, building_stacks,
                       shared_property_conversion)
from .lazy_aws import lazy_service_packages
from .monitor import ROOT_STACK_TYPE, EchoedState, EchoingMocks, run_monitor_calls_inline
from .pins import aws_shims_apply, policy_shims_apply, pulumi_shims_apply
from .program import mock_run_shims

__all__ = ["ROOT_STACK_TYPE", "EchoedState", "EchoingMocks", "SharedPropsModified", "StackResources",
           "analyze_built_stack", "aws_shims_apply", "building_stacks", "lazy_service_packages", "mock_run_shims",
           "policy_shims_apply", "pulumi_shims_apply", "run_monitor_calls_inline", "shared_property_conversion"]
