"""Every stack file (the four regional stacks' and the global layer's) with one setting changed to a value of
another kind, an extreme or nothing, removed, or its list reordered or grown: config gives its config or one line
naming the stack file, never another exception, and what it accepts previews without an error or an API error.
The aws provider's `aws:region` and `aws:defaultTags`, which config reads too, are changed the same way. A
fuzz in this shape found config accepting a usage plan rate that WAF's rate rule then refused (iot, 2^40 a
second). The regular run parses 6 kinds of value; the slow run parses 19, and previews what config accepts. The
pack's config files likewise: a knob changed gives the pack's report or one line naming the file."""
from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

from components import edge
from components.config import PROJECT, ConfigError, config_value, parse_config, plain_text_paths
from tests.conftest import program_with_stack, shared_preview
from tools.mockrun import SECRET_PLACEHOLDER, cli_config_text, is_secure, stack_file_config
from tools.policyeval import PolicyConfigError, configure_request, evaluate, loaded_policy_pack
from tools.preview import run_preview

ROOT = Path(__file__).resolve().parent.parent
# Each stack file, its project and how the program reads it: the four regional stacks and the global layer.
STACKS = {
    **{stack: (ROOT / f"Pulumi.{stack}.yaml", PROJECT, parse_config) for stack in ("dev", "prod", "prod-eu", "iot")},
    "global": (ROOT / "global" / "Pulumi.prod.yaml", edge.PROJECT, lambda raw, name, region, tags, plain:
               edge.parse_edge_config(raw, name, region, tags)),
}

# The kinds of value a reader could mistake: nothing, another type, an extreme, a line break, a non-ASCII letter.
FEW = (None, "", -1, [], {}, "x" * 300)
EVERY = FEW + (0, 2**40, 1.5, True, False, "a\nb", "ü", [None], [{}], {"a": 1}, "0", "-", "*")
REMOVED, REVERSED, GROWN = object(), object(), object()
PROVIDER_REGIONS = (None, "", "us-east-9", "US-EAST-1", "us-east-1\n", "x" * 300, "cn-north-1", "us-gov-west-1",
                    "eu-west-1")
DEFAULT_TAGS_TEXTS = (None, "", "[]", "{", "null", '{"tags": []}', '{"tags": {"": "x"}}', '{"other": {}}',
                      '{"tags": {"Owner": null}}', '{"tags": {"Owner": "x"}}', '{"tags": {"a": "' + "x" * 300 + '"}}')


def _key_paths(value: Any, path: tuple = ()) -> Iterator[tuple]:
    if path:
        yield path
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        yield from _key_paths(child, path + (key,))


def _mutated(config: dict, path: tuple, change: Any) -> dict:
    """`config` with `change` at `path`, a copy throughout (for a reader that may change what it is given)."""
    return _changed(copy.deepcopy(config), path, change)


def _changed(config: dict, path: tuple, change: Any) -> dict:
    """`config` with `change` at `path`, copying only the containers on `path`: the rest is `config`'s own (for a
    reader that changes nothing, as `_fuzz`, whose top-level values other than the changed one are then
    `config`'s)."""
    config = dict(config)
    parent = config
    for key in path[:-1]:
        parent[key] = copy.copy(parent[key])
        parent = parent[key]
    if change is REMOVED:
        del parent[path[-1]]
    elif change is REVERSED:
        parent[path[-1]] = parent[path[-1]][::-1]
    elif change is GROWN:
        parent[path[-1]] = parent[path[-1]] + [copy.deepcopy(parent[path[-1]][0])]
    else:
        parent[path[-1]] = copy.deepcopy(change)
    return config


def _as_the_program_gets_it(value: Any) -> Any:
    """A top-level value as the program reads it: the text the CLI passes (`cli_config_text`), decoded as
    `read_project_config` decodes it (`config_value`)."""
    return config_value(cli_config_text(value))


@dataclass
class Fuzzed:
    accepted: list[tuple[tuple, Any, dict]] = field(default_factory=list)  # distinct (path, change, config)
    refusals: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)


def _fuzz(stack: str, values: tuple) -> Fuzzed:
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
    # The aws provider's settings, which config reads too (as the runtime gives them: text, or nothing).
    settings = [("aws:region", other, other, tags) for other in PROVIDER_REGIONS]
    settings += [("aws:defaultTags", other, region, other) for other in DEFAULT_TAGS_TEXTS]
    cases = [((path, change), _changed(config, path, change), region, tags) for path, change in changes]
    cases += [(((key,), change), config, case_region, case_tags) for key, change, case_region, case_tags in settings]
    # The text the CLI passes for each of the file's own top-level values, made once: a case's values are
    # `config`'s but the changed one (`_changed`), each decoded afresh for every parse.
    texts = {key: cli_config_text(value) for key, value in config.items()}
    fuzzed, seen = Fuzzed(), set()
    for (path, change), mutated, case_region, case_tags in cases:
        try:
            parse({key: config_value(texts[key]) if key in config and value is config[key]
                   else _as_the_program_gets_it(value) for key, value in mutated.items()}, stack_file.name,
                  case_region, case_tags, plain)
        except ConfigError as error:
            message = str(error)
            fuzzed.refusals.add(message)
            if not message.startswith(f"{stack_file.name}: ") or "\n" in message:
                fuzzed.problems.append(f"{path} = {change!r}: {message!r}")
        except Exception as error:  # anything else is a traceback for whoever wrote the stack file
            fuzzed.problems.append(f"{path} = {change!r}: {type(error).__name__}: {error}")
        else:
            if mutated is config:
                continue  # a provider setting config accepts: the stack file's own settings are previewed already
            # One of each change to each list item's setting: services[3].cpu as services[0].cpu.
            distinct = (tuple("*" if isinstance(key, int) else key for key in path), repr(change))
            if distinct not in seen:
                seen.add(distinct)
                fuzzed.accepted.append((path, change, mutated))
    return fuzzed


def _value_at(config: dict, path: tuple) -> Any:
    for key in path:
        config = config[key]
    return config


def _with_secrets(value: Any, original: Any) -> Any:
    """`value` with each `secure:` value of the stack file back where the preview had put its placeholder."""
    if is_secure(original):
        return original if value == SECRET_PLACEHOLDER else value
    if isinstance(value, dict) and isinstance(original, dict):
        return {key: _with_secrets(item, original.get(key)) for key, item in value.items()}
    if isinstance(value, list) and isinstance(original, list):
        return [_with_secrets(item, original[i] if i < len(original) else None) for i, item in enumerate(value)]
    return value


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize(("values", "refusals", "accepted"), [
    pytest.param(FEW, (300, 50), (50, 5), id="few"),
    pytest.param(EVERY, (1000, 100), (100, 10), id="every", marks=pytest.mark.slow),
])
def test_a_stack_file_with_one_setting_changed_gives_a_config_or_one_line(stack, values, refusals, accepted):
    fuzzed = _fuzz(stack, values)
    assert fuzzed.problems == []
    # Not vacuous: each file's changes meet many different refusals, and config takes some (the second number:
    # the global layer's, a smaller file).
    assert len(fuzzed.refusals) > refusals[stack == "global"]
    assert len(fuzzed.accepted) > accepted[stack == "global"]


@pytest.mark.slow
@pytest.mark.parametrize("stack", STACKS)
def test_what_config_accepts_previews_without_an_error_or_what_aws_refuses(stack, tmp_path):
    """The distinct changes config accepts to a number or a string (the sizes and names AWS judges), and a tenth of
    the rest, previewed with the pack: none may fail the program or meet an API error (a size AWS refuses), which
    would mean config let through what `up` fails on. Violations are the pack's to report (a removed tag,
    deletion protection off), and are not judged here."""
    stack_file, project, _ = STACKS[stack]
    stack_name = stack_file.stem.removeprefix("Pulumi.")
    document = yaml.safe_load(stack_file.read_text())
    policy_config = ROOT / "policies" / "config" / f"{stack}.json"
    accepted = _fuzz(stack, EVERY).accepted
    scalar = [item for item in accepted if isinstance(item[1], (str, int, float)) and not isinstance(item[1], bool)]
    sample, problems = scalar + [item for item in accepted if item not in scalar][::10], []
    for index, (path, change, config) in enumerate(sample):
        settings = {key: value for key, value in document["config"].items() if not key.startswith(f"{project}:")}
        settings.update({f"{project}:{key}": _with_secrets(value, document["config"].get(f"{project}:{key}"))
                         for key, value in config.items()})
        text = yaml.safe_dump({"config": settings}, sort_keys=False)
        program = program_with_stack(tmp_path / str(index), stack_name, lambda _: text, source=stack_file.parent)
        result = run_preview(stack_name, program, ROOT / "policies", policy_config)
        if result.error or result.api_errors:
            problems.append(f"{path} = {change!r}: {result.error or result.api_errors[0]}")
    assert len(sample) >= 2
    assert problems == []


# The pack's config files, the same way: a knob changed gives the pack's report or one line naming the file.
PACK_CONFIGS = ("dev", "prod", "iot")
KNOB_VALUES = FEW + (0, True, [None], {"a": 1})


@pytest.mark.parametrize("stack", PACK_CONFIGS)
@pytest.mark.parametrize("evaluated", [
    pytest.param(False, id="configured"),
    # Each accepted config evaluated on the stack's resources: a knob's odd but valid value reaching a check.
    pytest.param(True, id="evaluated", marks=pytest.mark.slow),
])
def test_a_policy_config_with_one_knob_changed_gives_a_report_or_one_line(stack, evaluated):
    pack = loaded_policy_pack(ROOT / "policies")
    name = f"{stack}.json"
    config = json.loads((ROOT / "policies" / "config" / name).read_text())
    resources = shared_preview(stack).resources if evaluated else []
    problems, refusals, accepted = [], set(), 0
    for path, change in [(path, change) for path in _key_paths(config) for change in KNOB_VALUES + (REMOVED,)]:
        try:
            if evaluated:
                evaluate(pack, resources, _mutated(config, path, change), name)
            else:
                configure_request(pack, _mutated(config, path, change), name)
            accepted += 1
        except PolicyConfigError as error:
            refusals.add(str(error))
            if not str(error).startswith(f"{name}: ") or "\n" in str(error):
                problems.append(f"{path} = {change!r}: {error!r}")
        except Exception as error:  # a knob the schema lets through that a policy cannot take
            problems.append(f"{path} = {change!r}: {type(error).__name__}: {error}")
    assert problems == []
    assert len(refusals) > 100 and accepted > 20
