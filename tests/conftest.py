"""Shared fixtures: one offline preview per stack for the whole test run, and raw stack config."""
from __future__ import annotations

import contextlib
import copy
import fcntl
import functools
import gc
import hashlib
import json
import os
import pickle
import re
from pathlib import Path
from typing import IO, Callable, Iterator, Optional, Sequence, TypeVar, Union

import pytest

from tools import collector
from tools.mockrun import ProgramError, load_stack_settings, stack_file_config
from tools.preview import PreviewResult, run_preview

ROOT = Path(__file__).resolve().parent.parent
LAMBDAS = ROOT / "lambdas"


def lambda_handler(function: str):
    """lambdas/<function>/handler.py, loaded as its own module (each is a directory of one file, not a package)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(f"lambda_{function}", LAMBDAS / function / "handler.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def assert_three_of_five_over(alarm: dict, threshold: float) -> None:
    """The alarm (its inputs) fires over `threshold` in 3 of 5 minutes, and a minute without data is no breach: one
    bad minute pages no one."""
    assert (alarm["threshold"], alarm["comparisonOperator"], alarm["evaluationPeriods"], alarm["datapointsToAlarm"],
            alarm["treatMissingData"]) == (threshold, "GreaterThanThreshold", 5, 3, "notBreaching")


PROJECT_PREFIX = "service-mesh-platform:"


def project_config(config: dict) -> dict:
    """A stack file's `config:` block as `parse_config` takes it: the project's keys, without their prefix."""
    return {k[len(PROJECT_PREFIX):]: v for k, v in config.items() if k.startswith(PROJECT_PREFIX)}


@functools.lru_cache(maxsize=None)
def _stack_config(stack: str) -> dict:
    # Read each stack file once per session (the suite asks thousands of times); callers get deep copies.
    return stack_file_config(ROOT / f"Pulumi.{stack}.yaml", PROJECT_PREFIX.rstrip(":"))[0]


class Registered:
    """A preview's progress hook that keeps the type of every resource the program registers, in order."""

    def __init__(self) -> None:
        self.types: list[str] = []

    def registered(self, resource) -> None:
        self.types.append(resource.type)

    def analyzed(self, done: int, total: int) -> None:
        pass


def raw_config(stack: str) -> dict:
    """A stack file's project config without the project prefix, as `parse_config` takes it (a fresh copy)."""
    return copy.deepcopy(_stack_config(stack))


def dev_raw_config() -> dict:
    return raw_config("dev")


DELETE = object()


def moved_to(stack: str, region: str) -> list[str]:
    """`--config` overrides that move a stack to another region: `aws:region`, and its images' and secrets' regions
    with it (the egress DNS Firewall and the endpoints reach only the stack's own region's)."""
    raw, here = raw_config(stack), f":{_stack_region(stack)}:"
    moved = [f"aws:region={region}"]
    for i, service in enumerate(raw["services"]):
        holders = [(f"services[{i}]", service), *((f"services[{i}].versions[{j}]", v)
                                                   for j, v in enumerate(service.get("versions", ())))]
        moved += [f"{key}.image={holder['image'].replace(f'.{_stack_region(stack)}.', f'.{region}.')}"
                  for key, holder in holders if "image" in holder]
        moved += [f"services[{i}].secrets.{name}={arn.replace(here, f':{region}:')}"
                  for name, arn in service.get("secrets", {}).items()]
    return moved


def _stack_region(stack: str) -> str:
    return stack_file_config(ROOT / f"Pulumi.{stack}.yaml", PROJECT_PREFIX.rstrip(":"))[1]


def with_value(raw: dict, path: str, value) -> dict:
    """Set (or, with DELETE, remove) the value at a key path like `services[2].port`; returns raw."""
    steps = [int(s) if s.isdigit() else s for s in re.findall(r"[^.\[\]]+", path)]
    target = raw
    for step in steps[:-1]:
        target = target[step]
    if value is DELETE:
        del target[steps[-1]]
    else:
        target[steps[-1]] = value
    return raw


def program_with_stack(directory: Path, stack: str, edit, source: Path = ROOT) -> Path:
    """A copy of this program, or of the one in `source` (the global layer's), sharing `components/`, whose stack
    file is the real one after `edit(text)`."""
    program = directory / "program"
    program.mkdir(parents=True)
    for name in ("Pulumi.yaml", "__main__.py"):
        (program / name).write_text((source / name).read_text())
    (program / "components").symlink_to((source / "components").resolve())
    stack_file = f"Pulumi.{stack}.yaml"
    (program / stack_file).write_text(edit((source / stack_file).read_text()))
    return program


def parse(raw: dict, stack: str = "dev"):
    """Parse raw project config as the given stack's file would be."""
    from components.config import parse_config

    return parse_config(raw, f"Pulumi.{stack}.yaml", "us-east-1")


def config_error(raw: dict, stack: str = "dev") -> str:
    """The one line a stack file's config is refused with (parse raises ConfigError)."""
    from components.config import ConfigError

    with pytest.raises(ConfigError) as caught:
        parse(raw, stack)
    message = str(caught.value)
    assert "\n" not in message
    return message


_PREVIEWS: dict = {}


def shared_preview(stack: str, cwd: Path = ROOT, policy_pack: Optional[Path] = None,
                   policy_pack_config: Union[None, Path, dict] = None, *, unknown_outputs: bool = False,
                   config_overrides: Sequence[str] = (), optimise: bool = True) -> PreviewResult:
    """`run_preview`, run once per test run for each distinct input (once per xdist worker's session, and
    across workers through `once_across_workers`): tests read results and never change them.

    The key is what the run sees: the stack's config after overrides (an override that restates the stack
    file shares the run without it), the policy config's content, and the flags. Tests that need a run of
    their own (isolation, determinism, a monkeypatched component) call `run_preview` directly."""
    program_dir = Path(cwd).resolve()
    try:
        settings = load_stack_settings(program_dir, stack, config_overrides)
    except ProgramError:
        settings = None  # the preview reports it; nothing worth sharing
    if isinstance(policy_pack_config, dict):
        policy_key = json.dumps(policy_pack_config, sort_keys=True)
    elif policy_pack_config is not None and Path(policy_pack_config).is_file():
        policy_key = Path(policy_pack_config).read_text()
    else:
        policy_key = str(policy_pack_config)
    key = (stack, str(program_dir), policy_pack and str(Path(policy_pack).resolve()), policy_key, unknown_outputs,
           optimise, settings and (settings.main, json.dumps(settings.config, sort_keys=True),
                                   tuple(settings.secret_keys)))

    def run() -> PreviewResult:
        with collector_on(not optimise):
            return run_preview(stack, cwd, policy_pack, policy_pack_config, unknown_outputs=unknown_outputs,
                               config_overrides=config_overrides, optimise=optimise)

    if settings is None:
        return run()
    if key not in _PREVIEWS:
        _PREVIEWS[key] = once_across_workers(key, run)
        collector.freeze_survivors()  # kept for the session: full collections walked them again (about 30 s)
    return _PREVIEWS[key]


_ACROSS_WORKERS: Optional[Path] = None  # set for a pytest-xdist worker: a directory all of the run's workers share


@pytest.fixture(scope="session", autouse=True)
def _results_shared_by_the_workers(tmp_path_factory):
    """Under pytest-xdist, each result `once_across_workers` is asked for is made in one worker and read by
    the others (the stacks' fixtures are wanted by tests in every worker; each would otherwise run them)."""
    global _ACROSS_WORKERS
    if os.environ.get("PYTEST_XDIST_WORKER"):
        _ACROSS_WORKERS = tmp_path_factory.getbasetemp().parent / "shared-results"  # the run's, not the worker's
        _ACROSS_WORKERS.mkdir(exist_ok=True)
    yield
    _ACROSS_WORKERS = None


T = TypeVar("T")


def once_across_workers(key: tuple, make: Callable[[], T]) -> T:
    """`make()`, or, when another xdist worker of this run has made it for the same key, its result (pickled:
    equal by value, though a protobuf Struct's map order may differ, as it does between any two processes).
    Without xdist, just `make()`."""
    if _ACROSS_WORKERS is None:
        return make()
    stored = _ACROSS_WORKERS / f"{hashlib.sha256(repr(key).encode()).hexdigest()}.pickle"
    # One lock per key: a worker that wants a result another is making waits for it, not for others.
    with open(stored.with_suffix(".lock"), "w") as lock, _locked(lock):
        if stored.exists():
            return pickle.loads(stored.read_bytes())
        result = make()
        partial = stored.with_suffix(f".{os.getpid()}")
        partial.write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        partial.replace(stored)
        return result


@contextlib.contextmanager
def _locked(file: IO) -> Iterator[None]:
    fcntl.flock(file, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(file, fcntl.LOCK_UN)


def preview(stack: str, **kwargs) -> PreviewResult:
    result = shared_preview(stack, ROOT, ROOT / "policies", ROOT / "policies" / "config" / f"{stack}.json", **kwargs)
    assert result.error is None, result.error
    return result


@pytest.fixture(scope="session")
def dev_preview() -> PreviewResult:
    return preview("dev")


@pytest.fixture(scope="session")
def prod_preview() -> PreviewResult:
    return preview("prod")


def _on_plane(stack: str, plane: str):
    """A session fixture: `stack` on `plane`, whatever its file chooses (shared_preview keys on the config the
    run sees, so an override that restates the file shares the stack's own run)."""
    @pytest.fixture(scope="session")
    def fixture() -> PreviewResult:
        return preview(stack, config_overrides=[f"mesh.dataPlane={plane}"])
    return fixture


dev_sc_preview = _on_plane("dev", "serviceconnect")
prod_sc_preview = _on_plane("prod", "serviceconnect")
dev_appmesh_preview = _on_plane("dev", "appmesh")
prod_appmesh_preview = _on_plane("prod", "appmesh")


@pytest.fixture(scope="session")
def prod_eu_preview() -> PreviewResult:
    return preview("prod-eu")


@pytest.fixture(scope="session")
def iot_preview() -> PreviewResult:
    return preview("iot")


def global_preview(*overrides: str) -> PreviewResult:
    """The global layer (global/, stack prod) with its own policy config."""
    result = shared_preview("prod", ROOT / "global", ROOT / "policies", ROOT / "policies" / "config" / "global.json",
                            config_overrides=overrides)
    assert result.error is None, result.error
    return result


@pytest.fixture(scope="session")
def edge_preview() -> PreviewResult:
    return global_preview()


def parse_json_input(value):
    """containerDefinitions, IAM policies and dashboard bodies travel as JSON strings."""
    return json.loads(value) if isinstance(value, str) else value


# A full collection after this many tests: what reference cycles the tests leave behind is freed in one pass.
_TESTS_BETWEEN_COLLECTIONS = 200
_tests_run = 0


def pytest_configure(config):
    """The collector runs in the test processes when the session asks, not by its own counts. A session's heap is
    mostly what it keeps (the shared previews, frozen as each is made) and each test's short-lived data, freed by
    reference counting; young and full collections walked it anyway, about 20 % of the workers' CPU (56 of 284 s on
    2026-12-01), for about 50 MiB less peak RSS a worker (552-600 MiB without them, 497-563 with)."""
    gc.disable()


@contextlib.contextmanager
def collector_on(on: bool = True) -> Iterator[None]:
    """The collector on, as a long-lived process has it, for a run whose results must not depend on when it
    collects: the speed-ups-off side of an equality test, which the side with them (its collections paused, here
    off) must match."""
    was = gc.isenabled()
    if on:
        gc.enable()
    try:
        yield
    finally:
        if not was:
            gc.disable()


@pytest.hookimpl(trylast=True)  # after the fixtures' teardown: one of them may turn the collector on, too
def pytest_runtest_teardown(item, nextitem):
    global _tests_run
    gc.disable()  # a test of the collector's disciplines may have turned it back on
    _tests_run += 1
    if _tests_run % _TESTS_BETWEEN_COLLECTIONS == 0:
        gc.collect()


def pytest_collection_modifyitems(items):
    """The heavy tests first: pytest-xdist hands out tests in this order, and heavy ones left to the end ran
    one after another on one worker while the other had finished (about 18 s of a 55 s run)."""
    items.sort(key=lambda item: item.get_closest_marker("heavy") is None)


def pytest_generate_tests(metafunc):
    """Parametrize the shared policy-family suite (tests/test_policies_support.py) from each subclass's lists."""
    suite = metafunc.cls
    if suite is None or not hasattr(suite, "FAILING"):
        return
    if "expected" in metafunc.fixturenames:
        metafunc.parametrize("expected", suite.FAILING, ids=str)
    if metafunc.function.__name__ == "test_secure_resource_passes":
        metafunc.parametrize("policy,resource", suite.PASSING)
