"""pulumi: `pulumi/__init__.py` imports `pulumi.automation` (the Automation API: workspaces, YAML, the CLI's
event types) and `pulumi.dynamic` (dynamic providers, dill), which a program run under mocks never reads: about
100 ms of a fresh preview process. A process that runs one preview calls `defer_unused_packages()` before anything
imports pulumi; the two then run when first read (the standard library's `importlib.util.LazyLoader`), as a
program that does use them gets them, whole, on its first read.
"""
from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys

from . import pins

DEFERRED = ("pulumi.automation", "pulumi.dynamic")


class _DeferringFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        if fullname not in DEFERRED:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            spec.loader = importlib.util.LazyLoader(spec.loader)
        return spec


_finder = _DeferringFinder()


def defer_unused_packages() -> bool:
    """Before pulumi is first imported: `DEFERRED` run when first read. Nothing changes once pulumi is imported,
    or on a pulumi other than PULUMI_VERSION (whose `__init__` may need them). Returns whether they are deferred."""
    if "pulumi" in sys.modules or not pins.pulumi_shims_apply():
        return False
    if _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)
    return True
