"""Stack policies of one shape: a resource must be named by a companion resource that does what it cannot do itself
(a firewall's or a web ACL's logging configuration, a load balancer's web ACL association, a bus's policy), and is
reported where nothing in the stack refers to it, nor may once the update tells its unknown values (`referring`).
Each family registers its own next to its other checks (`companion_policy`), with its types and words."""
from __future__ import annotations

from typing import Any, Callable, Iterable, Iterator, Optional

from pulumi_policy import Severity, StackValidationArgs

from .registry import StackCheck, stack_policy
from .stack import of_type, referring


def unreferred(resources: list, targets: Iterable[Any], holder_types: tuple[str, ...], prop_name: str,
               keys: Iterable[str], *, regional: bool = False) -> Iterator[Any]:
    """The `targets` that no resource of `holder_types` refers to by `prop_name` (naming one of their `keys`), nor may
    once its value is known; `regional` as for `referring`."""
    keys = tuple(keys)
    for target in targets:
        found, maybe = referring(resources, holder_types, prop_name, target, keys=keys, regional=regional)
        if not found and not maybe:
            yield target


def companion_policy(name: str, reports_on: str | tuple[str, ...], holder_types: tuple[str, ...], prop_name: str,
                     keys: Iterable[str], finding: Callable[[Any], str], *, checks: str, description: str,
                     severity: Severity, regional: bool = False,
                     judged: Optional[Callable[[list], Iterable[Any]]] = None, **options: Any) -> StackCheck:
    """Register the stack policy `name`: each resource `judged(resources)` picks (every one of `reports_on` where it
    is left out) is named by the `prop_name` of a resource of `holder_types` (`unreferred`); `finding(resource)` says
    what one that is not goes without. `checks` is the catalogue's text, and `options` go to `stack_policy`. Returns
    the check, as `stack_policy` does."""
    keys, types = tuple(keys), (reports_on,) if isinstance(reports_on, str) else tuple(reports_on)

    def check(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
        targets = judged(args.resources) if judged is not None else of_type(args.resources, *types)
        for target in unreferred(args.resources, targets, holder_types, prop_name, keys, regional=regional):
            yield finding(target), target.urn

    # The catalogue files the policy under the family module that words its finding.
    check.__module__ = finding.__module__
    return stack_policy(name, reports_on, checks=checks, description=description, severity=severity,
                        **options)(check)
