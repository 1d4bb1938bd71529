"""The guardrail policies, importable without starting a policy pack server.

Each policy registers itself with a decorator on its check (`core.registry`), in one module per AWS
resource family (`ecs/task_definition.py`, `apigateway/stage.py`, ...). Importing this package imports
every module under it, so a new module needs no list to be edited; `ALL_POLICIES` is the one list the pack
(`policies/__main__.py`), the offline preview and the tests use, and `catalogue()` is what
docs/policies.md is generated from.
"""
from __future__ import annotations

import importlib
import pkgutil

from .core.registry import Entry, catalogue


def _import_every_module() -> None:
    # walk_packages imports packages as it goes and yields names in sorted order, so the catalogue order
    # is stable: family by family, module by module, then in the order policies appear in a module.
    for module in pkgutil.walk_packages(__path__, prefix=f"{__name__}."):
        importlib.import_module(module.name)


_import_every_module()

ALL_POLICIES = [entry.policy for entry in catalogue()]
BY_NAME = {entry.name: entry.policy for entry in catalogue()}

__all__ = ["ALL_POLICIES", "BY_NAME", "Entry", "catalogue"]
