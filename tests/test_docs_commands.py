"""Every AWS CLI command in the README and the docs is one the AWS CLI would accept, checked offline.

On-call engineers paste these commands during incidents, so each is checked against botocore's service
models, which the AWS CLI builds its commands from (awscli/clidriver.py): the service exists, the command
is an operation (`xform_name(operation, "-")`), every `--option` is an input member (`xform_name(member,
"-")`, `--no-<member>` for a boolean) or an option the CLI adds itself, the required members are given, a
literal enum value is one of the enum's and a shorthand key (`Name=...,Values=...`) is a member, and a
`--query` names only fields of the operation's output. The CLI's own commands that are not API operations
(`aws logs tail`, `aws s3 cp`...) are checked against `CUSTOM_COMMANDS`.

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
from botocore.loaders import create_loader
from botocore.model import ListShape, MapShape, Shape, StringShape, StructureShape
from jmespath.parser import Parser

from tests.conftest import ROOT
from tools.apicheck import service_model

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

# CLI service names that are not botocore's (awscli/customizations/s3/s3.py, codedeploy/codedeploy.py,
# configservice/rename_cmd.py: `utils.rename_command`). `aws s3` is the CLI's own high-level commands.
RENAMED_SERVICES = {"s3api": "s3", "deploy": "codedeploy", "configservice": "config"}
CLI_ONLY_SERVICES = frozenset({"s3"})


@dataclass(frozen=True)
class CustomCommand:
    """A command the AWS CLI implements itself: its ARG_TABLE, as the CLI reference documents it."""
    source: str
    options: frozenset[str] = frozenset()   # take a value
    switches: frozenset[str] = frozenset()  # take none
    required: frozenset[str] = frozenset()
    positionals: tuple[int, int] = (0, 0)   # how many, at least and at most


_S3_TRANSFER_OPTIONS = frozenset({
    "include", "exclude", "acl", "sse", "sse-c", "sse-c-key", "sse-kms-key-id", "sse-c-copy-source",
    "sse-c-copy-source-key", "storage-class", "grants", "website-redirect", "content-type", "cache-control",
    "content-disposition", "content-encoding", "content-language", "expires", "source-region",
    "progress-frequency", "page-size", "request-payer", "checksum-mode", "checksum-algorithm", "metadata",
    "copy-props", "metadata-directive", "case-conflict"})
_S3_TRANSFER_SWITCHES = frozenset({
    "dryrun", "quiet", "follow-symlinks", "no-follow-symlinks", "no-guess-mime-type", "only-show-errors",
    "no-progress", "progress-multiline", "ignore-glacier-warnings", "force-glacier-transfer", "no-overwrite"})

CUSTOM_COMMANDS: dict[tuple[str, str], CustomCommand] = {
    # https://docs.aws.amazon.com/cli/latest/reference/logs/tail.html (v2 only)
    ("logs", "tail"): CustomCommand(
        "awscli/customizations/logs/tail.py",
        options=frozenset({"since", "format", "filter-pattern", "log-stream-names", "log-stream-name-prefix"}),
        switches=frozenset({"follow"}), positionals=(1, 1)),
    # https://docs.aws.amazon.com/cli/latest/reference/s3/{ls,cp,sync}.html
    ("s3", "ls"): CustomCommand(
        "awscli/customizations/s3/subcommands.py ListCommand",
        options=frozenset({"page-size", "request-payer", "bucket-name-prefix", "bucket-region"}),
        switches=frozenset({"recursive", "human-readable", "summarize"}), positionals=(0, 1)),
    ("s3", "cp"): CustomCommand(
        "awscli/customizations/s3/subcommands.py CpCommand",
        options=_S3_TRANSFER_OPTIONS | {"expected-size"}, switches=_S3_TRANSFER_SWITCHES | {"recursive"},
        positionals=(2, 2)),
    ("s3", "sync"): CustomCommand(
        "awscli/customizations/s3/subcommands.py SyncCommand, syncstrategy/{delete,exacttimestamps,sizeonly}.py",
        options=_S3_TRANSFER_OPTIONS, switches=_S3_TRANSFER_SWITCHES | {"delete", "exact-timestamps", "size-only"},
        positionals=(2, 2)),
    # https://docs.aws.amazon.com/cli/latest/reference/deploy/push.html
    ("deploy", "push"): CustomCommand(
        "awscli/customizations/codedeploy/push.py",
        options=frozenset({"application-name", "s3-location", "source", "description"}),
        switches=frozenset({"ignore-hidden-files", "no-ignore-hidden-files"}),
        required=frozenset({"application-name", "s3-location"})),
    # https://docs.aws.amazon.com/cli/latest/reference/ecs/deploy.html
    ("ecs", "deploy"): CustomCommand(
        "awscli/customizations/ecs/deploy.py",
        options=frozenset({"service", "task-definition", "codedeploy-appspec", "cluster", "codedeploy-application",
                           "codedeploy-deployment-group"}),
        required=frozenset({"service", "task-definition", "codedeploy-appspec"})),
    # https://docs.aws.amazon.com/cli/latest/reference/eks/update-kubeconfig.html
    ("eks", "update-kubeconfig"): CustomCommand(
        "awscli/customizations/eks/update_kubeconfig.py",
        options=frozenset({"name", "kubeconfig", "role-arn", "proxy-url", "alias", "user-alias", "assume-role-arn"}),
        switches=frozenset({"dry-run", "verbose"}), required=frozenset({"name"})),
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
        yield rest.count("\n", 0, span.start()) + 1, span.group(2).replace("\n", " "), True


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
# botocore's models, each loaded once
# --------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def _loader():
    return create_loader()


@functools.lru_cache(maxsize=None)
def botocore_services() -> frozenset[str]:
    return frozenset(_loader().list_available_services("service-2"))


def botocore_service(cli_service: str) -> Optional[str]:
    name = RENAMED_SERVICES.get(cli_service, cli_service)
    return name if name in botocore_services() and cli_service not in RENAMED_SERVICES.values() else None


@functools.lru_cache(maxsize=None)
def operations(service: str) -> dict[str, str]:
    """CLI command name -> operation name (awscli/clidriver.py names a command `xform_name(op, '-')`)."""
    return {xform_name(name, "-"): name for name in service_model(service).operation_names}


@functools.lru_cache(maxsize=None)
def _paginators(service: str) -> dict[str, dict]:
    try:
        return _loader().load_service_model(service, "paginators-1")["pagination"]
    except DataNotFoundError:
        return {}


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
    paginator = _paginators(service).get(operation)
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
                     multi: frozenset[str] = frozenset()) -> Iterator[str]:
    """Unknown options, values given to switches, options without a value or with too many."""
    for option, values in parsed.options:
        if option in switches:
            # A switch takes no value: the words after it are positional arguments.
            parsed.positionals.extend(values)
        elif option not in options:
            yield f"unknown option --{option}"
        elif not values and option not in OPTIONAL_VALUE:
            yield f"--{option} needs a value"
        elif len(values) > 1 and option not in multi:
            yield f"--{option} takes one value, not {values}"


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
        return [f"no AWS CLI service {cli_service!r}"
                + (" (its API commands are under `aws s3api`)" if cli_service in CLI_ONLY_SERVICES else "")]
    operation = operations(service).get(cli_command)
    if operation is None:
        return [f"`aws {cli_service}` has no command {cli_command!r} (botocore {service}: no such operation, "
                f"and not in CUSTOM_COMMANDS)"]
    if command.mention:
        return []
    return list(_operation_problems(service, operation, parsed))


def _custom_problems(custom: CustomCommand, parsed: Parsed) -> Iterator[str]:
    # The AWS CLI's own commands take list options (`--log-stream-names a b`) as several values.
    yield from _option_problems(parsed, custom.options | GLOBAL_OPTIONS, custom.switches | GLOBAL_SWITCHES,
                                multi=custom.options)
    low, high = custom.positionals
    if not low <= len(parsed.positionals) <= high and not parsed.elided:
        yield f"takes {low} to {high} positional arguments, not {parsed.positionals}"
    given = {option for option, _ in parsed.options}
    if not parsed.elided:
        yield from (f"--{option} is required" for option in sorted(custom.required - given))


def _operation_problems(service: str, operation: str, parsed: Parsed) -> Iterator[str]:
    table = arguments(service, operation)
    cli_value_options, cli_switches = cli_options(service, operation)
    switches = frozenset(name for name, argument in table.items() if argument.switch) | cli_switches
    options = frozenset(name for name, argument in table.items() if not argument.switch) | cli_value_options
    # Only a list takes several values (`--alarm-names a b`, shorthand `--filters Name=..,Values=.. Name=..`).
    multi = frozenset(name for name, argument in table.items() if isinstance(argument.shape, ListShape))
    yield from _option_problems(parsed, options, switches, multi)
    for option, values in parsed.options:
        if option in table:
            yield from _value_problems(option, table[option].shape, values)
    if parsed.positionals:
        yield f"API commands take no positional arguments: {parsed.positionals}"
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
    return not re.search(r"[<>$`]|\.\.\.", value)


def _value_problems(option: str, shape: Shape, values: list[str]) -> Iterator[str]:
    """Enum values AWS would refuse, and shorthand keys (`Name=vpc-id,Values=...`) the CLI would refuse."""
    item = shape.member if isinstance(shape, ListShape) else shape
    for value in values:
        if isinstance(item, StringShape) and item.enum and _literal(value) and value not in item.enum:
            yield f"--{option} {value}: not one of {', '.join(item.enum)}"
        if isinstance(item, StructureShape) and not value.startswith(("{", "[", "file://")):
            # Shorthand: `key=value` pairs joined by commas; a part without `=` continues a list value.
            for key in re.findall(r"(?:^|,)([^,=\[\]{}]+)=", value):
                if key not in item.members:
                    yield f"--{option}: {item.name} has no member {key!r} (it has {', '.join(item.members)})"


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
    if kind in ("subexpression", "pipe"):
        return _walk(children[1], _walk(children[0], current, found), found)
    if kind == "index_expression":
        value = _walk(children[0], current, found)
        # `[0]` takes an item; `[:5]` (under a projection) keeps the list.
        return value if children[1]["type"] == "slice" else _items(value, found, "an index")
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


def test_the_docs_commands_are_all_found():
    found = {(c.doc, c.line, c.words[:2]) for c in COMMANDS}
    # Fenced lines, a `\` continuation, a command inside `$(...)` and an inline span that wraps a line.
    assert {("docs/failover.md", 27, ("ecs", "describe-services")),
            ("docs/failover.md", 129, ("elbv2", "describe-target-groups")),
            ("docs/runbooks/audit-trail-not-delivering.md", 16, ("cloudtrail", "describe-trails")),
            ("docs/failover.md", 202, ("acm-pca", "restore-certificate-authority"))} <= found
    continued = next(c for c in COMMANDS if (c.doc, c.line) == ("docs/failover.md", 27))
    assert "--query" in continued.words
    assert len(COMMANDS) >= 110


def _one(markdown: str) -> Command:
    [command] = commands_in("example.md", markdown)
    return command


def test_prose_and_other_code_are_not_commands():
    assert list(commands_in("example.md", "The aws modules and `pulumi-aws`, `aws:drop_established`.\n"
                                          "```python\nimport pulumi_aws as aws\n```\n")) == []


@pytest.mark.parametrize("markdown, problem", [
    ("`aws ecs describe-services --cluster c --services s --verbose`", "unknown option --verbose"),
    ("`aws ecs describe-service --cluster c --services s`", "has no command 'describe-service'"),
    ("`aws ecss describe-services --cluster c --services s`", "no AWS CLI service 'ecss'"),
    ("`aws s3 get-bucket-policy --bucket b`", "under `aws s3api`"),
    ("`aws ecs describe-services --cluster c`", "--services is required"),
    ("`aws ecs update-service --cluster c --service s --desired-count`", "--desired-count needs a value"),
    ("`aws ecs update-service --cluster c --service s --force-new-deployment yes`", "positional"),
    ("`aws ecs describe-services --cluster c --services s --query 'services[0].runningCounts'`",
     "Service has no field 'runningCounts'"),
    ("`aws ecs describe-services --cluster c --services s --query 'services.serviceName'`", "has no fields"),
    ("`aws elbv2 describe-target-groups --query \"TargetGroups[?Nme=='x'].TargetGroupArn\"`", "no field 'Nme'"),
    ("`aws network-firewall describe-firewall --query 'FirewallStatus.SyncStates.*.Attachment | [*].Subnet'`",
     "Attachment has no field 'Subnet'"),
    # jmespath.py, which the CLI uses, ends a `.*` projection after one field (jmespath/jmespath.py#131):
    # `SubnetId` here is asked of the list of attachments, and is null.
    ("`aws network-firewall describe-firewall --query 'FirewallStatus.SyncStates.*.Attachment.SubnetId'`",
     "'SubnetId' is asked of a list"),
    ("`aws ecs list-tasks --cluster c --desired-status STOPPING`", "--desired-status STOPPING: not one of"),
    ("`aws ec2 describe-nat-gateways --filter Name=vpc-id,Value=vpc-1`", "Filter has no member 'Value'"),
    ("`aws logs tail --since 15m`", "positional arguments"),
    ("`aws logs tail /g --tail 15m`", "unknown option --tail"),
    ("`aws eks update-kubeconfig --region us-east-1`", "--name is required"),
])
def test_a_wrong_command_is_caught(markdown, problem):
    assert any(problem in found for found in problems(_one(markdown))), problems(_one(markdown))


@pytest.mark.parametrize("markdown", [
    "`aws ecs describe-tasks`",                                           # names the command
    "`aws ecs describe-tasks --generate-cli-skeleton`",
    "`aws ecs list-tasks --desired-status STOPPED ...`",                  # elides the rest
    "`aws route53 update-health-check --health-check-id <id> --no-inverted`",
    "`aws cloudtrail lookup-events --max-results 5 --max-items 10 --output text`",
    "```bash\naws ec2 describe-nat-gateways --filter Name=vpc-id,Values=$VPC \\\n"
    "  --query 'NatGateways[*].[NatGatewayId,NatGatewayAddresses[*].PublicIp]'\n```",
    "`aws s3 cp --recursive a s3://b/`",
])
def test_a_right_command_passes(markdown):
    assert problems(_one(markdown)) == []
