"""Permissions boundaries: config `permissionsBoundary` bounds every role the stack creates, and the pack's
`iam-role-permissions-boundary` (tests/test_policies_iam.py) finds nothing to report."""
from __future__ import annotations

import json

import pytest

from components.config import ConfigError
from tests.conftest import ROOT, parse, raw_config, shared_preview, with_value

ROLE = "aws:iam/role:Role"
POLICY = "iam-role-permissions-boundary"
BOUNDARY = "arn:aws:iam::111122223333:policy/boundaries/platform"


def naming(*boundaries: str) -> dict:
    return {POLICY: {"allowedBoundaries": list(boundaries)}}


def test_without_the_setting_no_role_is_bounded(dev_preview):
    roles = dev_preview.find(ROLE)
    assert roles and all("permissionsBoundary" not in role.inputs for role in roles)


def test_the_setting_bounds_every_role_the_stack_creates_and_the_pack_agrees(dev_preview):
    policy_config = {**json.loads((ROOT / "policies" / "config" / "dev.json").read_text()), **naming(BOUNDARY)}
    result = shared_preview("dev", ROOT, ROOT / "policies", policy_config,
                            config_overrides=[f"permissionsBoundary={BOUNDARY}"])
    assert result.error is None, result.error
    roles = result.find(ROLE)
    # The same roles as without it (the task, execution, Lambda, flow-log, trail and API Gateway roles), each bounded.
    assert sorted(r.name for r in roles) == sorted(r.name for r in dev_preview.find(ROLE))
    assert {role.name: role.inputs.get("permissionsBoundary") for role in roles} == {
        role.name: BOUNDARY for role in roles}
    assert [v for v in result.violations if v.policy == POLICY] == []
    assert result.violations == dev_preview.violations


@pytest.mark.parametrize("value, problem", [
    ("arn:aws:iam::123:policy/boundary",
     "'arn:aws:iam::123:policy/boundary' is not a managed policy ARN (arn:aws:iam::<account>:policy/<name>)"),
    ("arn:aws:iam::111122223333:role/boundary",
     "'arn:aws:iam::111122223333:role/boundary' is not a managed policy ARN (arn:aws:iam::<account>:policy/<name>)"),
    ("arn:aws:iam::111122223333:policy/bound ary",
     "'arn:aws:iam::111122223333:policy/bound ary' is not a managed policy ARN "
     "(arn:aws:iam::<account>:policy/<name>)"),
    ("arn:aws-us-gov:iam::111122223333:policy/boundary",
     "is in the aws-us-gov partition, and the stack's is aws: IAM bounds a role only by a policy of its own "
     "partition; use the aws partition's"),
    (["arn:aws:iam::111122223333:policy/boundary"], "expected a string, got a list"),
])
def test_a_setting_that_is_no_managed_policy_of_the_partition_is_one_line(value, problem):
    with pytest.raises(ConfigError) as caught:
        parse(with_value(raw_config("dev"), "permissionsBoundary", value))
    assert str(caught.value) == f"Pulumi.dev.yaml: permissionsBoundary: {problem}"


@pytest.mark.parametrize("value", [BOUNDARY, "arn:aws:iam::111122223333:policy/platform-boundary",
                                   "arn:aws:iam::aws:policy/PowerUserAccess"])
def test_a_customer_or_aws_managed_policy_is_a_boundary(value):
    assert parse(with_value(raw_config("dev"), "permissionsBoundary", value)).permissions_boundary == value
