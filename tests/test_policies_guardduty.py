"""Amazon GuardDuty guardrails against tests/programs/policy_guardduty (raw detectors)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found,
                                         program_fixtures)

PROGRAM = "policy_guardduty"
DETECTOR = "aws:guardduty/detector:Detector"
ENABLED = "guardduty-detector-enabled"

FAILING = [
    Finding(ENABLED, "suspended-detector", "mandatory",
            "enable is false: GuardDuty suspends the detector and stops analysing the account's CloudTrail, VPC flow "
            "and DNS logs in this Region, so no threat finding reaches anyone; leave it out or set true"),
]
# Enabled said outright; left out (the provider sends true); known only after the update.
PASSING = [(ENABLED, "detector"), (ENABLED, "default-detector"), (ENABLED, "later-detector")]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


@pytest.mark.parametrize("enable, reported", [
    (False, True), ("false", True), (True, False), (None, False), (UNKNOWN, False)])
def test_a_detector_is_not_suspended(enable, reported):
    """terraform-provider-aws sends Enable in every CreateDetector and UpdateDetector, true when left out."""
    props = {"tags": DEFAULT_TAGS} if enable is None else {"enable": enable, "tags": DEFAULT_TAGS}
    assert (ENABLED in policies_found([Res(DETECTOR, "detector", props)])) == reported
