"""Every AWS CLI command in the README and the docs is one the AWS CLI would accept, checked offline.

On-call engineers paste these commands during incidents, so each is checked against botocore's service
models, which the AWS CLI builds its commands from (awscli/clidriver.py): the service exists, the command
is an operation (`xform_name(operation, "-")`), every `--option` is an input member (`xform_name(member,
"-")`, `--no-<member>` for a boolean) or an option the CLI adds itself, the required members are given, a
literal enum value is one of the enum's and a shorthand key (`Name=...,Values=...`) is a member, and a
`--query` names only fields of the operation's output. The CLI's own commands that are not API operations
(`aws logs tail`) are checked against `CUSTOM_COMMANDS`, which holds only those the docs use; a waiter
(`aws ecs wait services-stable`) against the arguments of the operation it polls.

Not checked: values' types, patterns and ranges, JSON values, the keys inside shorthand values, fields
below a function call, a `*` over a structure or a multi-select hash, and argument renames the CLI makes
for a few operations (awscli/customizations/argrename.py; none of them in these docs).

A command is an `aws` word where a shell command starts (a line, after `|`, `;`, `&&`, inside `$(...)`) in
a fenced code block or an inline code span; prose that says "aws" is not code and is never read.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Iterator, Optional, Union

import pytest
from botocore import xform_name
from botocore.exceptions import DataNotFoundError
from botocore.model import ListShape, MapShape, Shape, StringShape, StructureShape
from jmespath.parser import Parser

from tests.conftest import ROOT
from tools.apicheck import service_model, session

DOCS = ("README.md", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").rglob("*.md")))

# The word that stands for options a doc leaves out (`aws ecs describe-tasks ... --query ...`), or for a
# value the reader fills in, as `<placeholder>` does.
ELISION = "..."

# --------------------------------------------------------------------------------------------------
# The CLI's own arguments (AWS CLI v2 source, github.com/aws/aws-cli branch v2)
# --------------------------------------------------------------------------------------------------

# Global options, awscli/data/cli.json: those that take a value, then the switches.
GLOBAL_OPTIONS = frozenset({"region", "query", "output", "profile", "endpoint-url", "ca-bundle", "color",
                            "cli-read-timeout", "cli-connect-timeout", "cli-binary-format", "cli-error-format"})
GLOBAL_SWITCHES = frozenset({"debug", "no-verify-ssl", "no-paginate", "no-sign-request", "no-cli-pager",
                             "cli-auto-prompt", "no-cli-auto-prompt", "version"})
# Every API operation also takes these (awscli/customizations/cliinput.py, generatecliskeleton.py). They
# are OverrideRequiredArgsArguments: with one, the required members need not be on the command line.
OPTIONAL_VALUE = frozenset({"generate-cli-skeleton"})  # nargs='?': `input` (the default), `output`, `yaml-input`
OVERRIDE_REQUIRED = frozenset({"cli-input-json", "cli-input-yaml"}) | OPTIONAL_VALUE
# A paginated operation gains these (awscli/customizations/paginate.py); its own token and limit members
# stay accepted (undocumented), and giving one turns the CLI's automatic pagination off.
PAGING_OPTIONS = frozenset({"starting-token", "max-items"})
PAGE_SIZE_OPTION = "page-size"  # only where the paginator has a limit_key

# CLI service names that are not botocore's (awscli/customizations/s3/s3.py); `aws s3` is the CLI's own
# high-level commands (ls, cp, sync...), none of them used in the docs.
RENAMED_SERVICES = {"s3api": "s3"}
CLI_ONLY_SERVICES = frozenset({"s3"})
# `aws <service> wait <waiter> ...`: the CLI's command for botocore's waiters (awscli/customizations/waiters.py).
WAIT = "wait"


@dataclass(frozen=True)
class CustomCommand:
    """A command the AWS CLI implements itself: its ARG_TABLE, as the CLI reference documents it."""
    options: frozenset[str] = frozenset()   # take a value
    switches: frozenset[str] = frozenset()  # take none
    positionals: tuple[int, int] = (0, 0)   # how many, at least and at most


# Only the commands the docs use. When a doc first uses another (`aws s3 cp`, `aws eks update-kubeconfig`...),
# add it with its real options from the AWS CLI reference (https://docs.aws.amazon.com/cli/latest/reference/);
# a rule `logs tail` does not need (required options) needs its code and a wrong-command row too.
CUSTOM_COMMANDS: dict[tuple[str, str], CustomCommand] = {
    # https://docs.aws.amazon.com/cli/latest/reference/logs/tail.html (v2 only; awscli/customizations/logs/tail.py)
    ("logs", "tail"): CustomCommand(
        options=frozenset({"since", "format", "filter-pattern", "log-stream-names", "log-stream-name-prefix"}),
        switches=frozenset({"follow"}), positionals=(1, 1)),
}

# --------------------------------------------------------------------------------------------------
# Finding the commands
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    doc: str
    line: int
    words: tuple[str, ...]  # after `aws`
    mention: bool = False   # an inline `aws <service> <command>` that names the command, not one to run

    def __str__(self) -> str:
        return f"{self.doc}:{self.line} {' '.join(self.words[:2])}"


_FENCE = re.compile(r"^\s*(```|~~~)")
# An inline code span: a run of backticks, then anything up to the same run (CommonMark).
_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)


def code_in(text: str) -> Iterator[tuple[int, str, bool]]:
    """(line, shell text, inline?) for each logical line of a fenced block (`\\` continuations joined) and
    each inline code span (which may wrap across lines) outside fenced blocks."""
    prose: list[str] = []
    pending: Optional[tuple[int, str]] = None
    in_block = False
    for number, line in enumerate(text.splitlines(), start=1):
        if _FENCE.match(line):
            in_block = not in_block
            prose.append("")
            continue
        if not in_block:
            prose.append(line)
            continue
        prose.append("")  # keeps the prose's line numbers
        start, joined = pending or (number, "")
        joined += line
        if line.endswith("\\"):
            pending = (start, joined[:-1])
        else:
            pending = None
            yield start, joined, False
    rest = "\n".join(prose)
    for span in _SPAN.finditer(rest):
        yield rest.count("\n", 0, span.start()) + 1, span.group(2), True


def _closing_paren(shell: str, start: int) -> int:
    """The index of the `)` that closes the `$(` whose body starts at `start` (the end if none does); quotes
    hide parentheses."""
    depth, quote = 1, ""
    for i in range(start, len(shell)):
        char = shell[i]
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i
    return len(shell)


def _find(shell: str, char: str, start: int) -> int:
    """Where `char` next is; the end for an unclosed quote (inline code that is not shell may have one)."""
    end = shell.find(char, start)
    return len(shell) if end < 0 else end


def simple_commands(shell: str) -> Iterator[list[str]]:
    """The words of each simple command in a line of shell, those inside `$(...)` too.

    Enough shell for documentation: quotes (removed, as the shell does), `$(...)` (its output is one word
    here), `<placeholder>` (one word, though the shell would read a redirection), `#` comments, and the
    separators `|`, `;`, `&&`, `||`."""
    words: list[str] = []
    word: Optional[str] = None  # None until a word starts: '' is a word (an empty quoted string)
    i = 0
    while i < len(shell):
        char = shell[i]
        if char in "'\"":
            end = _find(shell, char, i + 1)
            word, i = (word or "") + shell[i + 1:end], end + 1
            continue
        if shell.startswith("$(", i):
            end = _closing_paren(shell, i + 2)
            yield from simple_commands(shell[i + 2:end])
            word, i = (word or "") + shell[i:end + 1], end + 1
            continue
        if char == "<" and ">" in shell[i:]:
            end = _find(shell, ">", i)
            word, i = (word or "") + shell[i:end + 1], end + 1
            continue
        if char == "#" and word is None:
            break
        if char.isspace() or char in "|;&":
            if word is not None:
                words.append(word)
                word = None
            if char in "|;&" and words:
                yield words
                words = []
            i += 1
            continue
        word, i = (word or "") + char, i + 1
    if word is not None:
        words.append(word)
    if words:
        yield words


def commands_in(doc: str, text: str) -> Iterator[Command]:
    for line, shell, inline in code_in(text):
        for words in simple_commands(shell):
            # Variable assignments may come before the command word (`A=1 aws ...`).
            while words and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", words[0]):
                words = words[1:]
            if words[:1] == ["aws"]:
                # Prose names a command in a span of its own (`aws kms enable-key`); a code block runs it.
                yield Command(doc, line, tuple(words[1:]), mention=inline and len(words) == 3)


def doc_commands() -> list[Command]:
    return [command for doc in DOCS for command in commands_in(doc, (ROOT / doc).read_text())]


# --------------------------------------------------------------------------------------------------
# botocore's models, through tools/apicheck.py's session (its loader caches each)
# --------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def botocore_services() -> frozenset[str]:
    return frozenset(session().get_available_services())


def botocore_service(cli_service: str) -> Optional[str]:
    name = RENAMED_SERVICES.get(cli_service, cli_service)
    return name if name in botocore_services() and cli_service not in RENAMED_SERVICES.values() else None


@functools.lru_cache(maxsize=None)
def operations(service: str) -> dict[str, str]:
    """CLI command name -> operation name (awscli/clidriver.py names a command `xform_name(op, '-')`)."""
    return {xform_name(name, "-"): name for name in service_model(service).operation_names}


@functools.lru_cache(maxsize=None)
def waiters(service: str) -> dict[str, str]:
    """`aws <service> wait <name>` -> the operation it polls (awscli/customizations/waiters.py names each
    botocore waiter `xform_name(waiter, '-')` and gives it that operation's arguments)."""
    try:
        model = session().get_waiter_model(service)
    except DataNotFoundError:
        return {}
    return {xform_name(name, "-"): model.get_waiter(name).operation for name in model.waiter_names}


def _paginator(service: str, operation: str) -> Optional[dict]:
    """The operation's paginator config, or None if it has none."""
    try:
        model = session().get_paginator_model(service)
    except DataNotFoundError:  # a service with no paginated operation ships no paginators-1 file
        return None
    try:
        return model.get_paginator(operation)
    except ValueError:  # botocore: "Paginator for operation does not exist"
        return None


@dataclass(frozen=True)
class Argument:
    member: str
    shape: Shape
    required: bool

    @property
    def switch(self) -> bool:
        return self.shape.type_name == "boolean"


@functools.lru_cache(maxsize=None)
def arguments(service: str, operation: str) -> dict[str, Argument]:
    """An operation's `--options`: its input members, a boolean's `--no-` form too, and the CLI's own."""
    model = service_model(service).operation_model(operation)
    shape = model.input_shape
    members = shape.members if shape else {}
    # The CLI never asks for an idempotency token: it fills one in (awscli/clidriver.py).
    required = {m for m in (shape.required_members if shape else ()) if not members[m].metadata.get("idempotencyToken")}
    table = {}
    for member, member_shape in members.items():
        argument = Argument(member, member_shape, member in required)
        table[xform_name(member, "-")] = argument
        if argument.switch:
            table["no-" + xform_name(member, "-")] = argument
    return table


def cli_options(service: str, operation: str) -> tuple[frozenset[str], frozenset[str]]:
    """The options the CLI adds to an operation that take a value, and the switches."""
    options = GLOBAL_OPTIONS | OVERRIDE_REQUIRED
    paginator = _paginator(service, operation)
    if paginator:
        options |= PAGING_OPTIONS | ({PAGE_SIZE_OPTION} if "limit_key" in paginator else set())
    return options, GLOBAL_SWITCHES


# --------------------------------------------------------------------------------------------------
# Checking a command
# --------------------------------------------------------------------------------------------------


@dataclass
class Parsed:
    positionals: list[str]
    options: list[tuple[str, list[str]]]  # in order, without the `--`
    elided: bool                          # the doc leaves options out (`...`)


def parse(words: tuple[str, ...]) -> Parsed:
    parsed = Parsed([], [], False)
    for word in words:
        if word.startswith("--"):
            parsed.options.append((word[2:], []))
        elif word == ELISION and (not parsed.options or parsed.options[-1][1]):
            parsed.elided = True
        elif parsed.options:
            parsed.options[-1][1].append(word)
        else:
            parsed.positionals.append(word)
    return parsed


def _option_problems(parsed: Parsed, options: frozenset[str], switches: frozenset[str],
                     multi: frozenset[str] = frozenset()) -> tuple[list[str], list[str]]:
    """Unknown options, options without a value or with too many; and the positional arguments, which
    include the words after a switch (a switch takes no value)."""
    found, positionals = [], list(parsed.positionals)
    for option, values in parsed.options:
        if option in switches:
            positionals.extend(values)
        elif option not in options:
            found.append(f"unknown option --{option}")
        elif not values and option not in OPTIONAL_VALUE:
            found.append(f"--{option} needs a value")
        elif len(values) > 1 and option not in multi:
            found.append(f"--{option} takes one value, not {values}")
    return found, positionals


def problems(command: Command) -> list[str]:
    """What the AWS CLI would refuse in `command`; empty if it would run it."""
    if len(command.words) < 2:
        return [f"`aws {' '.join(command.words)}` names no command"]
    cli_service, cli_command, *rest = command.words
    parsed = parse(tuple(rest))
    custom = CUSTOM_COMMANDS.get((cli_service, cli_command))
    if custom:
        return [] if command.mention else list(_custom_problems(custom, parsed))
    service = botocore_service(cli_service)
    if service is None:
        if cli_service in CLI_ONLY_SERVICES:
            return [f"`aws {cli_service} {cli_command}` is not in CUSTOM_COMMANDS (add it from the AWS CLI reference; "
                    f"{cli_service}'s API commands are under `aws {cli_service}api`)"]
        return [f"no AWS CLI service {cli_service!r}"]
    if cli_command == WAIT and rest:
        operation = waiters(service).get(rest[0])
        if operation is None:
            return [f"`aws {cli_service} wait` has no waiter {rest[0]!r} (botocore {service}'s waiters)"]
        return [] if command.mention else list(_operation_problems(service, operation, parse(tuple(rest[1:]))))
    operation = operations(service).get(cli_command)
    if operation is None:
        return [f"`aws {cli_service}` has no command {cli_command!r} (botocore {service}: no such operation, "
                f"and not in CUSTOM_COMMANDS)"]
    if command.mention:
        return []
    return list(_operation_problems(service, operation, parsed))


def _custom_problems(custom: CustomCommand, parsed: Parsed) -> Iterator[str]:
    # The AWS CLI's own commands take list options (`--log-stream-names a b`) as several values.
    found, positionals = _option_problems(parsed, custom.options | GLOBAL_OPTIONS,
                                          custom.switches | GLOBAL_SWITCHES, multi=custom.options)
    yield from found
    low, high = custom.positionals
    if not low <= len(positionals) <= high and not parsed.elided:
        yield f"takes {low} to {high} positional arguments, not {positionals}"


def _operation_problems(service: str, operation: str, parsed: Parsed) -> Iterator[str]:
    table = arguments(service, operation)
    cli_value_options, cli_switches = cli_options(service, operation)
    switches = frozenset(name for name, argument in table.items() if argument.switch) | cli_switches
    options = frozenset(name for name, argument in table.items() if not argument.switch) | cli_value_options
    # Only a list takes several values (`--alarm-names a b`, shorthand `--filters Name=..,Values=.. Name=..`).
    multi = frozenset(name for name, argument in table.items() if isinstance(argument.shape, ListShape))
    found, positionals = _option_problems(parsed, options, switches, multi)
    yield from found
    for option, values in parsed.options:
        if option in table:
            yield from _value_problems(option, table[option].shape, values)
    if positionals:
        yield f"API commands take no positional arguments: {positionals}"
    given = {option for option, _ in parsed.options}
    if not parsed.elided and not given & OVERRIDE_REQUIRED:
        members = {table[option].member for option in given if option in table}
        missing = sorted({a.member for a in table.values() if a.required} - members)
        yield from (f"--{xform_name(member, '-')} is required" for member in missing)
    for option, values in parsed.options:
        if option == "query" and len(values) == 1:
            output = service_model(service).operation_model(operation).output_shape
            yield from query_problems(values[0], output)


def _literal(value: str) -> bool:
    """A value as the reader types it, not one they fill in (`<id>`, `...`) or the shell expands (`$VPC`)."""
    return not re.search(r"[<>$`]", value) and ELISION not in value


def _value_problems(option: str, shape: Shape, values: list[str]) -> Iterator[str]:
    """Enum values AWS would refuse, and shorthand keys (`Name=vpc-id,Values=...`) the CLI would refuse."""
    item = shape.member if isinstance(shape, ListShape) else shape
    for value in values:
        if isinstance(item, StringShape) and item.enum and _literal(value) and value not in item.enum:
            yield f"--{option} {value}: not one of {', '.join(item.enum)}"
        if isinstance(item, StructureShape) and not value.startswith(("{", "[", "file://")):
            yield from (f"--{option}: {problem}" for problem in _shorthand_problems(item, value))


def _shorthand_problems(shape: StructureShape, value: str) -> Iterator[str]:
    """The keys of a shorthand structure the CLI would refuse, its nested structures' too (`a={b=1,c=[2,3]},d=4`:
    a and d here, b and c in a's shape). A part without `=` continues a list value."""
    for key, nested in _shorthand_pairs(value):
        if key not in shape.members:
            yield f"{shape.name} has no member {key!r} (it has {', '.join(shape.members)})"
        elif nested.startswith("{") and nested.endswith("}") and isinstance(shape.members[key], StructureShape):
            yield from _shorthand_problems(shape.members[key], nested[1:-1])


def _shorthand_pairs(value: str) -> list[tuple[str, str]]:
    """A shorthand value's own `key=value` pairs, joined by commas, a structure or list in braces or brackets one
    value."""
    pairs, depth, part = [], 0, ""
    for char in value + ",":
        depth += (char in "{[") - (char in "}]")
        if char == "," and depth == 0:
            key, has_value, nested = part.partition("=")
            if has_value and key and not re.search(r"[\[\]{}]", key):
                pairs.append((key, nested))
            part = ""
        else:
            part += char
    return pairs


# --------------------------------------------------------------------------------------------------
# --query: the fields a JMESPath expression names, walked through the output shape
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListOf:
    """What a projection makes: a list of `item` (None when the items' shape is not known)."""
    item: "Type"


# A botocore shape, a projected list, or None where the walk cannot tell (and so checks nothing below).
Type = Union[Shape, ListOf, None]


def query_problems(expression: str, output: Optional[StructureShape]) -> list[str]:
    found: list[str] = []
    _walk(Parser().parse(expression).parsed, output, found)
    return [f"--query {expression!r}: {problem}" for problem in found]


def _kind(value: Type) -> str:
    return "a list" if isinstance(value, ListOf) else f"{value.type_name} {value.name}"


def _field(value: Type, name: str, found: list[str]) -> Type:
    if value is None:
        return None
    if isinstance(value, StructureShape):
        if name in value.members:
            return value.members[name]
        found.append(f"{value.name} has no field {name!r} (it has {', '.join(value.members)})")
        return None
    if isinstance(value, MapShape):
        return value.value  # any key: the values' shape
    # JMESPath gives null for a field of a list or a scalar: a query that means `[].name` or `[0].name`.
    found.append(f"{name!r} is asked of {_kind(value)}, which has no fields")
    return None


def _items(value: Type, found: list[str], what: str) -> Type:
    if value is None:
        return None
    if isinstance(value, ListOf):
        return value.item
    if isinstance(value, ListShape):
        return value.member
    found.append(f"{what} of {_kind(value)}, not a list")
    return None


def _is_list(value: Type) -> bool:
    return isinstance(value, (ListOf, ListShape))


def _walk(node: dict, current: Type, found: list[str]) -> Type:
    """The shape `node` evaluates to when applied to `current`, noting each field that is not there."""
    kind, children = node["type"], node.get("children", [])
    if kind == "field":
        return _field(current, node["value"], found)
    if kind in ("subexpression", "pipe"):  # jmespath.py makes `a.b.c` one subexpression of three
        for child in children:
            current = _walk(child, current, found)
        return current
    if kind == "index_expression":
        value = _walk(children[0], current, found)
        for index in children[1:]:  # `a[0][1]` is one node with two indexes
            # `[0]` takes an item; `[:5]` (under a projection) keeps the list.
            value = value if index["type"] == "slice" else _items(value, found, "an index")
        return value
    if kind == "projection":
        return ListOf(_walk(children[1], _items(_walk(children[0], current, found), found, "a projection"), found))
    if kind == "flatten":
        item = _items(_walk(children[0], current, found), found, "[]")
        return ListOf(_items(item, found, "[]") if _is_list(item) else item)
    if kind == "filter_projection":
        item = _items(_walk(children[0], current, found), found, "a filter")
        _walk(children[2], item, found)
        return ListOf(_walk(children[1], item, found))
    if kind == "value_projection":
        value = _walk(children[0], current, found)
        # `*` over a map projects its values; over a structure, members of different shapes (not walked).
        item = value.value if isinstance(value, MapShape) else None
        if value is not None and not isinstance(value, (MapShape, StructureShape)):
            found.append(f"`*` of {_kind(value)}, not an object")
        return ListOf(_walk(children[1], item, found))
    if kind in ("identity", "current"):
        return current
    if kind == "multi_select_list":
        for child in children:
            _walk(child, current, found)
        return ListOf(None)  # items of different shapes
    # Comparisons, and/or/not, multi-select hashes (their keys are new names) and functions: their operands'
    # fields are checked against `current`; what they make is not followed. An `&expression` argument is
    # applied to items only the function knows (sort_by, max_by...), so its fields are not checked.
    if kind != "expref":
        for child in children:
            if child is not None:
                _walk(child, current, found)
    return None


# --------------------------------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------------------------------

COMMANDS = doc_commands()


@pytest.mark.parametrize("command", COMMANDS, ids=str)
def test_the_aws_cli_would_accept_the_command(command: Command):
    assert problems(command) == []


def test_every_doc_that_shows_a_command_yields_one():
    # A line or a code span that starts `aws <word>`: a rough test the finder must at least match.
    shown = {doc for doc in DOCS if re.search(r"(^|`)\s*aws [a-z]", (ROOT / doc).read_text(), re.M)}
    assert shown and shown <= {command.doc for command in COMMANDS}


def test_commands_are_found_in_lines_continuations_substitutions_and_wrapped_spans():
    markdown = ("Intro.\n"
                "```bash\n"
                "aws ecs describe-services --cluster <cluster name> \\\n"
                "  --services s  # a comment\n"
                "ARN=$(aws ecs list-tasks --cluster c --query 'taskArns[0]') && "
                "AWS_PAGER= aws ecs stop-task --task \"$ARN\"\n"
                "echo $(aws ecs list-services --cluster $(cat name.txt) --output text) | cat\n"
                "```\n"
                "Run `aws ecs describe-tasks --cluster c\n"
                "--tasks $ARN`; `X=$(aws ecs list-clusters` is cut short.\n")
    assert [(c.line, c.words) for c in commands_in("example.md", markdown)] == [
        (3, ("ecs", "describe-services", "--cluster", "<cluster name>", "--services", "s")),
        (5, ("ecs", "list-tasks", "--cluster", "c", "--query", "taskArns[0]")),
        (5, ("ecs", "stop-task", "--task", "$ARN")),
        (6, ("ecs", "list-services", "--cluster", "$(cat name.txt)", "--output", "text")),  # a `$(...)` inside
        (8, ("ecs", "describe-tasks", "--cluster", "c", "--tasks", "$ARN")),
        (9, ("ecs", "list-clusters")),       # an unclosed `$(` runs to the end of the span
    ]


def _one(markdown: str) -> Command:
    [command] = commands_in("example.md", markdown)
    return command


def test_prose_and_other_code_are_not_commands():
    assert list(commands_in("example.md", "The aws modules and `pulumi-aws`, `aws:drop_established`.\n"
                                          "```python\nimport pulumi_aws as aws\n```\n")) == []


@pytest.mark.parametrize("markdown, problem", [
    ("```\naws ecs\n```", "`aws ecs` names no command"),
    ("`aws ecs describe-services --cluster c --services s --verbose`", "unknown option --verbose"),
    ("`aws ecs describe-service --cluster c --services s`", "has no command 'describe-service'"),
    ("`aws ecss describe-services --cluster c --services s`", "no AWS CLI service 'ecss'"),
    ("`aws s3 get-bucket-policy --bucket b`", "under `aws s3api`"),
    ("`aws ecs describe-services --cluster c`", "--services is required"),
    ("`aws ecs update-service --cluster c --service s --desired-count`", "--desired-count needs a value"),
    ("`aws ecs update-service --cluster c d --service s`", "--cluster takes one value"),
    ("`aws ecs update-service --cluster c --service s --force-new-deployment yes`", "positional"),
    # A paginated operation whose paginator has no limit_key gets no --page-size.
    ("`aws cloudwatch list-metrics --namespace AWS/ECS --page-size 10`", "unknown option --page-size"),
    ("`aws ecs describe-services --cluster c --services s --query 'services[0].runningCounts'`",
     "Service has no field 'runningCounts'"),
    ("`aws ecs describe-services --cluster c --services s --query 'services.serviceName'`", "has no fields"),
    ("`aws ecs describe-services --cluster c --services s --query 'services[0].networkConfiguration.awsvpcConfig'`",
     "NetworkConfiguration has no field 'awsvpcConfig'"),
    ("`aws ecs describe-services --cluster c --services s --query 'services[0][0]'`",
     "an index of structure Service, not a list"),
    ("`aws ecs describe-services --cluster c --services s --query 'services[0].serviceName.*'`",
     "`*` of string String, not an object"),
    ("`aws ecs describe-services --cluster c --services s --query 'services[*].deployments[].rolloutStat'`",
     "Deployment has no field 'rolloutStat'"),
    ("`aws ecs describe-services --cluster c --services s --query 'services[*].[serviceName, desiredCont]'`",
     "Service has no field 'desiredCont'"),
    ("`aws elbv2 describe-target-groups --query \"TargetGroups[?Nme=='x'].TargetGroupArn\"`", "no field 'Nme'"),
    ("`aws network-firewall describe-firewall --query 'FirewallStatus.SyncStates.*.Attachment | [*].Subnet'`",
     "Attachment has no field 'Subnet'"),
    # jmespath.py, which the CLI uses, ends a `.*` projection after one field (jmespath/jmespath.py#131):
    # `SubnetId` here is asked of the list of attachments, and is null.
    ("`aws network-firewall describe-firewall --query 'FirewallStatus.SyncStates.*.Attachment.SubnetId'`",
     "'SubnetId' is asked of a list"),
    ("`aws ecs list-tasks --cluster c --desired-status STOPPING`", "--desired-status STOPPING: not one of"),
    ("`aws ec2 describe-nat-gateways --filter Name=vpc-id,Value=vpc-1`", "Filter has no member 'Value'"),
    ("`aws ecs update-service --cluster c --service s --network-configuration "
     "'awsvpcConfig={subnets=[a,b],securityGroups=[g]}'`", "NetworkConfiguration has no member 'awsvpcConfig'"),
    ("`aws ecs update-service --cluster c --service s --network-configuration "
     "'awsvpcConfiguration={subnet=[a],securityGroups=[g]}'`", "AwsVpcConfiguration has no member 'subnet'"),
    ("`aws logs tail --since 15m`", "positional arguments"),
    ("`aws logs tail /g --tail 15m`", "unknown option --tail"),
    # A waiter takes the arguments of the operation it polls (ServicesStable: DescribeServices).
    ("`aws ecs wait service-stable --cluster c --services s`", "has no waiter 'service-stable'"),
    ("`aws ecs wait services-stable --cluster c`", "--services is required"),
    ("`aws ecs wait services-stable --cluster c --services s --service-name s`", "unknown option --service-name"),
])
def test_a_wrong_command_is_caught(markdown, problem):
    found = problems(_one(markdown))
    assert any(problem in one for one in found), found


@pytest.mark.parametrize("markdown", [
    "`aws ecs describe-tasks`",                                           # names the command
    "`aws logs tail`",
    "`aws ecs describe-tasks --generate-cli-skeleton`",
    "`aws ecs list-tasks --desired-status STOPPED ...`",                  # elides the rest
    "`aws ecs list-tasks --desired-status <status>`",                     # values the reader fills in
    "`aws ecs list-tasks --desired-status $STATUS`",
    "`aws ecs list-tasks --desired-status ...`",
    "`aws route53 update-health-check --health-check-id <id> --no-inverted`",
    "`aws cloudtrail lookup-events --max-results 5 --max-items 10 --output text`",
    "`aws cloudwatch describe-alarms --page-size 10`",
    # The CLI fills in a required idempotency token (CreatorRequestId) itself.
    "`aws route53resolver create-firewall-domain-list --name n`",
    # A service with no paginated operation has no paginators file.
    "`aws pinpoint-sms-voice list-configuration-sets --region us-east-1`",
    # A function's result is not followed: nothing below it is checked (and nothing fails).
    "`aws ecs describe-services --cluster c --services s --query 'sort_by(services, &createdAt)[-1].serviceName'`",
    "`aws logs tail ... --follow`",                                       # the group left out
    "`aws lambda get-function-configuration --function-name f --query Environment.Variables.LOG_LEVEL`",
    "```bash\naws ec2 describe-nat-gateways --filter Name=vpc-id,Values=$VPC \\\n"
    "  --query 'NatGateways[*].[NatGatewayId,NatGatewayAddresses[*].PublicIp]'\n```",
    # A list in brackets is one value, whatever it holds; a map's keys are its own data.
    "`aws ec2 describe-nat-gateways --filter 'Name=tag:Team,Values=[a,b=c]'`",
    "`aws lambda update-function-configuration --function-name f --environment 'Variables={LOG_LEVEL=debug}'`",
    # A structure in braces is one value: its own keys are not the option's.
    "`aws ecs update-service --cluster c --service s --network-configuration "
    "'awsvpcConfiguration={subnets=[a,b],securityGroups=[g],assignPublicIp=DISABLED}'`",
    # JSON is not shorthand: `b=c` is not a key.
    """`aws ec2 describe-nat-gateways --filter '[{"Name": "tag:Team", "Values": ["a", "b=c"]}]'`""",
    "`aws logs tail /g --follow --since 15m --log-stream-names a b`",
])
def test_a_right_command_passes(markdown):
    assert problems(_one(markdown)) == []
