"""Evaluate a policy pack's own policy objects against captured resources, as the engine does.

Loading: the pack's `__main__.py` is executed with `pulumi_policy.PolicyPack` intercepted, so we get
exactly the policies, pack-level enforcement level and initial config the pack declares, without
starting its gRPC server (which would block forever).

Evaluating: pulumi-policy's own analyzer servicer (`_PolicyAnalyzerServicer`, the object the gRPC
server would serve) is given the same protobuf requests the engine sends: `Configure` with the
merged per-policy config, `Analyze` once per resource with its serialized inputs, and `AnalyzeStack`
once with every resource, its parent and dependencies. The servicer wraps props in the
unknown-checking proxy, honours `not_applicable`, config and enforcement levels, exactly as in a
real `pulumi preview --policy-pack`.
"""
from __future__ import annotations

import difflib
import functools
import json
import os
import runpy
import threading
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Optional, Union

import fastjsonschema
import pulumi_policy
import pulumi_policy.policy as policy_module
from pulumi.runtime.proto import analyzer_pb2

from .mockrun import CapturedResource, _read_yaml, program_environment
from .sdk_internals import SharedPropsModified, shared_property_conversion

_LEVELS = {
    "advisory": analyzer_pb2.ADVISORY,
    "mandatory": analyzer_pb2.MANDATORY,
    "remediate": analyzer_pb2.REMEDIATE,
    "disabled": analyzer_pb2.DISABLED,
}
_LEVEL_NAMES = {v: k for k, v in _LEVELS.items()}
_PACK_LEVELS = {
    pulumi_policy.EnforcementLevel.ADVISORY: "advisory",
    pulumi_policy.EnforcementLevel.MANDATORY: "mandatory",
    pulumi_policy.EnforcementLevel.REMEDIATE: "remediate",
    pulumi_policy.EnforcementLevel.DISABLED: "disabled",
}


class PolicyConfigError(Exception):
    """The policy pack or its config is unusable; the message is one line for the user."""


@dataclass
class LoadedPack:
    name: str
    policies: list
    enforcement_level: pulumi_policy.EnforcementLevel
    initial_config: Optional[dict]
    kwargs: dict
    path: Optional[Path] = None  # the directory it was loaded from
    # Servicers `evaluate` configured, by their Configure request's bytes, and those requests (with their bytes) by
    # the config they were built from (see `_configured_once`: patch `configure_request` on a fresh pack).
    _configured: dict = field(default_factory=dict, repr=False, compare=False)
    _requests: dict = field(default_factory=dict, repr=False, compare=False)

    def servicer(self):
        return policy_module._PolicyAnalyzerServicer(
            self.name, "0.0.1", self.policies, self.enforcement_level, self.initial_config,
            self.kwargs.get("description"), self.kwargs.get("display_name"), self.kwargs.get("readme"),
            self.kwargs.get("provider"), self.kwargs.get("tags"), self.kwargs.get("repository"))


class _PackCaptured(BaseException):
    def __init__(self, args: tuple, kwargs: dict):
        super().__init__()
        self.args_, self.kwargs = args, kwargs


def load_policy_pack(pack_dir: Union[str, Path]) -> LoadedPack:
    pack_dir = Path(pack_dir).resolve()
    main = pack_dir / "__main__.py"
    if not (pack_dir / "PulumiPolicy.yaml").is_file() or not main.is_file():
        raise PolicyConfigError(f"{pack_dir}: not a policy pack (needs PulumiPolicy.yaml and __main__.py)")
    # The CLI runs the pack under the runtime its PulumiPolicy.yaml names.
    settings = _read_yaml(pack_dir / "PulumiPolicy.yaml", str(pack_dir / "PulumiPolicy.yaml")) or {}
    if not isinstance(settings, dict):
        raise PolicyConfigError(f"{pack_dir / 'PulumiPolicy.yaml'}: expected a mapping of settings")
    runtime = settings.get("runtime")
    if (runtime.get("name") if isinstance(runtime, dict) else runtime) != "python":
        raise PolicyConfigError(f"{pack_dir / 'PulumiPolicy.yaml'}: runtime is {runtime!r}; the offline preview runs "
                                f"Python policy packs (runtime: python)")

    def intercept(*args, **kwargs):
        raise _PackCaptured(args, kwargs)

    originals = (pulumi_policy.PolicyPack, policy_module.PolicyPack)
    pulumi_policy.PolicyPack = policy_module.PolicyPack = intercept  # type: ignore[assignment]
    captured: Optional[_PackCaptured] = None
    try:
        with program_environment(pack_dir):
            runpy.run_path(str(main), run_name="__main__")
    except _PackCaptured as exc:
        captured = exc
    except Exception as exc:  # the pack's own failure, not the program's: where in the pack it failed
        places = [(f.filename, f.lineno) for f in traceback.extract_tb(exc.__traceback__)]
        if isinstance(exc, SyntaxError):  # raised where the text was compiled, about the file it names
            places.append((exc.filename or "", exc.lineno))
        inside = [(Path(name), line) for name, line in places if Path(name).is_relative_to(pack_dir)]
        file, line = inside[-1] if inside else (main, None)
        text = exc.msg if isinstance(exc, SyntaxError) and inside and inside[-1][0] == Path(exc.filename) else exc
        raise PolicyConfigError(f"{pack_dir}: the policy pack failed to load: {type(exc).__name__}: {text} "
                                f"({file.relative_to(pack_dir)}{f':{line}' if line else ''})") from None
    finally:
        pulumi_policy.PolicyPack, policy_module.PolicyPack = originals
    if captured is None:
        raise PolicyConfigError(f"{main}: did not construct a PolicyPack")

    names = ("name", "policies", "enforcement_level", "initial_config")
    bound = dict(zip(names, captured.args_))
    bound.update(captured.kwargs)
    return LoadedPack(
        name=bound["name"],
        policies=list(bound["policies"]),
        enforcement_level=bound.get("enforcement_level") or pulumi_policy.EnforcementLevel.ADVISORY,
        initial_config=bound.get("initial_config"),
        kwargs={k: v for k, v in bound.items() if k not in names},
        path=pack_dir,
    )


_kept_packs: dict[Path, tuple[tuple, LoadedPack]] = {}  # by directory: (its files' stamp, pack), least recent first
_kept_packs_lock = threading.Lock()
_MAX_KEPT_PACKS = 8


def loaded_policy_pack(pack_dir: Union[str, Path]) -> LoadedPack:
    """`load_policy_pack`, kept per directory while none of its files changes. A process that runs many previews
    (the test suite; the policy worker, across its sessions) would otherwise re-import every module of the pack
    for each: about 50 ms for this one. A pack that fails to load is not kept, so it fails every time."""
    pack_dir = Path(pack_dir).resolve()
    stamp = _files_stamp(pack_dir)
    with _kept_packs_lock:
        kept = _kept_packs.get(pack_dir)
        if kept is not None and kept[0] == stamp:
            _keep(_kept_packs, pack_dir, kept, _MAX_KEPT_PACKS)
            return kept[1]
    pack = load_policy_pack(pack_dir)
    with _kept_packs_lock:
        _keep(_kept_packs, pack_dir, (stamp, pack), _MAX_KEPT_PACKS)
    return pack


def _files_stamp(directory: Path) -> tuple:
    """Each file under `directory` with its size, inode and modification and change times (a copy that keeps the
    modification time, `cp -p`, still changes the change time): what a pack may read when it loads. Left out:
    bytecode caches, hidden directories, virtualenvs (`pulumi install` makes the pack's own, `venv`) and what a symlink
    outside the pack leads to (only where it points is stamped). A directory reached twice (a symlink loop, an
    alias) is read once, and each other way to it is stamped as a link to it."""
    stamp: list = []
    seen: set[tuple[int, int]] = set()
    pending = [(directory, "")]
    while pending:
        current, prefix = pending.pop()
        try:
            info = os.stat(current)
            if (info.st_dev, info.st_ino) in seen:
                stamp.append((prefix, "->", info.st_dev, info.st_ino))
                continue
            seen.add((info.st_dev, info.st_ino))
            if current != directory and (current / "pyvenv.cfg").exists():
                continue
            entries = sorted(os.scandir(current), key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir():
                    if entry.name == "__pycache__" or entry.name.startswith("."):
                        continue
                    if entry.is_symlink() and not Path(entry.path).resolve().is_relative_to(directory):
                        stamp.append((prefix + entry.name, "->", os.readlink(entry.path)))
                        continue
                    pending.append((Path(entry.path), f"{prefix}{entry.name}/"))
                else:
                    info = entry.stat()
                    stamp.append((prefix + entry.name, info.st_size, info.st_ino, info.st_mtime_ns, info.st_ctime_ns))
            except OSError:
                continue
    return tuple(sorted(stamp, key=lambda entry: entry[0]))  # each name once


# --------------------------------------------------------------------------------------------------
# Policy config, merged the way the CLI does before it calls Configure
# --------------------------------------------------------------------------------------------------


def read_policy_config(source: Union[None, str, Path, dict]) -> dict:
    if source is None:
        return {}
    if isinstance(source, dict):
        return source
    path = Path(source)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PolicyConfigError(f"{path}: not found") from None
    except IsADirectoryError:
        raise PolicyConfigError(f"{path}: is a directory, not a policy config file (a JSON object)") from None
    except OSError as exc:
        raise PolicyConfigError(f"{path}: cannot be read ({exc.strerror})") from None
    # As the CLI reads it (parsePolicyPackConfig): blank is no config, and Go's encoding/json reads a byte that is
    # not UTF-8 inside a string as U+FFFD (outside one, it refuses the file).
    text = raw.decode("utf-8", errors="replace")
    if not text.strip():
        return {}
    if text.startswith("\ufeff"):  # Go's encoding/json, which the CLI reads it with, refuses one too
        raise PolicyConfigError(f"{path}: starts with a byte-order mark, which is not JSON (save it as UTF-8 "
                                "without one)")
    try:
        data = json.loads(text)
    except RecursionError:
        raise PolicyConfigError(f"{path}: nests too deeply to read (no policy's config is nested so)") from None
    except json.JSONDecodeError as exc:
        raise PolicyConfigError(f"{path}: {_json_problem(raw, exc)}") from None
    if data is None:  # `null` leaves the CLI's map empty
        return {}
    if not isinstance(data, dict):
        raise PolicyConfigError(f"{path}: expected a JSON object of policy names")
    return data


def _json_problem(raw: bytes, exc: json.JSONDecodeError) -> str:
    """Where and why a policy config is not JSON. Read again with each stray byte as a character of its own (a
    surrogate), the JSON stops at the byte to blame, if one is; inside a string the JSON went on past it."""
    try:
        json.loads(raw.decode("utf-8", errors="surrogateescape"))
    except json.JSONDecodeError as escaped:
        stray = ord(escaped.doc[escaped.pos]) - 0xDC00 if escaped.pos < len(escaped.doc) else -1
        if 0x80 <= stray <= 0xFF:
            return (f"line {escaped.lineno}: byte 0x{stray:02x} is not UTF-8, so the file is not valid JSON (save "
                    f"it as UTF-8)")
    return f"line {exc.lineno}: not valid JSON ({exc.msg})"


def _level(value: Any, where: str) -> int:
    if not isinstance(value, str) or value not in _LEVELS:
        raise PolicyConfigError(f"{where}: {json.dumps(value)} is not an enforcement level ({', '.join(_LEVELS)})")
    return _LEVELS[value]


# How near a name must be to be offered: config's MISSPELT_RATIO (components/config/node.py), which tools/ does not
# import. Among 227 policies sharing family prefixes, difflib's default 0.6 would offer names nobody meant.
_NEAR_RATIO = 0.85


def _near(name: str, names) -> str:
    """` (did you mean <name>?)` for a near spelling among `names`, as config's unknown settings say it."""
    near = difflib.get_close_matches(name, sorted(names), n=1, cutoff=_NEAR_RATIO)
    return f" (did you mean {near[0]}?)" if near else ""


def _check_keys(policy, properties: dict, where: str) -> None:
    """The knobs a config file gives a policy are ones its schema declares. Offline only: the Pulumi CLI lets an
    undeclared key through, and a misspelt knob would then change nothing without a word."""
    schema = policy.config_schema
    if schema is None:
        if properties:
            raise PolicyConfigError(f"{where}: policy {policy.name} takes no config")
        return
    for key in properties:
        if key not in (schema.properties or {}):
            raise PolicyConfigError(f"{where}.{key}: not a config property of {policy.name}"
                                    + _near(key, schema.properties or {}))


def _check_schema(policy, properties: dict, where: str) -> None:
    """A policy's config, as every layer leaves it (schema defaults, the pack's initial config, the file), against
    its schema, as the Pulumi CLI checks it (JSON Schema): types (a boolean is no integer), ranges, enums, items and
    required keys, by fastjsonschema. The first error, in one line naming its path."""
    if policy.config_schema is None:
        return
    schema = policy.config_schema
    document = {"type": "object", "properties": schema.properties or {}, "required": list(schema.required or [])}
    try:
        _schema_validator(json.dumps(document, sort_keys=True))(properties)
    except fastjsonschema.JsonSchemaValueException as error:
        # Its name is the path from `data` (`data.requiredTags[1]`), and its message begins with the name.
        path = error.name[len("data"):]
        raise PolicyConfigError(f"{where}{path}: {error.message[len(error.name):].strip()}") from None
    except fastjsonschema.JsonSchemaDefinitionException as error:
        raise PolicyConfigError(f"{where}: the policy's config schema is not valid JSON Schema ({error})") from None


@functools.lru_cache(maxsize=256)
def _schema_validator(document: str) -> Callable[[Any], Any]:
    """A config schema (as JSON text: equal schemas share it, and no policy object is kept alive) compiled to a
    validator, a few ms the first time."""
    return fastjsonschema.compile(json.loads(document))


def _apply_layer(layer: Any, level: int, properties: dict, where: str) -> int:
    """Apply one config entry (a level string, an EnforcementLevel, or {"enforcementLevel": ..., knobs...})."""
    if isinstance(layer, pulumi_policy.EnforcementLevel):
        return _LEVELS[_PACK_LEVELS[layer]]
    if isinstance(layer, str):
        return _level(layer, where)
    if isinstance(layer, dict):
        for key, value in layer.items():
            if key == "enforcementLevel":
                level = _level(value, f"{where}.enforcementLevel")
            else:
                properties[key] = value
        return level
    raise PolicyConfigError(f"{where}: expected an enforcement level or an object")


def _all_level(layer: Any, level: int, where: str) -> int:
    """The file's "all" entry as the CLI applies it (parsePolicyPackConfig, applyConfig): a level, or an object whose
    enforcementLevel is one, for every policy; an object without one (`{}`) is skipped. Settings beside it reach no
    policy (the CLI keeps them for a policy named "all", which none may be): refused, as an undeclared one is."""
    for key in layer if isinstance(layer, dict) else ():
        if key != "enforcementLevel":
            raise PolicyConfigError(f"{where}.{key}: all sets only an enforcement level (the CLI gives no policy "
                                    f"its other settings): set {key} under the policies that take it")
    return _apply_layer(layer, level, {}, where)


def configure_request(pack: LoadedPack, config: dict, source_name: str = "policy config"):
    """What the CLI sends to Configure. Per policy, later layers win: the policy's own level (or the pack's),
    schema defaults, the pack's initial config, the file's "all" level, then the file's entry for the policy."""
    by_name = {p.name: p for p in pack.policies}
    for key in config:
        if key != "all" and key not in by_name:
            raise PolicyConfigError(f"{source_name}: {key}: not a policy in pack {pack.name}" + _near(key, by_name))
    initial = pack.initial_config or {}
    request = analyzer_pb2.ConfigureAnalyzerRequest()
    for policy in pack.policies:
        where = f"{source_name}: {policy.name}"
        level = _LEVELS[_PACK_LEVELS[policy.enforcement_level or pack.enforcement_level]]
        schema_props = (policy.config_schema.properties or {}) if policy.config_schema else {}
        properties = {key: prop["default"] for key, prop in schema_props.items() if "default" in prop}
        for layer in (initial.get("all"), initial.get(policy.name)):
            if layer is not None:
                level = _apply_layer(layer, level, properties, where)
        if "all" in config:
            level = _all_level(config["all"], level, f"{source_name}: all")
        if policy.name in config:  # `null` too, which the CLI refuses (neither a string nor an object)
            own = config[policy.name]
            if isinstance(own, dict):
                _check_keys(policy, {k: v for k, v in own.items() if k != "enforcementLevel"}, where)
            level = _apply_layer(own, level, properties, where)
        _check_schema(policy, properties, where)
        entry = request.policyConfig[policy.name]
        entry.enforcementLevel = level
        if properties:
            entry.properties.update(properties)
    return request


# --------------------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------------------


@dataclass
class Violation:
    policy: str
    enforcement_level: str
    message: str
    urn: str
    type: str
    name: str

    def to_json(self) -> dict:
        return {"policy": self.policy, "enforcementLevel": self.enforcement_level, "message": self.message,
                "urn": self.urn, "type": self.type, "name": self.name}

    @classmethod
    def from_json(cls, doc: dict) -> "Violation":
        return cls(policy=doc["policy"], enforcement_level=doc["enforcementLevel"], message=doc["message"],
                   urn=doc["urn"], type=doc["type"], name=doc["name"])

    def sort_key(self) -> tuple:
        return (self.policy, self.urn, self.enforcement_level, self.message)


@dataclass
class PolicyReport:
    pack: str
    violations: list[Violation] = field(default_factory=list)
    # Policies the analyzer could not run because a value is unknown until the update (not violations).
    not_run: list[Violation] = field(default_factory=list)

    def sort(self) -> None:
        """A stable order whatever order the analyzer ran in, so two runs give the same report."""
        self.violations.sort(key=Violation.sort_key)
        self.not_run.sort(key=Violation.sort_key)

    def to_json(self) -> dict:
        return {"pack": self.pack, "violations": [v.to_json() for v in self.violations],
                "notRun": [v.to_json() for v in self.not_run]}

    @classmethod
    def from_json(cls, doc: dict) -> "PolicyReport":
        return cls(pack=doc["pack"], violations=[Violation.from_json(v) for v in doc["violations"]],
                   not_run=[Violation.from_json(v) for v in doc["notRun"]])


def _options(resource: CapturedResource) -> analyzer_pb2.AnalyzerResourceOptions:
    return analyzer_pb2.AnalyzerResourceOptions(
        protect=resource.protect,
        ignoreChanges=resource.ignore_changes,
        deleteBeforeReplace=bool(resource.delete_before_replace),
        deleteBeforeReplaceDefined=resource.delete_before_replace is not None,
        additionalSecretOutputs=resource.additional_secret_outputs,
        aliases=resource.aliases,
        parent=resource.parent or "",
    )


def evaluate(pack: LoadedPack, resources: list[CapturedResource], config: dict,
             source_name: str = "policy config", *, optimise: bool = True,
             on_analyzed: Optional[Callable[[int, int], None]] = None) -> PolicyReport:
    """`optimise=False` runs the analyzer exactly as shipped (each policy converts props itself), configured
    afresh."""
    try:
        servicer = (_configured_once(pack, config, source_name) if optimise
                    else configured_servicer(pack, configure_request(pack, config, source_name)))
        with shared_property_conversion(optimise) as request_scope:
            report = _evaluate(pack, servicer, resources, request_scope, on_analyzed)
    except SharedPropsModified as exc:
        raise PolicyConfigError(f"policy pack {pack.name}: {exc}") from None
    report.sort()
    return report


def _evaluate(pack: LoadedPack, servicer: Any, resources: list[CapturedResource], request_scope,
              on_analyzed: Optional[Callable[[int, int], None]]) -> PolicyReport:
    by_urn = {r.urn: r for r in resources}
    report = ReportBuilder(pack.name, by_urn)
    # One Analyze call per resource, before its step, with its inputs; then one AnalyzeStack call, with every
    # resource's resulting state and its links.
    stack = analyzer_pb2.AnalyzeStackRequest()
    for done, resource in enumerate(resources, 1):
        request = analyze_request(resource, by_urn)
        with request_scope():
            report.add(servicer.Analyze(request, None), resource)
        add_stack_resource(stack, resource, request)
        if on_analyzed is not None:
            on_analyzed(done, len(resources))
    with request_scope():
        report.add(servicer.AnalyzeStack(stack, None), None)
    return report.report


def configured_servicer(pack: LoadedPack, request: analyzer_pb2.ConfigureAnalyzerRequest):
    servicer = pack.servicer()
    servicer.Configure(request, None)
    return servicer


_CONFIGURED_KEPT = 8
_REQUESTS_KEPT = 64
_configured_lock = threading.Lock()


def _configured_once(pack: LoadedPack, config: dict, source_name: str):
    """A servicer configured with `config`, shared by every evaluation of `pack` with the same Configure request, as
    the engine configures its analyzer once and sends it every request: Configure is the only state `evaluate`
    gives it, and its per-type plans (`sdk_internals.analyzer`) are then made once. A process that evaluates many
    small stacks (the policy tests) would otherwise spend a third of each on configuring. The request is built (and
    the config checked) once per config, as exactly as Python tells configs apart (`_exact`); a config the pack
    refuses is never remembered, so it is refused every time. A kept pack (`loaded_policy_pack`) may be evaluated
    in two threads at once: its caches change under a lock."""
    try:
        exact: Optional[tuple] = _exact(config)
    except TypeError:  # a value no config file holds (unhashable): built every time
        exact = None
    with _configured_lock:
        remembered = pack._requests.get(exact) if exact is not None else None
        # The request itself, not its bytes parsed back: those sort its maps, and Configure reads them in order.
        key, request = remembered or _built(pack, config, source_name)
        if exact is not None:
            _keep(pack._requests, exact, (key, request), _REQUESTS_KEPT)
        servicer = pack._configured.get(key) or configured_servicer(pack, request)
        _keep(pack._configured, key, servicer, _CONFIGURED_KEPT)
    return servicer


def _built(pack: LoadedPack, config: dict, source_name: str) -> tuple[bytes, analyzer_pb2.ConfigureAnalyzerRequest]:
    request = configure_request(pack, config, source_name)
    return request.SerializeToString(deterministic=True), request


def _keep(cache: dict, key: Any, value: Any, size: int) -> None:
    """`cache[key] = value` as its most recently used entry, forgetting the least recently used beyond `size`."""
    cache.pop(key, None)  # a key already there moves to the end: assigning alone would leave it where it was
    cache[key] = value
    while len(cache) > size:
        del cache[next(iter(cache))]


def _exact(value: Any) -> tuple:
    """A key equal for two configs only when they are the same to Python, map order included: a tuple is not a
    list, nor True 1, nor 1 1.0 (the check and the request may tell them apart). TypeError for an unhashable
    value."""
    if isinstance(value, dict):
        return type(value), tuple((_exact(key), _exact(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return type(value), tuple(_exact(item) for item in value)
    hash(value)
    return type(value), value


class ReportBuilder:
    """Analyzer responses as a PolicyReport: each diagnostic as a violation (or a check that could not run)
    against the resource it names, with that resource's type and name.

    A diagnostic names the resource analyzed (by its URN, or by none) or, rarely, another one. The policy
    worker builds its report as resources arrive, before it knows the stack: it gives `by_urn` later, with
    `resolve`, and diagnostics naming another resource wait until then. A resource is anything with `urn`,
    `type` and `name` (a CapturedResource, or an analyzer request's resource)."""

    def __init__(self, pack_name: str, by_urn: Optional[Mapping[str, Any]] = None):
        self.report = PolicyReport(pack=pack_name)
        self._by_urn = by_urn
        self._waiting: list[tuple[Any, str]] = []

    def add(self, response, resource: Optional[Any]) -> None:
        for diagnostic in response.diagnostics:
            urn = diagnostic.urn or (resource.urn if resource else "")
            if resource is not None and urn == resource.urn:
                self._record(diagnostic, urn, resource)
            elif self._by_urn is None:
                self._waiting.append((diagnostic, urn))
            else:
                self._record(diagnostic, urn, self._by_urn.get(urn))
        # Not its `not_applicable` list: nothing reads it, and the registry marks each policy not applicable
        # to every type it does not check (about 200 entries per resource, 1.3 million at 200 services).

    def resolve(self, by_urn: Mapping[str, Any]) -> None:
        """The whole stack is known: diagnostics that named another resource find it now."""
        self._by_urn = by_urn
        for diagnostic, urn in self._waiting:
            self._record(diagnostic, urn, by_urn.get(urn))
        self._waiting.clear()

    def _record(self, diagnostic, urn: str, target: Optional[Any]) -> None:
        violation = Violation(
            policy=diagnostic.policyName,
            enforcement_level=_LEVEL_NAMES.get(diagnostic.enforcementLevel, "advisory"),
            message=diagnostic.message,
            urn=urn,
            type=target.type if target else "",
            name=target.name if target else "",
        )
        # The analyzer reports "can't run during preview" for unknown values as an advisory diagnostic.
        if diagnostic.message.startswith(f"can't run policy '{diagnostic.policyName}'"):
            self.report.not_run.append(violation)
        else:
            self.report.violations.append(violation)


def _provider_of(resource: CapturedResource,
                 by_urn: dict[str, CapturedResource]) -> Optional[analyzer_pb2.AnalyzerProviderResource]:
    # An explicit provider reference is "<provider urn>::<provider id>"; without one, the engine's default provider
    # for the package (`mockrun.DefaultProviders`), with the stack's config as its inputs.
    provider = by_urn.get(resource.provider.rsplit("::", 1)[0]) if resource.provider else resource.default_provider
    if provider is None:
        return None
    return analyzer_pb2.AnalyzerProviderResource(type=provider.type, properties=provider.inputs_struct,
                                                 urn=provider.urn, name=provider.name)


def analyze_request(resource: CapturedResource, by_urn: dict[str, CapturedResource]) -> analyzer_pb2.AnalyzeRequest:
    """What the engine sends to Analyze for one resource: its inputs, options and provider (explicit, or the
    engine's default)."""
    return analyzer_pb2.AnalyzeRequest(type=resource.type, properties=resource.inputs_struct, urn=resource.urn,
                                       name=resource.name, options=_options(resource),
                                       provider=_provider_of(resource, by_urn))


def add_stack_resource(request: analyzer_pb2.AnalyzeStackRequest, resource: CapturedResource,
                       analyzed: analyzer_pb2.AnalyzeRequest) -> None:
    """Its part of what the engine sends to AnalyzeStack: its resulting state and links, with the options and
    provider of its Analyze request (`analyzed`, built once for both)."""
    item = request.resources.add()
    item.type, item.urn, item.name = resource.type, resource.urn, resource.name
    item.properties.CopyFrom(resource.state_struct)
    item.options.CopyFrom(analyzed.options)
    if analyzed.HasField("provider"):
        item.provider.CopyFrom(analyzed.provider)
    item.parent = resource.parent or ""
    item.dependencies.extend(resource.dependencies)
    for key, urns in resource.property_dependencies.items():
        item.propertyDependencies[key].urns.extend(urns)
