"""Run a Pulumi Python program in-process under mocks and capture every resource it registers.

This is the language host's job done in this process: it reads the project's `Pulumi.yaml` and the
stack's `Pulumi.<stack>.yaml`, sets the stack config, and runs the program's own `__main__.py` with
`run_in_stack(runpy.run_path(...))`. A MockMonitor subclass records each RegisterResource request as
the engine would receive it (type, name, parent, serialized inputs, options, dependencies).

Each run happens in a copied contextvars context on its own event loop, with the root stack, config
and outputs set fresh, so two runs in one process (or a run inside pytest) do not leak into each other.
"""
from __future__ import annotations

import asyncio
import codecs
import concurrent.futures
import contextlib
import contextvars
import copy
import datetime
import difflib
import functools
import hashlib
import importlib.util
import json
import logging
import math
import os
import re
import runpy
import sys
import threading
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Optional, Sequence, Union

import yaml
from google.protobuf import empty_pb2, json_format, struct_pb2

import pulumi
from pulumi.runtime import config as runtime_config
from pulumi.runtime import mocks as runtime_mocks
from pulumi.runtime import rpc, settings as runtime_settings
from pulumi.runtime.proto import engine_pb2, resource_pb2
from pulumi.runtime.stack import run_in_stack

from . import awsprovider, invokes
from .transforms import EngineTransforms
from .sdk_internals import (ROOT_STACK_TYPE, EchoedState, lazy_service_packages, mock_run_shims,
                            release_unread_failures, run_monitor_calls_inline)

# Shaped as an https URL on a reserved domain (RFC 2606), so that it passes where a program checks one (as this
# one checks alarmPagerEndpoint): the preview cannot see the real value, and says so.
SECRET_PLACEHOLDER = "https://offline-preview-secret-placeholder.invalid/"


class ProgramError(Exception):
    """The program could not be loaded or run; the message is one line for the user."""


# --------------------------------------------------------------------------------------------------
# Project and stack files
# --------------------------------------------------------------------------------------------------


@dataclass
class StackSettings:
    project: str
    stack: str
    program_dir: Path
    main: Path
    stack_file: str
    config: dict[str, str]
    secret_keys: list[str]
    secret_paths: list[str] = field(default_factory=list)  # where `secure:` values sit, as config errors name keys
    warnings: list[str] = field(default_factory=list)  # what the preview cannot see and the real run would
    # The overrides that change the stack file's config (one that restates it changes nothing, and causes nothing).
    changing_overrides: list[str] = field(default_factory=list)

    @property
    def region(self) -> str:
        return self.config.get("aws:region", "us-east-1")


# libyaml's parser when PyYAML was built with it (the PyPI wheels are): the same documents, several times faster.
_YAML_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BOOL = "tag:yaml.org,2002:bool"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_INT, _FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_MERGE = "tag:yaml.org,2002:merge"


class PulumiYamlLoader(_YAML_BASE):
    """A stack file as Pulumi reads it (Go's yaml.v3, YAML 1.2). PyYAML follows YAML 1.1, where `yes`, `no`, `on`
    and `off` are booleans too, `2024-01-01` a date and `2:13:20` the number 8000: the CLI passes them to the
    program as strings, so they stay strings here (the config refuses the would-be booleans and numbers with its
    one line). Numbers are yaml.v3's: `0o17500` and `1e3` are numbers there, as they are here. A timestamp is
    yaml.v3's too, which the CLI passes on as Go prints a time (`YamlTimestamp`). And a key written twice in one
    mapping is an error, as yaml.v3 makes it, rather than the last one silently winning."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_BOOL, _TIMESTAMP, _INT, _FLOAT)]
        for first, resolvers in _YAML_BASE.yaml_implicit_resolvers.items()}

    def construct_mapping(self, node, deep=False):
        seen: set = set()
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue  # a complex key: the config refuses any key that is not a string
            # A merge key (`<<: *defaults`) has no value of its own to build; yaml.v3 merges it, as PyYAML does
            # below, and refuses two of them in one mapping, as this does.
            key = "<<" if key_node.tag == _MERGE else self.construct_object(key_node)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"mapping key {key!r} is already defined",
                                                        key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def get_single_node(self):
        node = super().get_single_node()
        if node is not None:
            _check_expansion(node)
        return node


class YamlTooDeep(yaml.YAMLError):
    def __init__(self, mark):
        self.problem_mark = mark


# No setting of this program nests deeper; a deeper document would only exhaust Python's recursion in the copies
# made of it (the CLI's yaml.v3 reads up to 10,000 levels).
MAX_YAML_DEPTH = 100
# yaml.v3's decoder refuses a document once more than 100 of its decodes come from aliases, past 1,000 decodes, and
# their share exceeds what its allowedAliasRatio gives the count so far: 99 % up to 400,000 decodes, falling to
# 10 % at 4,000,000 (an "alias bomb"). It refuses an anchor whose value holds an alias of itself too.
_ALIAS_RATIO_LOW, _ALIAS_RATIO_HIGH = 400_000, 4_000_000


def _allowed_alias_ratio(decodes: int) -> float:
    if decodes <= _ALIAS_RATIO_LOW:
        return 0.99
    if decodes >= _ALIAS_RATIO_HIGH:
        return 0.10
    return 0.99 - 0.89 * (decodes - _ALIAS_RATIO_LOW) / (_ALIAS_RATIO_HIGH - _ALIAS_RATIO_LOW)


def _check_expansion(root: yaml.Node) -> None:
    """Count a composed document's decodes as yaml.v3 makes them, without expanding it: PyYAML's composer makes
    an alias the anchored node itself, so a node met again in document order is an alias, and its expansion
    costs what the node cost the first time plus the alias itself. Its depth counts what its aliases expand to.
    Approximate at the edges: yaml.v3 skips a merged value the mapping overrides (`<<: *base` then the same key),
    which this counts, and for a merge decodes the mapping's keys a second time, which this does not."""
    done: dict[int, tuple[int, int]] = {}  # id(node): decodes of its expansion, and its height, once the node is done
    decodes = aliases = 0
    stack = [(root, iter(_children(root)), [1, 1])]  # node, children left, decodes and height so far of its expansion
    on_stack = {id(root)}
    decodes += 1
    while stack:
        node, children, so_far = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            on_stack.discard(id(node))
            done[id(node)] = (so_far[0], so_far[1])
            if stack:
                stack[-1][2][0] += so_far[0]
                stack[-1][2][1] = max(stack[-1][2][1], so_far[1] + 1)
            continue
        if id(child) in on_stack:
            raise yaml.composer.ComposerError(None, None, "the value anchored here holds an alias of itself, which the "
                                              "Pulumi CLI refuses", child.start_mark)
        if id(child) in done:  # an alias
            cost, height = done[id(child)]
            if len(stack) + height > MAX_YAML_DEPTH:
                raise YamlTooDeep(child.start_mark)
            decodes += 1 + cost
            aliases += cost
            so_far[0] += 1 + cost
            so_far[1] = max(so_far[1], height + 1)
        else:
            if len(stack) >= MAX_YAML_DEPTH:
                raise YamlTooDeep(child.start_mark)
            decodes += 1
            stack.append((child, iter(_children(child)), [1, 1]))
            on_stack.add(id(child))
        if aliases > 100 and decodes > 1000 and aliases / decodes > _allowed_alias_ratio(decodes):
            raise yaml.composer.ComposerError(None, None, "document contains excessive aliasing, which the Pulumi CLI "
                                              "refuses: the value anchored here is repeated too often",
                                              child.start_mark)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return node.value if isinstance(node, yaml.SequenceNode) else []


PulumiYamlLoader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
# yaml.v3's resolve(), on the text with its underscores dropped: an integer is what Go's ParseInt reads with base 0
# (0b, 0o, 0x in either case, a leading 0 for octal), a float what its yamlStyleFloat matches, or .inf and .nan.
# A candidate neither parses (0x_, 09_x) stays text.
PulumiYamlLoader.add_implicit_resolver(
    _INT, re.compile(r"^[-+]?(?:0[bB][01_]*|0[oO][0-7_]*|0[xX][0-9a-fA-F_]*|[0-9][0-9_]*)$"), list("-+0123456789"))
PulumiYamlLoader.add_implicit_resolver(
    _FLOAT, re.compile(r"^(?:[-+]?(?:\.[0-9_]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9_]+)?"
                       r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"), list("-+.0123456789"))
_GO_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")


def _yaml_number(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    written = loader.construct_scalar(node)
    text = written.replace("_", "")
    digits = text.lstrip("+-")
    try:
        # Go's base 0 reads a leading 0 as octal, where Python's wants 0o.
        value = int(digits, 8) if len(digits) > 1 and digits[0] == "0" and digits[1].isdigit() else int(digits, 0)
        value = -value if text.startswith("-") else value
        # yaml.v3's resolver takes an integer ParseInt (int64) or ParseUint (uint64) reads; past both, what
        # ParseFloat reads, else the text.
        if -2**63 <= value < 2**64:
            return value
    except ValueError:
        pass
    if _GO_FLOAT.match(text):
        # yaml.v3 keeps as text what Go's ParseFloat cannot hold (1e400; a 400-digit integer).
        return float(text) if math.isfinite(float(text)) else written
    special = text.lower().lstrip("+-")
    if special in (".inf", ".nan"):
        return float(text.replace(".", "", 1))
    return written


PulumiYamlLoader.add_constructor(_INT, _yaml_number)
PulumiYamlLoader.add_constructor(_FLOAT, _yaml_number)


class YamlTimestamp(str):
    """A plain scalar yaml.v3 reads as a time (its parseTimestamp: four digits and a dash, then a date, a date and
    time, or RFC 3339). The CLI hands the program the time as Go's `Time.String()` prints it (pulumi's
    `config.unmarshalObject`): `2026-12-31` arrives as `2026-12-31 00:00:00 +0000 UTC`, rarely what was meant."""

    def as_go_prints(self) -> Optional[str]:
        """Go's text for a time in UTC (a date, or a `Z` or zoneless time); None for an offset, which Go prints with
        the zone name of the machine running the CLI."""
        match = _TIMESTAMP_RE.match(self)
        if match is None or (match["zone"] or "Z") not in ("Z", "z"):
            return None
        year, month, day = (int(match[name]) for name in ("year", "month", "day"))
        hour, minute, second = (int(match[name] or 0) for name in ("hour", "minute", "second"))
        fraction = (match["fraction"] or "").rstrip("0")
        return (f"{year:04d}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}:{second:02d}"
                f"{'.' + fraction if fraction else ''} +0000 UTC")


# yaml.v3's allowedTimestampFormats (Go's layouts "2006-1-2T15:4:5.999999999Z07:00", its lower-case `t` form,
# "2006-1-2 15:4:5.999999999" and "2006-1-2"): one- or two-digit fields after the year; a zone after `T` only.
_TIMESTAMP_RE = re.compile(
    r"^(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})-(?P<day>[0-9]{1,2})"
    r"(?:(?P<sep>[Tt ])(?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{1,2}):(?P<second>[0-9]{1,2})"
    r"(?:\.(?P<fraction>[0-9]{1,9}))?(?P<zone>Z|[+-][0-9]{2}:[0-9]{2})?)?$")


def _yaml_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    text = loader.construct_scalar(node)
    match = _TIMESTAMP_RE.match(text)
    if match["sep"] is not None and (match["zone"] is None) != (match["sep"] == " "):
        return text  # no layout of yaml.v3's reads it
    try:  # Go's time.Parse refuses what no calendar has, and the text stays text
        datetime.datetime(int(match["year"]), int(match["month"]), int(match["day"]), int(match["hour"] or 0),
                          int(match["minute"] or 0), int(match["second"] or 0))
    except ValueError:
        return text
    return YamlTimestamp(text)


PulumiYamlLoader.add_implicit_resolver(_TIMESTAMP, _TIMESTAMP_RE, list("0123456789"))
PulumiYamlLoader.add_constructor(_TIMESTAMP, _yaml_timestamp)


def cli_config_text(value: Any) -> str:
    """A config value (`_as_passed`) as the CLI hands it to the program: a structured one as JSON text, a scalar as a
    string (`key:` with no value as an empty one)."""
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def stack_file_config(path: Path, project: str) -> tuple[dict[str, Any], Optional[str]]:
    """A stack file's `project` settings, without the prefix, as the offline preview hands them to the program
    (`_as_passed`: `secure:` values as the placeholder), and its `aws:region`: for tests and test programs that
    read a stack file themselves."""
    config = _read_yaml(path)["config"]
    prefix = f"{project}:"
    return ({key.removeprefix(prefix): _as_passed(value, key, path.name, []) for key, value in config.items()
             if key.startswith(prefix)}, config.get("aws:region"))


def _as_passed(value: Any, path: str, stack_file: str, secure: list[str]) -> Any:
    """`value` as the program receives it. A stack file passes strings, numbers, booleans, null, and lists and maps
    of them with string keys (`!!binary`, `!!set` and the like have no JSON form); the CLI hands them on through
    Go's encoding/json, which writes a whole float (8e3, 8000.0) as an integer. Ciphertext (`secure:`) cannot be
    decrypted without the stack's secrets provider: it becomes a placeholder, and its path goes on `secure`."""
    if isinstance(value, dict):
        if is_secure(value):
            secure.append(path)
            return SECRET_PLACEHOLDER
        for key in value:
            if not isinstance(key, str):
                raise ProgramError(f"{stack_file}: {path}: the key {_as_written(key)} is not a string")
        return {key: _as_passed(item, f"{path}.{key}", stack_file, secure) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_passed(item, f"{path}[{index}]", stack_file, secure) for index, item in enumerate(value)]
    if isinstance(value, YamlTimestamp):
        printed = value.as_go_prints()
        raise ProgramError(f"{stack_file}: {path}: {value} is a YAML timestamp, which the Pulumi CLI hands the program "
                           f"as Go prints a time{f' ({printed})' if printed else ''}: quote it to pass it as written")
    if isinstance(value, float) and not math.isfinite(value):  # Go's encoding/json has no form for them
        raise ProgramError(f"{stack_file}: {path}: {value} (YAML's .inf or .nan) has no JSON form, so the Pulumi CLI "
                           f"refuses the file; quote it for text")
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return int(value)
    if not isinstance(value, (str, int, float, bool, type(None))):
        raise ProgramError(f"{stack_file}: {path}: a {type(value).__name__}, which a stack file cannot pass to the "
                           f"program (write it as a string, a number, a list or a map)")
    return value


def _read_yaml(path: Path, shown: Optional[str] = None) -> Any:
    """The document in `path` (named `shown` in messages, by default its file name): bytes, so that the parser
    detects UTF-16 by its byte order mark, as yaml.v3 does."""
    shown = shown or path.name
    try:
        return yaml.load(path.read_bytes(), Loader=PulumiYamlLoader)
    except FileNotFoundError:
        raise ProgramError(f"{path}: not found") from None
    except yaml.reader.ReaderError as exc:  # not UTF-8 (nor UTF-16 with its mark), or a character YAML refuses
        raise ProgramError(f"{shown}: {_unreadable(path.read_bytes(), exc)}") from None
    except YamlTooDeep as exc:
        raise ProgramError(f"{shown}: line {exc.problem_mark.line + 1}: nests more than {MAX_YAML_DEPTH} levels deep; "
                           f"no setting of this program is nested that deep") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise ProgramError(f"{shown}:{where} is not valid YAML ({getattr(exc, 'problem', exc)})") from None


def _utf8_problem(data: bytes) -> Optional[str]:
    """Where a file's first byte that is not UTF-8 is, by line; None for UTF-8 text."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        return f"line {line}: byte 0x{data[error.start]:02x} is not UTF-8"
    return None


def _unreadable(data: bytes, exc: yaml.reader.ReaderError) -> str:
    """Where and why a file is not YAML text, by line: the reader's own offset counts from where its buffer stopped."""
    utf16 = data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    if not utf16 and (problem := _utf8_problem(data)):
        return f"{problem}, as Pulumi reads stack files (save it as UTF-8)"
    try:
        text = data.decode("utf-16" if utf16 else "utf-8")
    except UnicodeDecodeError:
        return str(exc.reason)
    found = next((i for i, char in enumerate(text) if not (char.isprintable() or char in "\t\n\r\ufeff")), None)
    line = text[:found].count("\n") + 1 if found is not None else "?"
    return f"line {line}: {exc.reason} ({exc.character!r})" if found is not None else str(exc.reason)


# A list index, a quoted key (`tags["Cost.Center"]`, for a key holding a dot; `\"` is a quote), or a name, with or
# without a dot before it (Pulumi's ParsePropertyPath reads `services[0]port` as `services[0].port`).
_PATH_STEP = re.compile(r'\[(\d+)\]|\["((?:\\"|[^"])+)"\]|\.?([^.\[\]]+)')


def _path_steps(key: str) -> list[Any]:
    """`mesh.dataPlane`, `services[0].port` or `tags["Cost.Center"]` as steps, the way `pulumi config set --path`
    reads them."""
    steps: list[Any] = []
    pos = 0
    while pos < len(key):
        match = _PATH_STEP.match(key, pos)
        if not match or match.end() == pos:
            raise ProgramError(f"--config {key}: not a config path (like mesh.dataPlane or services[0].port)")
        steps.append(int(match[1]) if match[1] is not None
                     else match[2].replace('\\"', '"') if match[2] is not None else match[3])
        pos = match.end()
    if not steps or not isinstance(steps[0], str):
        raise ProgramError(f"--config {key}: not a config path (like mesh.dataPlane or services[0].port)")
    return steps


def config_path(key: str, project: str) -> Optional[list[Any]]:
    """The steps of a config key as config errors name it: an override's key (`mesh.dataPlane`,
    `<project>:mesh.dataPlane`, `services[0]port`) or an error's path; another namespace's key keeps its namespace
    (`aws:region`). None for text that is not a path."""
    try:
        steps = _path_steps(key)
    except ProgramError:
        return None
    full = _full_key(steps[0], project)
    if full is not None:
        namespace, _, short = full.partition(":")
        steps[0] = short if namespace == project else full
    return steps


def _full_key(key: str, project: str) -> Optional[str]:
    """A config key as the CLI reads it (pulumi's `config.ParseKey`, after a key without a namespace is given the
    project's): `<namespace>:<name>`, the old `<namespace>:config:<name>` as that too; None for any other with
    colons, which the CLI refuses."""
    parts = key.split(":")
    if len(parts) == 1:
        return f"{project}:{key}"
    if len(parts) == 3 and parts[1] == "config":
        return f"{parts[0]}:{parts[2]}"
    return key if len(parts) == 2 else None


def _override_top(raw_config: dict, key: str, project: str, stack_file: str) -> tuple[str, list[Any]]:
    """An override's path (its steps), and the key under which `raw_config` holds the config key the path starts at,
    as `pulumi config set` reads it (`_full_key`, `_raw_key`)."""
    steps = _path_steps(key)
    full = _full_key(steps[0], project)
    if full is None:
        raise ProgramError(f"--config {key}: not a configuration key (the CLI reads <namespace>:<name>)")
    return _raw_key(raw_config, full, project, stack_file), steps


def _cli_path_value(text: str) -> Any:
    """A `pulumi config set --path` value as the CLI stores it (an override's `null` unsets instead)."""
    if text in ("true", "false"):
        return text == "true"
    if len(text) > 1 and text[0] == "0":
        return text
    return int(text) if re.fullmatch(r"[-+]?[0-9]+", text) else text


def apply_config_overrides(raw_config: dict, project: str, overrides: Sequence[str], stack_file: str) -> dict:
    """Set each `KEY=VALUE` override in the stack's raw config, like `pulumi config set --path KEY VALUE`.

    KEY is a path under the project's namespace unless it names another (`aws:region`); VALUE is read as the CLI
    reads it (its `adjustObjectValue`): `true` and `false` are booleans, a whole number without a leading 0 is an
    integer, `null` unsets the value (the CLI's `config rm --path`), anything else (`0o17500`, `1.5`, `appmesh`) a
    string.
    """
    result = json.loads(json.dumps(raw_config))  # a deep copy of plain YAML data
    for override in overrides:
        key, sep, text = override.partition("=")
        if not sep or not key:
            raise ProgramError(f"--config {override}: expected KEY=VALUE")
        if text.startswith(("{", "[")):
            # The CLI would store the text; here, as likely, someone meant a structure.
            raise ProgramError(f"--config {key}: the value must be a scalar; set nested keys by path")
        top, steps = _override_top(result, key, project, stack_file)
        if text == "null":
            _remove_at_path(result, top, steps, f"--config {key}", stack_file)
        else:
            _set_at_path(result, top, steps, _cli_path_value(text), f"--config {key}", stack_file, stand_in=True)
    return result


def _raw_key(raw_config: dict, full_key: str, project: str, stack_file: str) -> str:
    """The key under which `raw_config` holds `full_key` (`size`, `probe:size` or `probe:config:size`), or
    `full_key` if it holds none."""
    return next((key for key in raw_config if _config_key(key, project, stack_file) == full_key), full_key)


def _at_path(raw_config: dict, top: str, steps: Sequence[Any]) -> Any:
    """The value at `steps` under raw_config[top], or _ABSENT: config.Map.Get with path=true, which finds a key
    written with a null value, and no key under a `secure:` value (ciphertext, not a mapping)."""
    if top not in raw_config:
        return _ABSENT
    value = raw_config[top]
    for step in steps[1:]:
        value = _member(value, step)
    return value


_ABSENT = object()


def _value_at(raw_config: dict, override: str, project: str, stack_file: str) -> Any:
    """The value a `KEY=VALUE` override's key has in `raw_config` (_ABSENT where it has none)."""
    top, steps = _override_top(raw_config, override.partition("=")[0], project, stack_file)
    return _at_path(raw_config, top, steps)


def _set_at_path(result: dict, top: str, steps: Sequence[Any], value: Any, where: str, stack_file: str,
                 stand_in: bool = False) -> None:
    """Set `value` at `steps` under result[top], as config.Map.Set with path=true does (object.Set): a missing or
    null container is made (a list of `index + 1` nulls for an index, a mapping for a name), an index one past a
    list's end appends, and a value that is not a container (a scalar, a `secure:` value) is replaced at the top
    only, as the CLI's COMPAT branch does; below the top the CLI refuses it, and so does this. With `stand_in` (an
    override) a `secure:` value at any depth is replaced too: the preview cannot decrypt it, and the override
    stands in for it. `where` starts an error's message."""
    result[top] = _set_in(result.get(top), list(steps[1:]), value, [steps[0]], where, stack_file, stand_in)


def _set_in(current: Any, path: list[Any], value: Any, prefix: list[Any], where: str, stack_file: str,
            stand_in: bool) -> Any:
    """`current` with `value` set at `path` below it (object.Set, the path to `current` being `prefix`)."""
    if not path:
        return value
    step = path[0]
    if current is None or ((len(prefix) == 1 or stand_in) and is_secure(current)) or (
            len(prefix) == 1 and not isinstance(current, (dict, list))):
        current = [None] * (step + 1) if isinstance(step, int) else {}
    elif is_secure(current):
        raise ProgramError(f"{where}: {_shown_path(prefix)} in {stack_file} is a secure: value, which the CLI cannot "
                           f"set a key below (\"expected a map\"): set it in {stack_file}")
    if isinstance(current, list) and isinstance(step, int):
        if step > len(current):
            raise ProgramError(f"{where}: {stack_file} has no list item {step} there ({_shown_path(prefix)} has "
                               f"{len(current)}: a path may add item {len(current)} only, as the CLI does)")
        if step == len(current):
            current.append(None)
        current[step] = _set_in(current[step], path[1:], value, prefix + [step], where, stack_file, stand_in)
        return current
    if isinstance(current, dict) and isinstance(step, str):
        current[step] = _set_in(current.get(step), path[1:], value, prefix + [step], where, stack_file, stand_in)
        return current
    wanted = "a list" if isinstance(step, int) else "a mapping"
    raise ProgramError(f"{where}: {_shown_path(prefix)} in {stack_file} is {_kind(current)}, not {wanted}, which the "
                       f"CLI refuses")


def _kind(value: Any) -> str:
    if isinstance(value, (list, dict)):
        return "a list" if isinstance(value, list) else "a mapping"
    kind = "boolean" if isinstance(value, bool) else "string" if isinstance(value, str) else "number"
    return f"the {kind} {json.dumps(value)}"


def _shown_path(steps: Sequence[Any]) -> str:
    """Steps as a config path is written: `services[0].port`, `tags["Cost.Center"]`."""
    shown = ""
    for step in steps:
        if isinstance(step, int):
            shown += f"[{step}]"
        elif "." in step or "[" in step or "]" in step:
            shown += '["' + step.replace('"', '\\"') + '"]'
        else:
            shown += f".{step}" if shown else step
    return shown


def _remove_at_path(result: dict, top: str, steps: Sequence[Any], where: str, stack_file: str) -> None:
    """Unset the value at `steps` under result[top], as config.Map.Remove with path=true (`pulumi config rm
    --path`) does: the whole key for one step; a mapping's member, or a list's item with the rest moved up, below
    it; nothing where there is no such value (or a `secure:` value on the way, ciphertext to the CLI)."""
    if len(steps) == 1:
        result.pop(top, None)
        return
    target = _at_path(result, top, steps[:-1])
    last = steps[-1]
    if _member(target, last) is _ABSENT:
        return
    if isinstance(target, dict) and len(target) == 2 and isinstance(target.get("secure"), str) and last != "secure":
        raise ProgramError(f"{where}: {stack_file} would be left with a mapping holding only `secure`, which the CLI "
                           f"refuses (maps with the single key \"secure\" are reserved)")
    del target[last]


def _member(value: Any, step: Any) -> Any:
    """The member at one step of a path (object.Get), or _ABSENT."""
    if isinstance(step, int) and isinstance(value, list) and step < len(value):
        return value[step]
    if isinstance(step, str) and isinstance(value, dict) and not is_secure(value) and step in value:
        return value[step]
    return _ABSENT


def is_secure(value: Any) -> bool:
    """Ciphertext as a stack file holds it (`{secure: ...}`, pulumi's isSecureValue)."""
    return isinstance(value, dict) and set(value) == {"secure"} and isinstance(value["secure"], str)


def _as_written(key: Any) -> str:
    """A mapping key that is not text, as YAML writes it (null, true, 3), not as Python prints it."""
    if isinstance(key, float) and not math.isfinite(key):
        return {math.inf: ".inf", -math.inf: "-.inf"}.get(key, ".nan")
    return json.dumps(key) if isinstance(key, (bool, int, float, type(None))) else repr(key)


def stack_file_name(stack: str) -> str:
    """The stack's settings file, as Pulumi names it: by the stack's own name, also when given fully qualified
    (`<org>/<project>/<stack>` or `<org>/<stack>`)."""
    return f"Pulumi.{stack.rsplit('/', 1)[-1]}.yaml"


def _config_key(key: Any, project: str, stack_file: str) -> str:
    """A stack file's config key as the CLI reads it (`_full_key`); one the CLI refuses is one line naming the
    file."""
    if not isinstance(key, str):
        raise ProgramError(f"{stack_file}: config: the key {_as_written(key)} is not a string")
    full = _full_key(key, project)
    if full is None:
        raise ProgramError(f"{stack_file}: config: {key} is not a configuration key (the CLI reads "
                           f"<namespace>:<name>, and refuses the whole file)")
    return full


def _stack_config_dir(project_doc: dict, project_file: str) -> str:
    """Where the stack files are, relative to Pulumi.yaml: `stackConfigDir`, or the text of the old `config: <dir>`,
    which the CLI moves there (workspace.RewriteConfigPathIntoStackConfigDir) before it reads `config:` as the
    project's config declarations; Pulumi.yaml's own directory without either."""
    legacy = project_doc.get("config")
    if isinstance(legacy, str):
        if "stackConfigDir" in project_doc:
            raise ProgramError(f"{project_file}: config: {legacy} and stackConfigDir both name the stack files' "
                               f"directory, which the CLI refuses; keep only stackConfigDir")
        project_doc["stackConfigDir"], project_doc["config"] = legacy, None
    directory = project_doc.get("stackConfigDir") or "."
    if not isinstance(directory, str):
        raise ProgramError(f"{project_file}: stackConfigDir: expected a directory path (text)")
    # Under Pulumi.yaml's directory even when written absolute: the CLI joins the two (Go's filepath.Join), as the
    # program's own reading does (components/config stack_file_path).
    return directory.lstrip("/") or "."


def _sources_of(written: Mapping[str, str], overrides: Sequence[str], project: str, shown: str) -> dict[str, str]:
    """Where each config key was set, as messages name it: the stack file, or it with --config."""
    sources = {key: shown for key in written}
    sources.update({_config_key(_path_steps(override.partition("=")[0])[0], project, shown): f"{shown} with --config"
                    for override in overrides})
    return sources


@functools.lru_cache(maxsize=None)
def _aws_provider_settings() -> dict[str, str]:
    """The aws provider's config keys and how it reads each (`get`, `get_bool`, `get_int`): pulumi_aws's
    config/vars.py, read as text, as the provider's schema gives them."""
    spec = importlib.util.find_spec("pulumi_aws")
    text = (Path(spec.submodule_search_locations[0]) / "config" / "vars.py").read_text()
    return {key: getter for getter, key in re.findall(r"__config__\.(get\w*)\('(\w+)'\)", text)}


def _one_edit_apart(one: str, other: str) -> bool:
    """Whether two texts differ by at most one insertion, deletion, substitution or swap of neighbours (difflib's
    ratio, which the other near-miss messages use, misses one substitution in a name as short as `aws`)."""
    if abs(len(one) - len(other)) > 1:
        return False
    if len(one) == len(other):
        differ = [i for i, (a, b) in enumerate(zip(one, other)) if a != b]
        return len(differ) <= 1 or (len(differ) == 2 and differ[1] == differ[0] + 1
                                    and one[differ[0]] == other[differ[1]] and one[differ[1]] == other[differ[0]])
    shorter, longer = sorted((one, other), key=len)
    return any(longer[:i] + longer[i + 1:] == shorter for i in range(len(longer)))


@functools.lru_cache(maxsize=None)
def _installed_packages() -> frozenset[str]:
    """The namespaces of the Pulumi packages installed beside the SDK (pulumi_tls's `tls`), and the well-known ones
    near a namespace `_check_namespaces` guards (pulumi-awsx's `awsx`): config for them is no misspelling."""
    from importlib import metadata

    names = {dist.metadata["Name"].lower().replace("_", "-") for dist in metadata.distributions()}
    return frozenset({"awsx", "pulumi"} | {name[len("pulumi-"):] for name in names if name.startswith("pulumi-")})


def _check_namespaces(config: Mapping[str, str], sources: Mapping[str, str], project: str) -> None:
    """A key whose namespace is a near miss of the project's or the aws provider's (in another case, or one edit
    away: `awss:region`, `AWS:defaultTags`) is refused: Pulumi passes any namespace through, and nothing reads one
    it has no package for, so the setting would do nothing without a word. Other namespaces are other packages'."""
    for key in config:
        namespace = key.partition(":")[0]
        if namespace in (project, "aws"):
            continue
        for meant, whose in ((project, "this project's"), ("aws", "the aws provider's")):
            if _one_edit_apart(namespace.lower(), meant.lower()) and namespace not in _installed_packages():
                shown_key = key if key.isprintable() else repr(key)
                raise ProgramError(f"{sources.get(key, '--config')}: {shown_key}: {namespace} is not {whose} namespace "
                                   f"({meant}): did you mean {meant}:{key.partition(':')[2]}?")


def _check_provider_config(config: Mapping[str, str], sources: Mapping[str, str], secret: Sequence[str]) -> None:
    """The aws provider refuses a key it does not know ("is not a valid configuration key for the aws provider"),
    and its configure fails on a value of the wrong type: a misspelt `aws:regoin` would otherwise be ignored."""
    settings = _aws_provider_settings()
    for key, value in config.items():
        namespace, _, name = key.partition(":")
        if namespace != "aws":
            continue
        where, shown_key = sources.get(key, "--config"), key if key.isprintable() else repr(key)
        if name not in settings:
            near = difflib.get_close_matches(name, settings, n=1)
            raise ProgramError(f"{where}: {shown_key}: not a setting of the aws provider"
                               + (f" (did you mean aws:{near[0]}?)" if near else ""))
        # The bridge reads a typed setting's text as JSON (an empty one as the zero value); a secret's text is not
        # here to read.
        getter = settings[name]
        if key in secret or value == "":
            continue
        if getter == "get_bool" and value not in ("true", "false"):
            raise ProgramError(f"{where}: {key}: {value!r} is not a boolean (true or false)")
        if getter == "get_int" and not re.fullmatch(r"-?(?:0|[1-9][0-9]*)", value):
            raise ProgramError(f"{where}: {key}: {value!r} is not an integer")
        if name in _ACCOUNT_LISTS:
            _check_account_ids(where, key, value)


# The provider settings that list accounts: the provider refuses to work in an account outside the first (or in one
# of the second), so an entry that is no account id (12 digits) matches none.
_ACCOUNT_LISTS = ("allowedAccountIds", "forbiddenAccountIds")


def _check_account_ids(where: str, key: str, text: str) -> None:
    try:
        ids = json.loads(text)
    except ValueError:
        return  # not a list: the provider's own error
    for account in ids if isinstance(ids, list) else ():
        if not re.fullmatch(r"[0-9]{12}", str(account)):
            raise ProgramError(f"{where}: {key}: {account!r} is not an AWS account id (12 digits, quoted: YAML drops "
                               "a leading 0 from a number)")


# Pulumi's stack, project and organization names: letters, digits, `-`, `_` and `.`; a stack's at most 100.
_STACK_PART_RE = re.compile(r"^[A-Za-z0-9_.-]+$")
_STACK_NAME_MAX = 100


# The fields of a declaration under Pulumi.yaml's `config:` (the schema's configTypeDeclaration).
_DECLARATION_FIELDS = ("type", "items", "description", "secret", "default", "value")


@dataclass
class ConfigDeclaration:
    """One key of Pulumi.yaml's `config:` as the CLI reads it (workspace.ProjectConfigType): `written` as Pulumi.yaml
    spells it, which the CLI's errors name. A null `default` or `value` is none (Go's nil)."""
    written: str
    type: Optional[str] = None
    items: Optional[dict] = None
    default: Any = None
    value: Any = None
    secret: bool = False


def _project_config(project_doc: dict, project: str, project_file: str) -> dict[str, ConfigDeclaration]:
    """Pulumi.yaml's `config:` (project-level config, CLI 3.44 and later), by full key, checked as the CLI checks
    the project when it loads it (workspace.Project.Validate). A plain value or a list is shorthand
    (RewriteShorthandConfigValues): the `default` of a key of the project's, the `value` of another namespace's."""
    declared = project_doc.get("config") or {}
    if not isinstance(declared, dict):
        raise ProgramError(f"{project_file}: config: expected a mapping")
    declarations: dict[str, ConfigDeclaration] = {}
    for key, spec in declared.items():
        full_key = _config_key(key, project, project_file)
        if full_key in declarations:  # the CLI checks and defaults both, in turn: which one wins is hard to foresee
            raise ProgramError(f"{project_file}: config: {declarations[full_key].written} and {key} are the same key "
                               f"({full_key}); keep one")
        ours = full_key.split(":", 1)[0] == project
        if not isinstance(spec, dict):
            spec = {"default" if ours else "value": spec}
        unknown = [field for field in spec if field not in _DECLARATION_FIELDS]
        if unknown:
            raise ProgramError(f"{project_file}: config: {key}: {unknown[0]} is not a field of a config declaration "
                               f"({', '.join(_DECLARATION_FIELDS)}), so the CLI refuses the project")
        declaration = ConfigDeclaration(key, spec.get("type"), spec.get("items"), spec.get("default"),
                                        spec.get("value"), spec.get("secret") is True)
        if declaration.default is not None and declaration.value is not None:
            raise ProgramError(f"{project_file}: config: {key} has both a default and a value, which the CLI refuses "
                               f"(\"cannot have both a 'default' and 'value' attribute\"); keep one")
        _validate_declaration(declaration, ours, project_file)
        declarations[full_key] = declaration
    return declarations


def _validate_declaration(declared: ConfigDeclaration, ours: bool, project_file: str) -> None:
    """The rest of workspace.Project.Validate: a typed key of the project's has a default of its type, and an array's
    items are typed; another namespace's key (`aws:region`) has a value, not a type or a default."""
    where = f"{project_file}: config: {declared.written}"
    if ours:
        if declared.type == "array" and declared.items is None:
            raise ProgramError(f"{where} declares an array without the type of its items (`items: {{type: ...}}`), "
                               f"which the CLI refuses")
        if declared.type is not None and declared.default is not None \
                and not _of_config_type(declared.type, declared.items, declared.default):
            raise ProgramError(f"{where}: the default is not of the declared type "
                               f"'{_config_type_name(declared.type, declared.items)}', which the CLI refuses")
    elif declared.type is not None or declared.default is not None or declared.value is None:
        raise ProgramError(f"{where}: another namespace's key takes a `value` only (no type, no default), as the "
                           f"CLI requires")


def _config_type_name(type_name: Any, items: Optional[dict]) -> str:
    """The type as the CLI's errors print it (workspace.InferFullTypeName): `array<integer>`."""
    if isinstance(items, dict):
        return f"array<{_config_type_name(items.get('type'), items.get('items'))}>"
    return str(type_name)


def _of_config_type(type_name: Any, items: Any, value: Any) -> bool:
    """workspace.ValidateConfigValue: a stack's scalar arrives as text (an integer is text Go's Atoi reads, a boolean
    "true" or "false"), a structured value as JSON (numbers whole or not); a default as YAML reads it."""
    if type_name == "string":
        return isinstance(value, str)
    if type_name == "integer":
        if isinstance(value, str):
            return re.fullmatch(r"[+-]?[0-9]+", value) is not None and -2 ** 63 <= int(value) < 2 ** 63
        return not isinstance(value, bool) and (isinstance(value, int) or
                                                (isinstance(value, float) and value.is_integer()))
    if type_name == "boolean":
        return isinstance(value, bool) or value in ("true", "false")
    if type_name == "object":
        return isinstance(value, dict)
    if not isinstance(value, list) or not isinstance(items, dict):
        return False
    return all(_of_config_type(items.get("type"), items.get("items"), item) for item in value)


def _declared_path(full_key: str, declared: ConfigDeclaration, project_file: str) -> tuple[str, list[Any]]:
    """Where a declared key sits as the CLI looks it up (config.Map.Get and Set with path=true): the stack's key
    (`probe:mesh` for `mesh.dataPlane`) and the steps below it."""
    namespace, _, name = full_key.partition(":")
    try:
        steps = _path_steps(name)
    except ProgramError:
        raise ProgramError(f"{project_file}: config: {declared.written} is not a config path (like mesh.dataPlane or "
                           f"services[0].port), which the CLI refuses") from None
    return f"{namespace}:{steps[0]}", steps


def _path_default(value: Any) -> Any:
    """A Pulumi.yaml default or value set below a stack key, as the CLI sets it (createConfigValue, then
    config.Map.Set with path=true): text, a whole number or a boolean becomes its text, read back as `pulumi config
    set --path` reads a value (`true`, `8080`, `0o17`); a float, a list or a mapping is set as it is."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return value
    return _cli_path_value(str(value))


def _apply_declared_defaults(declarations: dict[str, ConfigDeclaration], raw_config: dict, project: str,
                             stack_file: str, project_file: str) -> tuple[set[str], list[str]]:
    """Pulumi.yaml's default (or another namespace's value) for each declared key the stack leaves unset, set by
    path as mergeConfig sets it (`mesh.dataPlane` below the stack's `mesh`): the keys it set, and the project's keys
    declared without either that were unset when mergeConfig came to them, in its order (sorted as written), so
    that one a later default sets below (`mesh.port` before `probe:mesh`) is missing, as the CLI judges it."""
    defaulted: set[str] = set()
    missing: list[str] = []
    for key, declared in sorted(declarations.items(), key=lambda item: item[1].written):  # as the CLI
        given = declared.default if declared.default is not None else declared.value
        top, steps = _declared_path(key, declared, project_file)
        raw_top = _raw_key(raw_config, top, project, stack_file)
        if _at_path(raw_config, raw_top, steps) is not _ABSENT:
            continue
        if given is None:
            if key.split(":", 1)[0] == project:
                missing.append(declared.written)
            continue
        value = copy.deepcopy(given) if len(steps) == 1 else _path_default(copy.deepcopy(given))
        _set_at_path(raw_config, raw_top, steps, value, f"{project_file}: config: {declared.written}", stack_file)
        defaulted.add(key)
    return defaulted, missing


def _declared_values(declarations: dict[str, ConfigDeclaration], raw_config: dict, project: str, stack_file: str,
                     project_file: str) -> dict[str, tuple[str, bool, Any]]:
    """Each declared key the stack sets, by the CLI's path lookup: its stack key, whether it sits below it, and
    the value as the stack file (with defaults and --config) holds it."""
    found: dict[str, tuple[str, bool, Any]] = {}
    for key, declared in declarations.items():
        top, steps = _declared_path(key, declared, project_file)
        value = _at_path(raw_config, _raw_key(raw_config, top, project, stack_file), steps)
        if value is not _ABSENT:
            found[key] = (top, len(steps) > 1, value)
    return found


def _as_checked(value: Any, below: bool, shown: str) -> tuple[bool, Any]:
    """Whether a declared key's value is (or holds) ciphertext, and the value as validateStackConfigValue types it:
    a scalar as text (config.Value), a list or mapping as JSON; a null below a key is JSON's null (no type)."""
    secure: list[str] = []
    passed = _as_passed(value, "", shown, secure)
    if isinstance(passed, bool):
        return bool(secure), "true" if passed else "false"
    if passed is None:
        return bool(secure), None if below else ""
    return bool(secure), passed if isinstance(passed, (dict, list)) else str(passed)


def _check_declared_types(declarations: dict[str, ConfigDeclaration], found: dict[str, tuple[str, bool, Any]],
                          sources: dict[str, str], defaulted: set[str], stack: str, shown: str,
                          project_file: str) -> None:
    """A value for a key Pulumi.yaml declares with a `type` must be of it, and secure if it is declared `secret`:
    the CLI refuses the stack otherwise (pkg/workspace/config.go, validateStackConfigValue, which checks only typed
    keys, the value found at the key's path, and secrecy first; a default Pulumi.yaml supplies is a plain value). A
    secure value's type is not checked: the CLI judges its plaintext, which the preview cannot read."""
    for key, declared in sorted(declarations.items(), key=lambda item: item[1].written):
        if declared.type is None or key not in found:
            continue
        top, below, raw_value = found[key]
        source = project_file if key in defaulted else sources.get(top, project_file)
        secure, value = _as_checked(raw_value, below, shown)
        if declared.secret and not secure:
            raise ProgramError(f"{source}: Stack '{stack}' with configuration key "
                               f"'{declared.written}' must be encrypted as it's secret, as {project_file} declares "
                               f"it, which the CLI refuses: set it with `pulumi config set --secret`")
        if secure:
            continue
        if not _of_config_type(declared.type, declared.items, value):
            raise ProgramError(f"{source}: Stack '{stack}' with configuration key "
                               f"'{declared.written}' must be of type "
                               f"'{_config_type_name(declared.type, declared.items)}', as {project_file} declares "
                               f"it, which the CLI refuses")


def _check_declared_set(missing: Sequence[str], stack: str, shown: str, project_file: str,
                        imports_esc: bool) -> list[str]:
    """A key of the project's that Pulumi.yaml declares without a default or value must be set for the stack (at
    its path: `mesh.dataPlane` below the stack's `mesh`): the CLI refuses a stack that leaves one out
    (pkg/workspace/config.go, missingStackConfigurationKeysError), naming them all. Another namespace's key has its
    value in Pulumi.yaml, or the project is refused before. The CLI merges the ESC environments a stack imports
    before it looks (mergeConfig), so with them a missing key is said, not refused (the warning returned): they
    may set it, and the preview cannot read them."""
    if not missing:
        return []
    quoted = [f"'{key}'" for key in missing]
    named = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"
    them = "it" if len(missing) == 1 else "them"
    unset = (f"{shown}: Stack '{stack}' is missing configuration value{'s' if len(missing) > 1 else ''} {named}, "
             f"which {project_file} declares without a default")
    if imports_esc:
        return [f"{unset}: the ESC environments it imports may set {them}, which the preview cannot read, so the "
                f"program runs without {them} (pass {them} with --config)"]
    raise ProgramError(f"{unset}: set {them} in {shown} or pass --config")


def load_stack_settings(program_dir: Path, stack: str, overrides: Sequence[str] = ()) -> StackSettings:
    project_doc, project_file, main = _read_project(program_dir)
    project = project_doc["name"]
    stack = _stack_name(stack, project)
    stack_file = stack_file_name(stack)
    stack_doc, shown = _read_stack_file(program_dir, project_doc, project_file, stack_file)
    written_config = stack_doc.get("config") or {}
    if not isinstance(written_config, dict):
        raise ProgramError(f"{shown}: config: expected a mapping")
    written = _written_keys(written_config, project, shown)
    declarations = _project_config(project_doc, project, project_file.name)
    # As the CLI: --config is part of the stack's config, and Pulumi.yaml fills in what that leaves unset.
    raw_config = (apply_config_overrides(written_config, project, overrides, stack_file) if overrides
                  else copy.deepcopy(written_config))
    # An override changes the stack file where its key ends up with another value than the file holds: not one that
    # restates the file, nor one a later override undid.
    changing = [o for o in overrides if _value_at(raw_config, o, project, stack_file) != _value_at(
        written_config, o, project, stack_file)]
    defaulted, missing = _apply_declared_defaults(declarations, raw_config, project, shown, project_file.name)
    config, secret_keys, secret_paths = _as_cli_config(raw_config, project, shown)
    sources = _sources_of(written, overrides, project, shown)
    # A value Pulumi.yaml filled in is its, whatever the stack file or --config once said of the key.
    where = {**sources, **{key: project_file.name for key in defaulted}}
    _check_namespaces(config, where, project)
    _check_provider_config(config, where, secret_keys)
    found = _declared_values(declarations, raw_config, project, shown, project_file.name)
    unset = _check_declared_set(missing, stack, shown, project_file.name, bool(stack_doc.get("environment")))
    _check_declared_types(declarations, found, sources, defaulted, stack, shown, project_file.name)
    # Pulumi ESC environments the stack imports: their values need Pulumi Cloud, which the offline preview cannot
    # reach. Said, not refused: --config can stand in for what they set.
    warnings = [f"{shown} imports Pulumi ESC environments ({', '.join(_listed(stack_doc['environment']))}), "
                f"which the offline preview cannot open: settings they provide are missing (pass them with --config)"
                ] + unset if stack_doc.get("environment") else []
    return StackSettings(project=project, stack=stack, program_dir=program_dir, main=main, stack_file=stack_file,
                         config=config, secret_keys=secret_keys, secret_paths=secret_paths, warnings=warnings,
                         changing_overrides=changing)


def _read_project(program_dir: Path) -> tuple[dict, Path, Path]:
    """Pulumi.yaml (a Python project with a name), its path, and the program's `__main__.py`."""
    if not program_dir.is_dir():
        raise ProgramError(f"{program_dir}: not a directory (--cwd names the program's directory)")
    project_file = program_dir / "Pulumi.yaml"
    project_doc = _read_yaml(project_file)
    if not isinstance(project_doc, dict) or not isinstance(project_doc.get("name"), str):
        raise ProgramError(f"{project_file}: needs a project name")
    _check_project_sections(project_doc, project_file)
    runtime = project_doc.get("runtime")
    runtime_name = runtime.get("name") if isinstance(runtime, dict) else runtime
    if runtime_name != "python":
        raise ProgramError(f"{project_file}: runtime is {runtime_name!r}; the offline preview runs Python programs")
    if project_doc.get("main") is not None and not isinstance(project_doc["main"], str):
        raise ProgramError(f"{project_file}: main: expected the program's directory (text)")
    main = program_dir / (project_doc.get("main") or "") / "__main__.py"
    if not main.exists():
        raise ProgramError(f"{main}: not found")
    return project_doc, project_file, main


# The properties Pulumi's project schema (sdk/go/common/workspace/project.json) allows in Pulumi.yaml's sections that
# take no others: the CLI refuses the project for any other, so a misspelt one would otherwise do nothing here.
_SECTION_PROPERTIES = {"runtime": ("name", "options"), "options": ("refresh",), "backend": ("url",)}


def _check_project_sections(project_doc: dict, project_file: Path) -> None:
    """`runtime` (in its mapping form), `options` and `backend` as the CLI checks them against the project schema
    when it loads the project: only their own properties; `runtime.options` a mapping, `options.refresh` only
    `always`, `backend.url` text. (`config:` declarations are checked in `_project_config`.)"""
    shown, refused = project_file.name, "so the CLI refuses the project"
    for section, properties in _SECTION_PROPERTIES.items():
        value = project_doc.get(section)
        if value is None or (section == "runtime" and isinstance(value, str)):
            continue
        if not isinstance(value, dict):
            raise ProgramError(f"{shown}: {section}: expected a mapping of {', '.join(properties)}, {refused}")
        for key in value:
            if key not in properties:
                near = difflib.get_close_matches(str(key), properties, n=1)
                raise ProgramError(f"{shown}: {section}: {key if isinstance(key, str) else _as_written(key)} is not "
                                   f"a property of {section} ({', '.join(properties)}), {refused}"
                                   + (f": did you mean {near[0]}?" if near else ""))
    runtime, options, backend = (project_doc.get(section) for section in _SECTION_PROPERTIES)
    if isinstance(runtime, dict) and "options" in runtime and not isinstance(runtime["options"], dict):
        raise ProgramError(f"{shown}: runtime.options: expected a mapping (the runtime's options), {refused}")
    if isinstance(options, dict) and "refresh" in options and options["refresh"] != "always":
        given = json.dumps(options["refresh"], default=repr)
        raise ProgramError(f"{shown}: options.refresh: {given} is not always, the only value the CLI takes (leave "
                           f"refresh out not to refresh first)")
    if isinstance(backend, dict) and "url" in backend and not isinstance(backend["url"], str):
        raise ProgramError(f"{shown}: backend.url: expected the backend's URL (text), {refused}")


def _stack_name(stack: str, project: str) -> str:
    """The stack's own name from `--stack` as the CLI takes it: `<stack>`, `<org>/<stack>` or
    `<org>/<project>/<stack>`."""
    qualified = stack.split("/")
    if len(qualified) > 3 or (len(qualified) == 3 and qualified[1] != project):
        raise ProgramError(f"--stack {stack}: not a stack of project {project} (<org>/{project}/<stack>)")
    if not all(_STACK_PART_RE.match(part) and part not in (".", "..") for part in qualified) \
            or len(qualified[-1]) > _STACK_NAME_MAX:
        raise ProgramError(f"--stack {stack!r}: not a stack name (letters, digits, -, _ and ., at most "
                           f"{_STACK_NAME_MAX}, after <org>/ or <org>/{project}/ if given)")
    return qualified[-1]


def _read_stack_file(program_dir: Path, project_doc: dict, project_file: Path, stack_file: str) -> tuple[dict, str]:
    """The stack file's document (a missing or empty file is an empty one) and the path errors name it by."""
    # stackConfigDir: where the project keeps its stack files, relative to Pulumi.yaml.
    in_project = Path(_stack_config_dir(project_doc, project_file.name)) / stack_file
    # Named from where the preview runs where the project is under it (`global/Pulumi.prod.yaml` beside the regional
    # `Pulumi.prod.yaml`), else from the project.
    where = (program_dir / in_project).resolve()
    shown = str(where.relative_to(Path.cwd().resolve()) if where.is_relative_to(Path.cwd().resolve()) else in_project)
    stack_doc = _read_yaml(program_dir / in_project, shown) or {}
    if not isinstance(stack_doc, dict):
        raise ProgramError(f"{shown}: expected a mapping at the top level")
    return stack_doc, shown


def _written_keys(written_config: dict, project: str, shown: str) -> dict[str, str]:
    """Each key of the stack file's config, full (`<namespace>:<key>`) to as written; two spellings of one key are
    refused."""
    written: dict[str, str] = {}
    for key in written_config:
        full_key = _config_key(key, project, shown)
        if full_key in written:  # the CLI keeps one of the two, and which varies from run to run (a Go map)
            raise ProgramError(f"{shown}: config: {written[full_key]} and {key} are the same key ({full_key}); "
                               f"keep one")
        written[full_key] = key
    return written


def _as_cli_config(raw_config: dict, project: str, shown: str) -> tuple[dict[str, str], list[str], list[str]]:
    """The config as the CLI passes it to the program, with the keys holding secrets and where in them the secrets
    sit. Like the CLI: keys without a namespace belong to the project; structured values reach the program as JSON
    text, scalars as strings."""
    config: dict[str, str] = {}
    secret_keys: list[str] = []
    secret_paths: list[str] = []
    for key, value in raw_config.items():
        full_key = _config_key(key, project, shown)
        secure: list[str] = []
        value = _as_passed(value, full_key.removeprefix(f"{project}:"), shown, secure)
        if secure:
            secret_keys.append(full_key)
            secret_paths.extend(secure)
        config[full_key] = cli_config_text(value)
    return config, secret_keys, secret_paths


def _listed(value: Any) -> list[str]:
    """An `environment:` block's imports by name, as the CLI's Environment.Imports names them: a list, or the
    `{imports: [...]}` form, whose entries are a name or `{<name>: {merge: false}}`; inline `values:` too (the
    CLI names them "yaml")."""
    block = value if isinstance(value, dict) else {"imports": value}
    imports = block.get("imports") or []
    names = [next(iter(entry), "") if isinstance(entry, dict) and len(entry) == 1 else entry
             for entry in (imports if isinstance(imports, list) else [imports])]
    return [str(name) for name in names] + (["inline values"] if block.get("values") else [])


# --------------------------------------------------------------------------------------------------
# Mocks: deterministic computed outputs
# --------------------------------------------------------------------------------------------------

account_id = invokes.account_id  # the run's: the stack's allowed account, else the preview's own
V2_API, V2_STAGE = "aws:apigatewayv2/api:Api", "aws:apigatewayv2/stage:Stage"
RULE_GROUP, WEB_ACL = "aws:networkfirewall/ruleGroup:RuleGroup", "aws:wafv2/webAcl:WebAcl"
EVENT_RULE = "aws:cloudwatch/eventRule:EventRule"
ECS_SERVICE = "aws:ecs/service:Service"

def mock_id(name: str) -> str:
    """The id a resource of this name gets here (`_added_outputs`), where AWS's id is no handle the program passes
    on."""
    return f"{name}-id"


# API Gateway's Route 53 hosted zone for regional endpoints, per region ("Amazon API Gateway endpoints and quotas",
# https://docs.aws.amazon.com/general/latest/gr/apigateway.html): a regional custom domain's regionalZoneId, which
# the global layer's alias records name. A region not listed gets us-east-1's.
APIGATEWAY_REGIONAL_ZONE_IDS = {
    "us-east-1": "Z1UJRXOUMOOFQ8", "us-east-2": "ZOJJZC49E0EPZ", "us-west-1": "Z2MUQ32089INYE",
    "us-west-2": "Z2OJLYMUO9EFXC", "ca-central-1": "Z19DQILCV0OWEC", "sa-east-1": "ZCMLWB8V5SYIT",
    "eu-west-1": "ZLY8HYME6SFDD", "eu-west-2": "ZJ5UAJN8Y3Z2Q", "eu-west-3": "Z3KY65QIEKYHQQ",
    "eu-central-1": "Z1U9ULNL0V5AJ3", "ap-south-1": "Z3VO1THU9YC4UR", "ap-northeast-1": "Z1YSHQZHG15GKL",
    "ap-northeast-2": "Z20JF4UZKIW1U8", "ap-northeast-3": "Z2YQB5RD63NC85", "ap-southeast-1": "ZL327KTPIQFUL",
    "ap-southeast-2": "Z2RPCDW04V8134",
}

# Elastic Load Balancing's Route 53 hosted zone per region and load balancer type, a load balancer's
# `CanonicalHostedZoneId` (its `zoneId`), which an alias record to it must name: terraform-provider-aws's
# hostedZoneIDPerRegionALBMap and hostedZoneIDPerRegionNLBMap (internal/service/elbv2/hosted_zone_id_data_source.go,
# from "Elastic Load Balancing endpoints and quotas"), commercial regions. A region not listed gets us-east-1's.
ELB_ZONE_IDS = {
    "application": {
        "af-south-1": "Z268VQBMOI5EKX", "ap-east-1": "Z3DQVH9N71FHZ0", "ap-northeast-1": "Z14GRHDCWA56QT",
        "ap-northeast-2": "ZWKZPGTI48KDX", "ap-northeast-3": "Z5LXEXXYW11ES", "ap-south-1": "ZP97RAFLXTNZK",
        "ap-south-2": "Z0173938T07WNTVAEPZN", "ap-southeast-1": "Z1LMS91P8CMLE5", "ap-southeast-2": "Z1GM3OXH4ZPM65",
        "ap-southeast-3": "Z08888821HLRG5A9ZRTER", "ap-southeast-4": "Z09517862IB2WZLPXG76F",
        "ca-central-1": "ZQSVJUPU6J1EY", "ca-west-1": "Z06473681N0SF6OS049SD", "eu-central-1": "Z215JYRZR1TBD5",
        "eu-central-2": "Z06391101F2ZOEP8P5EB3", "eu-north-1": "Z23TAZ6LKFMNIO", "eu-south-1": "Z3ULH7SSC9OV64",
        "eu-south-2": "Z0956581394HF5D5LXGAP", "eu-west-1": "Z32O12XQLNTSW2", "eu-west-2": "ZHURV8PSTC4K8",
        "eu-west-3": "Z3Q77PNBQS71R4", "il-central-1": "Z09170902867EHPV2DABU", "me-central-1": "Z08230872XQRWHG2XF6I",
        "me-south-1": "ZS929ML54UICD", "sa-east-1": "Z2P70J7HTTTPLU", "us-east-1": "Z35SXDOTRQ7X7K",
        "us-east-2": "Z3AADJGX6KTTL2", "us-west-1": "Z368ELLRRE2KJ0", "us-west-2": "Z1H1FL5HABSF5",
    },
    "network": {
        "af-south-1": "Z203XCE67M25HM", "ap-east-1": "Z12Y7K3UBGUAD1", "ap-northeast-1": "Z31USIVHYNEOWT",
        "ap-northeast-2": "ZIBE1TIR4HY56", "ap-northeast-3": "Z1GWIQ4HH19I5X", "ap-south-1": "ZVDDRBQ08TROA",
        "ap-south-2": "Z0711778386UTO08407HT", "ap-southeast-1": "ZKVM4W9LS7TM", "ap-southeast-2": "ZCT6FZBF4DROD",
        "ap-southeast-3": "Z01971771FYVNCOVWJU1G", "ap-southeast-4": "Z01156963G8MIIL7X90IV",
        "ca-central-1": "Z2EPGBW3API2WT", "ca-west-1": "Z02754302KBB00W2LKWZ9", "eu-central-1": "Z3F0SRJ5LGBH90",
        "eu-central-2": "Z02239872DOALSIDCX66S", "eu-north-1": "Z1UDT6IFJ4EJM", "eu-south-1": "Z23146JA1KNAFP",
        "eu-south-2": "Z1011216NVTVYADP1SSV", "eu-west-1": "Z2IFOLAFXWLO4F", "eu-west-2": "ZD4D7Y8KGAS4G",
        "eu-west-3": "Z1CMS0P5QUZ6D5", "il-central-1": "Z0313266YDI6ZRHTGQY4", "me-central-1": "Z00282643NTTLPANJJG2P",
        "me-south-1": "Z3QSRYVP46NYYV", "sa-east-1": "ZTK26PT1VY4CU", "us-east-1": "Z26RNL4JYFTOTI",
        "us-east-2": "ZLMOA37VPKANP", "us-west-1": "Z24FKFUX50B4VW", "us-west-2": "Z18D5FSROUN65G",
    },
}
# The part of an ELB ARN after `loadbalancer/` that names the load balancer's type (a Gateway Load Balancer's is
# `gwy`); the provider's default type is application.
_ELB_KINDS = {"application": "app", "network": "net", "gateway": "gwy"}


def api_gateway_domain_name(name: str, region: str) -> str:
    """A regional custom domain's endpoint as API Gateway names it: `d-` and ten lower-case letters and digits."""
    return f"d-{hashlib.sha256(name.encode()).hexdigest()[:10]}.execute-api.{region}.amazonaws.com"


def _in_region(zones: Mapping[str, str], region: str) -> str:
    """A per-region hosted zone id from one of the tables above; us-east-1's for a region a table does not list."""
    return zones.get(region, zones["us-east-1"])


def stable_hex(name: str, digits: int) -> str:
    """Hex digits made up from a resource's logical name where AWS puts random ones in a handle: distinct for two
    resources, and the same in every run."""
    return hashlib.sha256(name.encode()).hexdigest()[:digits]


def elb_id(name: str) -> str:
    """The 16 hex digits ELB puts after a load balancer's, target group's, listener's or rule's name in its ARN
    (`loadbalancer/app/<name>/50dc6c495c0c9188`), so that two listeners on one load balancer differ."""
    return stable_hex(name, 16)


def _elb_arn_suffix(type_token: str, kind: str, name: str, inputs: Mapping[str, Any]) -> Any:
    """`app/<name>/<id>` (a load balancer's, `kind` its type's part) or `targetgroup/<name>/<id>`: the ARN after
    `loadbalancer/`, CloudWatch's LoadBalancer and TargetGroup dimension."""
    own = own_name(type_token, name, inputs)
    return rpc.UNKNOWN if own == rpc.UNKNOWN else f"{kind}/{own}/{elb_id(name)}"


def _load_balancer_suffix(type_token: str, name: str, inputs: Mapping[str, Any]) -> Any:
    """`app/<name>/<id>`, `net/...` or `gwy/...`, by the load balancer's type."""
    return _elb_arn_suffix(type_token, _ELB_KINDS.get(_load_balancer_type(inputs), "app"), name, inputs)


def _load_balancer_type(inputs: Mapping[str, Any]) -> Any:
    return inputs.get("loadBalancerType") or "application"  # ELB's default


def load_balancer_outputs(name: str, region: str, inputs: Mapping[str, Any], type_token: str) -> dict:
    """An ALB's or NLB's `arnSuffix`, `dnsName` and `zoneId` as ELB gives them (botocore's elbv2 examples,
    "Network Load Balancers: DNS name"): its ARN's `loadbalancer/` part; an ALB's DNS name
    `[internal-]<name>-<digits>.<region>.elb.amazonaws.com`, an NLB's `<name>-<id>.elb.<region>.amazonaws.com`;
    the zone ELB's for the type in the region (ELB_ZONE_IDS), which an alias record must name."""
    lb_type = _load_balancer_type(inputs)
    own = own_name(type_token, name, inputs)
    prefix = "internal-" if inputs.get("internal") else ""
    if own == rpc.UNKNOWN:
        dns = rpc.UNKNOWN
    elif lb_type == "network":
        dns = f"{prefix}{own}-{elb_id(name)}.elb.{region}.amazonaws.com"
    else:  # a decimal number where an NLB's has hex digits, and the region before `elb`
        dns = f"{prefix}{own}-{int(elb_id(name)[:8], 16)}.{region}.elb.amazonaws.com"
    zone = _in_region(ELB_ZONE_IDS["network" if lb_type == "network" else "application"], region)
    return {"arnSuffix": _load_balancer_suffix(type_token, name, inputs), "dnsName": dns, "zoneId": zone}


def _elb_child_arn(parent: Any, kind: str, parent_kind: str, name: str) -> Optional[str]:
    """A listener's ARN from its load balancer's (`listener/app/<lb>/<lb id>/<id>`), a rule's from its listener's
    (`listener-rule/app/<lb>/<lb id>/<listener id>/<id>`); None where the parent's ARN is not one of ELB's, unknown
    while it is."""
    marker, parent = f":{parent_kind}/", _plain_input(parent)
    if parent == rpc.UNKNOWN:
        return rpc.UNKNOWN  # its parent's ARN, as another resource's output, is unknown until it exists
    if not isinstance(parent, str) or not parent.startswith("arn:") or marker not in parent:
        return None
    return f"{parent.replace(marker, f':{kind}/', 1)}/{elb_id(name)}"


def _elb_forms(family: str) -> tuple[dict, dict]:
    """The made-up outputs and the ARNs of one family's ELB types (`awsprovider.LB_FAMILIES`), each named in its own
    type's auto-name style (an aws:alb target group's runs to 255 characters)."""
    lb, group = f"{family}loadBalancer:LoadBalancer", f"{family}targetGroup:TargetGroup"
    outputs = {lb: functools.partial(load_balancer_outputs, type_token=lb),
               group: lambda n, r, i: {"arnSuffix": _elb_arn_suffix(group, "targetgroup", n, i)}}
    arns = {lb: lambda n, r, i: _arn_of("elasticloadbalancing", r, "loadbalancer/{}", _load_balancer_suffix(lb, n, i)),
            group: lambda n, r, i: _arn_of("elasticloadbalancing", r, "{}",
                                           _elb_arn_suffix(group, "targetgroup", n, i)),
            f"{family}listener:Listener": lambda n, r, i: _elb_child_arn(
                i.get("loadBalancerArn"), "listener", "loadbalancer", n),
            f"{family}listenerRule:ListenerRule": lambda n, r, i: _elb_child_arn(
                i.get("listenerArn"), "listener-rule", "listener", n)}
    return outputs, arns


_ELB_FORMS = [_elb_forms(family) for family in awsprovider.LB_FAMILIES]
_ELB_OUTPUTS = {token: form for outputs, _ in _ELB_FORMS for token, form in outputs.items()}
_ELB_ARNS = {token: form for _, arns in _ELB_FORMS for token, form in arns.items()}


def _queue_url(name: str, region: Any, inputs: Mapping[str, Any]) -> Any:
    """An SQS queue's URL, which the provider also takes for its id (pulumi-aws: `url`, "Same as `id`"):
    `https://sqs.<region>.amazonaws.com/<account>/<queue name>`."""
    queue = own_name("aws:sqs/queue:Queue", name, inputs)
    if queue == rpc.UNKNOWN or not isinstance(region, str) or region == rpc.UNKNOWN:
        return rpc.UNKNOWN
    return f"https://sqs.{region}.amazonaws.com/{account_id()}/{queue}"


# A bucket's configurations, whose id is the bucket's name, or `<bucket>,<expectedBucketOwner>` where the owner is
# given (terraform-provider-aws: createResourceID); an ACL's ends in its canned `acl` too (BucketACLCreateResourceID).
_S3_CONFIGURATIONS = frozenset(f"aws:s3/bucket{kind}{v2}:Bucket{kind}{v2}" for v2 in ("", "V2") for kind in (
    "AccelerateConfiguration", "Acl", "CorsConfiguration", "LifecycleConfiguration", "Logging",
    "ObjectLockConfiguration", "RequestPaymentConfiguration", "ServerSideEncryptionConfiguration", "Versioning",
    "WebsiteConfiguration"))

# Where the provider's id is one of its outputs (AWS's own handle for the resource, which other resources name it
# by, and pulumi-aws's own examples pass on: `load_balancer_arn=lb.id`, `mesh_name=mesh.id`), rather than the
# made-up `<name>-id`: type -> that output, as terraform-provider-aws's create sets the id (`d.SetId`).
# KMS keys; a multi-Region replica (`primaryKeyArn`) has its primary's key id (KMS developer guide, "Multi-Region
# keys in AWS KMS": related keys share a key id), and a multi-Region key's begins `mrk-`.
_KMS_KEYS = ("aws:kms/key:Key", "aws:kms/externalKey:ExternalKey", "aws:kms/replicaKey:ReplicaKey",
             "aws:kms/replicaExternalKey:ReplicaExternalKey")


def _key_id(name: str, inputs: Mapping[str, Any]) -> Any:
    """A KMS key's made-up key id: its primary's for a replica (unknown while the primary's ARN is), else
    `<name>-id` (`mrk-<name>-id` for a multi-Region key)."""
    if "primaryKeyArn" in inputs:
        return _unless_unknown(_known_input(inputs["primaryKeyArn"]), lambda arn: arn.rsplit("key/", 1)[-1])
    return f"{'mrk-' if _plain_input(inputs.get('multiRegion')) is True else ''}{name}-id"


# The default security group, network ACL and main route table EC2 makes with a VPC (`defaultRouteTableId` and
# `mainRouteTableId` name one table), made up from the VPC's id: the `Default*` resources that adopt them take
# these ids (terraform-provider-aws: d.SetId of the VPC's default group, of `default_network_acl_id`, of
# `default_route_table_id`), so a rule on `vpc.default_security_group_id` names the group a DefaultSecurityGroup is.
def _vpc_defaults(vpc_id: str) -> dict:
    return {"defaultSecurityGroupId": f"{vpc_id}-default-sg", "defaultNetworkAclId": f"{vpc_id}-default-acl",
            "defaultRouteTableId": f"{vpc_id}-main-rtb", "mainRouteTableId": f"{vpc_id}-main-rtb",
            "ownerId": account_id()}


def _default_group_id(name: str, inputs: Mapping[str, Any]) -> Any:
    """A DefaultSecurityGroup's id: its VPC's default group's. Without `vpcId` the provider looks for EC2-Classic's
    (description "default group"), no VPC's: a made-up id, as any resource's."""
    if "vpcId" not in inputs:
        return mock_id(name)
    return _unless_unknown(_known_input(inputs["vpcId"]),
                           lambda vpc_id: _vpc_defaults(vpc_id)["defaultSecurityGroupId"])


# Type -> the output (or input) its id is, or a function of its inputs that makes it.
_ID_OUTPUTS: dict[str, Union[str, Callable[[str, Mapping[str, Any]], Any]]] = {
    "aws:sqs/queue:Queue": "url",
    # A VPC's adopted defaults: the ids the VPC gives them.
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": _default_group_id,
    "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl": "defaultNetworkAclId",
    "aws:ec2/defaultRouteTable:DefaultRouteTable": "defaultRouteTableId",
    # ARNs: ELB's, Network Firewall's, a topic's, an ECS cluster's (`cluster=cluster.id` in pulumi-aws's examples).
    **{f"{family}{kind}": "arn" for family in awsprovider.LB_FAMILIES for kind in (
        "loadBalancer:LoadBalancer", "targetGroup:TargetGroup", "listener:Listener", "listenerRule:ListenerRule")},
    "aws:networkfirewall/firewall:Firewall": "arn",
    "aws:networkfirewall/firewallPolicy:FirewallPolicy": "arn",
    RULE_GROUP: "arn",
    "aws:sns/topic:Topic": "arn",
    "aws:ecs/cluster:Cluster": "arn",
    ECS_SERVICE: "arn",
    "aws:cloudtrail/trail:Trail": "arn",
    "aws:iam/policy:Policy": "arn",  # `policy_arn=policy.id` attaches it
    "aws:secretsmanager/secret:Secret": "arn",
    # A KMS key's id is its key id (`d.SetId(keyID)`), which a multi-Region replica shares with its primary.
    **dict.fromkeys(_KMS_KEYS, "keyId"),
    # Names: an event bus, a mesh, a table, IAM roles, users, groups and instance profiles, a log group, a
    # function, an alarm, a parameter, a repository, a bucket (`bucket=b.id` and `f"arn:aws:s3:::{b.id}/*"` in a
    # bucket policy name it); a task definition's family.
    "aws:cloudwatch/eventBus:EventBus": "name",
    "aws:appmesh/mesh:Mesh": "name",
    "aws:dynamodb/table:Table": "name",
    **{f"aws:iam/{kind}": "name" for kind in ("role:Role", "user:User", "group:Group",
                                              "instanceProfile:InstanceProfile")},
    "aws:cloudwatch/logGroup:LogGroup": "name",
    "aws:lambda/function:Function": "name",
    "aws:cloudwatch/metricAlarm:MetricAlarm": "name",
    "aws:ssm/parameter:Parameter": "name",
    "aws:ecr/repository:Repository": "name",
    "aws:ecs/taskDefinition:TaskDefinition": "family",
    "aws:autoscaling/group:Group": "name",  # an Auto Scaling group's id is its name (`d.SetId(asgName)`)
    **{bucket: "bucket" for bucket in ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")},
    # A bucket's public access block, policy, ownership controls and notification: the bucket's name
    # (`d.SetId(bucket)`), which `bucket=pab.id` chains on.
    **{f"aws:s3/{kind}": "bucket" for kind in ("bucketPublicAccessBlock:BucketPublicAccessBlock",
                                               "bucketPolicy:BucketPolicy",
                                               "bucketOwnershipControls:BucketOwnershipControls",
                                               "bucketNotification:BucketNotification")},
    **dict.fromkeys(_S3_CONFIGURATIONS, "bucket"),
}

# Types whose id a read (`X.get(name, id)`) takes in another form than it keeps, as terraform-provider-aws's importer
# rewrites it: a cluster's name becomes its ARN, a service's `cluster/service` its ARN, a task definition's ARN its
# family. Offline, such a read's id stays unknown.
_READ_IDS_REWRITTEN = frozenset({"aws:ecs/cluster:Cluster", ECS_SERVICE, "aws:ecs/taskDefinition:TaskDefinition"})

# Outputs a provider computes for a few types that programs commonly read: (name, region, inputs) -> outputs.
_TYPE_OUTPUTS = {
    **_ELB_OUTPUTS,
    **{key: lambda n, r, i: {"keyId": _key_id(n, i)} for key in _KMS_KEYS},
    "aws:sqs/queue:Queue": lambda n, r, i: {"url": _queue_url(n, r, i)},
    # Each API its own root resource (two APIs' resources under one root id looked like one tree), never a mock id
    # (`<name>-id`): a Resource named `<api>-root` would be its own parent.
    "aws:apigateway/restApi:RestApi": lambda n, r, i: {
        "rootResourceId": f"{n}-rootres", "executionArn": f"arn:aws:execute-api:{r}:{account_id()}:{n}-id"},
    "aws:apigateway/stage:Stage": lambda n, r, i: _rest_stage_outputs(
        r, _known_input(i.get("restApi", n)), _known_input(i.get("stageName", n))),
    "aws:apigateway/domainName:DomainName": lambda n, r, i: {
        "regionalDomainName": api_gateway_domain_name(n, r),
        "regionalZoneId": _in_region(APIGATEWAY_REGIONAL_ZONE_IDS, r)},
    # An HTTP or WebSocket API's regional domain: the same endpoint name and zone, inside its configuration block.
    "aws:apigatewayv2/domainName:DomainName": lambda n, r, i: {"domainNameConfiguration": {
        "targetDomainName": api_gateway_domain_name(n, r),
        "hostedZoneId": _in_region(APIGATEWAY_REGIONAL_ZONE_IDS, r)}},
    # ACM asks for the same validation record for a domain in every region of an account.
    "aws:acm/certificate:Certificate": lambda n, r, i: {
        "domainValidationOptions": _validation_options(_known_input(i.get("domainName", n)))},
    "aws:route53/record:Record": lambda n, r, i: {"fqdn": _unless_unknown(_known_input(i.get("name", n)),
                                                                          lambda name: name.rstrip("."))},
    V2_API: lambda n, r, i: {
        "executionArn": f"arn:aws:execute-api:{r}:{account_id()}:{n}-id",
        "apiEndpoint": f"{'wss' if i.get('protocolType') == 'WEBSOCKET' else 'https'}://{n}-id.execute-api.{r}.amazonaws.com"},
    # API Gateway's URI for invoking the function: its ARN (`function:<name>`) in a path.
    "aws:lambda/function:Function": lambda n, r, i: {"invokeArn": _lambda_invoke_arn(n, r, i)},
    # The first revision of its family, as its ARN (`task-definition/<family>:1`) says: what `family:1` names.
    "aws:ecs/taskDefinition:TaskDefinition": lambda n, r, i: {"revision": 1},
    "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": lambda n, r, i: {"hostedZone": "Z0123456789ABC"},
    **dict.fromkeys(("aws:ec2/vpc:Vpc", "aws:ec2/defaultVpc:DefaultVpc"), lambda n, r, i: _vpc_defaults(mock_id(n))),
    "aws:secretsmanager/secretVersion:SecretVersion": lambda n, r, i: {"versionId": f"{n}-version-0001"},
    # A CloudFront origin access identity's path, which an S3 origin's `originAccessIdentity` takes, its ARN as
    # a bucket policy's principal names it (pulumi-aws: `origin-access-identity/cloudfront/<id>`), and its S3
    # canonical user id, which an ACL grant or a policy's CanonicalUser principal names (64 hex digits, as S3 shows
    # canonical ids; CloudFront's S3CanonicalUserId).
    "aws:cloudfront/originAccessIdentity:OriginAccessIdentity": lambda n, r, i: {
        "cloudfrontAccessIdentityPath": f"origin-access-identity/cloudfront/{mock_id(n)}",
        "iamArn": f"arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity {mock_id(n)}",
        "s3CanonicalUserId": stable_hex(n, 64)},
    "aws:apigateway/clientCertificate:ClientCertificate": lambda n, r, i: {
        "pemEncodedCertificate": f"-----BEGIN CERTIFICATE-----\nmock-apigw-{n}\n-----END CERTIFICATE-----\n"},
    # A gateway endpoint's managed prefix list (the S3 list's shape; the id is made up).
    "aws:ec2/vpcEndpoint:VpcEndpoint": lambda n, r, i: (
        {"prefixListId": "pl-02cd2c6b" if str(i.get("serviceName", "")).endswith(".dynamodb") else "pl-63a5400a"}
        if i.get("vpcEndpointType") == "Gateway" else {}),
    # One endpoint per subnet mapping, reported per AZ (the mock keys the AZ by subnet: it cannot know it).
    "aws:networkfirewall/firewall:Firewall": lambda n, r, i: {"firewallStatuses": _firewall_statuses(
        n, i.get("subnetMappings") or [])},
    "tls:index/privateKey:PrivateKey": lambda n, r, i: {
        "privateKeyPem": f"-----BEGIN PRIVATE KEY-----\nmock-{n}\n-----END PRIVATE KEY-----\n",
        "publicKeyPem": f"-----BEGIN PUBLIC KEY-----\nmock-{n}\n-----END PUBLIC KEY-----\n"},
    "tls:index/selfSignedCert:SelfSignedCert": lambda n, r, i: {
        "certPem": f"-----BEGIN CERTIFICATE-----\nmock-{n}\n-----END CERTIFICATE-----\n"},
    "tls:index/locallySignedCert:LocallySignedCert": lambda n, r, i: {
        "certPem": f"-----BEGIN CERTIFICATE-----\nmock-{n}\n-----END CERTIFICATE-----\n"},
    "tls:index/certRequest:CertRequest": lambda n, r, i: {
        "certRequestPem": f"-----BEGIN CERTIFICATE REQUEST-----\nmock-{n}\n-----END CERTIFICATE REQUEST-----\n"},
}


# Each made from inputs that may be unknown (another resource's output in a first preview) or secret: a part
# unknown makes the output unknown, as the provider's plan leaves it, and a secret's value is what AWS sees.
def _unless_unknown(value: Any, make: Callable[[Any], Any]) -> Any:
    return rpc.UNKNOWN if value == rpc.UNKNOWN else make(value)


def _rest_stage_outputs(region: str, api: Any, stage: Any) -> dict:
    if rpc.UNKNOWN in (api, stage):
        return {"invokeUrl": rpc.UNKNOWN, "executionArn": rpc.UNKNOWN}
    return {"invokeUrl": f"https://{api}.execute-api.{region}.amazonaws.com/{stage}",
            "executionArn": f"arn:aws:execute-api:{region}:{account_id()}:{api}/{stage}"}


def _validation_options(domain: Any) -> Any:
    return _unless_unknown(domain, lambda d: [{
        "domainName": d, "resourceRecordType": "CNAME", "resourceRecordName": f"_0123456789abcdef.{d}.",
        "resourceRecordValue": "_fedcba9876543210.mock.acm-validations.aws."}])


def _firewall_statuses(name: str, mappings: Any) -> Any:
    mappings = [_plain_input(m) for m in _plain_input(mappings)] if isinstance(_plain_input(mappings), list) else None
    subnets = [_known_input(m.get("subnetId")) if isinstance(m, dict) else rpc.UNKNOWN
               for m in mappings] if mappings is not None else [rpc.UNKNOWN]
    if rpc.UNKNOWN in subnets:
        return rpc.UNKNOWN
    return [{"syncStates": [
        {"availabilityZone": f"az-of-{subnet}",
         "attachments": [{"subnetId": subnet, "endpointId": f"vpce-{name}-{k}", "status": "READY"}]}
        for k, subnet in enumerate(subnets)]}]


def _lambda_invoke_arn(name: str, region: str, inputs: Mapping[str, Any]) -> Any:
    arn = fake_arn("aws:lambda/function:Function", name, region, inputs)
    return rpc.UNKNOWN if arn == rpc.UNKNOWN else (
        f"arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations")


def _service_of(type_token: str) -> str:
    # "aws:appmesh/virtualNode:VirtualNode" -> "appmesh"
    module = type_token.split(":")[1] if type_token.count(":") >= 2 else "resource"
    return module.split("/")[0].replace("_", "")


# IAM is global: its ARNs name no region, and an entity's is `<kind><path><name>`, the path `/` unless given
# (docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns): the property holding the
# name and the ARN's kind, by type.
_IAM_KINDS = {
    "aws:iam/role:Role": ("name", "role"),
    "aws:iam/policy:Policy": ("name", "policy"),
    "aws:iam/user:User": ("name", "user"),
    "aws:iam/group:Group": ("name", "group"),
    "aws:iam/instanceProfile:InstanceProfile": ("name", "instance-profile"),
    "aws:iam/serverCertificate:ServerCertificate": ("name", "server-certificate"),
    "aws:iam/virtualMfaDevice:VirtualMfaDevice": ("virtualMfaDeviceName", "mfa"),
    "aws:iam/samlProvider:SamlProvider": ("name", "saml-provider"),  # no path: `/`
}
# Stands in for the id terraform-provider-aws appends to a `namePrefix` (id.PrefixedUniqueId: a timestamp and a
# counter, 26 characters).
UNIQUE_ID = "20250101000000000000000001"


def _plain_input(value: Any) -> Any:
    # A secret's value: the provider builds the ARN from it, and does not mark the ARN secret.
    return rpc.unwrap_rpc_secret(value) if rpc.is_rpc_secret(value) else value


def own_name(type_token: str, name: str, inputs: Mapping[str, Any]) -> Any:
    """The name a resource of `type_token` has in AWS as the made-up state has it: its name input (an IAM entity's
    may be another property, `_IAM_KINDS`; where the program left it out, the auto-name pulumi-aws's Check gave it:
    `PreviewMocks.check`), else its `namePrefix`, a stand-in unique id and the suffix the provider adds to such a
    name (a FIFO queue's or topic's `.fifo`), else the auto-name Check would give it (`inputs` that did not go
    through Check), else its resource name (a type whose name is not auto-named). The made-up state's `name` is
    this, and an ARN made from the name names the resource the state does. Unknown (`rpc.UNKNOWN`) where the input
    is."""
    prop = _IAM_KINDS[type_token][0] if type_token in _IAM_KINDS else "name"
    if prop in inputs:
        value = _plain_input(inputs[prop])
    elif "namePrefix" in inputs:
        prefix = _known_input(inputs["namePrefix"])
        value = (rpc.UNKNOWN if prefix == rpc.UNKNOWN
                 else awsprovider.fifo_suffixed(type_token, f"{prefix}{UNIQUE_ID}", inputs))
    elif prop == "name" and awsprovider.autonames_name(type_token):
        value = awsprovider.name_autoname(type_token, name, inputs)
    else:
        value = name
    return value if isinstance(value, str) and value != rpc.UNKNOWN else rpc.UNKNOWN


def _iam_arn(type_token: str, name: str, inputs: Mapping[str, Any]) -> str:
    kind = _IAM_KINDS[type_token][1]
    own, path = own_name(type_token, name, inputs), _plain_input(inputs.get("path", "/"))
    if own == rpc.UNKNOWN or not isinstance(path, str):
        return rpc.UNKNOWN
    return f"arn:aws:iam::{account_id()}:{kind}{path}{own}"


_S3_BUCKETS = frozenset({"aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"})


def fake_arn(type_token: str, name: str, region: str, inputs: Optional[Mapping[str, Any]] = None) -> str:
    """The ARN the mocks give a resource of `type_token` named `name` in `region`: an IAM entity's and an S3
    bucket's as AWS makes them (from `inputs`: the entity's name and path, the bucket's name), any other type's made
    up, `<service>:<region>:<account>:<type>/<name>`."""
    if type_token in _IAM_KINDS:
        return _iam_arn(type_token, name, inputs or {})
    if type_token in _S3_BUCKETS:
        # A bucket's ARN has neither region nor account: `arn:aws:s3:::<bucket>` (the S3 ARN reference).
        # A `bucketPrefix` leaves the name to the provider at create (Check gives none): unknown, as its id is.
        bucket = (inputs or {}).get("bucket", rpc.UNKNOWN if "bucketPrefix" in (inputs or {}) else name)
        return f"arn:aws:s3:::{bucket}" if isinstance(bucket, str) and bucket != rpc.UNKNOWN else rpc.UNKNOWN
    form = _ARN_FORMS.get(type_token)
    found = form(name, region, inputs or {}) if form is not None else None
    if found is not None:
        return found
    resource = type_token.rsplit(":", 1)[-1]
    return f"arn:aws:{_service_of(type_token)}:{region}:{account_id()}:{resource[0].lower() + resource[1:]}/{name}"


# ARNs that end in the resource's own name (`own_name`), after its parents' names where it has any: type -> (service,
# resource part, the inputs naming its parents, in the resource part's order).
_NAMED_ARNS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "aws:sns/topic:Topic": ("sns", "{}", ()),
    "aws:sqs/queue:Queue": ("sqs", "{}", ()),
    "aws:lambda/function:Function": ("lambda", "function:{}", ()),
    "aws:dynamodb/table:Table": ("dynamodb", "table/{}", ()),
    "aws:cloudtrail/trail:Trail": ("cloudtrail", "trail/{}", ()),
    "aws:cloudwatch/eventBus:EventBus": ("events", "event-bus/{}", ()),  # EventBridge's, though under cloudwatch
    "aws:ecs/cluster:Cluster": ("ecs", "cluster/{}", ()),
    # The provider's log group ARN: `log-group:` and the group's name (it strips the `:*` the API adds), which
    # programs extend with `:log-stream:...` or `:*`.
    "aws:cloudwatch/logGroup:LogGroup": ("logs", "log-group:{}", ()),
    # An alarm's (`alarm:<name>`), which dashboards' alarm widgets list.
    "aws:cloudwatch/metricAlarm:MetricAlarm": ("cloudwatch", "alarm:{}", ()),
    "aws:networkfirewall/firewall:Firewall": ("network-firewall", "firewall/{}", ()),
    "aws:networkfirewall/firewallPolicy:FirewallPolicy": ("network-firewall", "firewall-policy/{}", ()),
    # App Mesh's names its mesh: `mesh/<mesh>/virtualNode/<name>` (Envoy's stats carry the last part).
    "aws:appmesh/mesh:Mesh": ("appmesh", "mesh/{}", ()),
    **{f"aws:appmesh/{kind[0].lower() + kind[1:]}:{kind}": (
        "appmesh", f"mesh/{{}}/{kind[0].lower() + kind[1:]}/{{}}", ("meshName",))
       for kind in ("VirtualNode", "VirtualGateway", "VirtualRouter", "VirtualService")},
    "aws:appmesh/route:Route": ("appmesh", "mesh/{}/virtualRouter/{}/route/{}", ("meshName", "virtualRouterName")),
    "aws:appmesh/gatewayRoute:GatewayRoute": (
        "appmesh", "mesh/{}/virtualGateway/{}/gatewayRoute/{}", ("meshName", "virtualGatewayName")),
}


def _named_arn(type_token: str, service: str, resource: str, parents: tuple[str, ...], name: str, region: str,
               inputs: Mapping[str, Any]) -> Any:
    return _arn_of(service, region, resource, *(_known_input(inputs.get(parent)) for parent in parents),
                   own_name(type_token, name, inputs))


# ARNs as AWS makes them, for types whose ARN a program commonly hands on or an operator copies: (name, region,
# inputs) -> the ARN, or None for the made-up `<service>:<region>:<account>:<type>/<name>`.
_ARN_FORMS: dict[str, Callable[[str, str, Mapping[str, Any]], Any]] = {
    **_ELB_ARNS,
    # `key/<key id>`, in the key's own region (a replica's, with its primary's key id).
    **{key: lambda n, r, i: _arn_of("kms", r, "key/{}", _key_id(n, i)) for key in _KMS_KEYS},
    # Named by the resource's own name (`_NAMED_ARNS`), or by its id where AWS's ARN has it (the mocks' `<name>-id`).
    **{type_token: functools.partial(_named_arn, type_token, *form) for type_token, form in _NAMED_ARNS.items()},
    EVENT_RULE: lambda n, r, i: _arn_of("events", r, "rule/{}", _event_rule_path(n, i)),
    "aws:ecs/taskDefinition:TaskDefinition": lambda n, r, i: _arn_of(
        "ecs", r, "task-definition/{}:1", _known_input(i.get("family", n))),  # the first revision
    # Secrets Manager adds a hyphen and six random characters to the name (`secret:<name>-AbCdEf`), which grants
    # match with `<name>-??????` or `<name>-*`.
    "aws:secretsmanager/secret:Secret": lambda n, r, i: _arn_of(
        "secretsmanager", r, "secret:{}-{}", own_name("aws:secretsmanager/secret:Secret", n, i), stable_hex(n, 6)),
    # ECS's long ARN form (every account's default since 2021) names the cluster.
    ECS_SERVICE: lambda n, r, i: _arn_of("ecs", r, "service/{}/{}", _cluster_name(i.get("cluster")),
                                         own_name(ECS_SERVICE, n, i)),
    "aws:cognito/userPool:UserPool": lambda n, r, i: _arn_of("cognito-idp", r, "userpool/{}", f"{n}-id"),
    # IAM names an OIDC provider by its URL without the scheme: `arn:aws:iam::<account>:oidc-provider/<host>[/<path>]`
    # (IAM's "IAM identifiers"), what a trust's Principal.Federated holds.
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": lambda n, r, i: _unless_unknown(
        _known_input(i.get("url")), invokes.oidc_provider_arn),
    "aws:servicediscovery/httpNamespace:HttpNamespace": lambda n, r, i: _arn_of(
        "servicediscovery", r, "namespace/{}", f"{n}-id"),
    "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": lambda n, r, i: _arn_of(
        "servicediscovery", r, "namespace/{}", f"{n}-id"),
    "aws:servicediscovery/service:Service": lambda n, r, i: _arn_of("servicediscovery", r, "service/{}", f"{n}-id"),
    "aws:acmpca/certificateAuthority:CertificateAuthority": lambda n, r, i: _arn_of(
        "acm-pca", r, "certificate-authority/{}", str(uuid.uuid5(uuid.NAMESPACE_URL, n))),
    RULE_GROUP: lambda n, r, i: _arn_of(
        "network-firewall", r, f"{str(i.get('type', 'STATEFUL')).lower()}-rulegroup/{{}}", own_name(RULE_GROUP, n, i)),
    WEB_ACL: lambda n, r, i: _arn_of(
        "wafv2", r, f"{'global' if i.get('scope') == 'CLOUDFRONT' else 'regional'}/webacl/{{}}/{n}-id",
        own_name(WEB_ACL, n, i)),
    # API Gateway's resources are named by path, without an account: `arn:aws:apigateway:<region>::/restapis/<id>`.
    "aws:apigateway/restApi:RestApi": lambda n, r, i: f"arn:aws:apigateway:{r}::/restapis/{n}-id",
    "aws:apigateway/stage:Stage": lambda n, r, i: _apigateway_arn(r, "/restapis/{}/stages/{}", i.get("restApi"),
                                                                  i.get("stageName")),
    V2_API: lambda n, r, i: f"arn:aws:apigateway:{r}::/apis/{n}-id",
    V2_STAGE: lambda n, r, i: _apigateway_arn(r, "/apis/{}/stages/{}", i.get("apiId"), i.get("name")),
}


# Inputs the provider reads back in another form than the program gave them, once the resource exists: IAM returns
# an OIDC provider's URL without its scheme (terraform-provider-aws sets `url` from GetOpenIDConnectProvider and
# suppresses the `https://` difference), so a trust's condition keys made from it (`<url>:sub`) name the provider.
_READ_BACK: dict[str, dict[str, Callable[[str], str]]] = {
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": {"url": invokes.oidc_provider_url},
}


def _cluster_name(cluster: Any) -> Any:
    """The name of the cluster an ECS service's `cluster` names (by ARN or name; ECS's `default` left out)."""
    cluster = _plain_input(cluster)
    if cluster is None:
        return "default"
    cluster = _known_input(cluster)
    return cluster.rsplit(":cluster/", 1)[-1] if cluster != rpc.UNKNOWN else cluster


def _s3_configuration_id(type_: str, bucket: str, inputs: Mapping[str, Any]) -> Any:
    """A bucket configuration's id: `<bucket>[,<expectedBucketOwner>]`, and an ACL's `[,<acl>]` (unknown while a part
    given is)."""
    keys = ("expectedBucketOwner", "acl") if type_.startswith("aws:s3/bucketAcl") else ("expectedBucketOwner",)
    parts = [_known_input(inputs[key]) for key in keys if inputs.get(key)]
    return rpc.UNKNOWN if rpc.UNKNOWN in parts else ",".join([bucket, *parts])


def _known_input(value: Any) -> Any:
    value = _plain_input(value)
    return value if isinstance(value, str) and value != rpc.UNKNOWN else rpc.UNKNOWN


def _arn_of(service: str, region: str, resource: str, *parts: Any) -> Any:
    """`arn:aws:<service>:<region>:<account>:<resource>` with `parts` in its `{}`s; unknown while a part is."""
    if any(part == rpc.UNKNOWN or not isinstance(part, str) for part in parts):
        return rpc.UNKNOWN
    return f"arn:aws:{service}:{region}:{account_id()}:{resource.format(*parts)}"


def _apigateway_arn(region: str, path: str, *parts: Any) -> Any:
    """An API Gateway resource's ARN (`arn:aws:apigateway:<region>::/restapis/<id>/stages/<stage>`), which WAF
    associations and IAM name; None (the made-up form) where a part is missing, unknown where one is unknown."""
    plain = [_plain_input(part) for part in parts]
    if any(part is None for part in plain):
        return None
    if any(part == rpc.UNKNOWN or not isinstance(part, str) for part in plain):
        return rpc.UNKNOWN
    return f"arn:aws:apigateway:{region}::{path.format(*plain)}"


def _event_rule_path(name: str, inputs: Mapping[str, Any]) -> Any:
    """An EventBridge rule's ARN names its bus unless it is the default one: `rule/<bus>/<name>`."""
    own, bus = own_name(EVENT_RULE, name, inputs), _plain_input(inputs.get("eventBusName", "default"))
    if own == rpc.UNKNOWN or not isinstance(bus, str) or bus == rpc.UNKNOWN:
        return rpc.UNKNOWN
    bus = bus.rsplit("event-bus/", 1)[-1]  # a bus may be given by its ARN
    return own if bus == "default" else f"{bus}/{own}"


def _holds_unknown(value: Any) -> bool:
    if isinstance(value, dict):
        return any(map(_holds_unknown, value.values()))
    if isinstance(value, list):
        return any(map(_holds_unknown, value))
    return isinstance(value, pulumi.output.Unknown) or value == rpc.UNKNOWN


def _whole_numbers(value: Any) -> Any:
    # A number reaches the mocks as a float; Go writes a whole one without its `.0`.
    if isinstance(value, dict):
        return {k: _whole_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_whole_numbers(v) for v in value]
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _json_document(value: Any) -> Any:
    """A map or list input as the provider returns it where its schema has text: pulumi-terraform-bridge's
    TransformJSONDocument, Go's json.Marshal of it (compact, map keys sorted); unknown while it holds an unknown
    value; a secret stays one."""
    if rpc.is_rpc_secret(value):
        return rpc.wrap_rpc_secret(_json_document(rpc.unwrap_rpc_secret(value)))
    if _holds_unknown(value):
        return rpc.UNKNOWN
    return invokes.go_json(_whole_numbers(value), sort_keys=True)


class PreviewMocks(runtime_mocks.Mocks):
    """Echo inputs and add deterministic computed outputs (ids, ARNs, DNS names).

    With `unknown_outputs`, every computed output is unknown instead, as in a first `pulumi preview`
    of a new stack, where nothing has been created yet.
    """

    def __init__(self, region: str, unknown_outputs: bool, config: Optional[Mapping[str, str]] = None):
        self.region = region
        self.unknown_outputs = unknown_outputs
        self.config = config or {}
        self.account = invokes.stack_account(self.config)
        # An explicit provider's inputs by URN, for invokes made with it (the capturing monitor knows them).
        self.registered_inputs: Callable[[str], Optional[dict]] = lambda urn: None
        self._providers: dict[str, tuple[Optional[str], str]] = {}
        # An HTTP or WebSocket API's protocol by its id: the provider reads the API to give its stages' invoke URL.
        self._v2_protocols: dict[str, Any] = {}

    def _provider_place(self, provider: Optional[str]) -> tuple[Optional[str], str]:
        """The region an explicit provider (a `urn::id` reference) works in, if it names one, and its account: a
        resource made with `aws.Provider(region="eu-west-1", allowed_account_ids=[...])` lives there, and so do the
        ARNs made up for it. A provider that pins no account stands in the stack's."""
        if not provider:
            return None, self.account
        urn = provider.rsplit("::", 1)[0]
        if urn not in self._providers:  # a provider's inputs are final once it is registered
            inputs = self.registered_inputs(urn) or {}
            try:
                region = awsprovider.provider_region(inputs)
            except awsprovider.Unknown:
                region = rpc.UNKNOWN  # what is made from it is unknown too
            self._providers[urn] = (region,
                                    invokes.pinned_account(inputs, self.config) or self.account)
        return self._providers[urn]

    def added_outputs(self, type_: str, name: str, custom: bool, inputs: Mapping[str, Any],
                      provider: Optional[str] = None) -> tuple[str, dict]:
        """The resource's id, and the outputs its provider adds to its inputs (only those the inputs lack): its
        state is the two together (so the monitor may answer from the request: `sdk_internals.EchoingMocks`).
        Made-up ARNs name the resource's region: its own `region`, else its explicit provider's, else the
        stack's; an IAM entity's names none (`fake_arn`); and its provider's account (`_provider_place`)."""
        token = invokes.ACCOUNT.set(self._provider_place(provider)[1])
        try:
            return self._added_outputs(type_, name, custom, inputs, provider)
        finally:
            invokes.ACCOUNT.reset(token)

    def _added_outputs(self, type_: str, name: str, custom: bool, inputs: Mapping[str, Any],
                       provider: Optional[str]) -> tuple[str, dict]:
        resource_id = "" if self.unknown_outputs else mock_id(name)
        if not custom or type_.startswith("pulumi:providers:"):
            # A component's state is what it registers, a provider's its config alone: nothing is made up.
            return resource_id, {}
        region = _plain_input(inputs.get("region")) or self._provider_place(provider)[0] or self.region
        computed = {"arn": fake_arn(type_, name, region, inputs)}
        computed.update(_TYPE_OUTPUTS.get(type_, lambda n, r, i: {})(name, region, inputs))
        if type_ == V2_API:
            self._v2_protocols[mock_id(name)] = inputs.get("protocolType")
        elif type_ == V2_STAGE:
            computed.update(self._v2_stage_outputs(region, inputs))
        if self.unknown_outputs or not isinstance(region, str) or region == rpc.UNKNOWN:
            # The SDK reads this sentinel as an unknown value during a dry run (in a block, each value the provider
            # adds to it). A region unknown until the update leaves everything made from it unknown too.
            computed = {k: {n: rpc.UNKNOWN for n in v} if isinstance(v, dict) else rpc.UNKNOWN
                        for k, v in computed.items()}
        # A type pulumi-aws auto-names has its `name` in the inputs already (`check`), or a `namePrefix` the
        # provider's name is made from; any other type's made-up `name` is its logical name (`own_name`). An IAM
        # entity's ARN ends in it.
        computed.setdefault("name", rpc.UNKNOWN if self.unknown_outputs
                            else own_name(type_, name, inputs))
        if type_ in _ID_OUTPUTS and not self.unknown_outputs:
            # Read once the outputs are final: an ARN id is unknown while the region is, a name id is not.
            # A bucket's name is its input (`check` names it, unless a `bucketPrefix` leaves it to the provider).
            key = _ID_OUTPUTS[type_]
            own_id = (key(name, inputs) if callable(key) else computed[key] if key in computed
                      else _known_input(inputs.get(key, rpc.UNKNOWN)))
            if type_ in _S3_CONFIGURATIONS and own_id != rpc.UNKNOWN:
                own_id = _s3_configuration_id(type_, own_id, inputs)
            resource_id = "" if own_id == rpc.UNKNOWN else own_id  # the SDK takes an empty id for an unknown one
        declared = awsprovider.sdk_outputs(type_)
        if declared:
            # Only outputs the type has: a route with a made-up `arn` and `name` could be matched as what a stack
            # policy's reference names (by id, ARN or name), and an unknown one made it a "maybe".
            computed = {key: value for key, value in computed.items() if key in declared}
        # The bridged provider's outputs carry the resource's id too (a stack export shows it in `outputs`): stack
        # policies match references by it.
        computed["id"] = rpc.UNKNOWN if self.unknown_outputs or not resource_id else resource_id
        added = {key: value for key, value in computed.items() if key not in inputs}
        for key in computed.keys() & inputs.keys():
            # A block the program gave (a v2 domain's domainNameConfiguration) with what the provider adds to it.
            if isinstance(computed[key], dict) and isinstance(inputs[key], dict):
                added[key] = {**computed[key], **inputs[key]}
        for key, read in _READ_BACK.get(type_, {}).items():
            value = _known_input(inputs.get(key))
            if value != rpc.UNKNOWN and not self.unknown_outputs and not rpc.is_rpc_secret(inputs.get(key)):
                added[key] = read(value)
        # What the provider returns as text, where the program gave a map or list (an IAM policy document).
        for key in sorted(awsprovider.text_outputs(type_) & inputs.keys()):
            value = inputs[key]
            if isinstance(_plain_input(value), (dict, list)):  # a secret is a map on the wire, whatever it holds
                added[key] = _json_document(value)
        return resource_id, added

    def _v2_stage_outputs(self, region: str, inputs: Mapping[str, Any]) -> dict:
        """An HTTP or WebSocket API stage's `invokeUrl` and `executionArn`, as terraform-provider-aws sets them
        (apigatewayv2/stage.go, conns.APIGatewayV2InvokeURL): `wss://<api>.execute-api.<region>.amazonaws.com/<stage>`
        for WebSocket, `https://.../<stage>` for HTTP, without the stage for `$default`. Only for an API of this
        program (its protocol is known here); the provider reads any other's."""
        api, stage = inputs.get("apiId"), inputs.get("name")
        protocol = self._v2_protocols.get(api) if isinstance(api, str) else None
        if protocol is None or not isinstance(stage, str):
            return {}
        host = f"{api}.execute-api.{region}.amazonaws.com"
        url = (f"wss://{host}/{stage}" if protocol == "WEBSOCKET"
               else f"https://{host}/" if stage == "$default" else f"https://{host}/{stage}")
        return {"invokeUrl": url, "executionArn": f"arn:aws:execute-api:{region}:{account_id()}:{api}/{stage}"}

    def check(self, type_: str, name: str, urn: str, custom: bool, inputs: struct_pb2.Struct,
              provider: Optional[str]) -> dict:
        """What the provider's Check adds to the resource's inputs before the analyzers see them, and its state is
        planned from them (`awsprovider`), in wire form: the auto-named `name` of a type pulumi-aws auto-names (and
        an S3 bucket's `bucket`) the program left out, and pulumi-aws's `tagsAll`, from the resource's `tags` and
        its provider's default tags (the explicit provider's inputs, else the stack's `aws:defaultTags`). Known in a
        first preview too, as Check's result is."""
        if not custom:
            return {}
        try:
            added: dict[str, Any] = awsprovider.check_autoname(type_, name, inputs.fields, urn)
        except awsprovider.AutonameError as error:
            raise ProgramError(f"{type_} resource '{name}': {error}") from None
        if awsprovider.has_tags_all(type_):
            added["tagsAll"] = self._tags_all(inputs, provider)
        return added

    def _tags_all(self, inputs: struct_pb2.Struct, provider: Optional[str]) -> Any:
        tags = json_format.MessageToDict(inputs.fields["tags"]) if "tags" in inputs.fields else None
        explicit = self.registered_inputs(provider.rsplit("::", 1)[0]) if provider else None
        try:
            merged: Any = awsprovider.merged_tags(tags, explicit, self.config)
        except awsprovider.Unknown:
            return rpc.UNKNOWN
        if awsprovider.is_wire_secret(tags):
            merged = rpc.wrap_rpc_secret(merged)
        return merged

    def new_resource(self, args: runtime_mocks.MockResourceArgs):
        resource_id, added = self.added_outputs(args.typ, args.name, args.custom, args.inputs, args.provider)
        return resource_id, {**args.inputs, **added}

    def call(self, args: runtime_mocks.MockCallArgs):
        """The answers in `invokes.ANSWERS`; any other invoke stops the run with one line naming it (an empty
        result would fail later, far from the cause, or let the program run on data nobody gave it)."""
        answer = invokes.ANSWERS.get(args.token)
        if answer is None:
            raise ProgramError(invokes.unanswered(args.token))
        provider = self.registered_inputs(args.provider.rsplit("::", 1)[0]) if args.provider else None
        token = invokes.ACCOUNT.set(self._provider_place(args.provider)[1])
        try:
            return answer(args.args, invokes.Context(self.region, self.config, provider))
        except invokes.InvokeFailure as failure:  # the provider's refusal: `invoke of <token> failed: ...`
            return {}, [(failure.prop, failure.reason)]
        except invokes.Unanswered:
            raise ProgramError(invokes.unanswered(args.token)) from None
        finally:
            invokes.ACCOUNT.reset(token)


# --------------------------------------------------------------------------------------------------
# Capturing monitor
# --------------------------------------------------------------------------------------------------


@dataclass
class CapturedResource:
    urn: str
    type: str
    name: str
    parent: Optional[str]
    custom: bool
    protect: bool
    # What the engine's analyzer receives: the serialized inputs (secrets and unknowns in wire form).
    inputs_struct: struct_pb2.Struct
    # The resource's state after the (mocked) step: what stack policies see as props. Where the mock monitor
    # echoed the inputs, its `EchoedState`, which builds the Struct again when read: the preview's listeners
    # read the reply's own as the resource registers, and keeping a second copy of every resource's inputs
    # was about 6 % of a 200-service preview's memory.
    state: Union[struct_pb2.Struct, EchoedState]
    dependencies: list[str] = field(default_factory=list)
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)
    provider: str = ""
    additional_secret_outputs: list[str] = field(default_factory=list)
    delete_before_replace: Optional[bool] = None
    retain_on_delete: bool = False
    ignore_changes: list[str] = field(default_factory=list)
    replace_on_changes: list[str] = field(default_factory=list)
    replace_with: list[str] = field(default_factory=list)  # URNs whose replacement replaces this one
    replacement_trigger: Any = None  # plain data; a new value replaces the resource
    aliases: list[str] = field(default_factory=list)
    # The engine's default provider for a custom resource made without an explicit one (`DefaultProviders`): what
    # the analyzers see as its provider. Not itself in the preview's resources.
    default_provider: Optional["CapturedResource"] = None

    @property
    def state_struct(self) -> struct_pb2.Struct:
        return self.state.struct() if isinstance(self.state, EchoedState) else self.state

    @functools.cached_property
    def inputs(self) -> dict:
        """The inputs as plain data, converted when first read (a preview that prints text never needs them)."""
        return struct_to_plain(self.inputs_struct)


def struct_to_plain(struct: struct_pb2.Struct) -> dict:
    """A wire Struct as plain data: secrets become {"secret": value}, unknowns {"unknown": true}.

    Keys are sorted: a Struct's map order is not stable between processes."""
    return _plain(json_format.MessageToDict(struct))


def _plain(value: Any) -> Any:
    if value == rpc.UNKNOWN:
        return {"unknown": True}
    if isinstance(value, dict):
        sig = value.get(rpc._special_sig_key)
        if sig == rpc._special_secret_sig:
            return {"secret": _plain(value.get("value"))}
        if sig == rpc._special_resource_sig:
            return {"resourceRef": value.get("urn")}
        return {k: _plain(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


class DefaultProviders:
    """The provider the engine makes for each package a custom resource uses without an explicit one, and gives the
    analyzers as its provider: `pulumi:providers:<package>` named `default_<version>` (the plugin's version, as the
    resource's registration names it, dots as underscores), its inputs the stack's `<package>:*` config as text
    (a secure value secret) and `version`. One per package and version; the engine's preview lists them, this one's
    resources are the program's."""

    def __init__(self, config: Mapping[str, str], secret_keys: Sequence[str]):
        self._config, self._secret_keys = config, frozenset(secret_keys)
        self._made: dict[tuple[str, str], CapturedResource] = {}
        # `pulumi:disable-default-providers`, read once: the packages it bars, or None if it is not a JSON list of
        # names (refused at the first default provider it would decide, as the engine refuses it).
        raw = config.get("pulumi:disable-default-providers", "")
        try:
            barred = json.loads(raw) if raw else []
        except ValueError:
            barred = None
        self._barred = (frozenset(name.strip() for name in barred)
                        if isinstance(barred, list) and all(isinstance(name, str) for name in barred) else None)

    def refuse_if_disabled(self, token: str, what: str, named: str = "") -> None:
        """The engine's refusal of a default provider the stack's `pulumi:disable-default-providers` bars (a JSON
        list of package names, `*` for every package: pkg/resource/deploy/default_providers.go,
        `shouldDenyRequest`), for a custom resource (`what` its URN), an invoke (`what` its token) or a read
        (`what` and `named` its type, as source_eval.go words it) of `token`'s package made without an explicit
        provider."""
        package = token.split(":", 1)[0]
        if package == "pulumi":
            return
        if self._barred is None:
            raise ProgramError(f"Failed to parse pulumi:disable-default-providers "
                               f"{self._config['pulumi:disable-default-providers']}: a list of package names")
        if self._barred & {"*", package}:
            raise ProgramError(f"Default provider for '{named or package}' disabled. '{what}' must use an explicit "
                               "provider.")

    def of(self, type_: str, version: str, urn_of: Callable[[str, str], str]) -> Optional[CapturedResource]:
        """`urn_of(type, name)`: the URN of a resource of the stack's own, outside any component."""
        package = type_.split(":", 1)[0]
        if package == "pulumi":
            return None
        if (package, version) not in self._made:
            name = "default" + "".join(f"_{part}" for part in re.split(r"[.\-+]", version) if part)
            inputs = struct_pb2.Struct()
            for key, value in self._config.items():
                namespace, _, setting = key.partition(":")
                if namespace == package and setting:
                    inputs.update({setting: rpc.wrap_rpc_secret(value) if key in self._secret_keys else value})
            if version:
                inputs.update({"version": version})
            provider_type = f"pulumi:providers:{package}"
            self._made[(package, version)] = CapturedResource(
                urn=urn_of(provider_type, name), type=provider_type, name=name, parent=None, custom=True,
                protect=False, inputs_struct=inputs, state=inputs)
        return self._made[(package, version)]


def _mark_secret_outputs(state: struct_pb2.Struct, keys: Sequence[str]) -> None:
    """The outputs a registration names in `additionalSecretOutputs` (the SDK adds the ones a type declares, a
    private key's PEM), made secret in the state returned, as the engine returns them."""
    for key in keys:
        if key in state:
            value = json_format.MessageToDict(state.fields[key])  # that output alone, not the whole state
            if not awsprovider.is_wire_secret(value):
                state.update({key: {rpc._special_sig_key: rpc._special_secret_sig, "value": value}})


class CapturingMonitor(runtime_mocks.MockMonitor):
    def __init__(self, mocks: PreviewMocks, on_register: Optional[Callable[[CapturedResource], None]] = None,
                 loop: Optional[asyncio.AbstractEventLoop] = None, defaults: Optional[DefaultProviders] = None):
        super().__init__(mocks)
        self.on_register = on_register
        self.defaults = defaults
        # New-style transforms, which the engine runs and the SDK's mock monitor does not (`loop`: the program's).
        self.transforms = EngineTransforms(loop, ProgramError)
        self.captured: list[CapturedResource] = []
        self._by_urn: dict[str, CapturedResource] = {}  # looked up per resource with an explicit provider: no scan
        self._urns: set[str] = set()
        self.stack_urn: Optional[str] = None
        self.stack_outputs: struct_pb2.Struct = struct_pb2.Struct()
        self._thread = threading.local()
        self._lock = threading.Lock()
        self._loops: list[asyncio.AbstractEventLoop] = []

    def thread_event_loop(self) -> None:
        """The SDK's mock monitor gives each executor thread an event loop (`_ensure_event_loop`) and never
        closes it, so each is left for the collector to find, unclosed. Make it here, and `close_event_loops`
        when the run's executor is done. With the monitor's calls made on the loop's own thread
        (`run_monitor_calls_inline`, the default) there are no such threads; this is for `optimise=False`
        and another pulumi version."""
        if threading.current_thread() is threading.main_thread() or getattr(self._thread, "loop", None):
            return
        self._thread.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._thread.loop)
        with self._lock:
            self._loops.append(self._thread.loop)

    def inputs_of(self, urn: str) -> Optional[dict]:
        """The plain inputs of a registered resource (an explicit provider an invoke names), or None."""
        found = self._by_urn.get(urn)
        return found.inputs if found is not None else None

    def close_event_loops(self) -> None:
        with self._lock:
            loops, self._loops = self._loops, []
        for loop in loops:
            loop.close()

    def Invoke(self, request):
        self.thread_event_loop()
        return self.transforms.invoke(request, self._invoke)

    def _invoke(self, request):
        """An invoke after its transforms."""
        if not request.provider and self.defaults is not None:
            self.defaults.refuse_if_disabled(request.tok, request.tok)
        return super().Invoke(request)

    def RegisterStackTransform(self, request):
        self.transforms.add_stack_transform(request)
        return super().RegisterStackTransform(request)

    def RegisterStackInvokeTransform(self, request):
        self.transforms.add_stack_invoke_transform(request)
        return super().RegisterStackInvokeTransform(request)

    def ReadResource(self, request):
        """A resource read by id (`X.get(name, id)`): the engine reads it from the account during a preview too
        (`ReadStep`), so its id is the one asked for, and so is each output that is that id (a queue's URL, an
        ARN-id type's ARN, a name-id type's name: `_ID_OUTPUTS`), but where the provider's importer rewrites it
        (`_READ_IDS_REWRITTEN`); its other outputs are the account's, unknown here. The SDK's mock monitor leaves
        the id out of its reply, which a preview reads as unknown."""
        self.thread_event_loop()
        if not request.provider and self.defaults is not None:
            self.defaults.refuse_if_disabled(request.type, request.type, request.type)
        response = super().ReadResource(request)
        if request.id and request.type not in _READ_IDS_REWRITTEN:
            response.id = request.id
            key = _ID_OUTPUTS.get(request.type)
            if isinstance(key, str) and key not in response.properties:  # not one made from other inputs
                # A configuration's importer splits `<bucket>,<owner>`.
                own = request.id.split(",")[0] if request.type in _S3_CONFIGURATIONS else request.id
                response.properties.update({key: own})
        return response

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        """A URN as the engine makes it (`Deployment.generateURN`): the parent's whole qualified type, then
        this type, the root stack left out. (The SDK's mock monitor keeps only the parent's last type and
        keeps the stack: `pulumi:pulumi:Stack$aws:...`.)"""
        return self._urn(pulumi.get_stack(), pulumi.get_project(), parent, type_, name)

    @staticmethod
    def _urn(stack: str, project: str, parent: str, type_: str, name: str) -> str:
        parent_type = parent.split("::")[2] if parent else ""
        if parent_type and parent_type != ROOT_STACK_TYPE:
            return f"{parent[:parent.rindex('::')]}${type_}::{name}"
        return f"urn:pulumi:{stack}::{project}::{type_}::{name}"

    def _alias_urns(self, request) -> list[str]:
        """The URNs a resource's aliases name. The SDK sends alias specs (this monitor supports them), which
        the engine resolves (`collapseAliasToUrn`, `resource.CreateURN`) against the resource's own parent,
        type and name where the spec leaves them out; a spec's stack and project count only without a
        parent (or with the root stack as parent)."""
        urns = list(request.aliasURNs)
        for alias in request.aliases:
            if alias.WhichOneof("alias") == "urn":
                urns.append(alias.urn)
                continue
            spec = alias.spec
            parent = "" if spec.noParent else spec.parentUrn or request.parent
            urns.append(self._urn(spec.stack or pulumi.get_stack(), spec.project or pulumi.get_project(), parent,
                                  spec.type or request.type, spec.name or request.name))
        return urns

    def _checked(self, request):
        """The request as the engine goes on with it after the provider's Check: its inputs with what the provider
        adds (`PreviewMocks.check`), which the analyzers see and the state is made from."""
        if request.type == ROOT_STACK_TYPE:
            return request
        urn = self.make_urn(request.parent, request.type, request.name)
        added = self.mocks.check(request.type, request.name, urn, request.custom, request.object,
                                 request.provider or None)
        if not added:
            return request
        checked = resource_pb2.RegisterResourceRequest()
        checked.CopyFrom(request)
        checked.object.update(added)
        return checked

    def RegisterResource(self, request):
        self.thread_event_loop()
        if request.type == ROOT_STACK_TYPE:
            return self._register(request, [])
        # The engine's order: the transforms (the resource monitor calling the program back), then the Check.
        own_transforms = list(request.transforms)
        return self.transforms.resource(request, lambda transformed: self._register(transformed, own_transforms))

    def _register(self, request, own_transforms: list):
        """A registration after its transforms (`own_transforms`: the resource's own, which its children inherit)."""
        request = self._checked(request)
        response = super().RegisterResource(request)
        _mark_secret_outputs(response.object, request.additionalSecretOutputs)
        urn = response.urn
        with self._lock:  # registrations may come from the pool's threads (optimise=False)
            if urn in self._urns:
                # The engine refuses a second resource with the same URN (its type chain and name) before anything
                # is created; the SDK's mock monitor would quietly overwrite the first.
                raise ProgramError(f"Duplicate resource URN '{urn}'; try giving it a unique name")
            self._urns.add(urn)
        self.transforms.registered(urn, request.parent, own_transforms)
        if request.type == ROOT_STACK_TYPE:
            self.stack_urn = urn
            state = struct_pb2.Struct()
        else:
            state = response.object
        captured = CapturedResource(
            urn=urn,
            type=request.type,
            name=request.name,
            parent=request.parent or None,
            custom=request.custom,
            protect=bool(request.protect),
            inputs_struct=request.object,
            state=state,
            # The SDK gathers these in sets: sorted, they are the same in every run.
            dependencies=sorted(request.dependencies),
            property_dependencies={k: sorted(request.propertyDependencies[k].urns)
                                   for k in sorted(request.propertyDependencies)},
            provider=request.provider,
            additional_secret_outputs=list(request.additionalSecretOutputs),
            delete_before_replace=request.deleteBeforeReplace if request.deleteBeforeReplaceDefined else None,
            retain_on_delete=bool(request.retainOnDelete),
            ignore_changes=list(request.ignoreChanges),
            replace_on_changes=list(request.replaceOnChanges),
            replace_with=sorted(request.replace_with),
            replacement_trigger=(json_format.MessageToDict(request.replacement_trigger)
                                 if request.HasField("replacement_trigger") else None),
            aliases=self._alias_urns(request),
        )
        if request.custom and not request.provider and self.defaults is not None and self.stack_urn is not None:
            self.defaults.refuse_if_disabled(request.type, urn)
            captured.default_provider = self.defaults.of(request.type, request.version,
                                                         functools.partial(self.make_urn, ""))
        self.captured.append(captured)
        self._by_urn[urn] = captured
        if self.on_register is not None:
            self.on_register(captured)
        echoed = self.resources[urn].state if urn in self.resources else None
        if isinstance(echoed, EchoedState):
            captured.state = echoed  # the monitor keeps it, and the inputs it is built from, anyway
        return response

    def RegisterResourceOutputs(self, request):
        if request.urn == self.stack_urn:
            self.stack_outputs = request.outputs
        return empty_pb2.Empty()


# --------------------------------------------------------------------------------------------------
# Running a program
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Diagnostic:
    """A message the program logged (`pulumi.warn`, `pulumi.error`, a provider SDK's deprecation warning),
    once however often it was logged, as the CLI's Diagnostics section would list it."""

    severity: str  # "warning" or "error"
    message: str
    count: int

    def to_json(self) -> dict:
        return {"severity": self.severity, "message": self.message, "count": self.count}

    def line(self) -> str:
        return f"{self.severity}: {self.message}" + (f" (x{self.count})" if self.count > 1 else "")


class DiagnosticLog(logging.Handler):
    """The mock engine's log (the SDK's `MockEngine` logs what the engine would show): warnings and errors,
    counted per distinct message rather than printed to stderr as they come (400 identical lines at 200
    services on App Mesh). The caller may own it, to read it after a failed run too."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.counts: Counter[tuple[str, str]] = Counter()
        self.logger = logging.Logger("pulumi.program", logging.WARNING)  # its own: not the root's handlers
        self.logger.addHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        self.counts["error" if record.levelno >= logging.ERROR else "warning", record.getMessage()] += 1

    def diagnostics(self) -> list[Diagnostic]:
        # Errors first, then by message: the order tasks log in is not the program's.
        return [Diagnostic(severity, message, count)
                for (severity, message), count in sorted(self.counts.items(), key=lambda i: (i[0][0] != "error", i[0]))]


class PreviewEngine(runtime_mocks.MockEngine):
    """The SDK's mock engine with the RPC it lacks: `pulumi.require_pulumi_version` asks the engine whether the CLI
    is in a range (RequirePulumiVersion, engines from 3.217.0), and under `MockEngine` fails the program with an
    AttributeError. No CLI runs here, so every range is met; the ranges asked for are kept (ProgramRun)."""

    def __init__(self, logger: logging.Logger) -> None:
        super().__init__(logger)
        self.required_versions: list[str] = []

    def RequirePulumiVersion(self, request: engine_pb2.RequirePulumiVersionRequest
                             ) -> engine_pb2.RequirePulumiVersionResponse:
        self.required_versions.append(request.pulumi_version_range)
        return engine_pb2.RequirePulumiVersionResponse()


@dataclass
class ProgramRun:
    settings: StackSettings
    resources: list[CapturedResource]
    outputs: dict
    outputs_struct: struct_pb2.Struct
    # The CLI versions the program requires (`pulumi.require_pulumi_version`), which only a real run checks.
    required_pulumi_versions: list[str] = field(default_factory=list)


@contextlib.contextmanager
def program_environment(program_dir: Path):
    """Put the program's directory first on sys.path and make it the cwd, as the language host does;
    afterwards forget the program's own modules so the next program (maybe with a same-named
    `components` package) imports its own."""
    old_cwd, old_path = os.getcwd(), list(sys.path)
    before = set(sys.modules)
    os.chdir(program_dir)
    sys.path.insert(0, str(program_dir))
    try:
        yield
    finally:
        os.chdir(old_cwd)
        sys.path[:] = old_path
        root = str(program_dir.resolve()) + os.sep
        installed = {os.path.abspath(p) + os.sep for p in (sys.prefix, sys.base_prefix)}
        for name in set(sys.modules) - before:
            module_file = os.path.abspath(getattr(sys.modules[name], "__file__", None) or "/")
            # A virtualenv may live inside the program directory: its packages are not the program's.
            if module_file.startswith(root) and not any(module_file.startswith(p) for p in installed):
                del sys.modules[name]


# What the Pulumi CLI hands a program (through its language host) and a policy pack in their environment: the stack's
# config as JSON, and its secret keys. The SDKs read them for a key their config lacks (pulumi-policy for all of its).
CONFIG_VARIABLES = ("PULUMI_CONFIG", "PULUMI_CONFIG_SECRET_KEYS")


@contextlib.contextmanager
def config_variables(settings: Optional[StackSettings]):
    """CONFIG_VARIABLES as the CLI sets them for the program of the stack `settings` describe (with None, unset),
    whatever the preview's own environment holds there (the CLI overwrites them); as they were afterwards. Left as
    they were, a stray PULUMI_CONFIG stood in for keys the stack leaves unset, and text that is not JSON failed the
    program (or the pack) with a JSONDecodeError."""
    saved = {name: os.environ.get(name) for name in CONFIG_VARIABLES}
    for name in CONFIG_VARIABLES:
        os.environ.pop(name, None)
    if settings is not None:
        os.environ["PULUMI_CONFIG"] = json.dumps(dict(settings.config))
        os.environ["PULUMI_CONFIG_SECRET_KEYS"] = json.dumps(list(settings.secret_keys))
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_program(settings: StackSettings, *, unknown_outputs: bool = False, optimise: bool = True,
                on_register: Optional[Callable[[CapturedResource], None]] = None,
                log: Optional[DiagnosticLog] = None) -> ProgramRun:
    """Run the program in a fresh context; raises pulumi.RunError or ProgramError on failure.

    `optimise=False` runs the SDK exactly as shipped, without the shims in tools/sdk_internals/."""
    context = contextvars.copy_context()
    with mock_run_shims(optimise), lazy_service_packages(optimise):
        return context.run(_run_in_fresh_context, settings, unknown_outputs, on_register, optimise,
                           log if log is not None else DiagnosticLog())


_NO_ROOT = object()


def _current_event_loop() -> Optional[asyncio.AbstractEventLoop]:
    try:
        return asyncio.get_event_loop_policy().get_event_loop()
    except RuntimeError:
        return None


def _unless_never_retrieved(reported: BaseException, loop: asyncio.AbstractEventLoop, context: dict) -> None:
    """Drops asyncio's "exception was never retrieved" for `reported` and for exceptions caused by it."""
    if context.get("message", "").endswith("exception was never retrieved"):
        exc: Optional[BaseException] = context.get("exception")
        seen = set()
        while exc is not None and id(exc) not in seen:
            if exc is reported:
                return
            seen.add(id(exc))
            exc = exc.__cause__ or exc.__context__
    loop.default_exception_handler(context)


def _no_calls_left(loop: asyncio.AbstractEventLoop) -> None:
    """A run that ended with calls to the engine still pending (the SDK's `rpc_wrapper` tasks, as its own
    `_wait_for_pending_rpcs` finds them) would lose them quietly when they are cancelled: a smaller stack
    and no error. The wait for them (the SDK's `wait_for_rpcs`, or `sdk_internals.outputs`' in its place)
    ended too early; say so instead."""
    pending = [task for task in asyncio.all_tasks(loop)
               if getattr(task.get_coro(), "__name__", None) == "rpc_wrapper"]
    if pending:
        raise ProgramError(f"the program's run ended with {len(pending)} calls to the engine (resource "
                           f"registrations, reads or invokes) still pending: a bug in the offline preview's wait "
                           f"for them, not in the program; its resources would be incomplete")


def _run_in_fresh_context(settings: StackSettings, unknown_outputs: bool,
                          on_register: Optional[Callable[[CapturedResource], None]], optimise: bool,
                          log: DiagnosticLog) -> ProgramRun:
    # The event loop is per thread, not per context: use our own and give the caller's back afterwards.
    caller_loop = _current_event_loop()
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    # The language host's pool for the monitor's calls (pulumi-language-python-exec `_set_default_executor`: the
    # CLI's parallelism, 4 a core by default, times 4), not asyncio's (cores + 4): a registration that waits on a
    # transform holds a thread, and the resource the transform awaits needs another.
    loop.set_default_executor(concurrent.futures.ThreadPoolExecutor(max_workers=(os.cpu_count() or 1) * 16))
    run_monitor_calls_inline(loop, optimise)
    mocks = PreviewMocks(settings.region, unknown_outputs, settings.config)
    monitor = CapturingMonitor(mocks, on_register, loop, DefaultProviders(settings.config, settings.secret_keys))
    mocks.registered_inputs = monitor.inputs_of
    try:
        # set_mocks makes a root Stack unless one exists, and run_in_stack makes the program's own: a stand-in
        # root keeps set_mocks from registering a second Stack.
        runtime_settings.ROOT.set(_NO_ROOT)  # type: ignore[arg-type]
        pulumi.runtime.set_mocks(mocks, project=settings.project, stack=settings.stack, preview=True,
                                 logger=log.logger, monitor=monitor)
        engine = runtime_settings.SETTINGS.engine = PreviewEngine(log.logger)
        runtime_settings.ROOT.set(None)
        runtime_settings.SETTINGS.outputs = set()
        runtime_settings.SETTINGS.root_directory = str(settings.program_dir)  # as the engine: where Pulumi.yaml is
        runtime_config.set_all_config(dict(settings.config), list(settings.secret_keys))
        with program_environment(settings.program_dir), config_variables(settings):
            loop.run_until_complete(
                run_in_stack(lambda: runpy.run_path(str(settings.main), run_name="__main__")))
        _no_calls_left(loop)
    except BaseException as failure:
        # The failure becomes the preview's one error line. A failed registration leaves it in each of the
        # resource's outputs too (two futures an output), which asyncio would log as never retrieved when
        # collected: dozens of tracebacks of the same error in a long-lived process. Other failures still log.
        loop.set_exception_handler(functools.partial(_unless_never_retrieved, failure))
        raise
    finally:
        try:
            # A failed program leaves registrations pending: cancel them, or they complain when collected.
            pending = asyncio.all_tasks(loop)
            for task in pending:
                task.cancel()
            if pending:
                loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_default_executor())  # the monitor's threads are done
            monitor.close_event_loops()
        finally:
            runtime_settings.ROOT.set(None)
            asyncio.set_event_loop(caller_loop)
            loop.close()
            release_unread_failures(loop)  # after the handler above is in place: asyncio logs them as they go
    # Registrations arrive in whatever order the SDK's tasks (or, without the inline shim, its executor
    # threads) finish: sorted by URN, every run lists them the same way.
    resources = sorted(monitor.captured, key=lambda r: r.urn)
    return ProgramRun(settings=settings, resources=resources,
                      outputs=struct_to_plain(monitor.stack_outputs), outputs_struct=monitor.stack_outputs,
                      required_pulumi_versions=engine.required_versions)


