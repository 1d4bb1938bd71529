"""What every shim checks before it goes in: the SDK versions it was read against (requirements.txt pins
them), and how shims are put in and taken out (one lock; `SharedInstall`)."""
from __future__ import annotations

import contextlib
import functools
import importlib.metadata
import sys
import threading
from typing import Callable, Generic, Iterator, Optional, TypeVar

PULUMI_VERSION = "3.272.0"
PULUMI_POLICY_VERSION = "1.21.0"
PULUMI_AWS_VERSION = "7.51.1"

# The Python whose dataclasses module the dataclass shim was read against (its `_create_fn`).
DATACLASSES_PYTHON = (3, 11)

install_lock = threading.Lock()

T = TypeVar("T")


class SharedInstall(Generic[T]):
    """Shims that stay in while any run in the process needs them: put in as the first run enters (`put_in`
    gives what they share), taken out as the last leaves (`take_out`), whichever run that is. Runs in two
    threads at once overlap, and the first to enter is not always the last to leave."""

    def __init__(self, put_in: Callable[[], T], take_out: Callable[[T], None]):
        self._put_in, self._take_out = put_in, take_out
        self._holders = 0
        self._shared: Optional[T] = None

    @contextlib.contextmanager
    def hold(self) -> Iterator[T]:
        with install_lock:
            if self._holders == 0:
                self._shared = self._put_in()
            self._holders += 1
            shared = self._shared
        try:
            yield shared  # type: ignore[misc]
        finally:
            with install_lock:
                self._holders -= 1
                if self._holders == 0:
                    shared, self._shared = self._shared, None
                    self._take_out(shared)  # type: ignore[arg-type]


@functools.lru_cache(maxsize=None)
def _installed(distribution: str) -> Optional[str]:
    """The distribution's installed version, read once per process: the modules a process imported stay the ones it
    runs, and reading the metadata scans sys.path (about 3 ms, and every evaluation of a stack asks)."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def pulumi_shims_apply(version: Optional[str] = None) -> bool:
    """Whether the installed pulumi SDK is the one the mock-run shims were written for."""
    return (version or _installed("pulumi")) == PULUMI_VERSION


def policy_shims_apply(version: Optional[str] = None) -> bool:
    """Whether the installed pulumi-policy is the one the analyzer shim was written for."""
    return (version or _installed("pulumi-policy")) == PULUMI_POLICY_VERSION


def aws_shims_apply(version: Optional[str] = None) -> bool:
    """Whether the installed pulumi-aws is the one the lazy service packages were written for, and pulumi the
    one whose `_globals_for_cls` they hook."""
    return (version or _installed("pulumi-aws")) == PULUMI_AWS_VERSION and pulumi_shims_apply()


def dataclasses_shim_applies(version: Optional[tuple[int, int]] = None) -> bool:
    """Whether this Python's dataclasses is the one the dataclass shim was written for."""
    return (version or tuple(sys.version_info[:2])) == DATACLASSES_PYTHON
