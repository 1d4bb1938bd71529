"""What every shim checks before it goes in: the SDK versions it was read against (requirements.txt pins
them), and one lock for putting shims in and taking them out."""
from __future__ import annotations

import importlib.metadata
import sys
import threading
from typing import Optional

PULUMI_VERSION = "3.272.0"
PULUMI_POLICY_VERSION = "1.21.0"
PULUMI_AWS_VERSION = "7.51.1"

# The Python whose dataclasses module the dataclass shim was read against (its `_create_fn`).
DATACLASSES_PYTHON = (3, 11)

install_lock = threading.Lock()


def _installed(distribution: str) -> Optional[str]:
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
