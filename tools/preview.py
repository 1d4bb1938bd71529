"""Offline preview: run a Pulumi Python program under mocks and evaluate a policy pack against it.

    python -m tools.preview --stack dev [--cwd DIR] [--policy-pack DIR] [--policy-pack-config FILE] [--json]
                            [--config KEY=VALUE ...]

It runs the program's real `__main__.py` with the stack's real `Pulumi.<stack>.yaml`, then evaluates the
pack's own policies through pulumi-policy's analyzer, as `pulumi preview --policy-pack DIR` would.
Exit codes: 0 no mandatory violations, 1 mandatory violations or API errors (what the provider or AWS
would reject: tools/apicheck.py), 2 usage, program, policy pack or config errors, or output it cannot write.
"""
from __future__ import annotations

from . import collector, startup

if __name__ == "__main__":
    startup.one_preview_process()  # one preview, then exit: before the imports below

import argparse
import json
import os
import sys
import sysconfig
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Sequence, Union

import pulumi

from .apicheck import ApiError, check_resources, declared_quotas, with_errors_across
from .mockrun import (ROOT_STACK_TYPE, SECRET_PLACEHOLDER, CapturedResource, Diagnostic, DiagnosticLog, ProgramError,
                      config_path, config_variables, load_stack_settings, run_program, stack_file_name)
from . import policyworker, sdk_internals
from .policyeval import (PolicyConfigError, Violation, configure_request, evaluate, loaded_policy_pack,
                         read_policy_config)
from .progress import TerminalProgress

PathLike = Union[str, Path]


@dataclass
class PreviewResult:
    project: str = ""
    stack: str = ""
    resources: list[CapturedResource] = field(default_factory=list)
    outputs: dict = field(default_factory=dict)
    violations: list[Violation] = field(default_factory=list)
    not_run: list[Violation] = field(default_factory=list)
    # What the provider or AWS would reject (tools/apicheck.py): it would not deploy.
    api_errors: list[ApiError] = field(default_factory=list)
    # What the program logged at warning or error, each distinct message once with its count.
    diagnostics: list[Diagnostic] = field(default_factory=list)
    policy_pack: Optional[str] = None
    secret_config_keys: list[str] = field(default_factory=list)
    # The CLI versions the program requires (`pulumi.require_pulumi_version`): no CLI runs offline to check them.
    required_pulumi_versions: list[str] = field(default_factory=list)
    unknown_outputs: bool = False
    error: Optional[str] = None
    # What the stack files say the preview cannot see (ESC environments): with an error, part of its one line.
    loading_warnings: list[str] = field(default_factory=list)
    # Seconds spent in each phase (for bench/; never part of the output).
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def mandatory(self) -> list[Violation]:
        return [v for v in self.violations if v.enforcement_level == "mandatory"]

    @property
    def advisory(self) -> list[Violation]:
        return [v for v in self.violations if v.enforcement_level == "advisory"]

    @property
    def exit_code(self) -> int:
        if self.error is not None:
            return 2
        return 1 if self.mandatory or self.api_errors else 0

    @property
    def program_resources(self) -> list[CapturedResource]:
        """The resources the program declared: what the preview lists and counts (the stack itself aside)."""
        return [r for r in self.resources if r.type != ROOT_STACK_TYPE]

    def by_type(self) -> dict[str, int]:
        return dict(sorted(Counter(r.type for r in self.program_resources).items()))

    def find(self, type_: str, name: Optional[str] = None) -> list[CapturedResource]:
        return [r for r in self.resources if r.type == type_ and (name is None or r.name == name)]

    def get(self, type_: str, name: str) -> CapturedResource:
        matches = self.find(type_, name)
        if len(matches) != 1:
            raise KeyError(f"expected one {type_} named {name}, found {len(matches)}")
        return matches[0]

    def to_json(self) -> dict:
        resources = self.program_resources
        return {
            "project": self.project,
            "stack": self.stack,
            "resources": [{"urn": r.urn, "type": r.type, "name": r.name, "parent": r.parent, "protect": r.protect,
                           "inputs": r.inputs} for r in resources],
            "outputs": self.outputs,
            "violations": [v.to_json() for v in self.violations],
            "notRun": [v.to_json() for v in self.not_run],
            "apiErrors": [e.to_json() for e in self.api_errors],
            "diagnostics": [d.to_json() for d in self.diagnostics],
            "secretConfig": {"keys": self.secret_config_keys, "placeholder": SECRET_PLACEHOLDER},
            "requiredPulumiVersions": self.required_pulumi_versions,
            "unknownOutputs": self.unknown_outputs,
            "summary": {"resources": len(resources), "byType": self.by_type(),
                        "mandatory": len(self.mandatory), "advisory": len(self.advisory),
                        "apiErrors": len(self.api_errors)},
        }


def run_preview(stack: str, cwd: PathLike = ".", policy_pack: Optional[PathLike] = None,
                policy_pack_config: Union[None, PathLike, dict] = None, *,
                unknown_outputs: bool = False, config_overrides: Sequence[str] = (),
                optimise: bool = True, progress: Optional[TerminalProgress] = None) -> PreviewResult:
    """Run the program and its policies; errors become `result.error` (exit code 2), never exceptions.

    `optimise=False` runs without this tool's speed-ups (collector pause, SDK shims), to show they change
    nothing but time."""
    result = PreviewResult(stack=stack, unknown_outputs=unknown_outputs)
    # Whatever PULUMI_CONFIG the preview's environment holds, neither the program nor the pack reads it: the CLI sets
    # its own (run_program sets the program's).
    with collector.paused(optimise), config_variables(None):
        _run_preview(result, stack, cwd, policy_pack, policy_pack_config, unknown_outputs, config_overrides,
                     optimise, progress)
    return result


def _run_preview(result: PreviewResult, stack: str, cwd: PathLike, policy_pack: Optional[PathLike],
                 policy_pack_config: Union[None, PathLike, dict], unknown_outputs: bool,
                 config_overrides: Sequence[str], optimise: bool, progress: Optional[TerminalProgress]) -> None:
    log = DiagnosticLog()  # read after a failed run too: what the program logged first often explains it
    secret_paths: Sequence[str] = ()
    changing_overrides: Sequence[str] = config_overrides  # until the stack file is read
    pack_name: Optional[str] = None  # once the pack is loaded: a failure in it is named by it
    try:
        program_dir = Path(cwd).resolve()
        # The stack's files first (a stack that does not exist is the error, not its policy config), then the pack
        # and its config, so a bad pack fails before the program runs.
        settings = load_stack_settings(program_dir, stack, config_overrides)
        result.project, result.secret_config_keys = settings.project, settings.secret_keys
        secret_paths, changing_overrides = settings.secret_paths, settings.changing_overrides
        result.loading_warnings = list(settings.warnings)
        for warning in settings.warnings:
            log.logger.warning(warning)
        if policy_pack is None and policy_pack_config is not None:
            # As the CLI, which pairs each --policy-pack-config with a --policy-pack: alone, the config would
            # be read and dropped, and the preview would look like a clean policy run.
            raise PolicyConfigError("a policy config needs its policy pack: give --policy-pack too")
        pack = loaded_policy_pack(policy_pack) if policy_pack is not None else None
        pack_name = pack.name if pack is not None else None
        policy_config = read_policy_config(policy_pack_config)
        config_name = str(Path(policy_pack_config)) if isinstance(policy_pack_config, (str, Path)) else "policy config"
        # With the speed-ups, each resource's policies run in a worker process as it registers.
        worker = policyworker.start(pack, configure_request(pack, policy_config, config_name),
                                    progress.analyzed if progress else None) if pack is not None and optimise else None
        listeners = [f for f in (progress.registered if progress else None, worker.submit if worker else None) if f]

        def registered(resource: CapturedResource) -> None:
            for listener in listeners:
                listener(resource)

        start = time.perf_counter()
        try:
            run = run_program(settings, unknown_outputs=unknown_outputs, optimise=optimise,
                              on_register=registered if listeners else None, log=log)
        except BaseException:
            if worker is not None:
                worker.abandon()
            raise
        result.timings["program_s"] = time.perf_counter() - start
        result.resources, result.outputs = run.resources, run.outputs
        result.required_pulumi_versions = run.required_pulumi_versions
        quotas = declared_quotas(settings.config, settings.project)  # the account's, as the stack declares them
        start = time.perf_counter()
        answered = worker.finish(run.resources) if worker is not None else None
        if answered is not None:
            report, own = answered
            # The worker sees one resource at a time, and not the stack's config.
            result.api_errors = with_errors_across(run.resources, own, quotas)
        else:  # no worker, or it could not finish: in-process, which reports any error itself
            result.api_errors = check_resources(run.resources, quotas)
            report = evaluate(pack, run.resources, policy_config, config_name, optimise=optimise,
                              on_analyzed=progress.analyzed if progress else None) if pack is not None else None
        if report is not None:
            result.timings["policy_s"] = time.perf_counter() - start
            result.policy_pack = report.pack
            result.violations, result.not_run = report.violations, report.not_run
    except (pulumi.RunError, ProgramError, PolicyConfigError) as exc:
        result.error = _naming_the_secret(
            _naming_the_override(str(exc), stack_file_name(stack), result.project, changing_overrides,
                                 getattr(exc, "related", ())),
            stack_file_name(stack), result.project, secret_paths, getattr(exc, "about_secrecy", False))
    except SystemExit as exc:  # what ran before it is not the whole program, and nothing here may exit
        who, where = _failed_part(exc, cwd, policy_pack, pack_name)
        result.error = f"{who} exited early: sys.exit({'' if exc.code is None else repr(exc.code)}){where}"
        result.traceback = traceback.format_exc()  # type: ignore[attr-defined]
    except Exception as exc:  # a bug in the program or a policy: one line here, the trace only on request
        who, where = _failed_part(exc, cwd, policy_pack, pack_name)
        result.error = f"{who} failed: {type(exc).__name__}: {exc}{where}"
        result.traceback = traceback.format_exc()  # type: ignore[attr-defined]
    finally:
        result.diagnostics = log.diagnostics()


def _named_stack_file(error: str, stack_file: str) -> Optional[str]:
    """The stack file a config error names first, if it is this one (`Pulumi.prod.yaml`, or from the repository's
    root `global/Pulumi.prod.yaml`)."""
    named = error.split(": ", 1)[0]
    # A path to it (no spaces: not prose that ends in the name).
    return named if named == stack_file or (named.endswith(f"/{stack_file}") and " " not in named) else None


def _same_item(one: list, other: list) -> bool:
    """Whether two key paths meet in one list item (`tenants[3].name` and `tenants[3].tier`): an override that sets
    one key of an item may have made the item, whose other keys the stack file then lacks."""
    shared = 0
    while shared < min(len(one), len(other)) and one[shared] == other[shared]:
        shared += 1
    return any(isinstance(step, int) for step in one[:shared])


def _naming_the_override(error: str, stack_file: str, project: Optional[str], overrides: Sequence[str],
                         related: Sequence[str] = ()) -> str:
    """A config error at a key an override set (or under it, or above it, or in the list item it set) says so: the
    stack file may not even hold the value it names. So does one whose other keys (`related`, which a program's
    config error may carry: the callers a header rule needs, the stack's memory a service's cpu must fit) an
    override set, the first of them an override set before the next. Keys are compared as the overrides are applied
    (`mockrun.config_path`)."""
    stack_file = _named_stack_file(error, stack_file) or ""
    if not stack_file:
        return error
    problem = error[len(stack_file) + 2:]
    path = config_path(problem.split(": ", 1)[0], project or "")
    if path is None:
        return error
    keys = [(key, config_path(key, project or "")) for key in (override.partition("=")[0] for override in overrides)]
    keys = [(key, steps) for key, steps in keys if steps is not None]
    # One at the key, under it or above it first; else one in the same list item.
    others = [steps for steps in (config_path(key, project or "") for key in related) if steps is not None]
    for key, steps in (*((k, s) for k, s in keys if s[:len(path)] == path or path[:len(s)] == s),
                       *((k, s) for k, s in keys if _same_item(s, path)),
                       *((k, s) for o in others for k, s in keys if s[:len(o)] == o or o[:len(s)] == s)):
        return f"{stack_file} with --config {key}: {problem}"
    return error


def _naming_the_secret(error: str, stack_file: str, project: Optional[str], secret_paths: Sequence[str],
                       about_secrecy: bool = False) -> str:
    """A config error at or under a `secure:` value says so: the preview reads ciphertext as a placeholder URL, so
    `alarms: {secure: ...}` holding a whole section fails with "expected a mapping, got a string". Not one
    `about_secrecy` (a program's config error may say so: the program refuses the value for being `secure:`,
    whatever the placeholder holds)."""
    stack_file = _named_stack_file(error, stack_file) or ""
    if not stack_file or about_secrecy:
        return error
    path = config_path(error[len(stack_file) + 2:].split(": ", 1)[0], project or "")
    for secret in secret_paths:
        steps = config_path(secret, project or "")
        if path is not None and steps is not None and path[:len(steps)] == steps:
            return (f"{error} ({secret} is a secure: value, which the offline preview reads as {SECRET_PLACEHOLDER}; "
                    f"stand in for it with --config)")
    return error


# Where Python's and installed packages' code (the SDK's) begins, and this tool's. The shims stand in for SDK
# code (a lazy service package raises the program's AttributeError): they count as the SDK.
_LIBRARIES = (*(str(Path(path).resolve()) + "/" for path in {
    sysconfig.get_paths()[name] for name in ("stdlib", "platstdlib", "purelib", "platlib")}),
    str(Path(sdk_internals.__file__).resolve().parent) + "/")
_THIS_TOOL = str(Path(__file__).resolve().parent) + "/"


def _failed_part(exc: BaseException, cwd: PathLike, policy_pack: Optional[PathLike],
                 pack_name: Optional[str]) -> tuple[str, str]:
    """Which raised it, the program or the policy pack (by its name, once loaded), and where: a file of the program
    by name, one of the pack by its path in the pack (both have a __main__.py). The more specific directory
    decides: a pack kept in the program's directory, or a program in the pack's."""
    frame = _program_frame(exc)
    if frame is None:
        return "the program", ""
    pack_dir = Path(policy_pack).resolve() if policy_pack is not None else None
    path = Path(frame.filename).resolve()
    program_dir = Path(cwd).resolve()
    in_program = path.is_relative_to(program_dir) and (pack_dir is None or program_dir.is_relative_to(pack_dir))
    if pack_dir is not None and path.is_relative_to(pack_dir) and not in_program:
        return f"the policy pack {pack_name or pack_dir.name}", f" ({path.relative_to(pack_dir)}:{frame.lineno})"
    return "the program", f" ({path.name}:{frame.lineno})"


def _program_frame(exc: BaseException) -> Optional[traceback.FrameSummary]:
    """Where its author looks: where a bug in this tool raised; else the innermost frame of the program's own
    code (a bad argument fails deep in the SDK; this tool's frames that ran the program are callers, not the
    failure); else the innermost frame."""
    frames = traceback.extract_tb(exc.__traceback__) if exc.__traceback__ else []
    if not frames:
        return None
    where = [str(Path(frame.filename).resolve()) for frame in frames]
    if where[-1].startswith(_THIS_TOOL) and not where[-1].startswith(_LIBRARIES):
        return frames[-1]
    own = [frame for frame, path in zip(frames, where) if not frame.filename.startswith("<")
           and not path.startswith(_LIBRARIES) and not path.startswith(_THIS_TOOL)]
    return (own or frames)[-1]


# --------------------------------------------------------------------------------------------------
# Human output
# --------------------------------------------------------------------------------------------------


def _render_value(value: Any) -> str:
    if isinstance(value, dict) and set(value) == {"secret"}:
        return "[secret]"
    if isinstance(value, dict) and set(value) == {"unknown"}:
        return "[unknown]"
    return json.dumps(value) if not isinstance(value, str) else value


def render_text(result: PreviewResult) -> str:
    sections = (_text_header(result), _text_tree(result), _text_inventory(result), _text_policies(result),
                _text_api_errors(result))
    summary = (f"Summary: {len(result.program_resources)} resources, {len(result.mandatory)} mandatory and "
               f"{len(result.advisory)} advisory violations, {len(result.api_errors)} API errors")
    return "\n".join([line for section in sections for line in section] + [summary])


def _text_header(result: PreviewResult) -> list[str]:
    """What kind of run this is, and what it could not see."""
    lines = [f"Previewing {result.project}/{result.stack} offline (Pulumi mocks; nothing is created)"]
    if result.unknown_outputs:
        lines.append("Computed outputs are unknown, as in a first preview of a new stack.")
    if result.secret_config_keys:
        lines.append(f"Secret config {', '.join(result.secret_config_keys)} cannot be decrypted offline: "
                     f"a placeholder marked secret stands in for each.")
    if result.required_pulumi_versions:
        lines.append(f"The program requires a Pulumi CLI {' and '.join(result.required_pulumi_versions)}: no CLI runs "
                     f"offline, so a real preview checks it (`pulumi version`).")
    return lines + [""]


def _text_tree(result: PreviewResult) -> list[str]:
    """Components as a tree; under each, a count of the resources it declares directly; the stack's own resources
    one by one."""
    lines: list[str] = []
    children: dict[Optional[str], list[CapturedResource]] = {}
    for r in result.program_resources:
        children.setdefault(r.parent, []).append(r)
    root_parents = {r.urn for r in result.resources if r.type == ROOT_STACK_TYPE} | {None}

    def walk(parent: Optional[str], depth: int) -> None:
        for r in children.get(parent, []):
            if r.custom:
                continue
            direct = Counter(k.type.rsplit(":", 1)[-1] for k in children.get(r.urn, []) if k.custom)
            summary = ", ".join(f"{n} {t}" for t, n in sorted(direct.items()))
            lines.append(f"{'  ' * depth}+ {r.name} ({r.type}){': ' + summary if summary else ''}")
            walk(r.urn, depth + 1)
        loose = [r for r in children.get(parent, []) if r.custom and parent in root_parents]
        for r in loose:
            lines.append(f"{'  ' * depth}+ {r.name} ({r.type}){' [protect]' if r.protect else ''}")

    for parent in root_parents:
        walk(parent, 1)
    return lines


def _text_inventory(result: PreviewResult) -> list[str]:
    """The protected resources, a count of each type, the outputs and the engine's diagnostics."""
    lines: list[str] = []
    protected = [r for r in result.program_resources if r.protect]
    if protected:
        lines += ["", f"Protected ({len(protected)}): " + ", ".join(f"{r.name} ({r.type.rsplit(':', 1)[-1]})"
                                                                    for r in protected)]
    lines += ["", "Resources by type:"]
    lines += [f"  {count:4d}  {type_}" for type_, count in result.by_type().items()]
    if result.outputs:
        lines += ["", "Outputs:"]
        lines += [f"  {key}: {_render_value(value)}" for key, value in result.outputs.items()]
    lines.append("")
    if result.diagnostics:
        lines.append("Diagnostics:")
        # A long message stays under its heading.
        lines += ["  " + d.line().replace("\n", "\n    ") for d in result.diagnostics]
        lines.append("")
    return lines


def _text_policies(result: PreviewResult) -> list[str]:
    """The pack's violations, mandatory first, and how many checks could not run on unknown values."""
    if not result.policy_pack:
        return ["Policies: none (pass --policy-pack policies)", ""]
    lines = [f"Policies ({result.policy_pack}):"]
    if not result.violations:
        lines.append("  no violations")
    for v in sorted(result.violations, key=lambda v: (v.enforcement_level != "mandatory", v.policy, v.name)):
        detail = v.message.split("\n", 1)[-1].replace("\n", " ")
        lines += [f"  [{v.enforcement_level}] {v.policy}  {v.type} {v.name or '(stack)'}", f"      {detail}"]
    if result.not_run:
        lines.append(f"  {len(result.not_run)} policy checks could not run on values unknown until the update "
                     f"(not violations; the engine re-checks them during `pulumi up`).")
    return lines + [""]


def _text_api_errors(result: PreviewResult) -> list[str]:
    lines = ["What the provider or AWS would reject:" + ("" if result.api_errors else " nothing found")]
    for e in result.api_errors:
        lines += [f"  [api] {e.type} {e.name}  {e.path}", f"      {e.message}"]
    return lines + [""]


# --help's first line. Not the module's docstring: `python -OO` (PYTHONOPTIMIZE=2) drops docstrings.
DESCRIPTION = "Offline preview: run a Pulumi Python program under mocks and evaluate a policy pack against it."


class _OneLineParser(argparse.ArgumentParser):
    def error(self, message: str):
        """A bad argument is one line, as every other input error is, and points at --help for the usage."""
        self.exit(2, f"error: {message} (.venv/bin/python -m tools.preview --help)\n")


class _Once(argparse.Action):
    """An option given at most once: a second --stack used to win silently (`./dev preview dev --stack prod` previewed
    prod with dev's policy config)."""

    def __call__(self, parser, namespace, values, option_string=None):
        if getattr(namespace, self.dest, None) is not None:
            parser.error(f"argument {'/'.join(self.option_strings)}: given twice ({getattr(namespace, self.dest)} and "
                         f"{values}): give it once")
        setattr(namespace, self.dest, values)


def main(argv: Optional[list[str]] = None) -> int:
    parser = _OneLineParser(prog="python -m tools.preview", description=DESCRIPTION)
    parser.add_argument("--stack", required=True, action=_Once, help="stack name; reads Pulumi.<stack>.yaml")
    parser.add_argument("--cwd", default=".", help="the Pulumi program directory (default: .)")
    parser.add_argument("--policy-pack", help="a policy pack directory, e.g. policies")
    parser.add_argument("--policy-pack-config", help="a policy config JSON file in the Pulumi CLI's format")
    parser.add_argument("--config", action="append", default=[], metavar="KEY=VALUE",
                        help="override a stack config value by path, like `pulumi config set --path` "
                             "(repeatable), e.g. mesh.dataPlane=appmesh")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.add_argument("--unknown-outputs", action="store_true",
                        help="treat computed outputs as unknown, like a first preview of a new stack")
    parser.add_argument("--traceback", action="store_true", help="show the Python traceback of a program bug")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code else 0
    # Progress only for a person watching text output: never with --json, never into a pipe or a log.
    progress = TerminalProgress(sys.stderr) if not args.json and sys.stdout.isatty() else None
    result = run_preview(args.stack, args.cwd, args.policy_pack, args.policy_pack_config,
                         unknown_outputs=args.unknown_outputs, config_overrides=args.config, progress=progress)
    if progress is not None:
        progress.clear()
    if result.error is not None:
        for d in result.diagnostics:  # what the program logged first often explains the failure
            if d.message not in result.loading_warnings:
                print(d.line(), file=sys.stderr)
        # Bad input gets one line: what the stack files hide from the preview (settings ESC environments provide)
        # is said in it.
        hidden = " (the stack also imports Pulumi ESC environments, which the offline preview cannot open: pass " \
                 "what they provide with --config)" if result.loading_warnings else ""
        print(f"error: {result.error}{hidden}", file=sys.stderr)
        if args.traceback and hasattr(result, "traceback"):
            print(result.traceback, file=sys.stderr)
        return 2
    with collector.paused():  # rendering would otherwise start a full collection over the whole preview
        output = json.dumps(result.to_json(), indent=2) if args.json else render_text(result)
    try:
        print(output, flush=True)
    except OSError as exc:  # a closed pipe (`| head -1`), a full disk: bad output, not violations (exit 1)
        _drop_stdout()
        print(f"error: could not write the output: {exc.strerror or exc}", file=sys.stderr)
        return 2
    return result.exit_code


def _drop_stdout() -> None:
    """Send what is left in stdout's buffer, which the interpreter flushes again at exit, to devnull: else that
    flush fails too, with a second error and exit code 120 (the idiom in Python's signal docs, "Note on SIGPIPE")."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no file descriptor (a caller's stand-in stream): nothing flushes it at exit
        pass


if __name__ == "__main__":
    code = main()
    collector.freeze_for_exit()  # the process ends here: skip the interpreter's last pass over the heap
    sys.exit(code)
