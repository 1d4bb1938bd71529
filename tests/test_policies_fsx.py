"""Amazon FSx guardrails against tests/programs/policy_fsx (raw file systems)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found,
                                         program_fixtures)

PROGRAM = "policy_fsx"
OPENZFS = "aws:fsx/openZfsFileSystem:OpenZfsFileSystem"
ONTAP = "aws:fsx/ontapFileSystem:OntapFileSystem"
WINDOWS = "aws:fsx/windowsFileSystem:WindowsFileSystem"
MULTI_AZ = "fsx-filesystem-multi-az"

FAILING = [
    Finding(MULTI_AZ, "single-az-zfs", "advisory",
            "deploymentType is SINGLE_AZ_2: the file system's file servers are in one Availability Zone, and its data "
            "is out of reach while that zone is unavailable; set MULTI_AZ_1 (Amazon FSx sets it at creation only: the "
            "file system is replaced, and its data restored from a backup)"),
    # A high-availability pair, but in one zone.
    Finding(MULTI_AZ, "ha-pair-zfs", "advisory", "deploymentType is SINGLE_AZ_HA_2: the file system's file servers"),
    Finding(MULTI_AZ, "single-az-ontap", "advisory",
            "deploymentType is SINGLE_AZ_2: the file system's file servers are in one Availability Zone, and its data "
            "is out of reach while that zone is unavailable; set MULTI_AZ_1 or MULTI_AZ_2"),
    Finding(MULTI_AZ, "single-az-windows", "advisory", "deploymentType is SINGLE_AZ_2: the file system's"),
    # Left out, the provider (and CreateFileSystem) make SINGLE_AZ_1.
    Finding(MULTI_AZ, "default-windows", "advisory", "deploymentType is unset (SINGLE_AZ_1): the file system's"),
]
PASSING = [(MULTI_AZ, "multi-az-zfs"), (MULTI_AZ, "multi-az-ontap"), (MULTI_AZ, "multi-az-2-ontap"),
           (MULTI_AZ, "multi-az-windows"), (MULTI_AZ, "later-zfs")]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def file_system(resource_type, kind):
    props = {"subnetIds": ["subnet-1", "subnet-2"], "throughputCapacity": 160, "tags": DEFAULT_TAGS}
    if kind is not None:
        props["deploymentType"] = kind
    return Res(resource_type, "files", props)


@pytest.mark.parametrize("resource_type, kind, reported", [
    (OPENZFS, "MULTI_AZ_1", False), (OPENZFS, "SINGLE_AZ_1", True), (OPENZFS, "SINGLE_AZ_HA_1", True),
    (ONTAP, "MULTI_AZ_1", False), (ONTAP, "MULTI_AZ_2", False), (ONTAP, "SINGLE_AZ_1", True),
    (WINDOWS, "MULTI_AZ_1", False), (WINDOWS, "SINGLE_AZ_1", True), (WINDOWS, None, True),
    # Unknown until the update, a value that is no text, or a required type left out, is not judged.
    (OPENZFS, UNKNOWN, False), (WINDOWS, UNKNOWN, False), (ONTAP, None, False), (ONTAP, ["MULTI_AZ_1"], False)])
def test_a_file_system_spans_availability_zones(resource_type, kind, reported):
    assert (MULTI_AZ in policies_found([file_system(resource_type, kind)])) == reported
