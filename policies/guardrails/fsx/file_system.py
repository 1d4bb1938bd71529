"""Amazon FSx file systems, judged by the deployment type pulumi-aws sends to CreateFileSystem, which fixes where the
file servers run for the file system's life (ForceNew: a change replaces the file system)."""
from __future__ import annotations

from typing import Any, Iterator, Optional

from pulumi_policy import Severity

from ..core.props import has_text, peek
from ..core.registry import ADVISORY, resource_policy_by_type
from . import ONTAP, OPENZFS, WINDOWS


def _spans_zones(props: Any, multi_az: tuple[str, ...], default: Optional[str] = None) -> Iterator[str]:
    """A finding where `deploymentType` (`default` when left out) is none of `multi_az`; an unknown value, one that
    is no text, or a required one left out, is not judged."""
    kind = peek(props, "deploymentType")
    if kind is None and default is not None:
        state = f"unset ({default})"
    elif has_text(kind):
        state = kind
    else:
        return
    if kind in multi_az:
        return
    yield (f"deploymentType is {state}: the file system's file servers are in one Availability Zone, and its data is "
           f"out of reach while that zone is unavailable; set {' or '.join(multi_az)} (Amazon FSx sets it at creation "
           "only: the file system is replaced, and its data restored from a backup)")


def _openzfs(props: Any) -> Iterator[str]:
    # Security Hub FSx.3: MULTI_AZ_1, not customizable (SINGLE_AZ_HA_1 and _2 are HA pairs in one zone).
    return _spans_zones(props, ("MULTI_AZ_1",))


def _ontap(props: Any) -> Iterator[str]:
    # Security Hub FSx.4: MULTI_AZ_1 and MULTI_AZ_2, its default deploymentTypes.
    return _spans_zones(props, ("MULTI_AZ_1", "MULTI_AZ_2"))


def _windows(props: Any) -> Iterator[str]:
    # Security Hub FSx.5: MULTI_AZ_1, not customizable; the provider and CreateFileSystem default to SINGLE_AZ_1.
    return _spans_zones(props, ("MULTI_AZ_1",), default="SINGLE_AZ_1")


resource_policy_by_type(
    "fsx-filesystem-multi-az", {OPENZFS: _openzfs, ONTAP: _ontap, WINDOWS: _windows},
    description="Amazon FSx for OpenZFS, NetApp ONTAP and Windows File Server file systems should be Multi-AZ "
                "deployments, so a failed file server or Availability Zone does not take the file system's data "
                "out of reach.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub FSx.3", "Security Hub FSx.4", "Security Hub FSx.5",
             "Config fsx-openzfs-deployment-type-check", "Config fsx-ontap-deployment-type-check",
             "Config fsx-windows-deployment-type-check"),
    checks="""
    `deploymentType` is a Multi-AZ one: MULTI_AZ_1 for FSx for OpenZFS (SINGLE_AZ_HA_1 and _2 are HA pairs in one
    zone) and for Windows File Server (left out, the provider and CreateFileSystem make SINGLE_AZ_1), MULTI_AZ_1 or
    MULTI_AZ_2 for NetApp ONTAP; an unknown value is not judged""",
)
