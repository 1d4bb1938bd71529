"""Every stack file (the four regional stacks' and the global layer's) with one setting changed to a value of
another kind, an extreme or nothing, removed, or its list reordered or grown: config gives its config or one line
naming the stack file, never another exception. A fuzz in this shape (15,549 mutations of the regional files, and
the 402 distinct ones config accepted previewed with the pack; 482 of the global file's, its 31 accepted
previewed) found config accepting a usage plan rate that WAF's rate rule then refused; the regular run keeps the
kinds of value most likely to break a reader, the slow run every one."""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

from components import edge
from components.config import PROJECT, ConfigError, parse_config, plain_text_paths
from tools.mockrun import stack_file_config

ROOT = Path(__file__).resolve().parent.parent
# Each stack file, its project and how the program reads it: the four regional stacks and the global layer.
STACKS = {
    **{stack: (ROOT / f"Pulumi.{stack}.yaml", PROJECT, lambda raw, name, region, tags, plain:
               parse_config(raw, name, region, tags, plain)) for stack in ("dev", "prod", "prod-eu", "iot")},
    "global": (ROOT / "global" / "Pulumi.prod.yaml", edge.PROJECT, lambda raw, name, region, tags, plain:
               edge.parse_edge_config(raw, name, region, tags)),
}

# The kinds of value a reader could mistake: nothing, another type, an extreme, a line break, a non-ASCII letter.
FEW = (None, "", -1, [], {}, "x" * 300)
EVERY = FEW + (0, 2**40, 1.5, True, False, "a\nb", "ü", [None], [{}], {"a": 1}, "0", "-", "*")
REMOVED, REVERSED, GROWN = object(), object(), object()


def _key_paths(value: Any, path: tuple = ()) -> Iterator[tuple]:
    if path:
        yield path
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        yield from _key_paths(child, path + (key,))


def _mutated(config: dict, path: tuple, change: Any) -> dict:
    config = copy.deepcopy(config)
    parent = config
    for key in path[:-1]:
        parent = parent[key]
    if change is REMOVED:
        del parent[path[-1]]
    elif change is REVERSED:
        parent[path[-1]].reverse()
    elif change is GROWN:
        parent[path[-1]].append(copy.deepcopy(parent[path[-1]][0]))
    else:
        parent[path[-1]] = copy.deepcopy(change)
    return config


def _as_the_program_gets_it(value: Any) -> Any:
    """A top-level value as `read_project_config` hands it on: Pulumi passes a structured one as JSON text, a
    scalar as a string (`key:` with no value as an empty one), and the program decodes what is JSON."""
    if value is None:
        return ""
    text = json.dumps(value) if isinstance(value, (dict, list, bool)) else str(value)
    try:
        return json.loads(text)
    except ValueError:
        return text


def _problems(stack: str, values: tuple) -> tuple[int, list[str]]:
    stack_file, project, parse = STACKS[stack]
    # As the offline preview passes it: a `secure:` value as its placeholder (prod's keys), which config takes.
    config, region = stack_file_config(stack_file, project)
    tags = yaml.safe_load(stack_file.read_text())["config"].get("aws:defaultTags")
    tags = json.dumps(tags) if isinstance(tags, dict) else tags
    plain = plain_text_paths(stack_file, project)
    parse({key: _as_the_program_gets_it(value) for key, value in config.items()}, stack_file.name, region, tags,
          plain)  # the stack file as it is parses
    changes = [(path, change) for path in _key_paths(config) for change in values + (REMOVED,)]
    lists = [path for path in _key_paths(config) if isinstance(_value_at(config, path), list)
             and _value_at(config, path)]
    changes += [(path, change) for path in lists for change in (REVERSED, GROWN)]
    problems = []
    for path, change in changes:
        raw = {key: _as_the_program_gets_it(value) for key, value in _mutated(config, path, change).items()}
        try:
            parse(raw, stack_file.name, region, tags, plain)
        except ConfigError as error:
            message = str(error)
            if not message.startswith(f"{stack_file.name}: ") or "\n" in message:
                problems.append(f"{path} = {change!r}: {message!r}")
        except Exception as error:  # anything else is a traceback for whoever wrote the stack file
            problems.append(f"{path} = {change!r}: {type(error).__name__}: {error}")
    return len(changes), problems


def _value_at(config: dict, path: tuple) -> Any:
    for key in path:
        config = config[key]
    return config


@pytest.mark.parametrize("stack", STACKS)
def test_a_stack_file_with_one_setting_changed_gives_a_config_or_one_line(stack):
    tried, problems = _problems(stack, FEW)
    assert tried > (100 if stack == "global" else 1000) and problems == []


@pytest.mark.slow
@pytest.mark.parametrize("stack", STACKS)
def test_a_stack_file_with_one_setting_changed_to_anything_gives_a_config_or_one_line(stack):
    tried, problems = _problems(stack, EVERY)
    assert tried > (300 if stack == "global" else 3000) and problems == []
