"""Values of another shape: no check raises on a map, a list, a number, empty text or a boolean where a resource's
property (or a key one level down) holds something else.

The pack must judge any program, and a program may hand a policy what the provider's own check would refuse later. A
check that raises gives no verdict at all: pulumi-policy's analyzer servicer (`Analyze`, `AnalyzeStack`) catches only
the unknown-value error (reported as "can't run policy ... during preview") and not-applicable; any other exception
leaves the servicer, so under the CLI the analyzer call fails for the whole stack, and offline `tools.policyeval.
evaluate` (which `analyze` and the preview call) raises it. Each evaluation here fails the test by raising, and the
failure names the resource, property, shape and the pack's line that raised.

The baselines are real programs' resources as the preview captures them: the compliant programs (every policy judges
a resource there) in the quick tests, every family's throwaway program in the slow one. Each round puts one shape at
one path of every resource at once (the i-th of its paths), so a program takes (its most paths) rounds per shape. The
paths are the inputs' keys, then the state-only (output) keys the provider fills in (`id`, `arn`, a VPC's
`defaultSecurityGroupId`, ...), which stack policies read as props too. Nearly all of the time is the pack's
evaluations, a whole-stack one per round (39 of the 43 s of one case's rounds under a profiler): the default part
took 58 s of CPU, start-up and its two previews included, in one process on 2026-12-05 (the 2-core machine of
docs/performance.md's latest numbers, loaded).

What it does not reach: the items of a list of scalars (`securityGroups[0]`), keys deeper than one level down, and
values inside JSON text (a policy document's statements). And since a round changes every resource at once, one
resource's odd value can make a stack policy return (or skip a group) before it reaches the one another resource
would crash on: a false negative, which only a round per resource would rule out.
"""
from __future__ import annotations

import dataclasses
import traceback

import pytest
from pulumi.runtime import rpc

from tests.test_policies_compliant import PROGRAM, SC_PROGRAM, sc_config
from tests.test_policies_support import CONFIG, PACKS_OWN, PROGRAMS, plain_props, program, reshaped
from tools.policyeval import evaluate

SHAPES = {"map": {"x": "y"}, "list": ["x"], "int": 7, "empty": "", "true": True}
EVERY_POLICY = {"all": "mandatory"}


def _keys(props: dict, skip=()) -> list[tuple]:
    """Each key of `props` not in `skip`, each key of a map one level down, and each key of a list's first map (not
    inside an asset, a secret or a resource reference: the engine's wire forms, which no program writes)."""
    found = []
    for key, value in sorted(props.items()):
        if key in skip:
            continue
        found.append((key,))
        if isinstance(value, dict) and rpc._special_sig_key not in value:
            found += [(key, inner) for inner in sorted(value)]
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            found += [(key, 0, inner) for inner in sorted(value[0])]
    return found


def _paths(props: tuple[dict, dict]) -> list[tuple]:
    """The `_keys` of a resource's inputs, then of its state-only (output) properties: `id`, `arn`, a VPC's
    `defaultSecurityGroupId`, ..., which stack policies read as props too (`props`: its `plain_props`)."""
    inputs, state = props
    return _keys(inputs) + _keys(state, skip=inputs)


def _raised(resources: list) -> str:
    """What evaluating the stack raised, with the pack's innermost line; "" when nothing."""
    try:
        evaluate(PACKS_OWN, resources, EVERY_POLICY)
    except Exception as exc:  # noqa: BLE001 (any exception is the failure)
        inside = [f for f in traceback.extract_tb(exc.__traceback__) if "/policies/" in f.filename]
        where = f" ({inside[-1].filename.split('/policies/')[-1]}:{inside[-1].lineno})" if inside else ""
        return f"{type(exc).__name__}: {exc}{where}"
    return ""


def crashes(resources: list, shape: str) -> list[str]:
    """Every (resource, path) whose value set to `shape` makes a check raise, round by round; a round that raises
    is taken apart to name the resource and path."""
    value = SHAPES[shape]
    # Each state's Struct built once (an echoed state builds it again when read) and each resource's props
    # converted once, not every round: together about a third of the rounds' time.
    resources = [dataclasses.replace(r, state=r.state_struct) for r in resources]
    props = [plain_props(r) if r.custom else ({}, {}) for r in resources]
    paths = [_paths(p) for p in props]  # a component's ({}, {}) has none
    found = []
    for i in range(max(map(len, paths), default=0)):
        changed = {n: reshaped(r, p[i], value, props[n])
                   for n, (r, p) in enumerate(zip(resources, paths)) if i < len(p)}
        if not _raised([changed.get(n, r) for n, r in enumerate(resources)]):
            continue
        for n, odd in changed.items():
            error = _raised([odd if m == n else r for m, r in enumerate(resources)])
            if error:
                found.append(f"{odd.name}.{'.'.join(map(str, paths[n][i]))} = {value!r}: {error}")
    return found


@pytest.mark.heavy  # 1 to 3 s each (about 15 s together), so scheduled first
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name", [PROGRAM, SC_PROGRAM])
def test_no_check_raises_on_a_compliant_programs_values_of_another_shape(name, shape):
    config = CONFIG / "prod.json" if name == PROGRAM else sc_config("prod")
    assert crashes(program(name, config).resources, shape) == []


FAMILY_PROGRAMS = sorted(p.name for p in PROGRAMS.glob("policy_*") if p.name not in (PROGRAM, SC_PROGRAM))


@pytest.mark.slow
@pytest.mark.parametrize("name", FAMILY_PROGRAMS)
def test_no_check_raises_on_a_family_programs_values_of_another_shape(name):
    assert [found for shape in SHAPES for found in crashes(program(name).resources, shape)] == []
